// Parameters of Concat (shared with its kernels).
#pragma once

#include "core/base/params.h"

namespace loom {

struct ConcatParam {
  int num_args = 0;
  int dim = 1;  // negative counts from the end
  static void declare(ParamDecl<ConcatParam>& d);
};

}  // namespace loom
