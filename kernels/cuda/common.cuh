// Device-side helpers for the .cu files: launch geometry for grid-stride loops and math
// functions overloaded on float and double, so that templated kernels never silently promote
// float arithmetic to double (or call the double routine on floats).
#pragma once

#include <cuda_runtime.h>

#include <cstdint>

namespace loom::cuda {

constexpr int kThreads = 256;

// Enough blocks to fill any current GPU; grid-stride loops cover the rest, which also keeps
// huge arrays within the grid limit.
inline unsigned grid_for(int64_t n) {
  int64_t blocks = (n + kThreads - 1) / kThreads;
  if (blocks > 4096) blocks = 4096;
  return static_cast<unsigned>(blocks < 1 ? 1 : blocks);
}

#define LOOM_GRID_STRIDE(i, n)                                                           \
  for (int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < (n); \
       i += static_cast<int64_t>(blockDim.x) * gridDim.x)

// Writes under OpReq: accumulate or overwrite. The value was computed before this store, so an
// output aliasing an input element for element is safe.
template <class T>
__device__ __forceinline__ void store(T* out, int64_t i, T v, bool add) {
  out[i] = add ? out[i] + v : v;
}

__device__ __forceinline__ float dexp(float x) { return expf(x); }
__device__ __forceinline__ double dexp(double x) { return exp(x); }
__device__ __forceinline__ float dexpm1(float x) { return expm1f(x); }
__device__ __forceinline__ double dexpm1(double x) { return expm1(x); }
__device__ __forceinline__ float dlog1p(float x) { return log1pf(x); }
__device__ __forceinline__ double dlog1p(double x) { return log1p(x); }
__device__ __forceinline__ float dtanh(float x) { return tanhf(x); }
__device__ __forceinline__ double dtanh(double x) { return tanh(x); }
__device__ __forceinline__ float dabs(float x) { return fabsf(x); }
__device__ __forceinline__ double dabs(double x) { return fabs(x); }

}  // namespace loom::cuda
