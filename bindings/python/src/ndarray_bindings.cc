// NDArray part of the `loom._loom` extension: imperative invoke, views, save/load and DLPack,
// each a thin wrapper over one C function of loom/c_api.h (see loom_module.cc for the rules).

#include <loom/c_api.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace py = pybind11;

namespace loom_py {
[[noreturn]] void raise_last_error();
}

namespace {

using Handle = std::uintptr_t;
using HandleList = std::vector<Handle>;
using StrList = std::vector<std::string>;

void Check(int rc) {
  if (rc != 0) loom_py::raise_last_error();
}
void* Ptr(Handle h) { return reinterpret_cast<void*>(h); }
Handle ToHandle(void* p) { return reinterpret_cast<Handle>(p); }

std::vector<const char*> CStrs(const StrList& v) {
  std::vector<const char*> out;
  for (const auto& s : v) out.push_back(s.c_str());
  return out;
}

py::tuple Loaded(mx_uint n, NDArrayHandle* arr, mx_uint n_names, const char** names) {
  HandleList handles;
  for (mx_uint i = 0; i < n; ++i) handles.push_back(ToHandle(arr[i]));
  // Names go back as bytes: a corrupt file may hold invalid UTF-8, which the Python side
  // reports as a format error after taking ownership of the arrays.
  py::list keys;
  for (mx_uint i = 0; i < n_names; ++i) keys.append(py::bytes(names[i]));
  return py::make_tuple(handles, keys);
}

constexpr const char* kCapsule = "dltensor";
constexpr const char* kUsedCapsule = "used_dltensor";

void CapsuleDestructor(PyObject* capsule) {
  // A capsule nobody consumed still owns its tensor.
  if (PyCapsule_IsValid(capsule, kCapsule)) {
    void* p = PyCapsule_GetPointer(capsule, kCapsule);
    MXNDArrayCallDLPackDeleter(p);
  } else {
    PyErr_Clear();
  }
}

}  // namespace

void RegisterNDArrayBindings(py::module_& m) {
  m.def("MXImperativeInvoke",
        [](Handle creator, const HandleList& inputs, std::optional<HandleList> outputs,
           const StrList& keys, const StrList& vals, bool is_train) {
          std::vector<NDArrayHandle> in;
          for (Handle h : inputs) in.push_back(Ptr(h));
          auto k = CStrs(keys), v = CStrs(vals);
          std::vector<NDArrayHandle> given;
          NDArrayHandle* out_arr = nullptr;
          int n_out = 0;
          if (outputs) {
            for (Handle h : *outputs) given.push_back(Ptr(h));
            out_arr = given.data();
            n_out = static_cast<int>(given.size());
            if (given.empty()) out_arr = nullptr;
          }
          int rc;
          {
            py::gil_scoped_release release;
            rc = MXImperativeInvokeLoom(Ptr(creator), static_cast<int>(in.size()), in.data(),
                                        &n_out, &out_arr, static_cast<int>(k.size()), k.data(),
                                        v.data(), is_train ? 1 : 0, 0);
          }
          Check(rc);
          HandleList result;
          for (int i = 0; i < n_out; ++i) result.push_back(ToHandle(out_arr[i]));
          return result;
        });
  m.def("MXNDArrayCreateEx64", [](const std::vector<int64_t>& shape, int dev_type, int dev_id,
                                  int delay_alloc, int dtype) {
    NDArrayHandle out = nullptr;
    Check(MXNDArrayCreateEx64(shape.data(), static_cast<int>(shape.size()), dev_type, dev_id,
                              delay_alloc, dtype, &out));
    return ToHandle(out);
  });
  m.def("MXNDArraySyncCopyFromNDArray", [](Handle dst, Handle src) {
    Check(MXNDArraySyncCopyFromNDArray(Ptr(dst), Ptr(src), -1));
  });
  m.def("MXNDArrayWaitToWrite", [](Handle h) { Check(MXNDArrayWaitToWrite(Ptr(h))); });
  m.def("MXNDArrayGetStorageType", [](Handle h) {
    int s = 0;
    Check(MXNDArrayGetStorageType(Ptr(h), &s));
    return s;
  });
  m.def("MXNDArraySlice64", [](Handle h, int64_t begin, int64_t end) {
    NDArrayHandle out = nullptr;
    Check(MXNDArraySlice64(Ptr(h), begin, end, &out));
    return ToHandle(out);
  });
  m.def("MXNDArrayAt64", [](Handle h, int64_t idx) {
    NDArrayHandle out = nullptr;
    Check(MXNDArrayAt64(Ptr(h), idx, &out));
    return ToHandle(out);
  });
  m.def("MXNDArrayReshape64", [](Handle h, std::vector<int64_t> dims, bool reverse) {
    NDArrayHandle out = nullptr;
    Check(MXNDArrayReshape64(Ptr(h), static_cast<int>(dims.size()), dims.data(), reverse, &out));
    return ToHandle(out);
  });
  m.def("MXNDArraySave",
        [](const std::string& fname, const HandleList& arrays, std::optional<StrList> keys) {
          std::vector<NDArrayHandle> hs;
          for (Handle h : arrays) hs.push_back(Ptr(h));
          std::vector<const char*> k;
          if (keys) k = CStrs(*keys);
          Check(MXNDArraySave(fname.c_str(), static_cast<uint32_t>(hs.size()), hs.data(),
                              keys ? k.data() : nullptr));
        });
  m.def("MXNDArrayLoad", [](const std::string& fname) {
    uint32_t n = 0, n_names = 0;
    NDArrayHandle* arr = nullptr;
    const char** names = nullptr;
    Check(MXNDArrayLoad(fname.c_str(), &n, &arr, &n_names, &names));
    return Loaded(n, arr, n_names, names);
  });
  m.def("MXNDArrayLoadFromBuffer", [](const py::bytes& buf) {
    std::string data = buf;
    uint32_t n = 0, n_names = 0;
    NDArrayHandle* arr = nullptr;
    const char** names = nullptr;
    Check(MXNDArrayLoadFromBuffer(data.data(), data.size(), &n, &arr, &n_names, &names));
    return Loaded(n, arr, n_names, names);
  });
  m.def("MXNDArraySaveRawBytes", [](Handle h) {
    size_t size = 0;
    const char* buf = nullptr;
    Check(MXNDArraySaveRawBytes(Ptr(h), &size, &buf));
    return py::bytes(buf, size);
  });
  m.def("MXNDArrayLoadFromRawBytes", [](const py::bytes& buf) {
    std::string data = buf;
    NDArrayHandle out = nullptr;
    Check(MXNDArrayLoadFromRawBytes(data.data(), data.size(), &out));
    return ToHandle(out);
  });
  m.def("MXNDArrayToDLPack", [](Handle h) {
    DLManagedTensorHandle t = nullptr;
    Check(MXNDArrayToDLPack(Ptr(h), &t));
    PyObject* cap = PyCapsule_New(t, kCapsule, CapsuleDestructor);
    if (!cap) {
      MXNDArrayCallDLPackDeleter(t);
      throw py::error_already_set();
    }
    return py::reinterpret_steal<py::object>(cap);
  });
  m.def("MXNDArrayFromDLPack", [](py::object capsule) {
    if (!PyCapsule_IsValid(capsule.ptr(), kCapsule))
      throw py::value_error("from_dlpack expects an unconsumed DLPack capsule named 'dltensor'");
    void* t = PyCapsule_GetPointer(capsule.ptr(), kCapsule);
    NDArrayHandle out = nullptr;
    Check(MXNDArrayFromDLPackEx(t, false, &out));
    PyCapsule_SetName(capsule.ptr(), kUsedCapsule);
    return ToHandle(out);
  });
}
