// Loss outputs on the GPU: the softmax forward (one warp per softmax group) and the
// label-driven gradients of SoftmaxOutput and the regression outputs, with the semantics of
// kernels/cpu/loss.cc (normalisation, ignore_label, label smoothing).
#include <cmath>

#include "kernels/cuda/common.cuh"
#include "kernels/cuda/launch.h"

namespace loom::cuda {
namespace {

constexpr unsigned kFullWarp = 0xffffffffu;

template <class T>
__device__ __forceinline__ T warp_max(T v) {
  for (int off = 16; off > 0; off /= 2) {
    T o = __shfl_xor_sync(kFullWarp, v, off);
    v = v < o ? o : v;
  }
  return v;
}

template <class T>
__device__ __forceinline__ T warp_sum(T v) {
  for (int off = 16; off > 0; off /= 2) v += __shfl_xor_sync(kFullWarp, v, off);
  return v;
}

__device__ __forceinline__ int64_t group_base(const SoftmaxLayout& l, int64_t g) {
  return (g / l.stride) * l.classes * l.stride + g % l.stride;
}

// Each warp owns whole groups, so the shuffles see all 32 lanes; the output is written only in
// the last pass, after every read of the group's input, which makes y == x safe.
template <class T>
__global__ void softmax_kernel(const T* x, T* y, SoftmaxLayout l, bool add) {
  const int lane = threadIdx.x % 32;
  const int64_t warps = static_cast<int64_t>(gridDim.x) * blockDim.x / 32;
  for (int64_t g = (static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x) / 32; g < l.outer;
       g += warps) {
    const int64_t base = group_base(l, g);
    T mx = -static_cast<T>(INFINITY);
    for (int64_t c = lane; c < l.classes; c += 32) {
      T v = x[base + c * l.stride];
      mx = mx < v ? v : mx;
    }
    mx = warp_max(mx);
    T sum = 0;
    for (int64_t c = lane; c < l.classes; c += 32) sum += dexp(x[base + c * l.stride] - mx);
    sum = warp_sum(sum);
    for (int64_t c = lane; c < l.classes; c += 32) {
      int64_t i = base + c * l.stride;
      store(y, i, dexp(x[i] - mx) / sum, add);
    }
  }
}

// The number of groups whose label is not ignore_label, for normalization="valid".
template <class T>
__global__ void count_valid_kernel(const T* label, int64_t outer, int ignore_label,
                                   long long* valid) {
  __shared__ long long partial[kThreads];
  long long n = 0;
  for (int64_t g = threadIdx.x; g < outer; g += blockDim.x)
    n += static_cast<int>(label[g]) != ignore_label;
  partial[threadIdx.x] = n;
  __syncthreads();
  for (int half = kThreads / 2; half > 0; half /= 2) {
    if (threadIdx.x < half) partial[threadIdx.x] += partial[threadIdx.x + half];
    __syncthreads();
  }
  if (threadIdx.x == 0) *valid = partial[0];
}

// One thread per element of y; `valid` is null unless the scale is divided by the valid count.
template <class T>
__global__ void softmax_backward_kernel(const T* y, const T* label, T* dx, SoftmaxGradArgs a,
                                        const long long* valid, bool add) {
  const SoftmaxLayout& l = a.layout;
  double norm = valid ? static_cast<double>(*valid > 1 ? *valid : 1) : 1.0;
  const T scale = static_cast<T>(a.scale / norm);
  const T alpha = static_cast<T>(a.smooth_alpha);
  const T off = l.classes > 1 ? alpha / static_cast<T>(l.classes - 1) : T(0);
  const int64_t block = l.classes * l.stride;
  const int64_t n = l.outer * l.classes;
  LOOM_GRID_STRIDE(i, n) {
    const int64_t rem = i % block;
    const int64_t g = (i / block) * l.stride + rem % l.stride;
    const int64_t c = rem / l.stride;
    const T lab = label[g];
    const bool skip = a.use_ignore && static_cast<int>(lab) == a.ignore_label;
    const T yi = y[i];
    T v = skip ? T(0) : (c == static_cast<int64_t>(lab) ? yi - T(1) + alpha : yi - off);
    store(dx, i, v * scale, add);
  }
}

template <class T>
__global__ void regression_backward_kernel(bool sign, const T* y, const T* label, T* dx, int64_t n,
                                           T factor, bool add) {
  LOOM_GRID_STRIDE(i, n) {
    T d = y[i] - label[i];
    if (sign) d = T((d > T(0)) - (d < T(0)));
    store(dx, i, d * factor, add);
  }
}

}  // namespace

template <class T>
cudaError_t launch_softmax(const T* x, T* y, SoftmaxLayout layout, bool add, cudaStream_t stream) {
  if (layout.outer == 0 || layout.classes == 0) return cudaSuccess;
  softmax_kernel<<<grid_for(layout.outer * 32), kThreads, 0, stream>>>(x, y, layout, add);
  return cudaGetLastError();
}

template <class T>
cudaError_t launch_softmax_backward(const T* y, const T* label, T* dx, const SoftmaxGradArgs& args,
                                    bool add, cudaStream_t stream) {
  const SoftmaxLayout& l = args.layout;
  const int64_t n = l.outer * l.classes;
  if (n == 0) return cudaSuccess;
  SoftmaxGradArgs a = args;
  // normalization="valid" counts labels equal to ignore_label even without use_ignore (MXNet)
  if (!a.divide_by_valid) {
    softmax_backward_kernel<<<grid_for(n), kThreads, 0, stream>>>(y, label, dx, a, nullptr, add);
    return cudaGetLastError();
  }
  // The count stays on the device: stream-ordered scratch avoids both a host round trip and a
  // shared buffer that concurrent callers could race on.
  long long* valid = nullptr;
  if (cudaError_t err = cudaMallocAsync(&valid, sizeof(long long), stream); err != cudaSuccess)
    return err;
  count_valid_kernel<<<1, kThreads, 0, stream>>>(label, l.outer, a.ignore_label, valid);
  cudaError_t err = cudaGetLastError();
  if (err == cudaSuccess) {
    softmax_backward_kernel<<<grid_for(n), kThreads, 0, stream>>>(y, label, dx, a, valid, add);
    err = cudaGetLastError();
  }
  cudaError_t freed = cudaFreeAsync(valid, stream);
  return err != cudaSuccess ? err : freed;
}

template <class T>
cudaError_t launch_regression_backward(bool sign, const T* y, const T* label, T* dx, int64_t n,
                                       T factor, bool add, cudaStream_t stream) {
  if (n == 0) return cudaSuccess;
  regression_backward_kernel<<<grid_for(n), kThreads, 0, stream>>>(sign, y, label, dx, n, factor,
                                                                   add);
  return cudaGetLastError();
}

#define LOOM_INSTANTIATE(T)                                                                       \
  template cudaError_t launch_softmax<T>(const T*, T*, SoftmaxLayout, bool, cudaStream_t);        \
  template cudaError_t launch_softmax_backward<T>(const T*, const T*, T*, const SoftmaxGradArgs&, \
                                                  bool, cudaStream_t);                            \
  template cudaError_t launch_regression_backward<T>(bool, const T*, const T*, T*, int64_t, T,    \
                                                     bool, cudaStream_t);
LOOM_INSTANTIATE(float)
LOOM_INSTANTIATE(double)

}  // namespace loom::cuda
