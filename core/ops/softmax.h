// Parameters of softmax, log_softmax, softmin and SoftmaxActivation (shared with kernels).
#pragma once

#include <optional>
#include <string>

#include "core/base/params.h"

namespace loom {

struct SoftmaxParam {
  int axis = -1;
  std::optional<double> temperature;
  std::optional<std::string> dtype;  // float16, float32, float64: the output's dtype
  std::optional<bool> use_length = false;
  bool uses_length() const { return use_length.value_or(false); }
  static void declare(ParamDecl<SoftmaxParam>& d);
};

struct SoftmaxActivationParam {
  std::string mode = "instance";  // channel, instance
  static void declare(ParamDecl<SoftmaxActivationParam>& d);
};

}  // namespace loom
