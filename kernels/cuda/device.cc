// The GPU DeviceAPI: device memory, copies, zeroing and synchronisation through the CUDA
// runtime, plus the per-device stream and cuBLAS handle that every GPU kernel runs on. All work
// for a device is ordered on its one stream, so only copies to or from the host (and between
// devices) need to wait; a machine without a GPU or a driver simply reports 0 devices.
#include <atomic>
#include <cstring>
#include <mutex>
#include <string>

#include "kernels/cuda/cuda_util.h"

namespace loom::cuda {

void throw_cuda_error(const char* call, cudaError_t err) {
  // The failing call also left the error as the thread's "last error"; clear it so that the
  // next launch check does not report it a second time.
  cudaGetLastError();
  fail("CUDA error: ", call, " failed: ", cudaGetErrorString(err), " (", cudaGetErrorName(err),
       ")");
}

void throw_cublas_error(const char* call, cublasStatus_t status) {
  fail("cuBLAS error: ", call, " failed: ", cublasGetStatusString(status), " (",
       cublasGetStatusName(status), ")");
}

namespace {

struct GpuCount {
  int count = 0;
  std::string why_none;  // the runtime's reason when no device is usable
};

const GpuCount& probe() {
  // Computed once: the set of visible devices cannot change within a process.
  static const GpuCount result = [] {
    GpuCount r;
    cudaError_t err = cudaGetDeviceCount(&r.count);
    if (err != cudaSuccess) {
      // Build machines have no driver and get an error here rather than 0; both mean no GPU.
      cudaGetLastError();
      r.count = 0;
      r.why_none = cat("cudaGetDeviceCount: ", cudaGetErrorString(err));
    }
    return r;
  }();
  return result;
}

struct PerDevice {
  std::once_flag stream_once, blas_once;
  std::atomic<cudaStream_t> stream{nullptr};
  cublasHandle_t blas = nullptr;
};

PerDevice& per_device(int dev) {
  // Never destroyed: arrays released by other static destructors at exit still reach their
  // device's state, and the CUDA runtime may already be unloading by then.
  static PerDevice* all = new PerDevice[probe().count > 0 ? probe().count : 1];
  return all[dev];
}

}  // namespace

int gpu_count() { return probe().count; }

void check_gpu(const Context& ctx) {
  if (ctx.dev_type != kGPU) fail("internal: ", ctx.str(), " is not a GPU context");
  const GpuCount& g = probe();
  if (ctx.dev_id < 0 || ctx.dev_id >= g.count) {
    if (g.count == 0)
      fail("gpu(", ctx.dev_id, ") is not available: no CUDA GPU was found",
           g.why_none.empty() ? "" : " (" + g.why_none + ")");
    fail("gpu(", ctx.dev_id, ") is not available: ", g.count, " GPU(s) found");
  }
}

DeviceGuard::DeviceGuard(int dev) {
  int current = -1;
  LOOM_CUDA_CHECK(cudaGetDevice(&current));
  if (current != dev) {
    LOOM_CUDA_CHECK(cudaSetDevice(dev));
    previous_ = current;
  }
}

DeviceGuard::~DeviceGuard() {
  if (previous_ >= 0) cudaSetDevice(previous_);  // best effort: destructors must not throw
}

cudaStream_t device_stream(int dev) {
  check_gpu(Context{kGPU, dev});
  PerDevice& d = per_device(dev);
  std::call_once(d.stream_once, [&] {
    DeviceGuard guard(dev);
    cudaStream_t s = nullptr;
    // Non-blocking: the legacy default stream must not serialise with our work.
    LOOM_CUDA_CHECK(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking));
    d.stream.store(s, std::memory_order_release);
  });
  return d.stream.load(std::memory_order_acquire);
}

cublasHandle_t cublas_handle(int dev) {
  cudaStream_t stream = device_stream(dev);
  PerDevice& d = per_device(dev);
  std::call_once(d.blas_once, [&] {
    DeviceGuard guard(dev);
    cublasHandle_t h = nullptr;
    LOOM_CUBLAS_CHECK(cublasCreate(&h));
    cublasStatus_t st = cublasSetStream(h, stream);
    if (st != CUBLAS_STATUS_SUCCESS) {
      cublasDestroy(h);
      throw_cublas_error("cublasSetStream(handle, stream)", st);
    }
    d.blas = h;
  });
  return d.blas;
}

namespace {

bool on_gpu(const Context& ctx) { return ctx.dev_type == kGPU; }

struct CUDADeviceAPI final : DeviceAPI {
  void* alloc(const Context& ctx, size_t bytes) override {
    check_gpu(ctx);
    if (bytes == 0) return nullptr;
    DeviceGuard guard(ctx);
    void* p = nullptr;
    cudaError_t err = cudaMalloc(&p, bytes);
    if (err == cudaErrorMemoryAllocation) {
      cudaGetLastError();
      fail("out of GPU memory on ", ctx.str(), " allocating ", bytes, " bytes");
    }
    if (err != cudaSuccess) throw_cuda_error("cudaMalloc(&ptr, bytes)", err);
    return p;
  }

  // Called from destructors, so it never throws; a failure here can only leak the block.
  void free(const Context& ctx, void* ptr) override {
    if (!ptr || ctx.dev_id < 0 || ctx.dev_id >= gpu_count()) return;
    try {
      DeviceGuard guard(ctx);
      // Kernels still queued on the stream may use the block; cudaFree is not ordered with
      // non-blocking streams, so wait for them first.
      if (cudaStream_t s = per_device(ctx.dev_id).stream.load(std::memory_order_acquire))
        cudaStreamSynchronize(s);
      cudaFree(ptr);
      cudaGetLastError();
    } catch (...) {
    }
  }

  void copy(void* dst, const Context& dst_ctx, const void* src, const Context& src_ctx,
            size_t bytes) override {
    if (bytes == 0) return;
    if (!on_gpu(dst_ctx) && !on_gpu(src_ctx)) {
      std::memmove(dst, src, bytes);
      return;
    }
    if (!on_gpu(src_ctx)) {  // host -> device
      cudaStream_t s = device_stream(dst_ctx.dev_id);
      DeviceGuard guard(dst_ctx);
      LOOM_CUDA_CHECK(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyHostToDevice, s));
      // The caller may free or reuse the host block as soon as we return.
      LOOM_CUDA_CHECK(cudaStreamSynchronize(s));
      return;
    }
    if (!on_gpu(dst_ctx)) {  // device -> host: the data must be there when we return
      cudaStream_t s = device_stream(src_ctx.dev_id);
      DeviceGuard guard(src_ctx);
      LOOM_CUDA_CHECK(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToHost, s));
      LOOM_CUDA_CHECK(cudaStreamSynchronize(s));
      return;
    }
    if (dst_ctx.dev_id == src_ctx.dev_id) {  // stream order is enough on one device
      cudaStream_t s = device_stream(dst_ctx.dev_id);
      DeviceGuard guard(dst_ctx);
      LOOM_CUDA_CHECK(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToDevice, s));
      return;
    }
    // Across devices the two streams are unordered: finish the source's pending writes, copy
    // on the destination's stream, and wait so that later work on the source cannot race it.
    cudaStream_t src_stream = device_stream(src_ctx.dev_id);
    cudaStream_t dst_stream = device_stream(dst_ctx.dev_id);
    {
      DeviceGuard guard(src_ctx);
      LOOM_CUDA_CHECK(cudaStreamSynchronize(src_stream));
    }
    DeviceGuard guard(dst_ctx);
    LOOM_CUDA_CHECK(
        cudaMemcpyPeerAsync(dst, dst_ctx.dev_id, src, src_ctx.dev_id, bytes, dst_stream));
    LOOM_CUDA_CHECK(cudaStreamSynchronize(dst_stream));
  }

  void memset_zero(const Context& ctx, void* ptr, size_t bytes) override {
    if (bytes == 0) return;
    cudaStream_t s = device_stream(ctx.dev_id);
    DeviceGuard guard(ctx);
    LOOM_CUDA_CHECK(cudaMemsetAsync(ptr, 0, bytes, s));
  }

  void sync(const Context& ctx) override {
    cudaStream_t s = device_stream(ctx.dev_id);
    DeviceGuard guard(ctx);
    LOOM_CUDA_CHECK(cudaStreamSynchronize(s));
  }

  void* stream(const Context& ctx) override { return device_stream(ctx.dev_id); }

  int device_count() override { return gpu_count(); }
};

struct Register {
  Register() {
    static CUDADeviceAPI api;
    register_device_api(kGPU, &api);
  }
} reg;

}  // namespace
}  // namespace loom::cuda
