// The `loom._loom` extension: a thin pybind11 layer over the Loom C ABI (loom/c_api.h).
//
// It converts Python values to C arrays and back and turns a -1 return into the exception that
// loom.base builds from MXGetLastError(). It holds no state and makes no decisions: the C ABI
// is the one contract shared by C, Python and Scala users, so everything a Python user sees is
// written in the pure-Python package on top. Handles cross as Python ints (0 is NULL); the
// Python objects that own them call the matching *Free.

#include <loom/c_api.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace py = pybind11;

namespace {

using Handle = std::uintptr_t;
using StrList = std::vector<std::string>;
using HandleList = std::vector<Handle>;

// Set once by loom.base; it builds the right MXNetError subclass from a message. Kept as a
// raw, never-released reference so it outlives module teardown at interpreter exit.
PyObject* g_error_factory = nullptr;

[[noreturn]] void RaiseLastError() {
  const char* msg = MXGetLastError();
  std::string text = msg != nullptr ? msg : "";
  if (g_error_factory == nullptr) throw std::runtime_error(text);
  py::object exc = py::reinterpret_borrow<py::object>(g_error_factory)(text);
  PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(exc.ptr())), exc.ptr());
  throw py::error_already_set();
}

// Must run with the GIL held: raising builds Python objects.
void Check(int rc) {
  if (rc != 0) RaiseLastError();
}

void* Ptr(Handle h) { return reinterpret_cast<void*>(h); }
Handle ToHandle(void* p) { return reinterpret_cast<Handle>(p); }

// Keeps std::strings alive while the C call reads their const char* view.
class CStrings {
 public:
  explicit CStrings(const StrList& strs) : strs_(strs) {
    ptrs_.reserve(strs_.size());
    for (const auto& s : strs_) ptrs_.push_back(s.c_str());
  }
  const char** data() { return ptrs_.empty() ? nullptr : ptrs_.data(); }
  mx_uint size() const { return static_cast<mx_uint>(ptrs_.size()); }

 private:
  StrList strs_;
  std::vector<const char*> ptrs_;
};

// NULL keys mean "positional" to several C calls, so None and [] must stay distinct.
const char** KeysOrNull(std::optional<CStrings>& keys) { return keys ? keys->data() : nullptr; }

std::vector<void*> ToPtrs(const HandleList& hs) {
  std::vector<void*> out;
  out.reserve(hs.size());
  for (Handle h : hs) out.push_back(Ptr(h));
  return out;
}

StrList ToStrings(mx_uint n, const char** arr) {
  StrList out;
  out.reserve(n);
  for (mx_uint i = 0; i < n; ++i) out.emplace_back(arr[i]);
  return out;
}

HandleList ToHandles(mx_uint n, void** arr) {
  HandleList out;
  out.reserve(n);
  for (mx_uint i = 0; i < n; ++i) out.push_back(arr != nullptr ? ToHandle(arr[i]) : 0);
  return out;
}

// A C-contiguous view of any buffer-protocol object (numpy arrays in practice).
class BufferView {
 public:
  BufferView(py::handle obj, bool writable) {
    int flags = PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0);
    if (PyObject_GetBuffer(obj.ptr(), &view_, flags) != 0) throw py::error_already_set();
  }
  ~BufferView() { PyBuffer_Release(&view_); }
  BufferView(const BufferView&) = delete;
  BufferView& operator=(const BufferView&) = delete;

  void* data() const { return view_.buf; }
  size_t count() const {
    return view_.itemsize > 0 ? static_cast<size_t>(view_.len / view_.itemsize) : 0;
  }

 private:
  Py_buffer view_{};
};

using ShapeList = std::vector<py::tuple>;

template <class Dim>
ShapeList ToShapes(mx_uint n, const Dim* ndim, const Dim** data) {
  ShapeList out;
  out.reserve(n);
  for (mx_uint i = 0; i < n; ++i) {
    py::tuple t(ndim[i]);
    for (Dim j = 0; j < ndim[i]; ++j) t[j] = py::int_(data[i][j]);
    out.push_back(std::move(t));
  }
  return out;
}

using InferShapeFn = int (*)(SymbolHandle, mx_uint, const char**, const mx_uint*, const mx_uint*,
                             mx_uint*, const mx_uint**, const mx_uint***, mx_uint*, const mx_uint**,
                             const mx_uint***, mx_uint*, const mx_uint**, const mx_uint***, int*);

py::tuple InferShape(InferShapeFn fn, Handle sym, std::optional<StrList> keys,
                     const std::vector<mx_uint>& ind_ptr, const std::vector<mx_uint>& data) {
  std::optional<CStrings> ckeys;
  if (keys) ckeys.emplace(*keys);
  mx_uint num_args = ind_ptr.empty() ? 0 : static_cast<mx_uint>(ind_ptr.size() - 1);
  mx_uint in_n = 0, out_n = 0, aux_n = 0;
  const mx_uint *in_ndim = nullptr, *out_ndim = nullptr, *aux_ndim = nullptr;
  const mx_uint **in_data = nullptr, **out_data = nullptr, **aux_data = nullptr;
  int complete = 0;
  Check(fn(Ptr(sym), num_args, KeysOrNull(ckeys), ind_ptr.data(), data.data(), &in_n, &in_ndim,
           &in_data, &out_n, &out_ndim, &out_data, &aux_n, &aux_ndim, &aux_data, &complete));
  return py::make_tuple(ToShapes(in_n, in_ndim, in_data), ToShapes(out_n, out_ndim, out_data),
                        ToShapes(aux_n, aux_ndim, aux_data), complete != 0);
}

using InferTypeFn = int (*)(SymbolHandle, mx_uint, const char**, const int*, mx_uint*,
                           const int**, mx_uint*, const int**, mx_uint*, const int**, int*);

py::tuple InferType(InferTypeFn fn, Handle sym, std::optional<StrList> keys,
                    const std::vector<int>& types) {
  std::optional<CStrings> ckeys;
  if (keys) ckeys.emplace(*keys);
  mx_uint in_n = 0, out_n = 0, aux_n = 0;
  const int *in_t = nullptr, *out_t = nullptr, *aux_t = nullptr;
  int complete = 0;
  Check(fn(Ptr(sym), static_cast<mx_uint>(types.size()), KeysOrNull(ckeys), types.data(), &in_n,
           &in_t, &out_n, &out_t, &aux_n, &aux_t, &complete));
  return py::make_tuple(std::vector<int>(in_t, in_t + in_n),
                        std::vector<int>(out_t, out_t + out_n),
                        std::vector<int>(aux_t, aux_t + aux_n), complete != 0);
}

using StrListFn = int (*)(SymbolHandle, mx_uint*, const char***);

StrList ListStrings(StrListFn fn, Handle sym) {
  mx_uint n = 0;
  const char** arr = nullptr;
  Check(fn(Ptr(sym), &n, &arr));
  return ToStrings(n, arr);
}

using SymbolToSymbolFn = int (*)(SymbolHandle, SymbolHandle*);

Handle SymbolToSymbol(SymbolToSymbolFn fn, Handle sym) {
  SymbolHandle out = nullptr;
  Check(fn(Ptr(sym), &out));
  return ToHandle(out);
}

}  // namespace

// NDArray bindings live in ndarray_bindings.cc and raise through this.
namespace loom_py {
[[noreturn]] void raise_last_error() { RaiseLastError(); }
}  // namespace loom_py
void RegisterNDArrayBindings(py::module_& m);
void RegisterExecutorBindings(py::module_& m);  // executor_bindings.cc

PYBIND11_MODULE(_loom, m) {
  m.doc() = "Thin wrappers over the Loom C ABI (loom/c_api.h). Use the `loom` package instead.";

  m.def("_set_error_factory", [](py::object factory) {
    Py_XDECREF(g_error_factory);
    g_error_factory = factory.release().ptr();
  });

  // ---------------------------------------------------------------- errors and registry
  m.def("MXGetLastError", [] { return std::string(MXGetLastError()); });
  m.def("MXGetVersion", [] {
    int v = 0;
    Check(MXGetVersion(&v));
    return v;
  });
  m.def("MXGetGPUCount", [] {
    int n = 0;
    Check(MXGetGPUCount(&n));
    return n;
  });
  m.def("MXRandomSeed", [](int seed) { Check(MXRandomSeed(seed)); });
  m.def("MXListAllOpNames", [] {
    mx_uint n = 0;
    const char** names = nullptr;
    Check(MXListAllOpNames(&n, &names));
    return ToStrings(n, names);
  });
  m.def("MXSymbolListAtomicSymbolCreators", [] {
    mx_uint n = 0;
    AtomicSymbolCreator* creators = nullptr;
    Check(MXSymbolListAtomicSymbolCreators(&n, &creators));
    return ToHandles(n, creators);
  });
  m.def("MXSymbolGetAtomicSymbolName", [](Handle creator) {
    const char* name = nullptr;
    Check(MXSymbolGetAtomicSymbolName(Ptr(creator), &name));
    return std::string(name);
  });
  // Returns (name, description, arg_names, arg_type_infos, arg_descriptions, key_var_num_args,
  // return_type or None).
  m.def("MXSymbolGetAtomicSymbolInfo", [](Handle creator) {
    const char *name = nullptr, *desc = nullptr, *key_var = nullptr, *ret_type = nullptr;
    mx_uint n = 0;
    const char **names = nullptr, **types = nullptr, **descs = nullptr;
    Check(MXSymbolGetAtomicSymbolInfo(Ptr(creator), &name, &desc, &n, &names, &types, &descs,
                                      &key_var, &ret_type));
    py::object ret = ret_type != nullptr ? py::object(py::str(ret_type)) : py::none();
    return py::make_tuple(std::string(name), std::string(desc != nullptr ? desc : ""),
                          ToStrings(n, names), ToStrings(n, types), ToStrings(n, descs),
                          std::string(key_var != nullptr ? key_var : ""), ret);
  });
  m.def("NNGetOpHandle", [](const std::string& name) {
    void* op = nullptr;
    Check(NNGetOpHandle(name.c_str(), &op));
    return ToHandle(op);
  });

  // ---------------------------------------------------------------- symbols
  m.def("MXSymbolCreateVariable", [](const std::string& name) {
    SymbolHandle out = nullptr;
    Check(MXSymbolCreateVariable(name.c_str(), &out));
    return ToHandle(out);
  });
  m.def("MXSymbolCreateAtomicSymbol", [](Handle creator, const StrList& keys, const StrList& vals) {
    if (keys.size() != vals.size()) throw py::value_error("keys and vals differ in length");
    CStrings ck(keys), cv(vals);
    SymbolHandle out = nullptr;
    Check(MXSymbolCreateAtomicSymbol(Ptr(creator), ck.size(), ck.data(), cv.data(), &out));
    return ToHandle(out);
  });
  m.def("MXSymbolCreateGroup", [](const HandleList& symbols) {
    auto ptrs = ToPtrs(symbols);
    SymbolHandle out = nullptr;
    Check(MXSymbolCreateGroup(static_cast<mx_uint>(ptrs.size()), ptrs.data(), &out));
    return ToHandle(out);
  });
  m.def("MXSymbolCreateFromJSON", [](const std::string& json) {
    SymbolHandle out = nullptr;
    Check(MXSymbolCreateFromJSON(json.c_str(), &out));
    return ToHandle(out);
  });
  m.def("MXSymbolCreateFromFile", [](const std::string& fname) {
    SymbolHandle out = nullptr;
    Check(MXSymbolCreateFromFile(fname.c_str(), &out));
    return ToHandle(out);
  });
  m.def("MXSymbolSaveToJSON", [](Handle sym) {
    const char* json = nullptr;
    Check(MXSymbolSaveToJSON(Ptr(sym), &json));
    return std::string(json);
  });
  m.def("MXSymbolSaveToFile", [](Handle sym, const std::string& fname) {
    Check(MXSymbolSaveToFile(Ptr(sym), fname.c_str()));
  });
  m.def("MXSymbolFree", [](Handle sym) { Check(MXSymbolFree(Ptr(sym))); });
  m.def("MXSymbolCopy", [](Handle sym) { return SymbolToSymbol(MXSymbolCopy, sym); });
  m.def("MXSymbolPrint", [](Handle sym) {
    const char* s = nullptr;
    Check(MXSymbolPrint(Ptr(sym), &s));
    return std::string(s);
  });
  m.def("MXSymbolGetName", [](Handle sym) -> std::optional<std::string> {
    const char* name = nullptr;
    int success = 0;
    Check(MXSymbolGetName(Ptr(sym), &name, &success));
    if (success == 0 || name == nullptr) return std::nullopt;
    return std::string(name);
  });
  m.def("MXSymbolGetAttr", [](Handle sym, const std::string& key) -> std::optional<std::string> {
    const char* value = nullptr;
    int success = 0;
    Check(MXSymbolGetAttr(Ptr(sym), key.c_str(), &value, &success));
    if (success == 0 || value == nullptr) return std::nullopt;
    return std::string(value);
  });
  m.def("MXSymbolSetAttr", [](Handle sym, const std::string& key, const std::string& value) {
    Check(MXSymbolSetAttr(Ptr(sym), key.c_str(), value.c_str()));
  });
  // Both attribute listings come back flat: [k0, v0, k1, v1, ...].
  m.def("MXSymbolListAttr", [](Handle sym) {
    mx_uint n = 0;
    const char** kv = nullptr;
    Check(MXSymbolListAttr(Ptr(sym), &n, &kv));
    return ToStrings(2 * n, kv);
  });
  m.def("MXSymbolListAttrShallow", [](Handle sym) {
    mx_uint n = 0;
    const char** kv = nullptr;
    Check(MXSymbolListAttrShallow(Ptr(sym), &n, &kv));
    return ToStrings(2 * n, kv);
  });
  m.def("MXSymbolListArguments",
        [](Handle sym) { return ListStrings(MXSymbolListArguments, sym); });
  m.def("MXSymbolListOutputs", [](Handle sym) { return ListStrings(MXSymbolListOutputs, sym); });
  m.def("MXSymbolListAuxiliaryStates",
        [](Handle sym) { return ListStrings(MXSymbolListAuxiliaryStates, sym); });
  m.def("MXSymbolGetNumOutputs", [](Handle sym) {
    mx_uint n = 0;
    Check(MXSymbolGetNumOutputs(Ptr(sym), &n));
    return n;
  });
  m.def("MXSymbolGetOutput", [](Handle sym, mx_uint index) {
    SymbolHandle out = nullptr;
    Check(MXSymbolGetOutput(Ptr(sym), index, &out));
    return ToHandle(out);
  });
  m.def("MXSymbolGetInternals",
        [](Handle sym) { return SymbolToSymbol(MXSymbolGetInternals, sym); });
  m.def("MXSymbolGetChildren", [](Handle sym) { return SymbolToSymbol(MXSymbolGetChildren, sym); });
  m.def("MXSymbolRemoveAmpCast",
        [](Handle sym) { return SymbolToSymbol(MXSymbolRemoveAmpCast, sym); });
  m.def("MXShallowCopySymbol", [](Handle sym) { return SymbolToSymbol(MXShallowCopySymbol, sym); });
  // option: 0 every variable, 1 arguments only, 2 auxiliary states only.
  m.def("NNSymbolListInputNames", [](Handle sym, int option) {
    mx_uint n = 0;
    const char** arr = nullptr;
    Check(NNSymbolListInputNames(Ptr(sym), option, &n, &arr));
    return ToStrings(n, arr);
  });
  // New handles, one per variable; the caller's Symbol objects take ownership.
  m.def("MXSymbolGetInputSymbols", [](Handle sym) {
    SymbolHandle* inputs = nullptr;
    int n = 0;
    Check(MXSymbolGetInputSymbols(Ptr(sym), &inputs, &n));
    return ToHandles(static_cast<mx_uint>(n), inputs);
  });
  m.def("MXSymbolGrad", [](Handle sym, const StrList& wrt) {
    CStrings cwrt(wrt);
    SymbolHandle out = nullptr;
    Check(MXSymbolGrad(Ptr(sym), cwrt.size(), cwrt.data(), &out));
    return ToHandle(out);
  });
  // keys=None composes positionally.
  m.def("MXSymbolCompose", [](Handle sym, std::optional<std::string> name,
                              std::optional<StrList> keys, const HandleList& args) {
    std::optional<CStrings> ckeys;
    if (keys) {
      if (keys->size() != args.size()) throw py::value_error("keys and args differ in length");
      ckeys.emplace(*keys);
    }
    auto ptrs = ToPtrs(args);
    Check(MXSymbolCompose(Ptr(sym), name ? name->c_str() : nullptr,
                          static_cast<mx_uint>(ptrs.size()), KeysOrNull(ckeys),
                          ptrs.empty() ? nullptr : ptrs.data()));
  });
  // Shapes in CSR form (ind_ptr has one offset per argument plus one); returns
  // (arg_shapes, out_shapes, aux_shapes, complete), unknown dims as 0.
  m.def("MXSymbolInferShape",
        [](Handle sym, std::optional<StrList> keys, const std::vector<mx_uint>& ind_ptr,
           const std::vector<mx_uint>& data) {
          return InferShape(MXSymbolInferShape, sym, std::move(keys), ind_ptr, data);
        });
  m.def("MXSymbolInferShapePartial",
        [](Handle sym, std::optional<StrList> keys, const std::vector<mx_uint>& ind_ptr,
           const std::vector<mx_uint>& data) {
          return InferShape(MXSymbolInferShapePartial, sym, std::move(keys), ind_ptr, data);
        });
  // Types as MXNet flags, -1 unknown; returns (arg_types, out_types, aux_types, complete).
  m.def("MXSymbolInferType", [](Handle sym, std::optional<StrList> keys,
                                const std::vector<int>& types) {
    return InferType(MXSymbolInferType, sym, std::move(keys), types);
  });
  m.def("MXSymbolInferTypePartial", [](Handle sym, std::optional<StrList> keys,
                                       const std::vector<int>& types) {
    return InferType(MXSymbolInferTypePartial, sym, std::move(keys), types);
  });

  // ---------------------------------------------------------------- ndarrays
  m.def("MXNDArrayCreateNone", [] {
    NDArrayHandle out = nullptr;
    Check(MXNDArrayCreateNone(&out));
    return ToHandle(out);
  });
  m.def("MXNDArrayCreateEx", [](const std::vector<mx_uint>& shape, int dev_type, int dev_id,
                                int delay_alloc, int dtype) {
    NDArrayHandle out = nullptr;
    Check(MXNDArrayCreateEx(shape.data(), static_cast<mx_uint>(shape.size()), dev_type, dev_id,
                            delay_alloc, dtype, &out));
    return ToHandle(out);
  });
  // The element count passed to C is the buffer's; the caller matches dtypes.
  m.def("MXNDArraySyncCopyFromCPU", [](Handle arr, py::object source) {
    BufferView buf(source, false);
    int rc;
    {
      py::gil_scoped_release nogil;
      rc = MXNDArraySyncCopyFromCPU(Ptr(arr), buf.data(), buf.count());
    }
    Check(rc);
  });
  m.def("MXNDArraySyncCopyToCPU", [](Handle arr, py::object target) {
    BufferView buf(target, true);
    int rc;
    {
      py::gil_scoped_release nogil;
      rc = MXNDArraySyncCopyToCPU(Ptr(arr), buf.data(), buf.count());
    }
    Check(rc);
  });
  // None when the shape is unknown (ndim -1).
  m.def("MXNDArrayGetShapeEx", [](Handle arr) -> py::object {
    int ndim = 0;
    const int* dims = nullptr;
    Check(MXNDArrayGetShapeEx(Ptr(arr), &ndim, &dims));
    if (ndim < 0) return py::none();
    py::tuple t(ndim);
    for (int i = 0; i < ndim; ++i) t[i] = py::int_(dims[i]);
    return t;
  });
  m.def("MXNDArrayGetDType", [](Handle arr) {
    int dtype = 0;
    Check(MXNDArrayGetDType(Ptr(arr), &dtype));
    return dtype;
  });
  m.def("MXNDArrayGetContext", [](Handle arr) {
    int dev_type = 0, dev_id = 0;
    Check(MXNDArrayGetContext(Ptr(arr), &dev_type, &dev_id));
    return std::make_tuple(dev_type, dev_id);
  });
  m.def("MXNDArrayGetData", [](Handle arr) {
    void* p = nullptr;
    Check(MXNDArrayGetData(Ptr(arr), &p));
    return ToHandle(p);
  });
  m.def("MXNDArrayWaitToRead", [](Handle arr) {
    int rc;
    {
      py::gil_scoped_release nogil;
      rc = MXNDArrayWaitToRead(Ptr(arr));
    }
    Check(rc);
  });
  m.def("MXNDArrayWaitAll", [] {
    int rc;
    {
      py::gil_scoped_release nogil;
      rc = MXNDArrayWaitAll();
    }
    Check(rc);
  });
  m.def("MXNDArrayFree", [](Handle arr) { Check(MXNDArrayFree(Ptr(arr))); });
  RegisterNDArrayBindings(m);

  // ---------------------------------------------------------------- executors
  // arg_grads entries of 0 mean "no gradient" for that argument.
  m.def("MXExecutorBindEX", [](Handle sym, int dev_type, int dev_id, const StrList& map_keys,
                               const std::vector<int>& map_dev_types,
                               const std::vector<int>& map_dev_ids, const HandleList& in_args,
                               const HandleList& arg_grads, std::vector<mx_uint> grad_reqs,
                               const HandleList& aux_states, Handle shared_exec) {
    if (arg_grads.size() != in_args.size() || grad_reqs.size() != in_args.size())
      throw py::value_error("in_args, arg_grads and grad_reqs differ in length");
    if (map_dev_types.size() != map_keys.size() || map_dev_ids.size() != map_keys.size())
      throw py::value_error("group2ctx keys, device types and ids differ in length");
    CStrings keys(map_keys);
    auto args = ToPtrs(in_args), grads = ToPtrs(arg_grads), aux = ToPtrs(aux_states);
    ExecutorHandle out = nullptr;
    int rc;
    {
      py::gil_scoped_release nogil;
      rc = MXExecutorBindEX(
          Ptr(sym), dev_type, dev_id, keys.size(), keys.data(), map_dev_types.data(),
          map_dev_ids.data(), static_cast<mx_uint>(args.size()), args.data(), grads.data(),
          grad_reqs.data(), static_cast<mx_uint>(aux.size()), aux.data(), Ptr(shared_exec), &out);
    }
    Check(rc);
    return ToHandle(out);
  });
  // Returns (executor, in_args, arg_grads (0 where no gradient), aux_states,
  // (updated shared buffer names, handles) or None).
  m.def("MXExecutorSimpleBindEx",
        [](Handle sym, int dev_type, int dev_id, const StrList& g2c_keys,
           const std::vector<int>& g2c_dev_types, const std::vector<int>& g2c_dev_ids,
           mx_uint grad_req_list_len, std::optional<StrList> grad_req_names,
           std::optional<StrList> grad_req_types, const StrList& shape_names,
           const std::vector<int>& shape_data, const std::vector<mx_uint>& shape_idx,
           const StrList& dtype_names, const std::vector<int>& dtypes, const StrList& stype_names,
           const std::vector<int>& stypes, const StrList& shared_arg_names,
           std::optional<std::pair<StrList, HandleList>> shared_buffer, Handle shared_exec) {
          if (shape_idx.size() != shape_names.size() + 1)
            throw py::value_error("shape_idx must have one offset per shape name plus one");
          if (dtypes.size() != dtype_names.size() || stypes.size() != stype_names.size())
            throw py::value_error("type names and values differ in length");
          CStrings c_g2c(g2c_keys), c_shape_names(shape_names), c_dtype_names(dtype_names),
              c_stype_names(stype_names), c_shared_args(shared_arg_names);
          std::optional<CStrings> c_req_names, c_req_types;
          if (grad_req_names) c_req_names.emplace(*grad_req_names);
          if (grad_req_types) c_req_types.emplace(*grad_req_types);
          int shared_len = -1;
          std::optional<CStrings> c_buf_names;
          std::vector<void*> buf_handles;
          if (shared_buffer) {
            c_buf_names.emplace(shared_buffer->first);
            buf_handles = ToPtrs(shared_buffer->second);
            shared_len = static_cast<int>(buf_handles.size());
          }
          const char** updated_names = nullptr;
          NDArrayHandle* updated_handles = nullptr;
          mx_uint num_in = 0, num_aux = 0;
          NDArrayHandle *in_args = nullptr, *arg_grads = nullptr, *aux_states = nullptr;
          ExecutorHandle out = nullptr;
          int rc;
          {
            py::gil_scoped_release nogil;
            rc = MXExecutorSimpleBindEx(
                Ptr(sym), dev_type, dev_id, c_g2c.size(), c_g2c.data(), g2c_dev_types.data(),
                g2c_dev_ids.data(), grad_req_list_len, KeysOrNull(c_req_names),
                KeysOrNull(c_req_types), c_shape_names.size(), c_shape_names.data(),
                shape_data.data(), shape_idx.data(), c_dtype_names.size(), c_dtype_names.data(),
                dtypes.data(), c_stype_names.size(), c_stype_names.data(), stypes.data(),
                c_shared_args.size(), c_shared_args.data(), &shared_len, KeysOrNull(c_buf_names),
                buf_handles.empty() ? nullptr : buf_handles.data(), &updated_names,
                &updated_handles, &num_in, &in_args, &arg_grads, &num_aux, &aux_states,
                Ptr(shared_exec), &out);
          }
          Check(rc);
          // Copy everything out before any other Loom call reuses the thread-local arrays.
          py::object updated = py::none();
          if (shared_buffer && shared_len >= 0) {
            auto n = static_cast<mx_uint>(shared_len);
            updated = py::make_tuple(ToStrings(n, updated_names), ToHandles(n, updated_handles));
          }
          return py::make_tuple(ToHandle(out), ToHandles(num_in, in_args),
                                ToHandles(num_in, arg_grads), ToHandles(num_aux, aux_states),
                                updated);
        });
  m.def("MXExecutorForward", [](Handle exec, int is_train) {
    int rc;
    {
      py::gil_scoped_release nogil;
      rc = MXExecutorForward(Ptr(exec), is_train);
    }
    Check(rc);
  });
  m.def("MXExecutorBackward", [](Handle exec, const HandleList& head_grads) {
    auto heads = ToPtrs(head_grads);
    int rc;
    {
      py::gil_scoped_release nogil;
      rc = MXExecutorBackward(Ptr(exec), static_cast<mx_uint>(heads.size()),
                              heads.empty() ? nullptr : heads.data());
    }
    Check(rc);
  });
  // head_grads entries of 0 pass NULL (allowed for outputs whose gradient is not read).
  m.def("MXExecutorBackwardEx", [](Handle exec, const HandleList& head_grads, int is_train) {
    auto heads = ToPtrs(head_grads);
    int rc;
    {
      py::gil_scoped_release nogil;
      rc = MXExecutorBackwardEx(Ptr(exec), static_cast<mx_uint>(heads.size()),
                                heads.empty() ? nullptr : heads.data(), is_train);
    }
    Check(rc);
  });
  m.def("MXExecutorOutputs", [](Handle exec) {
    mx_uint n = 0;
    NDArrayHandle* outs = nullptr;
    Check(MXExecutorOutputs(Ptr(exec), &n, &outs));
    return ToHandles(n, outs);
  });
  m.def("MXExecutorPrint", [](Handle exec) {
    const char* s = nullptr;
    Check(MXExecutorPrint(Ptr(exec), &s));
    return std::string(s);
  });
  m.def("MXExecutorFree", [](Handle exec) { Check(MXExecutorFree(Ptr(exec))); });
  RegisterExecutorBindings(m);
}
