// Host-side plumbing shared by the CUDA kernels' registration files (kernels/cuda/*.cc):
// error checks that turn CUDA and cuBLAS failures into loom::Error naming the failed call, a
// guard that makes a context's device current, the per-device stream and cuBLAS handle, and
// dtype dispatch. Compiled by the host compiler only; device code lives in the .cu files and is
// reached through kernels/cuda/launch.h.
#pragma once

#include <cublas_v2.h>
#include <cuda_runtime_api.h>

#include "core/base/error.h"
#include "kernels/kernel.h"

namespace loom::cuda {

[[noreturn]] void throw_cuda_error(const char* call, cudaError_t err);
[[noreturn]] void throw_cublas_error(const char* call, cublasStatus_t status);

#define LOOM_CUDA_CHECK(call)                                                                 \
  do {                                                                                        \
    cudaError_t loom_cuda_err_ = (call);                                                      \
    if (loom_cuda_err_ != cudaSuccess) ::loom::cuda::throw_cuda_error(#call, loom_cuda_err_); \
  } while (0)

#define LOOM_CUBLAS_CHECK(call)                                 \
  do {                                                          \
    cublasStatus_t loom_cublas_st_ = (call);                    \
    if (loom_cublas_st_ != CUBLAS_STATUS_SUCCESS)               \
      ::loom::cuda::throw_cublas_error(#call, loom_cublas_st_); \
  } while (0)

// Checks the status a kernel launcher returned (kernels/cuda/launch.h).
inline void check_launch(cudaError_t err, const char* what) {
  if (err != cudaSuccess) throw_cuda_error(what, err);
}

// Number of usable GPUs; 0 when the runtime, the driver or the devices are missing.
int gpu_count();
// Throws a clear error unless `ctx` names an existing GPU.
void check_gpu(const Context& ctx);

// Makes `dev` the calling thread's current device for the guard's lifetime. Kernels run on the
// caller's thread, whose current device may be any other GPU; launching on another device's
// stream would fail, so every entry point switches first and restores after.
class DeviceGuard {
 public:
  explicit DeviceGuard(int dev);
  explicit DeviceGuard(const Context& ctx) : DeviceGuard(ctx.dev_id) {}
  ~DeviceGuard();
  DeviceGuard(const DeviceGuard&) = delete;
  DeviceGuard& operator=(const DeviceGuard&) = delete;

 private:
  int previous_ = -1;
};

// The device's one non-blocking stream (created on first use) and a cuBLAS handle bound to it.
cudaStream_t device_stream(int dev);
cublasHandle_t cublas_handle(int dev);

inline cudaStream_t stream_of(const OpContext& octx) {
  return static_cast<cudaStream_t>(octx.stream);
}

// Calls f(T{}) with T = float or double for the dtype.
template <class F>
void real_types(int dtype, const char* op, F&& f) {
  switch (dtype) {
    case kFloat32:
      f(float{});
      return;
    case kFloat64:
      f(double{});
      return;
  }
  fail(op, ": dtype ", dtype_name(dtype), " is not supported on GPU (float32, float64)");
}

// Outputs are either overwritten or accumulated into; kNullOp is handled by the callers.
inline bool add_to(OpReq req) { return req == kAddTo; }

}  // namespace loom::cuda
