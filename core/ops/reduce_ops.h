// Parameters of the reductions (sum, mean, prod, nansum, nanprod, max, min, norm, argmax,
// argmin, argmax_channel) and the axis arithmetic their kernels share with shape inference:
// MXNet's legacy rules, where a full reduction yields shape (1,), never a 0-d array.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/base/params.h"

namespace loom {

struct ReduceAxesParam {
  std::optional<Shape> axis;
  bool keepdims = false;
  bool exclude = false;
  static void declare(ParamDecl<ReduceAxesParam>& d);
};

struct NormParam {
  int ord = 2;
  std::optional<Shape> axis;
  std::optional<std::string> out_dtype;
  bool keepdims = false;
  static void declare(ParamDecl<NormParam>& d);
};

// argmax / argmin: one axis, or the flattened input when axis is None.
struct ReduceAxisParam {
  std::optional<int> axis;
  bool keepdims = false;
  static void declare(ParamDecl<ReduceAxisParam>& d);
};

// The axes of an `ndim`-dim input that a reduction folds, normalised and ascending (all axes
// when axis is None or empty). Fails on duplicate or out-of-range axes.
std::vector<int> reduced_axes(int ndim, const std::optional<Shape>& axis, bool exclude);

// Output shape of sum & co. for an input whose ndim is known (unknown dims stay unknown).
Shape reduce_axes_shape(const Shape& in, const std::optional<Shape>& axis, bool keepdims,
                        bool exclude);

// Output shape of argmax/argmin: a 1-D input, or axis None, gives (1,) (all ones if keepdims).
Shape reduce_axis_shape(const Shape& in, std::optional<int> axis, bool keepdims);

}  // namespace loom
