// Registers FullyConnected and _backward_FullyConnected on the GPU: the products go to cuBLAS
// (forward Y = X W^T, backward dX = dY W and dW = dY^T X), the bias add and the bias gradient
// to the small kernels of fully_connected.cu. OpReq kAddTo becomes GEMM's beta = 1.
#include "core/ops/fully_connected.h"

#include <climits>
#include <utility>
#include <vector>

#include "core/op/op.h"
#include "kernels/cuda/cuda_util.h"
#include "kernels/cuda/launch.h"

namespace loom::cuda {
namespace {

cublasStatus_t gemm_col_major(cublasHandle_t h, cublasOperation_t ta, cublasOperation_t tb, int m,
                              int n, int k, const float* alpha, const float* a, int lda,
                              const float* b, int ldb, const float* beta, float* c, int ldc) {
  return cublasSgemm(h, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
cublasStatus_t gemm_col_major(cublasHandle_t h, cublasOperation_t ta, cublasOperation_t tb, int m,
                              int n, int k, const double* alpha, const double* a, int lda,
                              const double* b, int ldb, const double* beta, double* c, int ldc) {
  return cublasDgemm(h, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

// Row-major C (m x n, leading dimension n) = op(A) op(B), or C += ... when accumulating.
// cuBLAS is column-major, where our row-major C is C^T = op(B)^T op(A)^T: the same call with
// the operands and the roles of m and n swapped, and the transpose flags kept.
template <class T>
void gemm(const OpContext& octx, bool trans_a, bool trans_b, int m, int n, int k, const T* a,
          int lda, const T* b, int ldb, bool accumulate, T* c) {
  if (m == 0 || n == 0) return;
  cudaStream_t stream = stream_of(octx);
  if (k == 0) {  // an empty sum; cuBLAS rejects the zero leading dimensions this implies
    if (!accumulate)
      LOOM_CUDA_CHECK(cudaMemsetAsync(c, 0, sizeof(T) * static_cast<size_t>(m) * n, stream));
    return;
  }
  cublasHandle_t handle = cublas_handle(octx.ctx.dev_id);
  // The handle is bound to the device's stream once, for every thread; a kernel called with
  // any other stream would silently lose ordering, so refuse it.
  if (stream != device_stream(octx.ctx.dev_id))
    fail("internal: FullyConnected was called on a stream other than ", octx.ctx.str(),
         "'s stream");
  const T alpha = 1, beta = accumulate ? 1 : 0;
  LOOM_CUBLAS_CHECK(gemm_col_major(handle, trans_b ? CUBLAS_OP_T : CUBLAS_OP_N,
                                   trans_a ? CUBLAS_OP_T : CUBLAS_OP_N, n, m, k, &alpha, b, ldb, a,
                                   lda, &beta, c, n));
}

int as_int(dim_t v, const char* what, const Shape& s) {
  if (v > INT_MAX)
    fail("FullyConnected on GPU: ", what, " of ", v, " (input ", s.str(),
         ") exceeds cuBLAS's 32-bit dimension limit");
  return static_cast<int>(v);
}

// (rows, cols) of the input as the op sees it: flattened after axis 0, or all but the last axis.
std::pair<int, int> as_matrix(const Shape& s, bool flatten) {
  int nd = s.ndim();
  dim_t rows = flatten ? s[0] : s.prod(0, nd - 1);
  dim_t cols = flatten ? s.prod(1, nd) : s[nd - 1];
  return {as_int(rows, "a batch", s), as_int(cols, "an input width", s)};
}

void forward(const OpContext& octx, const Attrs& attrs, const std::vector<TBlob>& in,
             const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
  const auto& p = attrs.get<FullyConnectedParam>();
  if (req[0] == kNullOp) return;
  real_types(in[0].dtype, "FullyConnected", [&](auto t) {
    using T = decltype(t);
    auto [n, k] = as_matrix(in[0].shape, p.flatten);
    int m = p.num_hidden;
    T* y = out[0].ptr<T>();
    DeviceGuard guard(octx.ctx);
    gemm<T>(octx, false, true, n, m, k, in[0].ptr<T>(), k, in[1].ptr<T>(), k, add_to(req[0]), y);
    if (!p.no_bias)
      check_launch(launch_add_bias<T>(y, in[2].ptr<T>(), n, m, stream_of(octx)),
                   "FullyConnected bias");
  });
}

// inputs (out_grad, data, weight) -> (d data, d weight, d bias)
void backward(const OpContext& octx, const Attrs& attrs, const std::vector<TBlob>& in,
              const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
  const auto& p = attrs.get<FullyConnectedParam>();
  real_types(in[0].dtype, "_backward_FullyConnected", [&](auto t) {
    using T = decltype(t);
    auto [n, k] = as_matrix(in[1].shape, p.flatten);
    int m = p.num_hidden;
    const T* dy = in[0].ptr<T>();
    DeviceGuard guard(octx.ctx);
    if (req[0] != kNullOp)
      gemm<T>(octx, false, false, n, k, m, dy, m, in[2].ptr<T>(), k, add_to(req[0]),
              out[0].ptr<T>());
    if (req[1] != kNullOp)
      gemm<T>(octx, true, false, m, k, n, dy, m, in[1].ptr<T>(), k, add_to(req[1]),
              out[1].ptr<T>());
    if (!p.no_bias && req[2] != kNullOp)
      check_launch(launch_column_sum<T>(dy, n, m, out[2].ptr<T>(), add_to(req[2]), stream_of(octx)),
                   "_backward_FullyConnected bias gradient");
  });
}

LOOM_KERNEL(FullyConnected, kGPU, forward);
LOOM_KERNEL(_backward_FullyConnected, kGPU, backward);

}  // namespace
}  // namespace loom::cuda
