#include "core/ndarray/dlpack.h"

#include <vector>

#include "core/base/error.h"

namespace loom {

using namespace dlpack;

namespace {

struct Export {
  NDArray array;  // keeps the storage alive
  std::vector<int64_t> shape;
  DLManagedTensor tensor;
};

void delete_export(DLManagedTensor* t) { delete static_cast<Export*>(t->manager_ctx); }

DLDataType dl_type(int dtype) {
  switch (dtype) {
    case kFloat32:
      return {kDLFloat, 32, 1};
    case kFloat64:
      return {kDLFloat, 64, 1};
    case kFloat16:
      return {kDLFloat, 16, 1};
    case kUint8:
      return {kDLUInt, 8, 1};
    case kInt32:
      return {kDLInt, 32, 1};
    case kInt8:
      return {kDLInt, 8, 1};
    case kInt64:
      return {kDLInt, 64, 1};
    case kBool:
      return {kDLBool, 8, 1};
    case kBfloat16:
      return {kDLBfloat, 16, 1};
    default:
      fail_type("DLPack: dtype ", dtype_name(dtype), " has no DLPack equivalent");
  }
}

int loom_type(const DLDataType& t) {
  if (t.lanes != 1) fail_type("DLPack: vector types (lanes=", t.lanes, ") are not supported");
  if (t.code == kDLFloat && t.bits == 32) return kFloat32;
  if (t.code == kDLFloat && t.bits == 64) return kFloat64;
  if (t.code == kDLFloat && t.bits == 16) return kFloat16;
  if (t.code == kDLUInt && t.bits == 8) return kUint8;
  if (t.code == kDLInt && t.bits == 32) return kInt32;
  if (t.code == kDLInt && t.bits == 8) return kInt8;
  if (t.code == kDLInt && t.bits == 64) return kInt64;
  if (t.code == kDLBool && t.bits == 8) return kBool;
  if (t.code == kDLBfloat && t.bits == 16) return kBfloat16;
  fail_type("DLPack: unsupported dtype (code ", int(t.code), ", bits ", int(t.bits), ")");
}

}  // namespace

DLManagedTensor* to_dlpack(const NDArray& a) {
  if (a.is_none()) fail_value("DLPack: cannot export an empty (none) array");
  auto* e = new Export;
  e->array = a;
  e->shape.assign(a.shape().dims().begin(), a.shape().dims().end());
  DLTensor& t = e->tensor.dl_tensor;
  t.data = a.data();
  Context c = a.ctx();
  t.device = {c.is_gpu() ? kDLCUDA : kDLCPU, c.is_gpu() ? c.dev_id : 0};
  t.ndim = a.shape().ndim();
  try {
    t.dtype = dl_type(a.dtype());
  } catch (...) {
    delete e;
    throw;
  }
  t.shape = e->shape.data();
  t.strides = nullptr;
  t.byte_offset = 0;
  e->tensor.manager_ctx = e;
  e->tensor.deleter = delete_export;
  return &e->tensor;
}

NDArray from_dlpack(DLManagedTensor* m, bool take_ownership) {
  if (!m) fail_value("DLPack tensor is NULL");
  const DLTensor& t = m->dl_tensor;
  if (t.ndim < 0) fail_value("DLPack: negative ndim ", t.ndim);
  if (t.ndim > 0 && !t.shape) fail_value("DLPack: shape is NULL");
  int dtype = loom_type(t.dtype);
  std::vector<dim_t> dims(t.shape, t.shape + t.ndim);
  for (dim_t d : dims)
    if (d < 0) fail_value("DLPack: negative dimension ", d);
  if (t.strides) {  // accept only compact row-major strides (size-1 dims may have any stride)
    int64_t expect = 1;
    for (int i = t.ndim - 1; i >= 0; --i) {
      if (dims[i] != 1 && t.strides[i] != expect)
        fail_value("DLPack: only compact row-major tensors can be imported (dim ", i,
                   " has stride ", t.strides[i], ", expected ", expect, "); copy it first");
      expect *= dims[i];
    }
  }
  Context ctx;
  if (t.device.device_type == kDLCPU || t.device.device_type == kDLCUDAHost)
    ctx = Context{kCPU, 0};
  else if (t.device.device_type == kDLCUDA)
    ctx = Context{kGPU, t.device.device_id};
  else
    fail_value("DLPack: unsupported device type ", t.device.device_type);
  Shape shape(std::move(dims));
  size_t bytes = static_cast<size_t>(shape.size()) * dtype_size(dtype);
  char* base = static_cast<char*>(t.data) + t.byte_offset;
  std::function<void()> release;
  if (take_ownership)
    release = [m] {
      if (m->deleter) m->deleter(m);
    };
  else
    release = [] {};
  auto storage = std::make_shared<Storage>(base, bytes, ctx, std::move(release));
  return NDArray(storage, 0, shape, dtype);
}

}  // namespace loom
