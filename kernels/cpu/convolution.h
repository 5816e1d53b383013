// Pieces of the CPU convolution kernels shared with other families: the window geometry of a
// 1-3-D convolution (kept as 3-D, leading dims of extent 1), and the transposed convolution
// that bilinear UpSampling runs as a grouped deconvolution with a fixed weight.
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/kernel.h"

namespace loom::cpu {

// The window of a convolution seen from its input ("image") side: `in` is the image's spatial
// extent, `out` the number of window positions per dim. Rank 1 and 2 windows are padded at the
// front with extent-1 dims so every loop is 3-D and the innermost dim is the real last one.
struct ConvGeom {
  int64_t in[3] = {1, 1, 1}, out[3] = {1, 1, 1}, k[3] = {1, 1, 1}, s[3] = {1, 1, 1},
          p[3] = {0, 0, 0}, d[3] = {1, 1, 1};

  // kernel/stride/dilate/pad of rank r (1-3); image and window extents from the two shapes'
  // spatial dims (dims 2.. of N,C,spatial... shapes).
  static ConvGeom make(const std::vector<int64_t>& kernel, const std::vector<int64_t>& stride,
                       const std::vector<int64_t>& dilate, const std::vector<int64_t>& pad,
                       const Shape& image, const Shape& windows);
  int64_t in_size() const { return in[0] * in[1] * in[2]; }
  int64_t out_size() const { return out[0] * out[1] * out[2]; }
  int64_t k_size() const { return k[0] * k[1] * k[2]; }
  // 1x1 window, stride 1, no padding: the image is its own column matrix.
  bool trivial() const;
};

// Transposed convolution of x (N, C, in...) with weight (C, F/groups, k...) into y (N, F,
// out...), plus bias (F) when given; `pad` as already resolved (adj/target_shape applied).
struct DeconvSpec {
  std::vector<int64_t> kernel, stride, dilate, pad;
  int groups = 1;
};

template <class T>
void deconv_forward(const DeconvSpec& spec, const TBlob& x, const TBlob& w, const TBlob* bias,
                    OpReq req, const TBlob& y);
// Gradients of x, weight and bias (any may be null or have req kNullOp).
template <class T>
void deconv_backward(const DeconvSpec& spec, const TBlob& dy, const TBlob& x, const TBlob& w,
                     const TBlob* dx, OpReq req_dx, const TBlob* dw, OpReq req_dw, const TBlob* db,
                     OpReq req_db);

}  // namespace loom::cpu
