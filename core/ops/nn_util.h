// Helpers shared by the neural-network operator families (convolution, pooling, normalisation,
// recurrent, ...): data layouts, axis checks and MXNet's "uniform type" rule for layers with
// weights.
#pragma once

#include <string>
#include <vector>

#include "core/op/op.h"

namespace loom {

// The default layout for data of `ndim` dims: NCW, NCHW or NCDHW; "" for other ranks.
std::string default_layout(int ndim);
// Whether `layout` keeps the channel right after the batch (NCW, NCHW, NCDHW).
bool is_channel_first(const std::string& layout);
// Reorders `s` from `layout` to channel-first order (N, C, spatial...) and back. Layouts are
// one of NCW, NCHW, NCDHW, NWC, NHWC, NDHWC; `s` must have as many dims as `layout` letters.
Shape to_channel_first(const Shape& s, const std::string& layout);
Shape from_channel_first(const Shape& s, const std::string& layout);

// `axis` (negative counts from the end) as an index below `ndim`; fails naming the parameter.
int normalize_axis(int axis, int ndim, const char* param);

// MXNet's rule for layers with weights (Convolution, Deconvolution, UpSampling, RNN, ...): the
// dtype of input 0, or else of output 0, becomes every input's and output's dtype; an input
// given another dtype fails, naming it by `names`. Input `free_input` (-1: none) keeps its own
// dtype (RNN's sequence_length). Nothing is learnt while both are unknown.
void infer_uniform_type(const std::vector<std::string>& names, TypeVec* in, TypeVec* out,
                        int free_input = -1);

// The dtype in which normalisation layers keep their parameters and statistics for data of
// `dtype`: float32 for float16 and bfloat16, else the dtype itself; non-floating dtypes fail.
int accumulation_type(int dtype);

}  // namespace loom
