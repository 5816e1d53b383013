// Parameters of the indexing and ordering ops (take, pick, one_hot, sort, argsort, topk,
// gather_nd, scatter_nd), shared with their kernels.
#pragma once

#include <optional>
#include <string>

#include "core/base/params.h"

namespace loom {

struct TakeParam {
  int axis = 0;
  std::string mode = "clip";  // clip, raise, wrap
  static void declare(ParamDecl<TakeParam>& d);
};

struct PickParam {
  std::optional<int> axis = -1;
  bool keepdims = false;
  std::string mode = "clip";  // clip, wrap
  static void declare(ParamDecl<PickParam>& d);
};

struct OneHotParam {
  int depth = 0;
  double on_value = 1;
  double off_value = 0;
  std::string dtype = "float32";
  static void declare(ParamDecl<OneHotParam>& d);
};

struct SortParam {
  std::optional<int> axis = -1;
  bool is_ascend = true;
  static void declare(ParamDecl<SortParam>& d);
};

struct ArgSortParam {
  std::optional<int> axis = -1;
  bool is_ascend = true;
  std::string dtype = "float32";
  static void declare(ParamDecl<ArgSortParam>& d);
};

struct TopKParam {
  std::optional<int> axis = -1;
  int k = 1;
  std::string ret_typ = "indices";  // value, indices, mask, both
  bool is_ascend = false;
  std::string dtype = "float32";
  static void declare(ParamDecl<TopKParam>& d);
};

// How topk (and sort/argsort, which are topk over the whole axis) sees its input: the
// normalised axis (-1 when flattened), the number of elements along it and the k in effect.
struct TopKLayout {
  int axis;
  dim_t element_num;
  dim_t k;
};
TopKLayout topk_layout(const Shape& data, std::optional<int> axis, int k);

struct ScatterNDParam {
  Shape shape;
  static void declare(ParamDecl<ScatterNDParam>& d);
};

}  // namespace loom
