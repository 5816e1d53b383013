// Strided walks over N-D arrays for the tensor kernels (reductions, broadcasting, transpose,
// slicing, tiling). Most layout ops are "read the input at an affine offset of the output
// index": out[i] = in[base + sum_d idx_d * stride_d], with stride 0 on broadcast axes and
// negative strides for reversal, so one walk serves them all, and their gradients are the same
// walk accumulating in the other direction.
#pragma once

#include <vector>

#include "core/base/types.h"
#include "kernels/kernel.h"

namespace loom::cpu {

using Dims = std::vector<dim_t>;

// `s`'s dims right-aligned to `nd` dims (leading 1s added).
inline Dims pad_dims(const Shape& s, int nd) {
  Dims d(nd, 1);
  int off = nd - s.ndim();
  for (int i = 0; i < s.ndim(); ++i) d[off + i] = s[i];
  return d;
}

// Row-major strides of `dims`; 0 on size-1 dims, so that reading with them broadcasts.
inline Dims broadcast_strides(const Dims& dims) {
  Dims st(dims.size(), 0);
  dim_t s = 1;
  for (int i = static_cast<int>(dims.size()) - 1; i >= 0; --i) {
    st[i] = dims[i] == 1 ? 0 : s;
    s *= dims[i];
  }
  return st;
}

// Plain row-major strides of `dims`.
inline Dims row_strides(const Dims& dims) {
  Dims st(dims.size(), 0);
  dim_t s = 1;
  for (int i = static_cast<int>(dims.size()) - 1; i >= 0; --i) {
    st[i] = s;
    s *= dims[i];
  }
  return st;
}

inline dim_t dims_size(const Dims& d) {
  dim_t n = 1;
  for (dim_t x : d) n *= x;
  return n;
}

// Calls f(i, a, b) for every element i (row-major) of an array of `dims`, where a and b are the
// offsets base_a + idx.sa and base_b + idx.sb of two strided operands.
template <class F>
void walk(const Dims& dims, const Dims& sa, dim_t base_a, const Dims& sb, dim_t base_b, F&& f) {
  int nd = static_cast<int>(dims.size());
  dim_t total = dims_size(dims);
  if (total == 0) return;
  if (nd == 0) {
    f(dim_t(0), base_a, base_b);
    return;
  }
  Dims idx(nd, 0);
  dim_t inner = dims[nd - 1], ia = sa[nd - 1], ib = sb[nd - 1];
  dim_t oa = base_a, ob = base_b;
  for (dim_t i = 0; i < total; i += inner) {
    for (dim_t k = 0; k < inner; ++k) f(i + k, oa + k * ia, ob + k * ib);
    for (int d = nd - 2; d >= 0; --d) {
      if (++idx[d] < dims[d]) {
        oa += sa[d];
        ob += sb[d];
        break;
      }
      oa -= (dims[d] - 1) * sa[d];
      ob -= (dims[d] - 1) * sb[d];
      idx[d] = 0;
    }
  }
}

// One strided operand: f(i, a).
template <class F>
void walk(const Dims& dims, const Dims& sa, dim_t base_a, F&& f) {
  Dims zero(dims.size(), 0);
  walk(dims, sa, base_a, zero, 0, [&](dim_t i, dim_t a, dim_t) { f(i, a); });
}

// How a layout op reads its input: out (of `dims`) at i = in[base + idx . strides].
struct Gather {
  Dims dims, strides;
  dim_t base = 0;
};

// out = gathered input under req.
template <class T>
void gather(const Gather& g, const T* in, T* out, OpReq req) {
  if (req == kNullOp) return;
  if (req == kAddTo)
    walk(g.dims, g.strides, g.base, [&](dim_t i, dim_t a) { out[i] += in[a]; });
  else
    walk(g.dims, g.strides, g.base, [&](dim_t i, dim_t a) { out[i] = in[a]; });
}

// The gradient of a gather: grad_in (n elements) gets every head element summed at the
// position it was read from.
template <class T>
void scatter_add(const Gather& g, const T* head, T* grad_in, dim_t n, OpReq req) {
  if (req == kNullOp) return;
  if (req != kAddTo)
    for (dim_t j = 0; j < n; ++j) grad_in[j] = T(0);
  walk(g.dims, g.strides, g.base, [&](dim_t i, dim_t a) { grad_in[a] += head[i]; });
}

}  // namespace loom::cpu
