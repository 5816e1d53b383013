// Parameters of FullyConnected and its backward op (shared with the kernels).
#pragma once

#include "core/base/params.h"

namespace loom {

struct FullyConnectedParam {
  int num_hidden = 0;
  bool no_bias = false;
  bool flatten = true;
  static void declare(ParamDecl<FullyConnectedParam>& d);
};

}  // namespace loom
