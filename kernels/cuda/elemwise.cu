// Element-wise arithmetic on the GPU: binary ops on equal shapes, scalar ops and add_n. One
// kernel per shape of operation picks the arithmetic with a switch that is uniform across the
// grid, which keeps the number of instantiations (and nvcc time) small.
#include "kernels/cuda/common.cuh"
#include "kernels/cuda/launch.h"

namespace loom::cuda {
namespace {

template <class T>
__global__ void binary_kernel(BinaryOp op, const T* a, const T* b, T* out, int64_t n, bool add) {
  LOOM_GRID_STRIDE(i, n) {
    T x = a[i], y = b[i], v;
    switch (op) {
      case BinaryOp::kAdd:
        v = x + y;
        break;
      case BinaryOp::kSub:
        v = x - y;
        break;
      case BinaryOp::kMul:
        v = x * y;
        break;
      default:
        v = x / y;
        break;
    }
    store(out, i, v, add);
  }
}

template <class T>
__global__ void scalar_kernel(ScalarOp op, const T* in, T s, T* out, int64_t n, bool add) {
  LOOM_GRID_STRIDE(i, n) {
    T x = in[i], v;
    switch (op) {
      case ScalarOp::kCopy:
        v = x;
        break;
      case ScalarOp::kPlus:
        v = x + s;
        break;
      case ScalarOp::kMinus:
        v = x - s;
        break;
      case ScalarOp::kRMinus:
        v = s - x;
        break;
      case ScalarOp::kMul:
        v = x * s;
        break;
      case ScalarOp::kDiv:
        v = x / s;
        break;
      default:
        v = s / x;
        break;
    }
    store(out, i, v, add);
  }
}

// Inputs travel by value in the kernel's parameters; more than kMaxInputs are summed in rounds.
constexpr int kMaxInputs = 8;
template <class T>
struct InputList {
  const T* ptr[kMaxInputs];
  int count;
};

template <class T>
__global__ void sum_kernel(InputList<T> in, T* out, int64_t n, bool add) {
  LOOM_GRID_STRIDE(i, n) {
    T v = in.ptr[0][i];
    for (int k = 1; k < in.count; ++k) v += in.ptr[k][i];
    store(out, i, v, add);
  }
}

}  // namespace

template <class T>
cudaError_t launch_binary(BinaryOp op, const T* a, const T* b, T* out, int64_t n, bool add,
                          cudaStream_t stream) {
  if (n == 0) return cudaSuccess;
  binary_kernel<<<grid_for(n), kThreads, 0, stream>>>(op, a, b, out, n, add);
  return cudaGetLastError();
}

template <class T>
cudaError_t launch_scalar(ScalarOp op, const T* x, T s, T* out, int64_t n, bool add,
                          cudaStream_t stream) {
  if (n == 0) return cudaSuccess;
  scalar_kernel<<<grid_for(n), kThreads, 0, stream>>>(op, x, s, out, n, add);
  return cudaGetLastError();
}

template <class T>
cudaError_t launch_add_n(const T* const* inputs, int count, T* out, int64_t n, bool add,
                         cudaStream_t stream) {
  if (n == 0 || count <= 0) return cudaSuccess;
  // Round r adds its inputs onto the partial sum already in `out`. Only inputs[0] may alias
  // `out` (the op's in-place option), and it is read in the first round, before any write.
  for (int first = 0; first < count; first += kMaxInputs) {
    InputList<T> list{};
    list.count = count - first < kMaxInputs ? count - first : kMaxInputs;
    for (int k = 0; k < list.count; ++k) list.ptr[k] = inputs[first + k];
    sum_kernel<<<grid_for(n), kThreads, 0, stream>>>(list, out, n, first == 0 ? add : true);
    if (cudaError_t err = cudaGetLastError(); err != cudaSuccess) return err;
  }
  return cudaSuccess;
}

#define LOOM_INSTANTIATE(T)                                                                      \
  template cudaError_t launch_binary<T>(BinaryOp, const T*, const T*, T*, int64_t, bool,         \
                                        cudaStream_t);                                           \
  template cudaError_t launch_scalar<T>(ScalarOp, const T*, T, T*, int64_t, bool, cudaStream_t); \
  template cudaError_t launch_add_n<T>(const T* const*, int, T*, int64_t, bool, cudaStream_t);
LOOM_INSTANTIATE(float)
LOOM_INSTANTIATE(double)

}  // namespace loom::cuda
