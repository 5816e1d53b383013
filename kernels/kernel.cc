#include "kernels/kernel.h"

#include <map>
#include <mutex>

#include "core/base/error.h"

namespace loom {

namespace {
std::map<std::pair<std::string, int>, Kernel>& kernels() {
  static auto* k = new std::map<std::pair<std::string, int>, Kernel>();
  return *k;
}
std::map<int, DeviceAPI*>& device_apis() {
  static auto* d = new std::map<int, DeviceAPI*>();
  return *d;
}
}  // namespace

void register_kernel(const std::string& op_name, int dev_type, Kernel fn) {
  kernels()[{op_name, dev_type}] = std::move(fn);
}

const Kernel* find_kernel(const std::string& op_name, int dev_type) {
  auto it = kernels().find({op_name, dev_type == kCPUPinned ? kCPU : dev_type});
  return it == kernels().end() ? nullptr : &it->second;
}

void register_device_api(int dev_type, DeviceAPI* api) { device_apis()[dev_type] = api; }

DeviceAPI& device_api(int dev_type) {
  if (dev_type == kCPUPinned) dev_type = kCPU;
  auto it = device_apis().find(dev_type);
  if (it == device_apis().end()) {
    if (dev_type == kGPU)
      fail("GPU support is not available: this build of Loom has no CUDA (configure with "
           "-Dcuda=enabled on a machine with the CUDA toolkit)");
    fail("unknown device type ", dev_type);
  }
  return *it->second;
}

}  // namespace loom
