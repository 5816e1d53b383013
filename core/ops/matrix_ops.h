// Parameters of the shape-manipulating tensor ops (Flatten, Reshape, transpose, slice, tile,
// pad, broadcast_*, ...) and the index arithmetic their kernels share with shape inference, so
// that a kernel walks exactly the ranges the inferred shape promised.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/base/params.h"

namespace loom {

// A tuple whose entries may be None, as slice's begin=(None, 1) (MXNet's
// Tuple<optional<int>>). Shape cannot hold it: there None already means an unknown dim.
struct OptionalIntTuple {
  std::vector<std::optional<int64_t>> items;
  size_t size() const { return items.size(); }
  bool operator==(const OptionalIntTuple& o) const { return items == o.items; }
};

template <>
struct ParamTraits<OptionalIntTuple> {
  static const char* name() { return "Shape(tuple)"; }
  static OptionalIntTuple parse(const std::string& s);
  static std::string show(const OptionalIntTuple& v);  // "[None,1]"
};

struct ReshapeParam {
  Shape shape = Shape(std::vector<dim_t>{});
  bool reverse = false;
  Shape target_shape = Shape(std::vector<dim_t>{});
  bool keep_highest = false;
  static void declare(ParamDecl<ReshapeParam>& d);
};

// Reshape's output for a data shape with known ndim, applying the special codes 0, -1, -2, -3
// and -4 (and `reverse`). Dims that depend on unknown input dims come out unknown (-1).
Shape reshape_output_shape(const ReshapeParam& p, const Shape& data);

struct ReshapeLikeParam {
  std::optional<int> lhs_begin, lhs_end, rhs_begin, rhs_end;
  static void declare(ParamDecl<ReshapeLikeParam>& d);
};

struct TransposeParam {
  Shape axes = Shape(std::vector<dim_t>{});
  static void declare(ParamDecl<TransposeParam>& d);
};

// The permutation transpose applies to an input of `ndim` dims (reversed when axes is empty).
std::vector<int> transpose_axes(const TransposeParam& p, int ndim);

struct ExpandDimsParam {
  int axis = 0;
  static void declare(ParamDecl<ExpandDimsParam>& d);
};

struct SqueezeParam {
  std::optional<Shape> axis;
  static void declare(ParamDecl<SqueezeParam>& d);
};

struct SwapAxisParam {
  int dim1 = 0;
  int dim2 = 0;
  static void declare(ParamDecl<SwapAxisParam>& d);
};

struct SliceParam {
  OptionalIntTuple begin, end, step;
  static void declare(ParamDecl<SliceParam>& d);
};

// Per-axis begin/end/step of a slice of `data` (fully resolved, MXNet's clipping rules); axes
// past the tuples' length are taken whole. begin is -1 where the slice is empty.
struct SliceRanges {
  std::vector<dim_t> begin, end, step;
};
SliceRanges slice_ranges(const SliceParam& p, const Shape& data);

struct SliceAxisParam {
  int axis = 0;
  int begin = 0;
  std::optional<int> end;
  static void declare(ParamDecl<SliceAxisParam>& d);
};

// slice_axis' normalised axis and [begin, end) along it; needs the axis' length known.
struct SliceAxisRange {
  int axis;
  dim_t begin, end;
};
SliceAxisRange slice_axis_range(const SliceAxisParam& p, const Shape& data);

struct SliceLikeParam {
  Shape axes = Shape(std::vector<dim_t>{});
  static void declare(ParamDecl<SliceLikeParam>& d);
};

struct ReverseParam {
  Shape axis;
  static void declare(ParamDecl<ReverseParam>& d);
};

struct RepeatParam {
  int repeats = 0;
  std::optional<int> axis;
  static void declare(ParamDecl<RepeatParam>& d);
};

struct TileParam {
  Shape reps;
  static void declare(ParamDecl<TileParam>& d);
};

struct PadParam {
  std::string mode;
  Shape pad_width;
  double constant_value = 0;
  static void declare(ParamDecl<PadParam>& d);
};

struct BroadcastToParam {
  Shape shape = Shape(std::vector<dim_t>{});
  static void declare(ParamDecl<BroadcastToParam>& d);
};

struct BroadcastLikeParam {
  std::optional<Shape> lhs_axes, rhs_axes;
  static void declare(ParamDecl<BroadcastLikeParam>& d);
};

struct BroadcastAxesParam {
  Shape axis = Shape(std::vector<dim_t>{});
  Shape size = Shape(std::vector<dim_t>{});
  static void declare(ParamDecl<BroadcastAxesParam>& d);
};

struct DepthToSpaceParam {
  int block_size = 0;
  static void declare(ParamDecl<DepthToSpaceParam>& d);
};

struct DiagParam {
  int k = 0;
  int axis1 = 0;
  int axis2 = 1;
  static void declare(ParamDecl<DiagParam>& d);
};

}  // namespace loom
