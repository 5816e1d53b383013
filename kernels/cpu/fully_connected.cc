// FullyConnected on CPU through OpenBLAS GEMM (row-major): forward Y = X W^T (+ b), backward
// dX = dY W, dW = dY^T X, db = column sums of dY. kAddTo maps to beta = 1.
#include "core/ops/fully_connected.h"
#include "kernels/cpu/blas.h"
#include "kernels/cpu/cpu_util.h"

namespace loom::cpu {
namespace {

// (rows, cols) of the input as the op sees it: flattened after axis 0, or all but the last axis.
std::pair<int, int> as_matrix(const Shape& s, bool flatten) {
  int nd = s.ndim();
  if (flatten) return {static_cast<int>(s[0]), static_cast<int>(s.prod(1, nd))};
  return {static_cast<int>(s.prod(0, nd - 1)), static_cast<int>(s[nd - 1])};
}

void forward(const OpContext&, const Attrs& attrs, const std::vector<TBlob>& in,
             const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
  const auto& p = attrs.get<FullyConnectedParam>();
  if (req[0] == kNullOp) return;
  real_types(in[0].dtype, "FullyConnected", [&](auto t) {
    using T = decltype(t);
    auto [n, k] = as_matrix(in[0].shape, p.flatten);
    int m = p.num_hidden;
    T* y = out[0].ptr<T>();
    gemm(false, true, n, m, k, in[0].ptr<T>(), k, in[1].ptr<T>(), k, req[0] == kAddTo ? 1 : 0, y, m);
    if (!p.no_bias) {
      const T* b = in[2].ptr<T>();
      for (int i = 0; i < n; ++i)
        for (int j = 0; j < m; ++j) y[static_cast<size_t>(i) * m + j] += b[j];
    }
  });
}

// inputs (out_grad, data, weight) -> (d data, d weight, d bias)
void backward(const OpContext&, const Attrs& attrs, const std::vector<TBlob>& in,
              const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
  const auto& p = attrs.get<FullyConnectedParam>();
  real_types(in[0].dtype, "_backward_FullyConnected", [&](auto t) {
    using T = decltype(t);
    auto [n, k] = as_matrix(in[1].shape, p.flatten);
    int m = p.num_hidden;
    const T* dy = in[0].ptr<T>();
    if (req[0] != kNullOp)
      gemm(false, false, n, k, m, dy, m, in[2].ptr<T>(), k, req[0] == kAddTo ? 1 : 0,
           out[0].ptr<T>(), k);
    if (req[1] != kNullOp)
      gemm(true, false, m, k, n, dy, m, in[1].ptr<T>(), k, req[1] == kAddTo ? 1 : 0,
           out[1].ptr<T>(), k);
    if (!p.no_bias && req[2] != kNullOp) {
      T* db = out[2].ptr<T>();
      if (req[2] != kAddTo)
        for (int j = 0; j < m; ++j) db[j] = 0;
      for (int i = 0; i < n; ++i)
        for (int j = 0; j < m; ++j) db[j] += dy[static_cast<size_t>(i) * m + j];
    }
  });
}

LOOM_KERNEL(FullyConnected, kCPU, forward);
LOOM_KERNEL(_backward_FullyConnected, kCPU, backward);

}  // namespace
}  // namespace loom::cpu
