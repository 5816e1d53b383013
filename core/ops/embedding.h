// Parameters of Embedding (shared with its kernels).
#pragma once

#include <string>

#include "core/base/params.h"

namespace loom {

struct EmbeddingParam {
  int input_dim = 0;              // vocabulary size
  int output_dim = 0;             // embedding width
  std::string dtype = "float32";  // the weight's dtype unless the weight says otherwise
  bool sparse_grad = false;
  static void declare(ParamDecl<EmbeddingParam>& d);
};

}  // namespace loom
