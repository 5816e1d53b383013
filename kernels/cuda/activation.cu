// Activation functions on the GPU, with the formulas of kernels/cpu/activation.cc: the backward
// pass reads the forward output only.
#include "kernels/cuda/common.cuh"
#include "kernels/cuda/launch.h"

namespace loom::cuda {
namespace {

template <class T>
__device__ __forceinline__ T activate(ActOp act, T x) {
  switch (act) {
    case ActOp::kRelu:
      return x > T(0) ? x : T(0);
    case ActOp::kSigmoid:
      return T(1) / (T(1) + dexp(-x));
    case ActOp::kTanh:
      return dtanh(x);
    // log(1 + e^x), without overflow for large x
    case ActOp::kSoftReLU:
      return x > T(20) ? x : dlog1p(dexp(x));
    default:
      return x / (T(1) + dabs(x));
  }
}

// The input gradient from the head gradient g and the output y, evaluated in the CPU kernel's
// order so that both devices round alike.
template <class T>
__device__ __forceinline__ T input_grad(ActOp act, T g, T y) {
  switch (act) {
    case ActOp::kRelu:
      return y > T(0) ? g : T(0);
    case ActOp::kSigmoid:
      return g * y * (T(1) - y);
    case ActOp::kTanh:
      return g * (T(1) - y * y);
    case ActOp::kSoftReLU:
      return g * -dexpm1(-y);
    default: {
      T s = T(1) - dabs(y);
      return g * s * s;
    }
  }
}

template <class T>
__global__ void forward_kernel(ActOp act, const T* x, T* y, int64_t n, bool add) {
  LOOM_GRID_STRIDE(i, n) store(y, i, activate(act, x[i]), add);
}

template <class T>
__global__ void backward_kernel(ActOp act, const T* g, const T* y, T* dx, int64_t n, bool add) {
  LOOM_GRID_STRIDE(i, n) store(dx, i, input_grad(act, g[i], y[i]), add);
}

}  // namespace

template <class T>
cudaError_t launch_activation(ActOp act, const T* x, T* y, int64_t n, bool add,
                              cudaStream_t stream) {
  if (n == 0) return cudaSuccess;
  forward_kernel<<<grid_for(n), kThreads, 0, stream>>>(act, x, y, n, add);
  return cudaGetLastError();
}

template <class T>
cudaError_t launch_activation_backward(ActOp act, const T* g, const T* y, T* dx, int64_t n,
                                       bool add, cudaStream_t stream) {
  if (n == 0) return cudaSuccess;
  backward_kernel<<<grid_for(n), kThreads, 0, stream>>>(act, g, y, dx, n, add);
  return cudaGetLastError();
}

#define LOOM_INSTANTIATE(T)                                                                        \
  template cudaError_t launch_activation<T>(ActOp, const T*, T*, int64_t, bool, cudaStream_t);     \
  template cudaError_t launch_activation_backward<T>(ActOp, const T*, const T*, T*, int64_t, bool, \
                                                     cudaStream_t);
LOOM_INSTANTIATE(float)
LOOM_INSTANTIATE(double)

}  // namespace loom::cuda
