// DLPack interchange (the DLPack 0.x C ABI: DLManagedTensor and friends, declared here so Loom
// needs no external header) and conversions between NDArray and DLManagedTensor.
#pragma once

#include <cstdint>

#include "core/ndarray/ndarray.h"

namespace loom {

namespace dlpack {

enum DeviceType : int32_t { kDLCPU = 1, kDLCUDA = 2, kDLCUDAHost = 3 };
enum TypeCode : uint8_t { kDLInt = 0, kDLUInt = 1, kDLFloat = 2, kDLBfloat = 4, kDLBool = 6 };

struct DLDevice {
  int32_t device_type;
  int32_t device_id;
};
struct DLDataType {
  uint8_t code;
  uint8_t bits;
  uint16_t lanes;
};
struct DLTensor {
  void* data;
  DLDevice device;
  int32_t ndim;
  DLDataType dtype;
  int64_t* shape;
  int64_t* strides;  // NULL: compact row-major
  uint64_t byte_offset;
};
struct DLManagedTensor {
  DLTensor dl_tensor;
  void* manager_ctx;
  void (*deleter)(DLManagedTensor* self);
};

}  // namespace dlpack

// A tensor sharing `a`'s memory; its deleter releases Loom's reference.
dlpack::DLManagedTensor* to_dlpack(const NDArray& a);
// An array over the tensor's memory. With take_ownership the tensor's deleter runs when the
// last user of that memory is gone; otherwise the caller keeps the tensor alive.
NDArray from_dlpack(dlpack::DLManagedTensor* t, bool take_ownership);

}  // namespace loom
