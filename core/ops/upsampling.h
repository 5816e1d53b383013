// Parameters of UpSampling (shared with its kernels).
#pragma once

#include <string>

#include "core/base/params.h"

namespace loom {

struct UpSamplingParam {
  int scale = 1;
  int num_filter = 0;
  std::string sample_type;                  // bilinear, nearest
  std::string multi_input_mode = "concat";  // concat, sum
  int num_args = 0;
  int64_t workspace = 512;
  bool bilinear() const { return sample_type == "bilinear"; }
  // Side of the bilinear (deconvolution) kernel.
  int kernel_size() const { return 2 * scale - scale % 2; }
  static void declare(ParamDecl<UpSamplingParam>& d);
};

}  // namespace loom
