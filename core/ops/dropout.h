// Parameters of Dropout (shared with its kernels).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/base/params.h"

namespace loom {

struct DropoutParam {
  float p = 0.5f;
  std::string mode = "training";             // always, training
  Shape axes = Shape(std::vector<dim_t>{});  // axes along which one mask value is shared
  std::optional<bool> cudnn_off = false;
  static void declare(ParamDecl<DropoutParam>& d);
};

}  // namespace loom
