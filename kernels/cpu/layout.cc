// CPU kernels of the ops whose output reads the input at an affine function of the output
// index (transpose, SwapAxis, slice, slice_axis, slice_like, reverse, tile, repeat), and of
// their _backward_<op> nodes (inputs out_grad, data), which sum the head gradient back into
// the positions each output element was read from. One description (kernels/cpu/strided.h
// Gather) per op serves both directions, so they cannot disagree.
#include "core/ops/matrix_ops.h"
#include "kernels/cpu/numeric.h"
#include "kernels/cpu/strided.h"

namespace loom::cpu {
namespace {

using LayoutFn = Gather (*)(const Attrs&, const Shape& in, const Shape& out);

int norm_axis(int axis, int nd) { return axis < 0 ? axis + nd : axis; }

Gather transpose_layout(const Attrs& a, const Shape& in, const Shape& out) {
  auto axes = transpose_axes(a.get<TransposeParam>(), in.ndim());
  Dims st = row_strides(in.dims());
  Gather g{out.dims(), Dims(axes.size()), 0};
  for (size_t k = 0; k < axes.size(); ++k) g.strides[k] = st[axes[k]];
  return g;
}

Gather swapaxis_layout(const Attrs& a, const Shape& in, const Shape& out) {
  const auto& p = a.get<SwapAxisParam>();
  Dims st = row_strides(in.dims());
  std::swap(st[norm_axis(p.dim1, in.ndim())], st[norm_axis(p.dim2, in.ndim())]);
  return {out.dims(), st, 0};
}

Gather slice_layout(const Attrs& a, const Shape& in, const Shape& out) {
  SliceRanges r = slice_ranges(a.get<SliceParam>(), in);
  Dims st = row_strides(in.dims());
  Gather g{out.dims(), Dims(in.ndim()), 0};
  if (out.size() == 0) return g;
  for (int k = 0; k < in.ndim(); ++k) {
    g.strides[k] = st[k] * r.step[k];
    g.base += r.begin[k] * st[k];
  }
  return g;
}

Gather slice_axis_layout(const Attrs& a, const Shape& in, const Shape& out) {
  SliceAxisRange r = slice_axis_range(a.get<SliceAxisParam>(), in);
  Dims st = row_strides(in.dims());
  return {out.dims(), st, r.begin * st[r.axis]};
}

// slice_like keeps the start of every axis: only the extent changes.
Gather prefix_layout(const Attrs&, const Shape& in, const Shape& out) {
  return {out.dims(), row_strides(in.dims()), 0};
}

Gather reverse_layout(const Attrs& a, const Shape& in, const Shape& out) {
  const Shape& axes = a.get<ReverseParam>().axis;
  Gather g{out.dims(), row_strides(in.dims()), 0};
  std::vector<bool> flip(in.ndim(), false);
  for (int i = 0; i < axes.ndim(); ++i) flip[axes[i]] = !flip[axes[i]];  // twice = not at all
  for (int k = 0; k < in.ndim(); ++k) {
    if (!flip[k] || in[k] == 0) continue;
    g.base += (in[k] - 1) * g.strides[k];
    g.strides[k] = -g.strides[k];
  }
  return g;
}

// The output viewed as (r0, d0, r1, d1, ...): reps read the input again (stride 0).
Gather tile_layout(const Attrs& a, const Shape& in, const Shape& out) {
  const Shape& reps = a.get<TileParam>().reps;
  int nd = out.ndim();
  Dims d = pad_dims(in, nd);
  Dims st = row_strides(d);
  Gather g;
  for (int i = 0; i < nd; ++i) {
    int ri = reps.ndim() - nd + i;
    g.dims.push_back(ri >= 0 ? reps[ri] : 1);
    g.strides.push_back(0);
    g.dims.push_back(d[i]);
    g.strides.push_back(st[i]);
  }
  return g;
}

// The output viewed with an extra axis of size `repeats` after the repeated one (stride 0).
Gather repeat_layout(const Attrs& a, const Shape& in, const Shape&) {
  const auto& p = a.get<RepeatParam>();
  if (p.repeats == 0) return {Dims{0}, Dims{0}, 0};
  Gather g;
  if (!p.axis) return {Dims{in.size(), p.repeats}, Dims{1, 0}, 0};
  int axis = norm_axis(*p.axis, in.ndim());
  Dims st = row_strides(in.dims());
  for (int k = 0; k < in.ndim(); ++k) {
    g.dims.push_back(in[k]);
    g.strides.push_back(st[k]);
    if (k == axis) {
      g.dims.push_back(p.repeats);
      g.strides.push_back(0);
    }
  }
  return g;
}

// Any numeric dtype: a layout op only moves elements.
template <LayoutFn layout>
void forward(const char* op, const Attrs& attrs, const std::vector<TBlob>& in,
             const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
  if (req[0] == kNullOp) return;
  Gather g = layout(attrs, in[0].shape, out[0].shape);
  number_types(in[0].dtype, op, [&](auto t) {
    using T = decltype(t);
    gather(g, in[0].ptr<T>(), out[0].ptr<T>(), req[0]);
  });
}

// inputs (out_grad, data) -> gradient of data
template <LayoutFn layout>
void backward(const OpContext&, const Attrs& attrs, const std::vector<TBlob>& in,
              const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
  if (req[0] == kNullOp) return;
  Gather g = layout(attrs, in[1].shape, in[0].shape);
  real_types(in[0].dtype, "layout op gradient", [&](auto t) {
    using T = decltype(t);
    scatter_add(g, in[0].ptr<T>(), out[0].ptr<T>(), out[0].size(), req[0]);
  });
}

template <LayoutFn layout>
void reg(const char* op, bool with_backward) {
  register_kernel(op, kCPU,
                  [op](const OpContext&, const Attrs& attrs, const std::vector<TBlob>& in,
                       const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
                    forward<layout>(op, attrs, in, req, out);
                  });
  if (with_backward) register_kernel(std::string("_backward_") + op, kCPU, backward<layout>);
}

struct Registrations {
  Registrations() {
    reg<transpose_layout>("transpose", false);
    reg<swapaxis_layout>("SwapAxis", false);
    reg<slice_layout>("slice", true);
    reg<slice_axis_layout>("slice_axis", true);
    reg<prefix_layout>("slice_like", true);
    reg<reverse_layout>("reverse", false);
    reg<tile_layout>("tile", true);
    reg<repeat_layout>("repeat", true);
  }
} registrations;

}  // namespace
}  // namespace loom::cpu
