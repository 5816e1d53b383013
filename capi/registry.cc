// C ABI: version, devices, random seed and the operator registry as code generators see it.
#include <map>

#include "capi/common.h"
#include "kernels/random.h"

using namespace loom;
using namespace loom::capi;

namespace {

// Per-op description strings, built once and kept for the life of the process (the C ABI
// promises static strings for MXSymbolGetAtomicSymbolInfo).
struct OpInfo {
  std::vector<std::string> names, types, descs;
  std::vector<const char*> c_names, c_types, c_descs;
};

const OpInfo& op_info(const Op* op) {
  static std::mutex mu;
  static auto* cache = new std::map<const Op*, OpInfo>();
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache->find(op);
  if (it != cache->end()) return it->second;
  OpInfo& info = (*cache)[op];
  bool variadic = !op->key_var_num_args.empty();
  for (const auto& in : op->doc_inputs) {
    info.names.push_back(in);
    info.types.push_back(variadic ? "NDArray-or-Symbol[]" : "NDArray-or-Symbol");
    info.descs.push_back("Input array " + in + ".");
  }
  if (op->params)
    for (const auto& f : op->params->fields) {
      info.names.push_back(f.name);
      info.types.push_back(f.type_info());
      info.descs.push_back(f.doc);
    }
  for (size_t i = 0; i < info.names.size(); ++i) {
    info.c_names.push_back(info.names[i].c_str());
    info.c_types.push_back(info.types[i].c_str());
    info.c_descs.push_back(info.descs[i].c_str());
  }
  return info;
}

const Op* as_op(AtomicSymbolCreator c) { return op_of_creator(c, "creator"); }

}  // namespace

const Op* loom::capi::op_of_creator(const void* creator, const char* what) {
  if (!creator) fail_value(what, " is NULL");
  for (const Op* op : OpRegistry::get().ops())
    if (op == creator) return op;
  fail_value(what, " is not a registered operator");
}

extern "C" {

int MXGetVersion(int* out) {
  return guarded([&] {
    require_out(out, "out");
    *out = 10901;
  });
}

int MXGetGPUCount(int* out) {
  return guarded([&] {
    require_out(out, "out");
    int n = 0;
    try {
      n = device_api(kGPU).device_count();
    } catch (const Error&) {
      n = 0;  // no CUDA in this build
    }
    *out = n;
  });
}

int MXRandomSeed(int seed) {
  return guarded([&] { seed_random(static_cast<uint64_t>(static_cast<int64_t>(seed))); });
}

int MXListAllOpNames(mx_uint* out_size, const char*** out_array) {
  return guarded([&] {
    require_out(out_size, "out_size");
    require_out(out_array, "out_array");
    auto names = OpRegistry::get().all_names();
    *out_array = return_strings(names);
    *out_size = static_cast<mx_uint>(names.size());
  });
}

int MXSymbolListAtomicSymbolCreators(mx_uint* out_size, AtomicSymbolCreator** out_array) {
  return guarded([&] {
    require_out(out_size, "out_size");
    require_out(out_array, "out_array");
    auto& r = ret();
    r.handles.clear();
    for (Op* op : OpRegistry::get().ops()) r.handles.push_back(op);
    *out_array = r.handles.data();
    *out_size = static_cast<mx_uint>(r.handles.size());
  });
}

int NNGetOpHandle(const char* op_name, OpHandle* op_out) {
  return guarded([&] {
    if (!op_name) fail_value("NNGetOpHandle: op_name is NULL");
    require_out(op_out, "op_out");
    *op_out = const_cast<Op*>(&OpRegistry::get().require(op_name));
  });
}

int MXSymbolGetAtomicSymbolName(AtomicSymbolCreator creator, const char** name) {
  return guarded([&] {
    require_out(name, "name");
    *name = as_op(creator)->name.c_str();
  });
}

int MXSymbolGetAtomicSymbolInfo(AtomicSymbolCreator creator, const char** name,
                                const char** description, mx_uint* num_args,
                                const char*** arg_names, const char*** arg_type_infos,
                                const char*** arg_descriptions, const char** key_var_num_args,
                                const char** return_type) {
  return guarded([&] {
    const Op* op = as_op(creator);
    require_out(name, "name");
    require_out(description, "description");
    require_out(num_args, "num_args");
    require_out(arg_names, "arg_names");
    require_out(arg_type_infos, "arg_type_infos");
    require_out(arg_descriptions, "arg_descriptions");
    require_out(key_var_num_args, "key_var_num_args");
    const OpInfo& info = op_info(op);
    *name = op->name.c_str();
    *description = op->description.c_str();
    *num_args = static_cast<mx_uint>(info.names.size());
    *arg_names = const_cast<const char**>(info.c_names.data());
    *arg_type_infos = const_cast<const char**>(info.c_types.data());
    *arg_descriptions = const_cast<const char**>(info.c_descs.data());
    *key_var_num_args = op->key_var_num_args.c_str();
    if (return_type) *return_type = "NDArray-or-Symbol";
  });
}

}  // extern "C"
