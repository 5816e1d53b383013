// Parameters of the loss-output ops (SoftmaxOutput and the regression outputs), shared with the
// kernels.
#pragma once

#include <string>

#include "core/base/params.h"

namespace loom {

struct SoftmaxOutputParam {
  float grad_scale = 1;
  float ignore_label = -1;
  bool multi_output = false;
  bool use_ignore = false;
  bool preserve_shape = false;
  std::string normalization = "null";
  bool out_grad = false;
  float smooth_alpha = 0;
  static void declare(ParamDecl<SoftmaxOutputParam>& d);
};

struct RegressionOutputParam {
  float grad_scale = 1;
  static void declare(ParamDecl<RegressionOutputParam>& d);
};

}  // namespace loom
