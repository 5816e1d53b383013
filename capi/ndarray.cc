// C ABI: NDArray creation, copies to and from host memory, and queries.
#include "capi/common.h"
#include "core/ndarray/dlpack.h"
#include "core/ndarray/serialize.h"
#include "core/ops/matrix_ops.h"

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

std::vector<int64_t>& shape64_buffer() {
  thread_local std::vector<int64_t> v;
  return v;
}

// Returns the array's dims through `buf` (MXNDArrayGetShapeEx/Ex64): ndim -1 for an array
// with no shape, as MXNet's numpy-shape semantics say.
template <class T>
void return_shape(NDArrayHandle handle, int* out_dim, const T** out_pdata, std::vector<T>& buf) {
  require_out(out_dim, "out_dim");
  require_out(out_pdata, "out_pdata");
  const NDArray& a = arr(handle);
  buf.assign(a.shape().dims().begin(), a.shape().dims().end());
  *out_dim = a.is_none() ? -1 : static_cast<int>(buf.size());
  *out_pdata = buf.data();
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

int MXNDArrayCreateEx(const mx_uint* shape, mx_uint ndim, int dev_type, int dev_id, int delay_alloc,
                      int dtype, NDArrayHandle* out) {
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
  return guarded([&] { return_shape(handle, out_dim, out_pdata, ret().i32[0]); });
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

int MXNDArrayCreateEx64(const int64_t* shape, int ndim, int dev_type, int dev_id, int delay_alloc,
                        int dtype, NDArrayHandle* out) {
  return guarded([&] {
    require_out(out, "out");
    if (ndim < 0) fail_value("MXNDArrayCreateEx64: negative ndim ", ndim);
    if (ndim && !shape) fail_value("MXNDArrayCreateEx64: shape is NULL");
    std::vector<dim_t> dims(shape, shape + ndim);
    dtype_size(dtype);
    (void)delay_alloc;
    *out = new_ndarray(NDArray(Shape(dims), make_ctx(dev_type, dev_id), dtype));
  });
}

int MXNDArrayGetShapeEx64(NDArrayHandle handle, int* out_dim, const int64_t** out_pdata) {
  return guarded([&] { return_shape(handle, out_dim, out_pdata, shape64_buffer()); });
}

int MXNDArrayGetStorageType(NDArrayHandle handle, int* out_storage_type) {
  return guarded([&] {
    require_out(out_storage_type, "out_storage_type");
    *out_storage_type = arr(handle).is_none() ? -1 : 0;
  });
}

int MXNDArrayWaitToWrite(NDArrayHandle handle) {
  return guarded([&] { arr(handle).wait_to_read(); });
}

int MXNDArraySyncCopyFromNDArray(NDArrayHandle handle_dst, const NDArrayHandle handle_src,
                                 const int i) {
  return guarded([&] {
    NDArray& dst = arr(handle_dst, "handle_dst");
    const NDArray& src = arr(handle_src, "handle_src");
    if (i != -1)
      fail_value("MXNDArraySyncCopyFromNDArray: dense arrays have no auxiliary array ", i);
    if (dst.is_none() || src.is_none()) fail_value("MXNDArraySyncCopyFromNDArray: none array");
    dst.copy_from(src);
  });
}

int MXNDArraySlice64(NDArrayHandle handle, int64_t slice_begin, int64_t slice_end,
                     NDArrayHandle* out) {
  return guarded([&] {
    require_out(out, "out");
    *out = new_ndarray(arr(handle).slice(slice_begin, slice_end));
  });
}

int MXNDArraySlice(NDArrayHandle handle, uint32_t slice_begin, uint32_t slice_end,
                   NDArrayHandle* out) {
  return MXNDArraySlice64(handle, slice_begin, slice_end, out);
}

int MXNDArrayAt64(NDArrayHandle handle, int64_t idx, NDArrayHandle* out) {
  return guarded([&] {
    require_out(out, "out");
    *out = new_ndarray(arr(handle).at(idx));
  });
}

int MXNDArrayAt(NDArrayHandle handle, uint32_t idx, NDArrayHandle* out) {
  return MXNDArrayAt64(handle, idx, out);
}

int MXNDArrayReshape64(NDArrayHandle handle, int ndim, dim_t* dims, bool reverse,
                       NDArrayHandle* out) {
  return guarded([&] {
    require_out(out, "out");
    if (ndim < 0) fail_value("MXNDArrayReshape: negative ndim ", ndim);
    if (ndim && !dims) fail_value("MXNDArrayReshape: dims is NULL");
    const NDArray& a = arr(handle);
    if (a.is_none()) fail_value("MXNDArrayReshape: cannot reshape an empty (none) array");
    ReshapeParam p;
    p.shape = Shape(std::vector<dim_t>(dims, dims + ndim));
    p.reverse = reverse;
    Shape target = reshape_output_shape(p, a.shape());
    if (!target.known() || target.size() != a.size())
      fail_value("MXNDArrayReshape: cannot reshape an array of shape ", a.shape().str(), " to ",
                 p.shape.str(), " (gives ", target.str(), ")");
    *out = new_ndarray(a.reshape(target));
  });
}

int MXNDArrayReshape(NDArrayHandle handle, int ndim, int* dims, NDArrayHandle* out) {
  if (ndim > 0 && !dims) return MXNDArrayReshape64(handle, ndim, nullptr, false, out);
  std::vector<dim_t> d(dims, dims + (ndim > 0 ? ndim : 0));
  return MXNDArrayReshape64(handle, ndim, d.data(), false, out);
}

int MXNDArraySave(const char* fname, uint32_t num_args, NDArrayHandle* args, const char** keys) {
  return guarded([&] {
    if (!fname) fail_value("MXNDArraySave: fname is NULL");
    if (num_args && !args) fail_value("MXNDArraySave: args is NULL");
    std::vector<NDArray> arrays;
    std::vector<std::string> names;
    for (uint32_t i = 0; i < num_args; ++i) {
      arrays.push_back(arr(args[i], "MXNDArraySave: args[i]"));
      if (keys) {
        if (!keys[i]) fail_value("MXNDArraySave: keys[", i, "] is NULL");
        names.emplace_back(keys[i]);
      }
    }
    save_ndarray_file(fname, arrays, names);
  });
}

}  // extern "C"

namespace {

// MXNDArrayLoad*: checks the out-parameters, reads the arrays and names with
// load(&arrays, &names) and returns them.
template <class Load>
void load_and_return(Load&& load, uint32_t* out_size, NDArrayHandle** out_arr,
                     uint32_t* out_name_size, const char*** out_names) {
  require_out(out_size, "out_size");
  require_out(out_arr, "out_arr");
  require_out(out_name_size, "out_name_size");
  require_out(out_names, "out_names");
  std::vector<NDArray> arrays;
  std::vector<std::string> names;
  load(&arrays, &names);
  auto& r = ret();
  const char** cnames = return_strings(names);
  r.handles.clear();
  for (auto& a : arrays) r.handles.push_back(new_ndarray(std::move(a)));
  *out_size = static_cast<uint32_t>(r.handles.size());
  *out_arr = r.handles.data();
  *out_name_size = static_cast<uint32_t>(names.size());
  *out_names = cnames;
}

}  // namespace

extern "C" {

int MXNDArrayLoad(const char* fname, uint32_t* out_size, NDArrayHandle** out_arr,
                  uint32_t* out_name_size, const char*** out_names) {
  return guarded([&] {
    if (!fname) fail_value("MXNDArrayLoad: fname is NULL");
    load_and_return([&](auto* arrays, auto* names) { load_ndarray_file(fname, arrays, names); },
                    out_size, out_arr, out_name_size, out_names);
  });
}

int MXNDArrayLoadFromBuffer(const void* ndarray_buffer, size_t size, uint32_t* out_size,
                            NDArrayHandle** out_arr, uint32_t* out_name_size,
                            const char*** out_names) {
  return guarded([&] {
    if (!ndarray_buffer && size) fail_value("MXNDArrayLoadFromBuffer: buffer is NULL");
    load_and_return(
        [&](auto* arrays, auto* names) { load_ndarray_list(ndarray_buffer, size, arrays, names); },
        out_size, out_arr, out_name_size, out_names);
  });
}

int MXNDArraySaveRawBytes(NDArrayHandle handle, size_t* out_size, const char** out_buf) {
  return guarded([&] {
    require_out(out_size, "out_size");
    require_out(out_buf, "out_buf");
    std::string bytes;
    save_ndarray_record(arr(handle), &bytes);
    auto& r = ret();
    r.str = std::move(bytes);
    *out_size = r.str.size();
    *out_buf = r.str.data();
  });
}

int MXNDArrayLoadFromRawBytes(const void* buf, size_t size, NDArrayHandle* out) {
  return guarded([&] {
    require_out(out, "out");
    if (!buf && size) fail_value("MXNDArrayLoadFromRawBytes: buf is NULL");
    *out = new_ndarray(load_ndarray_record(buf, size));
  });
}

int MXNDArrayToDLPack(NDArrayHandle handle, DLManagedTensorHandle* out_dlpack) {
  return guarded([&] {
    require_out(out_dlpack, "out_dlpack");
    const NDArray& a = arr(handle);
    a.wait_to_read();
    *out_dlpack = to_dlpack(a);
  });
}

int MXNDArrayFromDLPackEx(DLManagedTensorHandle dlpack, const bool transient_handle,
                          NDArrayHandle* out_handle) {
  return guarded([&] {
    require_out(out_handle, "out_handle");
    if (!dlpack) fail_value("MXNDArrayFromDLPack: dlpack is NULL");
    *out_handle =
        new_ndarray(from_dlpack(static_cast<dlpack::DLManagedTensor*>(dlpack), !transient_handle));
  });
}

int MXNDArrayFromDLPack(DLManagedTensorHandle dlpack, NDArrayHandle* out_handle) {
  return MXNDArrayFromDLPackEx(dlpack, false, out_handle);
}

int MXNDArrayCallDLPackDeleter(DLManagedTensorHandle dlpack) {
  return guarded([&] {
    if (!dlpack) return;
    auto* t = static_cast<dlpack::DLManagedTensor*>(dlpack);
    if (t->deleter) t->deleter(t);
  });
}

}  // extern "C"
