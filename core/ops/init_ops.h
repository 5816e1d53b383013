// Parameters of the ops without inputs that create arrays (_zeros, _ones, _full, _arange,
// _eye, _linspace) and of _histogram, with the size rules their kernels share with shape
// inference.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/base/params.h"

namespace loom {

// _zeros / _ones. In legacy (non-numpy) shape semantics a 0 in `shape`, or an empty shape,
// means "unknown": a consumer fills it in (RNN begin states `_zeros(shape=(0, H))`).
struct InitOpParam {
  Shape shape = Shape(std::vector<dim_t>{});
  std::string ctx;
  std::string dtype = "float32";
  static void declare(ParamDecl<InitOpParam>& d);
};

struct FullParam {
  Shape shape;  // None by default
  std::string ctx;
  std::string dtype = "float32";
  double value = 0;
  static void declare(ParamDecl<FullParam>& d);
};

// The output shape an init op's `shape` parameter promises, unknown dims as -1.
Shape init_op_shape(const Shape& param_shape);

struct RangeParam {
  double start = 0;
  std::optional<double> stop;
  double step = 1;
  int repeat = 1;
  bool infer_range = false;
  std::string ctx;
  std::string dtype = "float32";
  static void declare(ParamDecl<RangeParam>& d);
};

// _arange's effective [start, stop): without stop (and infer_range off) the range is
// [0, start), as in Python's range(n). Fails on step 0, repeat < 1 or an empty range.
std::pair<double, double> arange_bounds(const RangeParam& p);
// Number of elements _arange produces (repeat included); -1 while infer_range leaves it open.
dim_t arange_length(const RangeParam& p);

struct EyeParam {
  int64_t N = 0;
  int64_t M = 0;
  int64_t k = 0;
  std::string ctx;
  std::string dtype = "float32";
  static void declare(ParamDecl<EyeParam>& d);
};

struct LinspaceParam {
  double start = 0;
  double stop = 0;
  int num = 0;
  bool endpoint = true;
  std::string ctx;
  std::string dtype = "float32";
  static void declare(ParamDecl<LinspaceParam>& d);
};

// _random_uniform (uniform, random_uniform) and _random_normal (normal, random_normal): draws
// of the given shape; dtype None means float32 unless a consumer says otherwise.
struct RandomUniformParam {
  double low = 0;
  double high = 1;
  Shape shape;
  std::string ctx;
  std::optional<std::string> dtype;
  static void declare(ParamDecl<RandomUniformParam>& d);
};

struct RandomNormalParam {
  double loc = 0;
  double scale = 1;
  Shape shape;
  std::string ctx;
  std::optional<std::string> dtype;
  static void declare(ParamDecl<RandomNormalParam>& d);
};

// _histogram's `range`: None, or a tuple of floats such as (0, 1).
struct HistogramRange {
  std::optional<std::vector<double>> bounds;
  bool operator==(const HistogramRange& o) const { return bounds == o.bounds; }
};

template <>
struct ParamTraits<HistogramRange> {
  static const char* name() { return ""; }  // MXNet's type string for it is empty too
  static HistogramRange parse(const std::string& s);
  static std::string show(const HistogramRange& v);
};

struct HistogramParam {
  std::optional<int> bin_cnt;
  HistogramRange range;
  static void declare(ParamDecl<HistogramParam>& d);
};

}  // namespace loom
