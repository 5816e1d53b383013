// CPU kernels of the indexing ops: pick and take (with _backward_pick / _backward_take, which
// sum the head gradient into the picked positions), one_hot and where. Indices may come in any
// numeric dtype (MXNet front ends pass float indices) and are truncated toward zero.
#include <cmath>
#include <cstdint>

#include "core/ops/indexing_ops.h"
#include "kernels/cpu/numeric.h"

namespace loom::cpu {
namespace {

// An index into an axis of length len: clipped into range, or wrapped around it.
dim_t fix_index(double v, dim_t len, bool wrap) {
  dim_t i = static_cast<dim_t>(v);
  if (wrap) return ((i % len) + len) % len;
  return i < 0 ? 0 : (i >= len ? len - 1 : i);
}

// data viewed as (outer, len, inner) around the pick axis.
struct AxisView {
  dim_t outer, len, inner;
};

AxisView axis_view(const Shape& s, int axis) {
  int a = axis < 0 ? axis + s.ndim() : axis;
  return {s.prod(0, a), s[a], s.prod(a + 1, s.ndim())};
}

void pick(const OpContext&, const Attrs& attrs, const std::vector<TBlob>& in,
          const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
  if (req[0] == kNullOp) return;
  const auto& p = attrs.get<PickParam>();
  AxisView v = axis_view(in[0].shape, *p.axis);
  if (v.len == 0) fail("pick: cannot pick from an empty axis of input ", in[0].shape.str());
  bool wrap = p.mode == "wrap";
  real_types(in[0].dtype, "pick", [&](auto t) {
    using T = decltype(t);
    const T* x = in[0].ptr<T>();
    map_out<T>(out[0], req[0], [&](dim_t j) {
      dim_t k = fix_index(read_number(in[1], j, "pick"), v.len, wrap);
      return x[(j / v.inner) * v.len * v.inner + k * v.inner + j % v.inner];
    });
  });
}

// inputs (out_grad, data, index) -> gradient of data
void pick_backward(const OpContext&, const Attrs& attrs, const std::vector<TBlob>& in,
                   const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
  if (req[0] == kNullOp) return;
  const auto& p = attrs.get<PickParam>();
  AxisView v = axis_view(in[1].shape, *p.axis);
  bool wrap = p.mode == "wrap";
  real_types(in[0].dtype, "_backward_pick", [&](auto t) {
    using T = decltype(t);
    const T* g = in[0].ptr<T>();
    T* d = out[0].ptr<T>();
    if (req[0] != kAddTo)
      for (dim_t i = 0; i < out[0].size(); ++i) d[i] = T(0);
    dim_t n = in[0].size();
    for (dim_t j = 0; j < n; ++j) {
      dim_t k = fix_index(read_number(in[2], j, "_backward_pick"), v.len, wrap);
      d[(j / v.inner) * v.len * v.inner + k * v.inner + j % v.inner] += g[j];
    }
  });
}

// take: out = a.shape[:axis] + indices.shape + a.shape[axis+1:].
struct TakeView {
  dim_t outer, len, inner, nidx;
  bool wrap;
};

TakeView take_view(const Attrs& attrs, const Shape& a, dim_t nidx) {
  const auto& p = attrs.get<TakeParam>();
  AxisView v = axis_view(a, p.axis);
  if (v.len == 0) fail("take: cannot take from an empty axis of input ", a.str());
  return {v.outer, v.len, v.inner, nidx, p.mode == "wrap"};
}

// Calls f(out_index, a_index) for every output element.
template <class F>
void take_walk(const TakeView& v, const TBlob& idx, F&& f) {
  dim_t j = 0;
  for (dim_t o = 0; o < v.outer; ++o)
    for (dim_t q = 0; q < v.nidx; ++q) {
      dim_t k = fix_index(read_number(idx, q, "take"), v.len, v.wrap);
      dim_t base = (o * v.len + k) * v.inner;
      for (dim_t i = 0; i < v.inner; ++i) f(j++, base + i);
    }
}

void take(const OpContext&, const Attrs& attrs, const std::vector<TBlob>& in,
          const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
  if (req[0] == kNullOp) return;
  if (attrs.get<TakeParam>().mode == "raise")
    fail("take: mode='raise' is not supported on CPU (use 'clip' or 'wrap')");
  TakeView v = take_view(attrs, in[0].shape, in[1].size());
  real_types(in[0].dtype, "take", [&](auto t) {
    using T = decltype(t);
    const T* a = in[0].ptr<T>();
    T* o = out[0].ptr<T>();
    if (req[0] == kAddTo)
      take_walk(v, in[1], [&](dim_t j, dim_t i) { o[j] += a[i]; });
    else
      take_walk(v, in[1], [&](dim_t j, dim_t i) { o[j] = a[i]; });
  });
}

// inputs (out_grad, a, indices) -> gradient of a
void take_backward(const OpContext&, const Attrs& attrs, const std::vector<TBlob>& in,
                   const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
  if (req[0] == kNullOp) return;
  TakeView v = take_view(attrs, in[1].shape, in[2].size());
  real_types(in[0].dtype, "_backward_take", [&](auto t) {
    using T = decltype(t);
    const T* g = in[0].ptr<T>();
    T* d = out[0].ptr<T>();
    if (req[0] != kAddTo)
      for (dim_t i = 0; i < out[0].size(); ++i) d[i] = T(0);
    take_walk(v, in[2], [&](dim_t j, dim_t i) { d[i] += g[j]; });
  });
}

void one_hot(const OpContext&, const Attrs& attrs, const std::vector<TBlob>& in,
             const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
  if (req[0] == kNullOp) return;
  const auto& p = attrs.get<OneHotParam>();
  dim_t depth = p.depth;
  real_types(out[0].dtype, "one_hot", [&](auto t) {
    using T = decltype(t);
    map_out<T>(out[0], req[0], [&](dim_t j) {
      dim_t k = static_cast<dim_t>(read_number(in[0], j / depth, "one_hot"));
      return static_cast<T>(k == j % depth ? p.on_value : p.off_value);
    });
  });
}

// condition of x's shape, or 1-D with one entry per row of x
void where(const OpContext&, const Attrs&, const std::vector<TBlob>& in,
           const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
  if (req[0] == kNullOp) return;
  dim_t n = in[1].size(), nc = in[0].size();
  dim_t row = nc == n || nc == 0 ? 1 : n / nc;
  real_types(in[1].dtype, "where", [&](auto t) {
    using T = decltype(t);
    const T* x = in[1].ptr<T>();
    const T* y = in[2].ptr<T>();
    map_out<T>(out[0], req[0],
               [&](dim_t i) { return read_number(in[0], i / row, "where") != 0 ? x[i] : y[i]; });
  });
}

LOOM_KERNEL(pick, kCPU, pick);
LOOM_KERNEL(_backward_pick, kCPU, pick_backward);
LOOM_KERNEL(take, kCPU, take);
LOOM_KERNEL(_backward_take, kCPU, take_backward);
LOOM_KERNEL(one_hot, kCPU, one_hot);
LOOM_KERNEL(where, kCPU, where);

}  // namespace
}  // namespace loom::cpu
