// Type rule shared by the scalar ops (x op scalar) of the binary and comparison families.
#pragma once

#include "core/op/op.h"

namespace loom {

// MXNet 1.9.1's scalar-op dtype rule (ScalarParam): an integer input with a non-integer scalar
// (is_int=False) gives float64; a bool input gives int64, or float64 when is_int=False; any
// other input dtype is kept, and a known output dtype is passed back to the input.
void infer_scalar_type(const Attrs& attrs, TypeVec* in, TypeVec* out);

}  // namespace loom
