// Parameters of Activation and _backward_Activation (shared with the kernels).
#pragma once

#include <string>

#include "core/base/params.h"

namespace loom {

enum class ActType { kRelu, kSigmoid, kTanh, kSoftReLU, kSoftSign };

struct ActivationParam {
  std::string act_type;
  ActType type() const;
  static void declare(ParamDecl<ActivationParam>& d);
};

}  // namespace loom
