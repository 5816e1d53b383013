// Helpers shared by the operator families in core/ops: shape rules that many ops use.
#pragma once

#include <string>
#include <vector>

#include "core/base/error.h"
#include "core/graph/graph.h"
#include "core/op/op.h"

namespace loom {

// All inputs and outputs share one shape, learned from whichever is known (both directions).
void infer_same_shape(const Attrs&, ShapeVec* in, ShapeVec* out);

}  // namespace loom
