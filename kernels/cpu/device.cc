// Host memory for CPU arrays: 64-byte aligned so vector loops and BLAS see aligned rows.
#include <cstdlib>
#include <cstring>
#include <new>

#include "core/base/error.h"
#include "kernels/kernel.h"

namespace loom {
namespace {

struct CPUDeviceAPI final : DeviceAPI {
  void* alloc(const Context&, size_t bytes) override {
    size_t n = (bytes + 63) / 64 * 64;
    void* p = std::aligned_alloc(64, n ? n : 64);
    if (!p) fail("out of host memory allocating ", bytes, " bytes");
    return p;
  }
  void free(const Context&, void* ptr) override { std::free(ptr); }
  void copy(void* dst, const Context&, const void* src, const Context&, size_t bytes) override {
    std::memmove(dst, src, bytes);
  }
  void memset_zero(const Context&, void* ptr, size_t bytes) override { std::memset(ptr, 0, bytes); }
  void sync(const Context&) override {}
  void* stream(const Context&) override { return nullptr; }
  int device_count() override { return 1; }
};

struct Register {
  Register() {
    static CPUDeviceAPI api;
    register_device_api(kCPU, &api);
  }
} reg;

}  // namespace
}  // namespace loom
