// Row-major GEMM over OpenBLAS for float and double: C = A' B' + beta C where ' is an optional
// transpose. Shared by every CPU kernel that reduces to matrix products (FullyConnected,
// Convolution, Deconvolution, dot).
#pragma once

#include <cblas.h>

namespace loom::cpu {

inline void gemm(bool ta, bool tb, int m, int n, int k, const float* a, int lda, const float* b,
                 int ldb, float beta, float* c, int ldc, float alpha = 1.0f) {
  cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, m, n,
              k, alpha, a, lda, b, ldb, beta, c, ldc);
}
inline void gemm(bool ta, bool tb, int m, int n, int k, const double* a, int lda, const double* b,
                 int ldb, double beta, double* c, int ldc, double alpha = 1.0) {
  cblas_dgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, m, n,
              k, alpha, a, lda, b, ldb, beta, c, ldc);
}

}  // namespace loom::cpu
