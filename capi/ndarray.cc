// C ABI: NDArray creation, copies to and from host memory, and queries.
#include "capi/common.h"

using namespace loom;
using namespace loom::capi;

namespace {

NDArray& arr(NDArrayHandle h, const char* what = "handle") { return *ndarrays().get(h, what); }

Context make_ctx(int dev_type, int dev_id) {
  if (dev_type != kCPU && dev_type != kGPU && dev_type != kCPUPinned)
    fail_value("unknown device type ", dev_type, " (1 cpu, 2 gpu, 3 cpu_pinned)");
  if (dev_id < 0) fail_value("negative device id ", dev_id);
  if (dev_type == kGPU) {
    int n = device_api(kGPU).device_count();
    if (dev_id >= n) fail_value("gpu(", dev_id, ") is not available: ", n, " GPU(s) found");
  }
  return Context{dev_type == kCPUPinned ? kCPU : dev_type, dev_id};
}

}  // namespace

namespace loom::capi {
Context context_of(int dev_type, int dev_id) { return make_ctx(dev_type, dev_id); }
}  // namespace loom::capi

extern "C" {

int MXNDArrayCreateNone(NDArrayHandle* out) {
  return guarded([&] {
    require_out(out, "out");
    *out = new_ndarray(NDArray());
  });
}

int MXNDArrayCreateEx(const mx_uint* shape, mx_uint ndim, int dev_type, int dev_id,
                      int delay_alloc, int dtype, NDArrayHandle* out) {
  return guarded([&] {
    require_out(out, "out");
    if (ndim && !shape) fail_value("MXNDArrayCreateEx: shape is NULL");
    std::vector<dim_t> dims(shape, shape + ndim);
    dtype_size(dtype);  // validates the flag
    (void)delay_alloc;
    *out = new_ndarray(NDArray(Shape(dims), make_ctx(dev_type, dev_id), dtype));
  });
}

int MXNDArrayCreate(const mx_uint* shape, mx_uint ndim, int dev_type, int dev_id, int delay_alloc,
                    NDArrayHandle* out) {
  return MXNDArrayCreateEx(shape, ndim, dev_type, dev_id, delay_alloc, kFloat32, out);
}

int MXNDArraySyncCopyFromCPU(NDArrayHandle handle, const void* data, size_t size) {
  return guarded([&] {
    NDArray& a = arr(handle);
    if (size && !data) fail_value("MXNDArraySyncCopyFromCPU: data is NULL");
    a.copy_from_host(data, size);
  });
}

int MXNDArraySyncCopyToCPU(NDArrayHandle handle, void* data, size_t size) {
  return guarded([&] {
    const NDArray& a = arr(handle);
    if (size && !data) fail_value("MXNDArraySyncCopyToCPU: data is NULL");
    a.copy_to_host(data, size);
  });
}

int MXNDArrayGetShape(NDArrayHandle handle, mx_uint* out_dim, const mx_uint** out_pdata) {
  return guarded([&] {
    require_out(out_dim, "out_dim");
    require_out(out_pdata, "out_pdata");
    const NDArray& a = arr(handle);
    auto& r = ret();
    r.u32[0].assign(a.shape().dims().begin(), a.shape().dims().end());
    *out_dim = static_cast<mx_uint>(r.u32[0].size());
    *out_pdata = r.u32[0].data();
  });
}

int MXNDArrayGetShapeEx(NDArrayHandle handle, int* out_dim, const int** out_pdata) {
  return guarded([&] {
    require_out(out_dim, "out_dim");
    require_out(out_pdata, "out_pdata");
    const NDArray& a = arr(handle);
    auto& r = ret();
    r.i32[0].assign(a.shape().dims().begin(), a.shape().dims().end());
    *out_dim = a.is_none() ? -1 : static_cast<int>(r.i32[0].size());
    *out_pdata = r.i32[0].data();
  });
}

int MXNDArrayGetDType(NDArrayHandle handle, int* out_dtype) {
  return guarded([&] {
    require_out(out_dtype, "out_dtype");
    *out_dtype = arr(handle).dtype();
  });
}

int MXNDArrayGetContext(NDArrayHandle handle, int* out_dev_type, int* out_dev_id) {
  return guarded([&] {
    require_out(out_dev_type, "out_dev_type");
    require_out(out_dev_id, "out_dev_id");
    Context c = arr(handle).ctx();
    *out_dev_type = c.dev_type;
    *out_dev_id = c.dev_id;
  });
}

int MXNDArrayGetData(NDArrayHandle handle, void** out_pdata) {
  return guarded([&] {
    require_out(out_pdata, "out_pdata");
    *out_pdata = arr(handle).data();
  });
}

int MXNDArrayWaitToRead(NDArrayHandle handle) {
  return guarded([&] { arr(handle).wait_to_read(); });
}

int MXNDArrayWaitAll(void) {
  return guarded([&] {
    int n = 0;
    try {
      n = device_api(kGPU).device_count();
    } catch (const Error&) {
      n = 0;
    }
    for (int i = 0; i < n; ++i) device_api(kGPU).sync(Context{kGPU, i});
  });
}

int MXNDArrayFree(NDArrayHandle handle) {
  return guarded([&] { ndarrays().free(handle, "NDArray handle"); });
}

}  // extern "C"
