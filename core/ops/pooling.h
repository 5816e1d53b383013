// Parameters of Pooling (shared with its kernels). After parsing, validate() fills what
// MXNet's parser fills: with a kernel, the layout by its rank and stride 1s / pad 0s; without
// one (global pooling) stride and pad of rank 3.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/base/params.h"

namespace loom {

struct PoolingParam {
  Shape kernel = Shape(std::vector<dim_t>{});
  std::string pool_type = "max";  // avg, lp, max, sum
  bool global_pool = false;
  bool cudnn_off = false;
  std::string pooling_convention = "valid";  // full, same, valid
  Shape stride = Shape(std::vector<dim_t>{}), pad = Shape(std::vector<dim_t>{});
  std::optional<int> p_value;
  std::optional<bool> count_include_pad;
  std::optional<std::string> layout;

  // MXNet 1.9.1 as released (oneDNN builds, the pip packages) gives max pooling over a 1-3-D
  // kernel in a channel-first layout a second, hidden output "workspace" of the output's
  // shape (int32), and its JSON counts it in node_row_ptr. Loom keeps that output so saved
  // graphs are byte-identical; kernels need not write it.
  bool has_workspace() const;
  // The layout for data of `ndim` dims: the given one or the channel-first default.
  std::string layout_for(int ndim) const;
  static void declare(ParamDecl<PoolingParam>& d);
  void validate();
};

}  // namespace loom
