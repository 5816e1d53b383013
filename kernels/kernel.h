// The contract between the engine and its compute kernels. A kernel is a plain function
// registered for (operator name, device type) from a kernels/<device>/<family> file; the
// executor resolves kernels once at bind time and calls them with typed views (TBlob) of
// already-allocated memory. Devices plug in through DeviceAPI (allocation, copies, sync).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/base/types.h"

namespace loom {

class Attrs;  // core/op/op.h: a node's name, string dict and parsed parameters

// How a kernel must write an output (MXNet's OpReqType codes).
enum OpReq : int { kNullOp = 0, kWriteTo = 1, kWriteInplace = 2, kAddTo = 3 };

// A typed view of device memory: data pointer, shape, dtype, device.
struct TBlob {
  void* data = nullptr;
  Shape shape;
  int dtype = kFloat32;
  Context ctx;

  template <class T>
  T* ptr() const { return static_cast<T*>(data); }
  dim_t size() const { return shape.size(); }
};

// What a kernel may know about the call besides its operands.
struct OpContext {
  bool is_train = false;
  Context ctx;
  void* stream = nullptr;  // cudaStream_t on GPU, unused on CPU
};

using Kernel = std::function<void(const OpContext&, const Attrs&, const std::vector<TBlob>& in,
                                  const std::vector<OpReq>& req, const std::vector<TBlob>& out)>;

// Registers kernel `fn` for operator `op_name` on `dev_type`. Called from static initialisers.
void register_kernel(const std::string& op_name, int dev_type, Kernel fn);
// The kernel of an operator on a device, or nullptr when none is registered.
const Kernel* find_kernel(const std::string& op_name, int dev_type);

// Memory and copies for one device type. CPU is built in; CUDA registers itself when built.
struct DeviceAPI {
  virtual ~DeviceAPI() = default;
  virtual void* alloc(const Context& ctx, size_t bytes) = 0;
  virtual void free(const Context& ctx, void* ptr) = 0;
  // Copies between two blocks; either side may be on the host (dev_type kCPU).
  virtual void copy(void* dst, const Context& dst_ctx, const void* src, const Context& src_ctx,
                    size_t bytes) = 0;
  virtual void memset_zero(const Context& ctx, void* ptr, size_t bytes) = 0;
  virtual void sync(const Context& ctx) = 0;
  // Stream handed to kernels through OpContext::stream.
  virtual void* stream(const Context& ctx) = 0;
  virtual int device_count() = 0;
};

void register_device_api(int dev_type, DeviceAPI* api);
// The API of a device type; throws a clear error when the device is not supported by this build.
DeviceAPI& device_api(int dev_type);

// Static registration helpers: `LOOM_KERNEL(FullyConnected, kCPU, fc_forward);`
struct KernelRegistrar {
  KernelRegistrar(const char* op, int dev, Kernel fn) { register_kernel(op, dev, std::move(fn)); }
};
#define LOOM_CAT_(a, b) a##b
#define LOOM_CAT(a, b) LOOM_CAT_(a, b)
#define LOOM_KERNEL(op, dev, fn) \
  static ::loom::KernelRegistrar LOOM_CAT(loom_kernel_reg_, __COUNTER__)(#op, dev, fn)

}  // namespace loom
