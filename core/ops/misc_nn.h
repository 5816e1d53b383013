// Parameters of the smaller neural-network ops: MakeLoss, Cast, SpatialTransformer,
// InstanceNorm, LayerNorm and L2Normalization (shared with their kernels).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/base/params.h"

namespace loom {

struct MakeLossParam {
  float grad_scale = 1.0f;
  float valid_thresh = 0.0f;
  std::string normalization = "null";  // batch, null, valid
  static void declare(ParamDecl<MakeLossParam>& d);
};

struct CastParam {
  std::string dtype;  // a dtype name, stored as written ("float16")
  int type_flag() const;
  static void declare(ParamDecl<CastParam>& d);
};

struct SpatialTransformerParam {
  Shape target_shape = Shape({0, 0});  // (height, width) of the output
  std::string transform_type;          // affine
  std::string sampler_type;            // bilinear
  std::optional<bool> cudnn_off;
  static void declare(ParamDecl<SpatialTransformerParam>& d);
};

struct InstanceNormParam {
  float eps = 1e-3f;
  static void declare(ParamDecl<InstanceNormParam>& d);
};

struct LayerNormParam {
  int axis = -1;
  float eps = 1e-5f;
  bool output_mean_var = false;
  static void declare(ParamDecl<LayerNormParam>& d);
};

struct L2NormalizationParam {
  float eps = 1e-10f;
  std::string mode = "instance";  // channel, instance, spatial
  static void declare(ParamDecl<L2NormalizationParam>& d);
};

}  // namespace loom
