// Executor wrappers added after the first ones in loom_module.cc: reshape, the monitor
// callback, memory figures and the bound symbol. Like the rest of the extension they only
// convert values and raise on -1 (through loom_module.cc's error factory).

#include <loom/c_api.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <string>
#include <vector>

namespace py = pybind11;

namespace loom_py {
[[noreturn]] void raise_last_error();  // loom_module.cc
}  // namespace loom_py

namespace {

void check(int rc) {
  if (rc != 0) loom_py::raise_last_error();
}

using Handle = std::uintptr_t;

void* Ptr(Handle h) { return reinterpret_cast<void*>(h); }

std::vector<Handle> Handles(mx_uint n, NDArrayHandle* arr) {
  std::vector<Handle> out;
  for (mx_uint i = 0; i < n; ++i) out.push_back(arr ? reinterpret_cast<Handle>(arr[i]) : 0);
  return out;
}

// Runs on the thread executing forward/backward (which released the GIL). The Python callable
// (kept alive by the Executor object) gets (name as bytes, new NDArray handle as int), as
// MXNet's ctypes callback does; an exception in it is reported and the run goes on.
void MonitorTrampoline(const char* name, NDArrayHandle array, void* callable) {
  py::gil_scoped_acquire gil;
  try {
    py::handle(static_cast<PyObject*>(callable))(py::bytes(name), reinterpret_cast<Handle>(array));
  } catch (py::error_already_set& e) {
    e.discard_as_unraisable("executor monitor callback");
  }
}

}  // namespace

void RegisterExecutorBindings(py::module_& m) {
  // Returns (executor, in_args, arg_grads (0 where none), aux_states).
  m.def("MXExecutorReshapeEx",
        [](int partial_shaping, int allow_up_sizing, int dev_type, int dev_id,
           const std::vector<std::string>& map_keys, const std::vector<int>& map_dev_types,
           const std::vector<int>& map_dev_ids, const std::vector<std::string>& shape_names,
           const std::vector<int>& shape_data, const std::vector<mx_uint>& shape_idx,
           Handle shared_exec) {
          if (shape_idx.size() != shape_names.size() + 1)
            throw py::value_error("shape_idx must have one offset per shape name plus one");
          if (map_dev_types.size() != map_keys.size() || map_dev_ids.size() != map_keys.size())
            throw py::value_error("group2ctx keys, device types and ids differ in length");
          std::vector<const char*> keys, names;
          for (const auto& k : map_keys) keys.push_back(k.c_str());
          for (const auto& n : shape_names) names.push_back(n.c_str());
          mx_uint num_in = 0, num_aux = 0;
          NDArrayHandle *in_args = nullptr, *arg_grads = nullptr, *aux_states = nullptr;
          ExecutorHandle out = nullptr;
          int rc;
          {
            py::gil_scoped_release nogil;
            rc = MXExecutorReshapeEx(partial_shaping, allow_up_sizing, dev_type, dev_id,
                                     static_cast<mx_uint>(keys.size()), keys.data(),
                                     map_dev_types.data(), map_dev_ids.data(),
                                     static_cast<mx_uint>(names.size()), names.data(),
                                     shape_data.data(), shape_idx.data(), &num_in, &in_args,
                                     &arg_grads, &num_aux, &aux_states, Ptr(shared_exec), &out);
          }
          check(rc);
          return py::make_tuple(reinterpret_cast<Handle>(out), Handles(num_in, in_args),
                                Handles(num_in, arg_grads), Handles(num_aux, aux_states));
        });
  // callback None switches monitoring off; otherwise the caller keeps `callback` alive.
  m.def("MXExecutorSetMonitorCallbackEX", [](Handle exec, py::object callback, bool monitor_all) {
    if (callback.is_none())
      check(MXExecutorSetMonitorCallbackEX(Ptr(exec), nullptr, nullptr, false));
    else
      check(MXExecutorSetMonitorCallbackEX(Ptr(exec), MonitorTrampoline, callback.ptr(),
                                           monitor_all));
  });
  m.def("MXExecutorGetMemoryInfo", [](Handle exec) {
    uint64_t planned = 0, allocated = 0;
    check(MXExecutorGetMemoryInfo(Ptr(exec), &planned, &allocated));
    return py::make_tuple(planned, allocated);
  });
  m.def("MXExecutorGetOptimizedSymbol", [](Handle exec) {
    SymbolHandle out = nullptr;
    check(MXExecutorGetOptimizedSymbol(Ptr(exec), &out));
    return reinterpret_cast<Handle>(out);
  });
}
