// dot, _backward_dot and batch_dot on CPU through the shared OpenBLAS GEMM. An N-D operand is
// the 2-D matrix MXNet sees: lhs (prod(shape[:-1]), shape[-1]), or (shape[0], prod(shape[1:]))
// when transposed; rhs (shape[0], prod(shape[1:])), or (prod(shape[:-1]), shape[-1]) when
// transposed; a 1-D lhs is a row and a 1-D rhs a column. kAddTo maps to beta = 1.
#include "core/ops/dot.h"

#include "kernels/cpu/blas.h"
#include "kernels/cpu/cpu_util.h"

namespace loom::cpu {
namespace {

struct Mat {
  int rows, cols;
};

Mat lhs_matrix(const Shape& s, bool trans) {
  int nd = s.ndim();
  if (nd == 1) return {1, static_cast<int>(s[0])};
  if (trans) return {static_cast<int>(s[0]), static_cast<int>(s.prod(1, nd))};
  return {static_cast<int>(s.prod(0, nd - 1)), static_cast<int>(s[nd - 1])};
}

Mat rhs_matrix(const Shape& s, bool trans) {
  int nd = s.ndim();
  if (nd == 1) return {static_cast<int>(s[0]), 1};
  if (trans) return {static_cast<int>(s.prod(0, nd - 1)), static_cast<int>(s[nd - 1])};
  return {static_cast<int>(s[0]), static_cast<int>(s.prod(1, nd))};
}

// C (m x n) = op(A) op(B) for one matrix pair; A is (a.rows, a.cols) stored, same for B.
template <class T>
void product(bool ta, bool tb, Mat a, Mat b, const T* A, const T* B, T* C, OpReq req) {
  int m = ta ? a.cols : a.rows, k = ta ? a.rows : a.cols, n = tb ? b.rows : b.cols;
  gemm(ta, tb, m, n, k, A, a.cols, B, b.cols, req == kAddTo ? T(1) : T(0), C, n);
}

// dA and dB of C = op(A) op(B) given G = dC.
template <class T>
void product_grad(bool ta, bool tb, Mat a, Mat b, const T* A, const T* B, const T* G, T* dA,
                  OpReq ra, T* dB, OpReq rb) {
  int m = ta ? a.cols : a.rows, k = ta ? a.rows : a.cols, n = tb ? b.rows : b.cols;
  if (ra != kNullOp) {
    T beta = ra == kAddTo ? T(1) : T(0);
    if (!ta)  // dA = G op(B)^T
      gemm(false, !tb, m, k, n, G, n, B, b.cols, beta, dA, k);
    else  // dA = op(B) G^T
      gemm(tb, true, k, m, n, B, b.cols, G, n, beta, dA, m);
  }
  if (rb != kNullOp) {
    T beta = rb == kAddTo ? T(1) : T(0);
    if (!tb)  // dB = op(A)^T G
      gemm(!ta, false, k, n, m, A, a.cols, G, n, beta, dB, n);
    else  // dB = G^T op(A)
      gemm(true, ta, n, k, m, G, n, A, a.cols, beta, dB, k);
  }
}

void dot(const OpContext&, const Attrs& attrs, const std::vector<TBlob>& in,
         const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
  if (req[0] == kNullOp) return;
  const auto& p = attrs.get<DotParam>();
  real_types(in[0].dtype, "dot", [&](auto t) {
    using T = decltype(t);
    product(p.transpose_a, p.transpose_b, lhs_matrix(in[0].shape, p.transpose_a),
            rhs_matrix(in[1].shape, p.transpose_b), in[0].ptr<T>(), in[1].ptr<T>(), out[0].ptr<T>(),
            req[0]);
  });
}

// inputs (out_grad, lhs, rhs) -> (d lhs, d rhs)
void dot_backward(const OpContext&, const Attrs& attrs, const std::vector<TBlob>& in,
                  const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
  const auto& p = attrs.get<DotParam>();
  real_types(in[0].dtype, "_backward_dot", [&](auto t) {
    using T = decltype(t);
    product_grad(p.transpose_a, p.transpose_b, lhs_matrix(in[1].shape, p.transpose_a),
                 rhs_matrix(in[2].shape, p.transpose_b), in[1].ptr<T>(), in[2].ptr<T>(),
                 in[0].ptr<T>(), out[0].ptr<T>(), req[0], out[1].ptr<T>(), req[1]);
  });
}

// Leading dims are the batch; the last two form each matrix (transposes are of those).
void batch_dot(const OpContext&, const Attrs& attrs, const std::vector<TBlob>& in,
               const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
  if (req[0] == kNullOp) return;
  const auto& p = attrs.get<DotParam>();
  const Shape& l = in[0].shape;
  const Shape& r = in[1].shape;
  int nd = l.ndim();
  dim_t batch = l.prod(0, nd - 2);
  Mat a{static_cast<int>(l[nd - 2]), static_cast<int>(l[nd - 1])};
  Mat b{static_cast<int>(r[nd - 2]), static_cast<int>(r[nd - 1])};
  dim_t csize = out[0].shape[nd - 2] * out[0].shape[nd - 1];
  real_types(in[0].dtype, "batch_dot", [&](auto t) {
    using T = decltype(t);
    for (dim_t i = 0; i < batch; ++i)
      product(p.transpose_a, p.transpose_b, a, b, in[0].ptr<T>() + i * a.rows * a.cols,
              in[1].ptr<T>() + i * b.rows * b.cols, out[0].ptr<T>() + i * csize, req[0]);
  });
}

LOOM_KERNEL(dot, kCPU, dot);
LOOM_KERNEL(_backward_dot, kCPU, dot_backward);
LOOM_KERNEL(batch_dot, kCPU, batch_dot);

}  // namespace
}  // namespace loom::cpu
