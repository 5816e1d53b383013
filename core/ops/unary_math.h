// Parameters of the element-wise unary ops that take any (hard_sigmoid, clip), shared with the
// kernels. The parameterless unary math ops, smooth_l1 and ones_like need nothing here.
#pragma once

#include "core/base/params.h"

namespace loom {

struct HardSigmoidParam {
  float alpha = 0.2f;
  float beta = 0.5f;
  static void declare(ParamDecl<HardSigmoidParam>& d);
};

struct ClipParam {
  float a_min = 0;
  float a_max = 0;
  static void declare(ParamDecl<ClipParam>& d);
};

}  // namespace loom
