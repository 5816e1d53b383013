// Parameters of the scalar element-wise ops (shared with the kernels).
#pragma once

#include "core/base/params.h"

namespace loom {

struct ScalarParam {
  double scalar = 1;
  bool is_int = true;
  static void declare(ParamDecl<ScalarParam>& d);
};

struct NumArgsParam {
  int num_args = 0;
  static void declare(ParamDecl<NumArgsParam>& d);
};

}  // namespace loom
