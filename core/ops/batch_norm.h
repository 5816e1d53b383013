// Parameters of BatchNorm and the legacy BatchNorm_v1 (shared with their kernels).
#pragma once

#include <optional>

#include "core/base/params.h"

namespace loom {

struct BatchNormParam {
  // MXNet declares the default as the float 1e-3f stored in a double; kernels see that value.
  double eps = static_cast<double>(1e-3f);
  float momentum = 0.9f;
  bool fix_gamma = true;
  bool use_global_stats = false;
  bool output_mean_var = false;
  int axis = 1;
  bool cudnn_off = false;
  std::optional<float> min_calib_range, max_calib_range;
  static void declare(ParamDecl<BatchNormParam>& d);
};

// BatchNorm_v1: channel axis 1, float eps, no axis/cudnn/calibration fields.
struct BatchNormV1Param {
  float eps = 1e-3f;
  float momentum = 0.9f;
  bool fix_gamma = true;
  bool use_global_stats = false;
  bool output_mean_var = false;
  static void declare(ParamDecl<BatchNormV1Param>& d);
};

}  // namespace loom
