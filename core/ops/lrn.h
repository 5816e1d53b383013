// Parameters of LRN, local response normalization across channels (shared with its kernels).
#pragma once

#include "core/base/params.h"

namespace loom {

struct LRNParam {
  float alpha = 1e-4f;
  float beta = 0.75f;
  float knorm = 2.0f;
  int nsize = 0;  // channels in the window
  static void declare(ParamDecl<LRNParam>& d);
};

}  // namespace loom
