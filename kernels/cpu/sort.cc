// CPU kernels of sort, argsort and topk (forward). Each row along the axis (or the flattened
// input when axis is None) is ordered with a stable sort, so ties keep their input order; the
// first k positions give values, indices (written in the requested dtype) or a 0/1 mask.
#include <algorithm>
#include <cstdint>
#include <numeric>

#include "core/ops/indexing_ops.h"
#include "kernels/cpu/numeric.h"
#include "kernels/cpu/scratch.h"

namespace loom::cpu {
namespace {

enum class Emit { kValue, kIndex, kMask };

// Orders every row of `data` along `axis` and emits the first k entries as requested into
// outs (paired with reqs). The output row for value/index has length k along the axis.
void order(const TBlob& data, std::optional<int> axis, int k_param, bool ascend,
           const std::vector<std::pair<Emit, int>>& emits, const std::vector<OpReq>& req,
           const std::vector<TBlob>& out, const char* name) {
  TopKLayout l = topk_layout(data.shape, axis, k_param);
  const Shape& s = data.shape;
  dim_t outer = 1, inner = 1, n = l.element_num, k = l.k;
  if (l.axis >= 0) {
    outer = s.prod(0, l.axis);
    inner = s.prod(l.axis + 1, s.ndim());
  }
  real_types(data.dtype, name, [&](auto t) {
    using T = decltype(t);
    const T* x = data.ptr<T>();
    dim_t* idx = scratch<dim_t>(static_cast<size_t>(n), 0);
    for (auto [what, o] : emits)
      if (what == Emit::kMask && req[o] != kAddTo)
        for (dim_t i = 0; i < out[o].size(); ++i) out[o].template ptr<T>()[i] = T(0);
    for (dim_t a = 0; a < outer; ++a)
      for (dim_t b = 0; b < inner; ++b) {
        const T* row = x + a * n * inner + b;
        std::iota(idx, idx + n, dim_t(0));
        std::stable_sort(idx, idx + n, [&](dim_t p, dim_t q) {
          return ascend ? row[p * inner] < row[q * inner] : row[p * inner] > row[q * inner];
        });
        for (auto [what, o] : emits) {
          if (req[o] == kNullOp) continue;
          for (dim_t j = 0; j < k; ++j) {
            dim_t at = a * k * inner + j * inner + b;
            if (what == Emit::kValue)
              assign(out[o].template ptr<T>() + at, req[o], row[idx[j] * inner]);
            else if (what == Emit::kIndex)
              write_number(out[o], at, static_cast<double>(idx[j]), req[o], name);
            else
              out[o].template ptr<T>()[a * n * inner + idx[j] * inner + b] += T(1);
          }
        }
      }
  });
}

void sort(const OpContext&, const Attrs& a, const std::vector<TBlob>& in,
          const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
  const auto& p = a.get<SortParam>();
  order(in[0], p.axis, 0, p.is_ascend, {{Emit::kValue, 0}, {Emit::kIndex, 1}}, req, out, "sort");
}

void argsort(const OpContext&, const Attrs& a, const std::vector<TBlob>& in,
             const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
  const auto& p = a.get<ArgSortParam>();
  order(in[0], p.axis, 0, p.is_ascend, {{Emit::kIndex, 0}}, req, out, "argsort");
}

void topk(const OpContext&, const Attrs& a, const std::vector<TBlob>& in,
          const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
  const auto& p = a.get<TopKParam>();
  std::vector<std::pair<Emit, int>> emits;
  if (p.ret_typ == "indices")
    emits = {{Emit::kIndex, 0}};
  else if (p.ret_typ == "mask")
    emits = {{Emit::kMask, 0}};
  else
    emits = {{Emit::kValue, 0}, {Emit::kIndex, 1}};
  order(in[0], p.axis, p.k, p.is_ascend, emits, req, out, "topk");
}

// inputs (out_grad, data, indices) -> gradient of data: out_grad scattered along the axis.
void topk_backward(const OpContext&, const Attrs& a, const std::vector<TBlob>& in,
                   const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
  if (req[0] == kNullOp) return;
  const Shape& s = in[1].shape;
  TopKLayout l = topk_layout(s, a.get<TopKParam>().axis, 0);
  dim_t outer = 1, inner = 1, n = l.element_num;
  dim_t k = l.axis >= 0 ? in[2].shape[l.axis] : in[2].size();
  if (l.axis >= 0) {
    outer = s.prod(0, l.axis);
    inner = s.prod(l.axis + 1, s.ndim());
  }
  real_types(in[0].dtype, "_backward_topk", [&](auto t) {
    using T = decltype(t);
    const T* g = in[0].ptr<T>();
    T* d = out[0].ptr<T>();
    if (req[0] != kAddTo)
      for (dim_t i = 0; i < out[0].size(); ++i) d[i] = T(0);
    for (dim_t o = 0; o < outer; ++o)
      for (dim_t j = 0; j < k; ++j)
        for (dim_t b = 0; b < inner; ++b) {
          dim_t at = (o * k + j) * inner + b;
          dim_t pos = static_cast<dim_t>(read_number(in[2], at, "_backward_topk"));
          d[(o * n + pos) * inner + b] += g[at];
        }
  });
}

LOOM_KERNEL(sort, kCPU, sort);
LOOM_KERNEL(_backward_topk, kCPU, topk_backward);
LOOM_KERNEL(argsort, kCPU, argsort);
LOOM_KERNEL(topk, kCPU, topk);

}  // namespace
}  // namespace loom::cpu
