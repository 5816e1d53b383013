// Parameters of dot and batch_dot (shared with the GEMM kernels).
#pragma once

#include <optional>
#include <string>

#include "core/base/params.h"

namespace loom {

struct DotParam {
  bool transpose_a = false;
  bool transpose_b = false;
  std::optional<std::string> forward_stype;  // a storage-type hint; Loom has dense storage only
  static void declare(ParamDecl<DotParam>& d);
};

}  // namespace loom
