// C ABI: binding symbols to arrays and running them.
#include <map>

#include "capi/common.h"
#include "core/pass/passes.h"

using namespace loom;
using namespace loom::capi;

namespace loom::capi {
Context context_of(int dev_type, int dev_id);
}

namespace {

Executor& exec(ExecutorHandle h) { return *executors().get(h, "executor handle"); }

void check_no_group2ctx(mx_uint n) {
  if (n) fail("group2ctx (ctx_group placement) is not supported yet; bind without it");
}

OpReq req_from_code(mx_uint code, const std::string& arg) {
  switch (code) {
    case 0: return kNullOp;
    case 1: return kWriteTo;
    case 2: return kWriteInplace;
    case 3: return kAddTo;
  }
  fail_value("grad_req code ", code, " for argument ", arg, " is not one of 0 (null), 1 (write), 3 (add)");
}

OpReq req_from_name(const std::string& s, const std::string& arg) {
  if (s == "null") return kNullOp;
  if (s == "write") return kWriteTo;
  if (s == "add") return kAddTo;
  if (s == "inplace") return kWriteInplace;
  fail_value("grad_req '", s, "' for argument ", arg, " is not one of null, write, add");
}

}  // namespace

extern "C" {

int MXExecutorBindEX(SymbolHandle symbol_handle, int dev_type, int dev_id, mx_uint num_map_keys,
                     const char** map_keys, const int* map_dev_types, const int* map_dev_ids,
                     mx_uint len, NDArrayHandle* in_args, NDArrayHandle* arg_grad_store,
                     mx_uint* grad_req_type, mx_uint aux_states_len, NDArrayHandle* aux_states,
                     ExecutorHandle shared_exec, ExecutorHandle* out) {
  return guarded([&] {
    require_out(out, "out");
    const Symbol& s = *symbols().get(symbol_handle, "symbol handle");
    check_no_group2ctx(num_map_keys);
    (void)map_keys, (void)map_dev_types, (void)map_dev_ids;
    if (shared_exec) executors().get(shared_exec, "shared_exec");  // memory sharing: not yet used
    Context ctx = context_of(dev_type, dev_id);
    if (len && !in_args) fail_value("MXExecutorBindEX: in_args is NULL");
    if (aux_states_len && !aux_states) fail_value("MXExecutorBindEX: aux_states is NULL");
    auto names = s.list_arguments();
    std::vector<NDArray> args, grads, aux;
    std::vector<OpReq> reqs;
    for (mx_uint i = 0; i < len; ++i) {
      std::string name = i < names.size() ? names[i] : std::to_string(i);
      args.push_back(*ndarrays().get(in_args[i], "in_args[i]"));
      NDArrayHandle g = arg_grad_store ? arg_grad_store[i] : nullptr;
      grads.push_back(g ? *ndarrays().get(g, "arg_grad_store[i]") : NDArray());
      reqs.push_back(g && grad_req_type ? req_from_code(grad_req_type[i], name) : kNullOp);
    }
    for (mx_uint i = 0; i < aux_states_len; ++i) aux.push_back(*ndarrays().get(aux_states[i], "aux_states[i]"));
    *out = executors().add(new Executor(s, ctx, args, grads, reqs, aux));
  });
}

int MXExecutorSimpleBindEx(
    SymbolHandle symbol_handle, int dev_type, int dev_id, const mx_uint num_g2c_keys,
    const char** g2c_keys, const int* g2c_dev_types, const int* g2c_dev_ids,
    const mx_uint provided_grad_req_list_len, const char** provided_grad_req_names,
    const char** provided_grad_req_types, const mx_uint num_provided_arg_shapes,
    const char** provided_arg_shape_names, const int* provided_arg_shape_data,
    const mx_uint* provided_arg_shape_idx, const mx_uint num_provided_arg_dtypes,
    const char** provided_arg_dtype_names, const int* provided_arg_dtypes,
    const mx_uint num_provided_arg_stypes, const char** provided_arg_stype_names,
    const int* provided_arg_stypes, const mx_uint num_shared_arg_names,
    const char** shared_arg_name_list, int* shared_buffer_len,
    const char** shared_buffer_name_list, NDArrayHandle* shared_buffer_handle_list,
    const char*** updated_shared_buffer_name_list,
    NDArrayHandle** updated_shared_buffer_handle_list, mx_uint* num_in_args,
    NDArrayHandle** in_args, NDArrayHandle** arg_grads, mx_uint* num_aux_states,
    NDArrayHandle** aux_states, ExecutorHandle shared_exec_handle, ExecutorHandle* out) {
  return guarded([&] {
    require_out(out, "out");
    require_out(num_in_args, "num_in_args");
    require_out(in_args, "in_args");
    require_out(arg_grads, "arg_grads");
    require_out(num_aux_states, "num_aux_states");
    require_out(aux_states, "aux_states");
    const Symbol& s = *symbols().get(symbol_handle, "symbol handle");
    check_no_group2ctx(num_g2c_keys);
    (void)g2c_keys, (void)g2c_dev_types, (void)g2c_dev_ids;
    (void)provided_arg_stype_names, (void)provided_arg_stypes, (void)shared_buffer_name_list;
    (void)shared_buffer_handle_list, (void)updated_shared_buffer_name_list;
    (void)updated_shared_buffer_handle_list, (void)shared_arg_name_list;
    if (num_provided_arg_shapes &&
        (!provided_arg_shape_names || !provided_arg_shape_data || !provided_arg_shape_idx))
      fail_value("simple_bind: ", num_provided_arg_shapes, " shapes announced but the shape "
                 "names, data or index array is NULL");
    if (num_provided_arg_dtypes && (!provided_arg_dtype_names || !provided_arg_dtypes))
      fail_value("simple_bind: ", num_provided_arg_dtypes, " dtypes announced but the names or "
                 "dtype array is NULL");
    if (num_provided_arg_stypes && (!provided_arg_stype_names || !provided_arg_stypes))
      fail_value("simple_bind: ", num_provided_arg_stypes, " storage types announced but the "
                 "names or stype array is NULL");
    if (provided_grad_req_list_len && !provided_grad_req_types)
      fail_value("simple_bind: grad_req list announced but its types array is NULL");
    for (mx_uint i = 0; i < num_provided_arg_stypes; ++i)
      if (provided_arg_stypes[i] > 0)
        fail("simple_bind: sparse storage types are not supported yet (argument ",
             provided_arg_stype_names[i], ")");
    if (shared_buffer_len && *shared_buffer_len >= 0)
      fail("simple_bind: shared_buffer is not supported yet");
    if (num_shared_arg_names && shared_exec_handle)
      fail("simple_bind: sharing parameters with shared_exec is not supported yet");
    if (shared_exec_handle) executors().get(shared_exec_handle, "shared_exec");
    Context ctx = context_of(dev_type, dev_id);
    auto arg_names = s.list_arguments();
    auto aux_names = s.list_auxiliary_states();

    // shapes (int data, 0 = unknown dim as in the legacy API)
    std::vector<std::string> keys;
    std::vector<Shape> shapes;
    for (mx_uint i = 0; i < num_provided_arg_shapes; ++i) {
      if (!provided_arg_shape_names || !provided_arg_shape_names[i])
        fail_value("simple_bind: shape name ", i, " is NULL");
      keys.push_back(provided_arg_shape_names[i]);
      std::vector<dim_t> dims;
      for (mx_uint k = provided_arg_shape_idx[i]; k < provided_arg_shape_idx[i + 1]; ++k)
        dims.push_back(provided_arg_shape_data[k] == 0 ? -1 : provided_arg_shape_data[k]);
      shapes.emplace_back(dims);
    }
    SymbolShapes inferred = infer_symbol_shapes(s, keys, shapes);
    std::string unknown;
    for (size_t i = 0; i < arg_names.size(); ++i)
      if (!inferred.args[i].known()) unknown += cat(unknown.empty() ? " " : ", ", arg_names[i], ": ", inferred.args[i].str());
    for (size_t i = 0; i < aux_names.size(); ++i)
      if (!inferred.aux[i].known()) unknown += cat(unknown.empty() ? " " : ", ", aux_names[i], ": ", inferred.aux[i].str());
    if (!unknown.empty())
      fail_value("simple_bind: cannot infer the shapes of:", unknown,
                 ". Provide them as keyword arguments.");

    // dtypes: without any given, float32 for arguments that declare no __dtype__ (MXNet);
    // with some given, the rest are inferred from them
    std::vector<std::string> tkeys;
    std::vector<int> types;
    std::map<std::string, int> given;
    for (mx_uint i = 0; i < num_provided_arg_dtypes; ++i) {
      if (!provided_arg_dtype_names[i]) fail_value("simple_bind: dtype name ", i, " is NULL");
      given[provided_arg_dtype_names[i]] = provided_arg_dtypes[i];
    }
    auto nodes = s.input_nodes(Symbol::InputKind::kArguments);
    for (size_t i = 0; i < nodes.size(); ++i) {
      auto it = given.find(arg_names[i]);
      int t = it != given.end()                                 ? it->second
              : !given.empty() || nodes[i]->attrs.dict.count("__dtype__") ? -1
                                                                          : static_cast<int>(kFloat32);
      tkeys.push_back(arg_names[i]);
      types.push_back(t);
    }
    SymbolTypes tinf = infer_symbol_types(s, tkeys, types);
    for (size_t i = 0; i < tinf.aux.size(); ++i)
      if (tinf.aux[i] < 0) tinf.aux[i] = kFloat32;

    // grad_req encodings (spec 5.4)
    std::vector<OpReq> reqs(arg_names.size(), kNullOp);
    if (provided_grad_req_types) {
      if (provided_grad_req_list_len == 0) {
        OpReq r = req_from_name(provided_grad_req_types[0], "(all)");
        std::fill(reqs.begin(), reqs.end(), r);
      } else if (!provided_grad_req_names) {
        if (provided_grad_req_list_len != arg_names.size())
          fail_value("simple_bind: grad_req list has ", provided_grad_req_list_len,
                     " entries but the symbol has ", arg_names.size(), " arguments");
        for (size_t i = 0; i < reqs.size(); ++i) reqs[i] = req_from_name(provided_grad_req_types[i], arg_names[i]);
      } else {
        for (mx_uint k = 0; k < provided_grad_req_list_len; ++k) {
          if (!provided_grad_req_names[k] || !provided_grad_req_types[k])
            fail_value("simple_bind: grad_req entry ", k, " is NULL");
          std::string name = provided_grad_req_names[k];
          auto it = std::find(arg_names.begin(), arg_names.end(), name);
          if (it == arg_names.end()) fail_value("simple_bind: grad_req names unknown argument ", name);
          reqs[it - arg_names.begin()] = req_from_name(provided_grad_req_types[k], name);
        }
      }
    }

    std::vector<NDArray> args, grads, aux;
    for (size_t i = 0; i < arg_names.size(); ++i) {
      if (tinf.args[i] < 0) fail_value("simple_bind: cannot infer the dtype of ", arg_names[i]);
      args.push_back(NDArray::zeros(inferred.args[i], ctx, tinf.args[i]));
      grads.push_back(reqs[i] == kNullOp ? NDArray() : NDArray::zeros(inferred.args[i], ctx, tinf.args[i]));
    }
    for (size_t i = 0; i < aux_names.size(); ++i) aux.push_back(NDArray::zeros(inferred.aux[i], ctx, tinf.aux[i]));
    auto* e = new Executor(s, ctx, args, grads, reqs, aux);
    auto& r = ret();
    r.handles.clear();
    r.handles2.clear();
    r.handles3.clear();
    for (size_t i = 0; i < args.size(); ++i) {
      r.handles.push_back(new_ndarray(args[i]));
      r.handles2.push_back(grads[i].is_none() ? nullptr : new_ndarray(grads[i]));
    }
    for (const auto& a : aux) r.handles3.push_back(new_ndarray(a));
    *num_in_args = static_cast<mx_uint>(args.size());
    *in_args = r.handles.data();
    *arg_grads = r.handles2.data();
    *num_aux_states = static_cast<mx_uint>(aux.size());
    *aux_states = r.handles3.data();
    *out = executors().add(e);
  });
}

int MXExecutorForward(ExecutorHandle handle, int is_train) {
  return guarded([&] { exec(handle).forward(is_train != 0); });
}

int MXExecutorBackwardEx(ExecutorHandle handle, mx_uint len, NDArrayHandle* head_grads, int is_train) {
  return guarded([&] {
    Executor& e = exec(handle);
    if (len && !head_grads) fail_value("MXExecutorBackwardEx: head_grads is NULL");
    std::vector<NDArray> hg;
    for (mx_uint i = 0; i < len; ++i)
      hg.push_back(head_grads[i] ? *ndarrays().get(head_grads[i], "head_grads[i]") : NDArray());
    e.backward(hg, is_train != 0);
  });
}

int MXExecutorBackward(ExecutorHandle handle, mx_uint len, NDArrayHandle* head_grads) {
  return MXExecutorBackwardEx(handle, len, head_grads, 1);
}

int MXExecutorOutputs(ExecutorHandle handle, mx_uint* out_size, NDArrayHandle** out) {
  return guarded([&] {
    require_out(out_size, "out_size");
    require_out(out, "out");
    Executor& e = exec(handle);
    auto& r = ret();
    r.handles.clear();
    for (const auto& o : e.outputs()) r.handles.push_back(new_ndarray(o));
    *out_size = static_cast<mx_uint>(r.handles.size());
    *out = r.handles.data();
  });
}

int MXExecutorPrint(ExecutorHandle handle, const char** out_str) {
  return guarded([&] {
    require_out(out_str, "out_str");
    auto& r = ret();
    r.str = exec(handle).debug_str();
    *out_str = r.str.c_str();
  });
}

int MXExecutorFree(ExecutorHandle handle) {
  return guarded([&] { executors().free(handle, "executor handle"); });
}

}  // extern "C"
