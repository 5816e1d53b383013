// C ABI: binding symbols to arrays and running them.
#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <unordered_map>

#include "capi/common.h"
#include "core/pass/passes.h"

using namespace loom;
using namespace loom::capi;

namespace loom::capi {
Context context_of(int dev_type, int dev_id);
}

namespace {

Executor& exec(ExecutorHandle h) { return *executors().get(h, "executor handle"); }

std::map<std::string, Context> group2ctx_of(mx_uint n, const char** keys, const int* types,
                                            const int* ids) {
  std::map<std::string, Context> m;
  if (n && (!keys || !types || !ids))
    fail_value("group2ctx: ", n, " groups announced but the keys, device types or ids are NULL");
  for (mx_uint i = 0; i < n; ++i) {
    if (!keys[i]) fail_value("group2ctx: key ", i, " is NULL");
    m[keys[i]] = context_of(types[i], ids[i]);
  }
  return m;
}

// Where simple_bind puts a variable: its own ctx_group, else the group of its first reader,
// else the bind context (MXNet places variables with the nodes that read them).
std::vector<Context> variable_contexts(const Symbol& s, const std::vector<NodePtr>& vars,
                                       const Context& ctx,
                                       const std::map<std::string, Context>& g2c) {
  std::vector<Context> r(vars.size(), ctx);
  if (g2c.empty()) return r;
  auto group_ctx = [&](const Node& n, Context* out) {
    auto it = n.attrs.dict.find("__ctx_group__");
    if (it == n.attrs.dict.end()) return false;
    auto g = g2c.find(it->second);
    if (g == g2c.end()) return false;
    *out = g->second;
    return true;
  };
  std::unordered_map<const Node*, Context> first_reader;
  dfs_visit(s.outputs, [&](const NodePtr& n) {
    Context c;
    if (n->is_variable() || !group_ctx(*n, &c)) return;
    for (const auto& e : n->inputs)
      if (e.node->is_variable()) first_reader.emplace(e.node.get(), c);
  });
  for (size_t i = 0; i < vars.size(); ++i) {
    if (group_ctx(*vars[i], &r[i])) continue;
    auto it = first_reader.find(vars[i].get());
    if (it != first_reader.end()) r[i] = it->second;
  }
  return r;
}

// Returns the three array lists through the thread-local buffers.
void return_arrays(const std::vector<NDArray>& args, const std::vector<NDArray>& grads,
                   const std::vector<NDArray>& aux, mx_uint* num_in_args, NDArrayHandle** in_args,
                   NDArrayHandle** arg_grads, mx_uint* num_aux_states, NDArrayHandle** aux_states) {
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
}

// Checks the five out-parameters through which return_arrays answers.
void require_array_outs(mx_uint* num_in_args, NDArrayHandle** in_args, NDArrayHandle** arg_grads,
                        mx_uint* num_aux_states, NDArrayHandle** aux_states) {
  require_out(num_in_args, "num_in_args");
  require_out(in_args, "in_args");
  require_out(arg_grads, "arg_grads");
  require_out(num_aux_states, "num_aux_states");
  require_out(aux_states, "aux_states");
}

// Argument shapes given in the legacy int layout: shape i is data[idx[i]] .. data[idx[i + 1]],
// a 0 dim meaning unknown.
struct ArgShapes {
  std::vector<std::string> keys;
  std::vector<Shape> shapes;
};

ArgShapes arg_shapes_of(const char* what, mx_uint n, const char** names, const int* data,
                        const mx_uint* idx) {
  if (n && (!names || !data || !idx))
    fail_value(what, ": ", n, " shapes announced but the shape names, data or index array is NULL");
  ArgShapes r;
  for (mx_uint i = 0; i < n; ++i) {
    if (!names[i]) fail_value(what, ": shape name ", i, " is NULL");
    r.keys.push_back(names[i]);
    std::vector<dim_t> dims;
    for (mx_uint k = idx[i]; k < idx[i + 1]; ++k) dims.push_back(data[k] == 0 ? -1 : data[k]);
    r.shapes.emplace_back(dims);
  }
  return r;
}

OpReq req_from_code(mx_uint code, const std::string& arg) {
  switch (code) {
    case 0:
      return kNullOp;
    case 1:
      return kWriteTo;
    case 2:
      return kWriteInplace;
    case 3:
      return kAddTo;
  }
  fail_value("grad_req code ", code, " for argument ", arg,
             " is not one of 0 (null), 1 (write), 3 (add)");
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
    BindOptions opt;
    opt.group2ctx = group2ctx_of(num_map_keys, map_keys, map_dev_types, map_dev_ids);
    if (shared_exec) opt.shared_exec = executors().get(shared_exec, "shared_exec");
    Context ctx = context_of(dev_type, dev_id);
    auto names = s.list_arguments();
    if (len != names.size())
      fail_value("bind: the symbol has ", names.size(), " arguments but ", len,
                 " arrays were given");
    if (len && !in_args) fail_value("MXExecutorBindEX: in_args is NULL");
    if (aux_states_len && !aux_states) fail_value("MXExecutorBindEX: aux_states is NULL");
    std::vector<NDArray> args, grads, aux;
    std::vector<OpReq> reqs;
    for (mx_uint i = 0; i < len; ++i) {
      const std::string& name = names[i];
      args.push_back(*ndarrays().get(in_args[i], "in_args[i]"));
      NDArrayHandle g = arg_grad_store ? arg_grad_store[i] : nullptr;
      grads.push_back(g ? *ndarrays().get(g, "arg_grad_store[i]") : NDArray());
      reqs.push_back(g && grad_req_type ? req_from_code(grad_req_type[i], name) : kNullOp);
    }
    for (mx_uint i = 0; i < aux_states_len; ++i)
      aux.push_back(*ndarrays().get(aux_states[i], "aux_states[i]"));
    *out = executors().add(new Executor(s, ctx, args, grads, reqs, aux, opt));
  });
}

int MXExecutorBind(SymbolHandle symbol_handle, int dev_type, int dev_id, mx_uint len,
                   NDArrayHandle* in_args, NDArrayHandle* arg_grad_store, mx_uint* grad_req_type,
                   mx_uint aux_states_len, NDArrayHandle* aux_states, ExecutorHandle* out) {
  return MXExecutorBindEX(symbol_handle, dev_type, dev_id, 0, nullptr, nullptr, nullptr, len,
                          in_args, arg_grad_store, grad_req_type, aux_states_len, aux_states,
                          nullptr, out);
}

int MXExecutorBindX(SymbolHandle symbol_handle, int dev_type, int dev_id, mx_uint num_map_keys,
                    const char** map_keys, const int* map_dev_types, const int* map_dev_ids,
                    mx_uint len, NDArrayHandle* in_args, NDArrayHandle* arg_grad_store,
                    mx_uint* grad_req_type, mx_uint aux_states_len, NDArrayHandle* aux_states,
                    ExecutorHandle* out) {
  return MXExecutorBindEX(symbol_handle, dev_type, dev_id, num_map_keys, map_keys, map_dev_types,
                          map_dev_ids, len, in_args, arg_grad_store, grad_req_type, aux_states_len,
                          aux_states, nullptr, out);
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
    const char** shared_arg_name_list, int* shared_buffer_len, const char** shared_buffer_name_list,
    NDArrayHandle* shared_buffer_handle_list, const char*** updated_shared_buffer_name_list,
    NDArrayHandle** updated_shared_buffer_handle_list, mx_uint* num_in_args,
    NDArrayHandle** in_args, NDArrayHandle** arg_grads, mx_uint* num_aux_states,
    NDArrayHandle** aux_states, ExecutorHandle shared_exec_handle, ExecutorHandle* out) {
  return guarded([&] {
    require_out(out, "out");
    require_array_outs(num_in_args, in_args, arg_grads, num_aux_states, aux_states);
    const Symbol& s = *symbols().get(symbol_handle, "symbol handle");
    BindOptions opt;
    opt.group2ctx = group2ctx_of(num_g2c_keys, g2c_keys, g2c_dev_types, g2c_dev_ids);
    const Executor* shared =
        shared_exec_handle ? executors().get(shared_exec_handle, "shared_exec") : nullptr;
    opt.shared_exec = shared;
    const ArgShapes given_shapes =
        arg_shapes_of("simple_bind", num_provided_arg_shapes, provided_arg_shape_names,
                      provided_arg_shape_data, provided_arg_shape_idx);
    if (num_provided_arg_dtypes && (!provided_arg_dtype_names || !provided_arg_dtypes))
      fail_value("simple_bind: ", num_provided_arg_dtypes,
                 " dtypes announced but the names or "
                 "dtype array is NULL");
    if (num_provided_arg_stypes && (!provided_arg_stype_names || !provided_arg_stypes))
      fail_value("simple_bind: ", num_provided_arg_stypes,
                 " storage types announced but the "
                 "names or stype array is NULL");
    if (provided_grad_req_list_len && !provided_grad_req_types)
      fail_value("simple_bind: grad_req list announced but its types array is NULL");
    if (num_shared_arg_names && !shared_arg_name_list)
      fail_value("simple_bind: ", num_shared_arg_names,
                 " shared argument names announced but "
                 "the list is NULL");
    const bool use_buffer = shared_buffer_len && *shared_buffer_len >= 0;
    if (use_buffer) {
      require_out(updated_shared_buffer_name_list, "updated_shared_buffer_name_list");
      require_out(updated_shared_buffer_handle_list, "updated_shared_buffer_handle_list");
      if (*shared_buffer_len > 0 && (!shared_buffer_name_list || !shared_buffer_handle_list))
        fail_value("simple_bind: shared_buffer of ", *shared_buffer_len,
                   " entries but its names "
                   "or handles are NULL");
    }
    for (mx_uint i = 0; i < num_provided_arg_stypes; ++i)
      if (provided_arg_stypes[i] > 0)
        fail("simple_bind: sparse storage types are not supported (argument ",
             provided_arg_stype_names[i], ")");
    Context ctx = context_of(dev_type, dev_id);
    auto arg_names = s.list_arguments();
    auto aux_names = s.list_auxiliary_states();

    SymbolShapes inferred = infer_symbol_shapes(s, given_shapes.keys, given_shapes.shapes);
    std::string unknown;
    for (size_t i = 0; i < arg_names.size(); ++i)
      if (!inferred.args[i].known())
        unknown += cat(unknown.empty() ? " " : ", ", arg_names[i], ": ", inferred.args[i].str());
    for (size_t i = 0; i < aux_names.size(); ++i)
      if (!inferred.aux[i].known())
        unknown += cat(unknown.empty() ? " " : ", ", aux_names[i], ": ", inferred.aux[i].str());
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
      int t = it != given.end() ? it->second
              : !given.empty() || nodes[i]->attrs.dict.count("__dtype__")
                  ? -1
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
        if (!provided_grad_req_types[0]) fail_value("simple_bind: grad_req is NULL");
        std::string v = provided_grad_req_types[0];
        if (v != "null" && v != "write" && v != "add")
          fail_value("grad_req=", v,
                     " is not a valid input in simple_bind; only 'null', "
                     "'write', and 'add' are supported");
        OpReq r = req_from_name(v, "(all)");
        std::fill(reqs.begin(), reqs.end(), r);
      } else if (!provided_grad_req_names) {
        if (provided_grad_req_list_len != arg_names.size())
          fail_value(
              "The length of grad_req list does not match the number of input "
              "arguments in simple_bind, expected ",
              arg_names.size(), ", provided ", provided_grad_req_list_len);
        for (size_t i = 0; i < reqs.size(); ++i)
          reqs[i] = req_from_name(provided_grad_req_types[i], arg_names[i]);
      } else {
        for (mx_uint k = 0; k < provided_grad_req_list_len; ++k) {
          if (!provided_grad_req_names[k] || !provided_grad_req_types[k])
            fail_value("simple_bind: grad_req entry ", k, " is NULL");
          std::string name = provided_grad_req_names[k];
          auto it = std::find(arg_names.begin(), arg_names.end(), name);
          if (it == arg_names.end())
            fail_value("simple_bind: grad_req names unknown argument ", name);
          reqs[it - arg_names.begin()] = req_from_name(provided_grad_req_types[k], name);
        }
      }
    }

    // Arrays: shared parameters from shared_exec, the rest from shared_buffer (reshaped when
    // large enough, else replaced) or new; all new arrays are zero-filled.
    std::vector<Context> arg_ctx = variable_contexts(s, nodes, ctx, opt.group2ctx);
    std::vector<Context> aux_ctx =
        variable_contexts(s, s.input_nodes(Symbol::InputKind::kAuxStates), ctx, opt.group2ctx);
    std::set<std::string> shared_names;
    for (mx_uint i = 0; i < num_shared_arg_names; ++i) {
      if (!shared_arg_name_list[i]) fail_value("simple_bind: shared argument name ", i, " is NULL");
      shared_names.insert(shared_arg_name_list[i]);
    }
    std::vector<std::string> buf_names;
    std::vector<NDArray> buf_arrays;
    if (use_buffer)
      for (int i = 0; i < *shared_buffer_len; ++i) {
        if (!shared_buffer_name_list[i])
          fail_value("simple_bind: shared_buffer name ", i, " is NULL");
        buf_names.push_back(shared_buffer_name_list[i]);
        buf_arrays.push_back(*ndarrays().get(shared_buffer_handle_list[i], "shared_buffer handle"));
      }
    auto from_buffer = [&](const std::string& name, const Shape& shape, int dtype,
                           const Context& c) -> NDArray {
      if (!use_buffer) return NDArray::zeros(shape, c, dtype);
      auto it = std::find(buf_names.begin(), buf_names.end(), name);
      if (it != buf_names.end()) {
        NDArray& b = buf_arrays[it - buf_names.begin()];
        if (b.dtype() == dtype && b.ctx() == c && shape.size() <= b.size())
          return NDArray(b.storage(), b.offset(), shape, dtype);
        std::fprintf(stderr,
                     "Bucketing: data %s has a shape %s, which is larger than already allocated "
                     "shape %s. Need to re-allocate. Consider putting default bucket key to be "
                     "the bucket taking the largest input for better memory sharing.\n",
                     name.c_str(), shape.str().c_str(), b.shape().str().c_str());
        b = NDArray::zeros(shape, c, dtype);
        return b;
      }
      buf_names.push_back(name);
      buf_arrays.push_back(NDArray::zeros(shape, c, dtype));
      return buf_arrays.back();
    };
    auto shared_array = [&](const std::vector<NDArray>& from, const std::vector<std::string>& names,
                            const std::string& name, const Shape& shape, int dtype,
                            const char* what) -> NDArray {
      auto it = std::find(names.begin(), names.end(), name);
      if (it == names.end() || from[it - names.begin()].is_none())
        fail_value("simple_bind: shared_exec has no ", what, " named ", name);
      const NDArray& a = from[it - names.begin()];
      if (a.shape() != shape)
        fail_value("Inferred shape does not match shared_exec.", what, "'s shape (", shape.str(),
                   " vs. ", a.shape().str(), "): the allocated memory for shared_exec.", what,
                   " cannot be reused for creating NDArray of the argument ", name,
                   " for the current executor");
      if (a.dtype() != dtype)
        fail_value("Inferred dtype does not match shared_exec.", what, "'s dtype (",
                   dtype_name(dtype), " vs. ", dtype_name(a.dtype()), ") for argument ", name);
      return a;
    };
    std::vector<NDArray> args, grads, aux;
    std::vector<std::string> shared_arg_list, shared_aux_list;
    if (shared) {
      shared_arg_list = shared->symbol().list_arguments();
      shared_aux_list = shared->symbol().list_auxiliary_states();
    }
    for (size_t i = 0; i < arg_names.size(); ++i) {
      if (tinf.args[i] < 0) fail_value("simple_bind: cannot infer the dtype of ", arg_names[i]);
      const Shape& shape = inferred.args[i];
      int dtype = tinf.args[i];
      if (shared_names.count(arg_names[i])) {
        args.push_back(shared ? shared_array(shared->arg_arrays(), shared_arg_list, arg_names[i],
                                             shape, dtype, "arg_array")
                              : NDArray::zeros(shape, arg_ctx[i], dtype));
        if (reqs[i] == kNullOp)
          grads.emplace_back();
        else if (shared)
          grads.push_back(shared_array(shared->grad_arrays(), shared_arg_list, arg_names[i], shape,
                                       dtype, "grad_array"));
        else
          grads.push_back(NDArray::zeros(shape, arg_ctx[i], dtype));
      } else {
        args.push_back(from_buffer(arg_names[i], shape, dtype, arg_ctx[i]));
        grads.push_back(reqs[i] == kNullOp
                            ? NDArray()
                            : from_buffer("grad of " + arg_names[i], shape, dtype, arg_ctx[i]));
      }
    }
    for (size_t i = 0; i < aux_names.size(); ++i)
      aux.push_back(shared ? shared_array(shared->aux_arrays(), shared_aux_list, aux_names[i],
                                          inferred.aux[i], tinf.aux[i], "aux_array")
                           : NDArray::zeros(inferred.aux[i], aux_ctx[i], tinf.aux[i]));
    auto e = std::make_unique<Executor>(s, ctx, args, grads, reqs, aux, opt);
    return_arrays(args, grads, aux, num_in_args, in_args, arg_grads, num_aux_states, aux_states);
    if (use_buffer) {
      // own handle list: ret()'s three handle lists carry the arrays above
      thread_local std::vector<void*> handles;
      handles.clear();
      for (const auto& b : buf_arrays) handles.push_back(new_ndarray(b));
      *shared_buffer_len = static_cast<int>(buf_arrays.size());
      *updated_shared_buffer_name_list = return_strings(buf_names);
      *updated_shared_buffer_handle_list = handles.data();
    }
    *out = executors().add(e.release());
  });
}

int MXExecutorForward(ExecutorHandle handle, int is_train) {
  return guarded([&] { exec(handle).forward(is_train != 0); });
}

int MXExecutorBackwardEx(ExecutorHandle handle, mx_uint len, NDArrayHandle* head_grads,
                         int is_train) {
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

int MXExecutorReshapeEx(int partial_shaping, int allow_up_sizing, int dev_type, int dev_id,
                        mx_uint num_map_keys, const char** map_keys, const int* map_dev_types,
                        const int* map_dev_ids, const mx_uint num_provided_arg_shapes,
                        const char** provided_arg_shape_names, const int* provided_arg_shape_data,
                        const mx_uint* provided_arg_shape_idx, mx_uint* num_in_args,
                        NDArrayHandle** in_args, NDArrayHandle** arg_grads, mx_uint* num_aux_states,
                        NDArrayHandle** aux_states, ExecutorHandle shared_exec,
                        ExecutorHandle* out) {
  return guarded([&] {
    require_out(out, "out");
    require_array_outs(num_in_args, in_args, arg_grads, num_aux_states, aux_states);
    const Executor& old = *executors().get(shared_exec, "shared_exec (the executor to reshape)");
    auto g2c = group2ctx_of(num_map_keys, map_keys, map_dev_types, map_dev_ids);
    Context ctx = context_of(dev_type, dev_id);
    if (ctx != old.context())
      fail_value("reshape: the executor is bound to ", old.context().str(), ", not ", ctx.str());
    if (g2c != old.group2ctx()) fail_value("reshape: group2ctx differs from the executor's");
    const ArgShapes given_shapes =
        arg_shapes_of("reshape", num_provided_arg_shapes, provided_arg_shape_names,
                      provided_arg_shape_data, provided_arg_shape_idx);
    auto e = old.reshape(partial_shaping != 0, allow_up_sizing != 0, given_shapes.keys,
                         given_shapes.shapes);
    return_arrays(e->arg_arrays(), e->grad_arrays(), e->aux_arrays(), num_in_args, in_args,
                  arg_grads, num_aux_states, aux_states);
    *out = executors().add(e.release());
  });
}

int MXExecutorSetMonitorCallbackEX(ExecutorHandle handle, ExecutorMonitorCallback callback,
                                   void* callback_handle, bool monitor_all) {
  return guarded([&] {
    Executor& e = exec(handle);
    if (!callback) {
      e.set_monitor_callback(nullptr, false);
      return;
    }
    e.set_monitor_callback(
        [callback, callback_handle](const std::string& name, const NDArray& a) {
          callback(name.c_str(), new_ndarray(a), callback_handle);
        },
        monitor_all);
  });
}

int MXExecutorSetMonitorCallback(ExecutorHandle handle, ExecutorMonitorCallback callback,
                                 void* callback_handle) {
  return MXExecutorSetMonitorCallbackEX(handle, callback, callback_handle, false);
}

int MXExecutorGetOptimizedSymbol(ExecutorHandle handle, SymbolHandle* out) {
  return guarded([&] {
    require_out(out, "out");
    *out = new_symbol(exec(handle).symbol().copy());
  });
}

int MXExecutorGetMemoryInfo(ExecutorHandle handle, uint64_t* planned_bytes,
                            uint64_t* allocated_bytes) {
  return guarded([&] {
    const Executor& e = exec(handle);
    if (planned_bytes) *planned_bytes = e.planned_bytes();
    if (allocated_bytes) *allocated_bytes = e.allocated_bytes();
  });
}

}  // extern "C"
