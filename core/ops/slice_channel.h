// Parameters of SliceChannel (split) and _split_v2 (shared with their kernels).
#pragma once

#include <vector>

#include "core/base/params.h"

namespace loom {

struct SliceChannelParam {
  int num_outputs = 0;
  int axis = 1;
  bool squeeze_axis = false;
  static void declare(ParamDecl<SliceChannelParam>& d);
};

struct SplitV2Param {
  Shape indices;  // start of each piece (the first is usually 0); unused when sections > 0
  int axis = 1;
  bool squeeze_axis = false;
  int sections = 0;  // > 0: that many nearly equal pieces (numpy.array_split)
  int num_outputs() const { return sections > 0 ? sections : indices.ndim(); }
  // Start offsets of the pieces along an axis of extent `extent` (known).
  std::vector<dim_t> starts(dim_t extent) const;
  static void declare(ParamDecl<SplitV2Param>& d);
  void validate();
};

}  // namespace loom
