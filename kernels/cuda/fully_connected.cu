// The small kernels around FullyConnected's cuBLAS GEMMs: adding the bias to every row of the
// output, and the bias gradient as column sums of the output gradient.
#include "kernels/cuda/common.cuh"
#include "kernels/cuda/launch.h"

namespace loom::cuda {
namespace {

template <class T>
__global__ void add_bias_kernel(T* y, const T* bias, int64_t n, int64_t cols) {
  LOOM_GRID_STRIDE(i, n) y[i] += bias[i % cols];
}

// A block covers 32 adjacent columns, so a warp reads 32 consecutive elements of a row; its 16
// rows of threads split the rows between them and then add their partial sums in shared memory.
constexpr int kTileCols = 32, kTileRows = 16;

template <class T>
__global__ void column_sum_kernel(const T* x, int64_t rows, int64_t cols, T* out, bool add) {
  __shared__ T partial[kTileRows][kTileCols + 1];
  int64_t c = static_cast<int64_t>(blockIdx.x) * kTileCols + threadIdx.x;
  T s = 0;
  if (c < cols)
    for (int64_t r = threadIdx.y; r < rows; r += kTileRows) s += x[r * cols + c];
  partial[threadIdx.y][threadIdx.x] = s;
  __syncthreads();
  if (threadIdx.y == 0 && c < cols) {
    T total = 0;
    for (int k = 0; k < kTileRows; ++k) total += partial[k][threadIdx.x];
    store(out, c, total, add);
  }
}

}  // namespace

template <class T>
cudaError_t launch_add_bias(T* y, const T* bias, int64_t rows, int64_t cols, cudaStream_t stream) {
  int64_t n = rows * cols;
  if (n == 0) return cudaSuccess;
  add_bias_kernel<<<grid_for(n), kThreads, 0, stream>>>(y, bias, n, cols);
  return cudaGetLastError();
}

template <class T>
cudaError_t launch_column_sum(const T* x, int64_t rows, int64_t cols, T* out, bool add,
                              cudaStream_t stream) {
  if (cols == 0) return cudaSuccess;
  unsigned blocks = static_cast<unsigned>((cols + kTileCols - 1) / kTileCols);
  column_sum_kernel<<<blocks, dim3(kTileCols, kTileRows), 0, stream>>>(x, rows, cols, out, add);
  return cudaGetLastError();
}

#define LOOM_INSTANTIATE(T)                                                              \
  template cudaError_t launch_add_bias<T>(T*, const T*, int64_t, int64_t, cudaStream_t); \
  template cudaError_t launch_column_sum<T>(const T*, int64_t, int64_t, T*, bool, cudaStream_t);
LOOM_INSTANTIATE(float)
LOOM_INSTANTIATE(double)

}  // namespace loom::cuda
