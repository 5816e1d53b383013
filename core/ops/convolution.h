// Parameters of Convolution and Deconvolution (shared with their kernels). After parsing,
// validate() fills what MXNet's parser fills: stride and dilate default to 1s, pad (and adj) to
// 0s, layout to NCW/NCHW/NCDHW by the kernel's rank; the node's dict is left as written.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/base/params.h"

namespace loom {

struct ConvolutionParam {
  Shape kernel, stride = Shape(std::vector<dim_t>{}), dilate = Shape(std::vector<dim_t>{}),
                pad = Shape(std::vector<dim_t>{});
  int num_filter = 0;
  int num_group = 1;
  int64_t workspace = 1024;
  bool no_bias = false;
  std::optional<std::string> cudnn_tune;  // fastest, limited_workspace, off
  bool cudnn_off = false;
  std::optional<std::string> layout;  // always set after validate()

  // Extent of spatial dim `i` of the kernel once dilated.
  int64_t dilated_kernel(int i) const { return 1 + (kernel[i] - 1) * dilate[i]; }
  static void declare(ParamDecl<ConvolutionParam>& d);
  void validate();
};

struct DeconvolutionParam {
  Shape kernel, stride = Shape(std::vector<dim_t>{}), dilate = Shape(std::vector<dim_t>{}),
                pad = Shape(std::vector<dim_t>{}), adj = Shape(std::vector<dim_t>{});
  Shape target_shape = Shape(std::vector<dim_t>{});
  int num_filter = 0;
  int num_group = 1;
  int64_t workspace = 512;
  bool no_bias = true;
  std::optional<std::string> cudnn_tune;
  bool cudnn_off = false;
  std::optional<std::string> layout;

  int64_t dilated_kernel(int i) const { return 1 + (kernel[i] - 1) * dilate[i]; }
  // Whether target_shape asks for an output size (some entry non-zero).
  bool has_target() const;
  // The padding and output adjustment of spatial dim `i` for an input of extent `in` (>= 0):
  // pad and adj as given, or, with target_shape, those that give the target extent.
  void pad_and_adj(int i, int64_t in, int64_t* pad_out, int64_t* adj_out) const;
  static void declare(ParamDecl<DeconvolutionParam>& d);
  void validate();
};

}  // namespace loom
