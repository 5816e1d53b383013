// Parameters of LeakyReLU and its variants (shared with the kernels).
#pragma once

#include <string>

#include "core/base/params.h"

namespace loom {

struct LeakyReLUParam {
  std::string act_type = "leaky";  // elu, gelu, leaky, prelu, rrelu, selu
  float slope = 0.25f;
  float lower_bound = 0.125f;
  float upper_bound = 0.334f;
  bool is_prelu() const { return act_type == "prelu"; }
  bool is_rrelu() const { return act_type == "rrelu"; }
  static void declare(ParamDecl<LeakyReLUParam>& d);
};

}  // namespace loom
