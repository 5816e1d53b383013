// C ABI: symbols (create, compose, query, attributes, JSON, shape and type inference).
#include <fstream>
#include <sstream>

#include "capi/common.h"
#include "core/pass/passes.h"

using namespace loom;
using namespace loom::capi;

namespace {

Symbol& sym(SymbolHandle h, const char* what = "symbol") { return *symbols().get(h, what); }

std::vector<std::string> key_list(mx_uint n, const char** keys) {
  std::vector<std::string> r;
  if (!keys) return r;
  for (mx_uint i = 0; i < n; ++i) {
    if (!keys[i]) fail_value("keys[", i, "] is NULL");
    r.push_back(keys[i]);
  }
  return r;
}

int list_names(SymbolHandle h, mx_uint* out_size, const char*** out,
               std::vector<std::string> (*fn)(const Symbol&)) {
  return guarded([&] {
    require_out(out_size, "out_size");
    require_out(out, "out_str_array");
    auto names = fn(sym(h));
    *out = return_strings(names);
    *out_size = static_cast<mx_uint>(names.size());
  });
}

// Shapes given in CSR form; `unknown_zero` maps 0 dims to unknown (legacy uint32 API).
template <class D>
std::vector<Shape> csr_shapes(mx_uint n, const mx_uint* ind, const D* data, bool legacy) {
  std::vector<Shape> r;
  if (n && !ind) fail_value("arg_ind_ptr is NULL");
  for (mx_uint i = 0; i < n; ++i) {
    mx_uint b = ind[i], e = ind[i + 1];
    if (e < b) fail_value("arg_ind_ptr is not increasing at ", i);
    if (e > b && !data) fail_value("arg_shape_data is NULL");
    std::vector<dim_t> dims;
    for (mx_uint k = b; k < e; ++k) {
      dim_t d = static_cast<dim_t>(data[k]);
      dims.push_back(d == 0 && legacy ? -1 : d);
    }
    // legacy: an empty shape means unknown; Ex: ndim (e-b) == 0 is a scalar shape... MXNet
    // treats it as unknown as well in legacy mode
    r.push_back(dims.empty() ? Shape() : Shape(dims));
  }
  return r;
}

// Writes the three shape groups into the thread buffers as (size, ndim*, data**) triples.
template <class D>
void return_shapes(const SymbolShapes& s, std::vector<std::vector<D>>* shapes, std::vector<D>* ndims,
                   std::vector<const D*>* ptrs, mx_uint* sizes[3], const D** ndim_out[3],
                   const D*** data_out[3], bool legacy) {
  const std::vector<Shape>* groups[3] = {&s.args, &s.outputs, &s.aux};
  for (int g = 0; g < 3; ++g) {
    shapes[g].clear();
    ndims[g].clear();
    ptrs[g].clear();
    for (const Shape& x : *groups[g]) {
      std::vector<D> dims;
      if (x.ndim_known())
        for (int i = 0; i < x.ndim(); ++i) dims.push_back(static_cast<D>(x[i] < 0 ? (legacy ? 0 : -1) : x[i]));
      ndims[g].push_back(x.ndim_known() ? static_cast<D>(x.ndim()) : static_cast<D>(legacy ? 0 : -1));
      shapes[g].push_back(std::move(dims));
    }
    for (const auto& d : shapes[g]) ptrs[g].push_back(d.data());
    *sizes[g] = static_cast<mx_uint>(groups[g]->size());
    *ndim_out[g] = ndims[g].data();
    *data_out[g] = ptrs[g].data();
  }
}

template <class D, class O>
int infer_shape_impl(SymbolHandle h, mx_uint num_args, const char** keys, const mx_uint* ind,
                     const D* data, mx_uint* in_size, const O** in_ndim, const O*** in_data,
                     mx_uint* out_size, const O** out_ndim, const O*** out_data,
                     mx_uint* aux_size, const O** aux_ndim, const O*** aux_data, int* complete,
                     bool legacy) {
  return guarded([&] {
    for (void* p : {(void*)in_size, (void*)in_ndim, (void*)in_data, (void*)out_size,
                    (void*)out_ndim, (void*)out_data, (void*)aux_size, (void*)aux_ndim,
                    (void*)aux_data, (void*)complete})
      require_out(p, "an inference output");
    auto given = csr_shapes(num_args, ind, data, legacy);
    SymbolShapes s = infer_symbol_shapes(sym(h), key_list(num_args, keys), given);
    auto& r = ret();
    mx_uint* sizes[3] = {in_size, out_size, aux_size};
    const O** ndims[3] = {in_ndim, out_ndim, aux_ndim};
    const O*** datas[3] = {in_data, out_data, aux_data};
    if constexpr (std::is_same_v<O, mx_uint>)
      return_shapes<mx_uint>(s, r.u32_shapes, r.u32, r.u32_ptrs, sizes, ndims, datas, legacy);
    else
      return_shapes<int>(s, r.i32_shapes, r.i32, r.i32_ptrs, sizes, ndims, datas, legacy);
    *complete = s.complete ? 1 : 0;
  });
}

}  // namespace

extern "C" {

int MXSymbolCreateVariable(const char* name, SymbolHandle* out) {
  return guarded([&] {
    if (!name) fail_value("MXSymbolCreateVariable: name is NULL");
    require_out(out, "out");
    *out = new_symbol(Symbol::variable(name));
  });
}

int MXSymbolCreateAtomicSymbol(AtomicSymbolCreator creator, mx_uint num_param, const char** keys,
                               const char** vals, SymbolHandle* out) {
  return guarded([&] {
    require_out(out, "out");
    const Op* op = op_of_creator(creator, "MXSymbolCreateAtomicSymbol: creator");
    if (num_param && (!keys || !vals)) fail_value("MXSymbolCreateAtomicSymbol: keys or vals is NULL");
    AttrDict params;
    for (mx_uint i = 0; i < num_param; ++i) {
      if (!keys[i] || !vals[i]) fail_value("MXSymbolCreateAtomicSymbol: parameter ", i, " is NULL");
      params[keys[i]] = vals[i];
    }
    *out = new_symbol(Symbol::atomic(*op, params));
  });
}

int MXSymbolCreateGroup(mx_uint num_symbols, SymbolHandle* symbols_in, SymbolHandle* out) {
  return guarded([&] {
    require_out(out, "out");
    if (num_symbols && !symbols_in) fail_value("MXSymbolCreateGroup: symbols is NULL");
    std::vector<Symbol> v;
    for (mx_uint i = 0; i < num_symbols; ++i) v.push_back(sym(symbols_in[i], "symbols[i]"));
    *out = new_symbol(Symbol::group(v));
  });
}

int MXSymbolCreateFromJSON(const char* json, SymbolHandle* out) {
  return guarded([&] {
    if (!json) fail_value("MXSymbolCreateFromJSON: json is NULL");
    require_out(out, "out");
    *out = new_symbol(Symbol::from_json(json));
  });
}

int MXSymbolCreateFromFile(const char* fname, SymbolHandle* out) {
  return guarded([&] {
    if (!fname) fail_value("MXSymbolCreateFromFile: fname is NULL");
    require_out(out, "out");
    std::ifstream f(fname, std::ios::binary);
    if (!f) fail_value("cannot open symbol file ", fname);
    std::stringstream ss;
    ss << f.rdbuf();
    *out = new_symbol(Symbol::from_json(ss.str()));
  });
}

int MXSymbolSaveToJSON(SymbolHandle symbol, const char** out_json) {
  return guarded([&] {
    require_out(out_json, "out_json");
    auto& r = ret();
    r.str = sym(symbol).to_json();
    *out_json = r.str.c_str();
  });
}

int MXSymbolSaveToFile(SymbolHandle symbol, const char* fname) {
  return guarded([&] {
    if (!fname) fail_value("MXSymbolSaveToFile: fname is NULL");
    std::string json = sym(symbol).to_json();
    // write to a temporary file and rename, so a failure never leaves a truncated file
    std::string tmp = std::string(fname) + ".tmp-loom";
    {
      std::ofstream f(tmp, std::ios::binary);
      if (!f) fail_value("cannot open ", fname, " for writing");
      f << json;
      if (!f.flush()) fail("failed writing ", fname);
    }
    if (std::rename(tmp.c_str(), fname) != 0) {
      std::remove(tmp.c_str());
      fail("failed replacing ", fname);
    }
  });
}

int MXSymbolFree(SymbolHandle symbol) {
  return guarded([&] { symbols().free(symbol, "symbol"); });
}

int MXSymbolCopy(SymbolHandle symbol, SymbolHandle* out) {
  return guarded([&] {
    require_out(out, "out");
    *out = new_symbol(sym(symbol).copy());
  });
}

int MXSymbolPrint(SymbolHandle symbol, const char** out_str) {
  return guarded([&] {
    require_out(out_str, "out_str");
    auto& r = ret();
    r.str = sym(symbol).print();
    *out_str = r.str.c_str();
  });
}

int MXSymbolGetName(SymbolHandle symbol, const char** out, int* success) {
  return guarded([&] {
    require_out(out, "out");
    require_out(success, "success");
    auto name = sym(symbol).name();
    auto& r = ret();
    if (name) {
      r.str = *name;
      *out = r.str.c_str();
      *success = 1;
    } else {
      *out = nullptr;
      *success = 0;
    }
  });
}

int MXSymbolGetAttr(SymbolHandle symbol, const char* key, const char** out, int* success) {
  return guarded([&] {
    if (!key) fail_value("MXSymbolGetAttr: key is NULL");
    require_out(out, "out");
    require_out(success, "success");
    Symbol& s = sym(symbol);
    std::optional<std::string> v;
    bool single = !s.outputs.empty();
    for (const auto& e : s.outputs) single &= e.node == s.outputs[0].node;
    if (single) v = s.get_attr(key);
    auto& r = ret();
    if (v) {
      r.str = *v;
      *out = r.str.c_str();
      *success = 1;
    } else {
      *out = nullptr;
      *success = 0;
    }
  });
}

int MXSymbolSetAttr(SymbolHandle symbol, const char* key, const char* value) {
  return guarded([&] {
    if (!key || !value) fail_value("MXSymbolSetAttr: key or value is NULL");
    sym(symbol).set_attr(key, value);
  });
}

static int list_attr(SymbolHandle symbol, mx_uint* out_size, const char*** out, bool recursive) {
  return guarded([&] {
    require_out(out_size, "out_size");
    require_out(out, "out");
    std::vector<std::string> flat;
    for (const auto& [k, v] : sym(symbol).list_attr(recursive)) {
      flat.push_back(k);
      flat.push_back(v);
    }
    *out = return_strings(flat);
    *out_size = static_cast<mx_uint>(flat.size() / 2);
  });
}

int MXSymbolListAttr(SymbolHandle symbol, mx_uint* out_size, const char*** out) {
  return list_attr(symbol, out_size, out, true);
}

int MXSymbolListAttrShallow(SymbolHandle symbol, mx_uint* out_size, const char*** out) {
  return list_attr(symbol, out_size, out, false);
}

int MXSymbolListArguments(SymbolHandle symbol, mx_uint* out_size, const char*** out_str_array) {
  return list_names(symbol, out_size, out_str_array, [](const Symbol& s) { return s.list_arguments(); });
}

int MXSymbolListOutputs(SymbolHandle symbol, mx_uint* out_size, const char*** out_str_array) {
  return list_names(symbol, out_size, out_str_array, [](const Symbol& s) { return s.list_outputs(); });
}

int MXSymbolListAuxiliaryStates(SymbolHandle symbol, mx_uint* out_size, const char*** out_str_array) {
  return list_names(symbol, out_size, out_str_array,
                    [](const Symbol& s) { return s.list_auxiliary_states(); });
}

int MXSymbolGetNumOutputs(SymbolHandle symbol, mx_uint* output_count) {
  return guarded([&] {
    require_out(output_count, "output_count");
    *output_count = static_cast<mx_uint>(sym(symbol).outputs.size());
  });
}

int MXSymbolGetOutput(SymbolHandle symbol, mx_uint index, SymbolHandle* out) {
  return guarded([&] {
    require_out(out, "out");
    *out = new_symbol(sym(symbol).output(index));
  });
}

int MXSymbolGetInternals(SymbolHandle symbol, SymbolHandle* out) {
  return guarded([&] {
    require_out(out, "out");
    *out = new_symbol(sym(symbol).internals());
  });
}

int NNSymbolListInputNames(SymbolHandle symbol, int option, mx_uint* out_size,
                           const char*** out_str_array) {
  return guarded([&] {
    require_out(out_size, "out_size");
    require_out(out_str_array, "out_str_array");
    if (option < 0 || option > 2)
      fail_value("NNSymbolListInputNames: option ", option, " is not 0 (all), 1 (arguments) or 2 (aux)");
    const Symbol::InputKind kinds[] = {Symbol::InputKind::kAll, Symbol::InputKind::kArguments,
                                       Symbol::InputKind::kAuxStates};
    auto names = sym(symbol).list_inputs(kinds[option]);
    *out_str_array = return_strings(names);
    *out_size = static_cast<mx_uint>(names.size());
  });
}

int MXSymbolGetInputSymbols(SymbolHandle symbol, SymbolHandle** inputs, int* input_size) {
  return guarded([&] {
    require_out(inputs, "inputs");
    require_out(input_size, "input_size");
    auto nodes = sym(symbol).input_nodes(Symbol::InputKind::kAll);
    auto& r = ret();
    r.handles.clear();
    for (const auto& n : nodes) {
      Symbol v;
      v.outputs.push_back(NodeEntry{n, 0, n->var_version});
      r.handles.push_back(new_symbol(std::move(v)));
    }
    *inputs = r.handles.data();
    *input_size = static_cast<int>(r.handles.size());
  });
}

int MXSymbolGrad(SymbolHandle symbol, mx_uint num_wrt, const char** wrt, SymbolHandle* out) {
  return guarded([&] {
    require_out(out, "out");
    if (num_wrt && !wrt) fail_value("MXSymbolGrad: wrt is NULL");
    *out = new_symbol(symbol_gradient(sym(symbol), key_list(num_wrt, wrt)));
  });
}

int MXSymbolRemoveAmpCast(SymbolHandle sym_handle, SymbolHandle* ret_sym_handle) {
  return guarded([&] {
    require_out(ret_sym_handle, "ret_sym_handle");
    *ret_sym_handle = new_symbol(sym(sym_handle).copy());
  });
}

int MXShallowCopySymbol(SymbolHandle src, SymbolHandle* out) {
  return guarded([&] {
    require_out(out, "out");
    *out = new_symbol(sym(src));
  });
}

int MXSymbolGetChildren(SymbolHandle symbol, SymbolHandle* out) {
  return guarded([&] {
    require_out(out, "out");
    *out = new_symbol(sym(symbol).children());
  });
}

int MXSymbolCompose(SymbolHandle symbol, const char* name, mx_uint num_args, const char** keys,
                    SymbolHandle* args) {
  return guarded([&] {
    Symbol& s = sym(symbol);
    if (num_args && !args) fail_value("MXSymbolCompose: args is NULL");
    std::vector<Symbol> pos;
    std::vector<std::pair<std::string, Symbol>> kw;
    auto names = key_list(num_args, keys);
    for (mx_uint i = 0; i < num_args; ++i) {
      const Symbol& a = sym(args[i], "args[i]");
      if (keys)
        kw.emplace_back(names[i], a);
      else
        pos.push_back(a);
    }
    s.compose(pos, kw, str_or_empty(name));
  });
}

int MXSymbolInferShape(SymbolHandle sym_h, mx_uint num_args, const char** keys,
                       const mx_uint* arg_ind_ptr, const mx_uint* arg_shape_data,
                       mx_uint* in_shape_size, const mx_uint** in_shape_ndim,
                       const mx_uint*** in_shape_data, mx_uint* out_shape_size,
                       const mx_uint** out_shape_ndim, const mx_uint*** out_shape_data,
                       mx_uint* aux_shape_size, const mx_uint** aux_shape_ndim,
                       const mx_uint*** aux_shape_data, int* complete) {
  return infer_shape_impl<mx_uint, mx_uint>(
      sym_h, num_args, keys, arg_ind_ptr, arg_shape_data, in_shape_size, in_shape_ndim,
      in_shape_data, out_shape_size, out_shape_ndim, out_shape_data, aux_shape_size,
      aux_shape_ndim, aux_shape_data, complete, true);
}

int MXSymbolInferShapePartial(SymbolHandle sym_h, mx_uint num_args, const char** keys,
                              const mx_uint* arg_ind_ptr, const mx_uint* arg_shape_data,
                              mx_uint* in_shape_size, const mx_uint** in_shape_ndim,
                              const mx_uint*** in_shape_data, mx_uint* out_shape_size,
                              const mx_uint** out_shape_ndim, const mx_uint*** out_shape_data,
                              mx_uint* aux_shape_size, const mx_uint** aux_shape_ndim,
                              const mx_uint*** aux_shape_data, int* complete) {
  return MXSymbolInferShape(sym_h, num_args, keys, arg_ind_ptr, arg_shape_data, in_shape_size,
                            in_shape_ndim, in_shape_data, out_shape_size, out_shape_ndim,
                            out_shape_data, aux_shape_size, aux_shape_ndim, aux_shape_data,
                            complete);
}

int MXSymbolInferShapeEx(SymbolHandle sym_h, mx_uint num_args, const char** keys,
                         const mx_uint* arg_ind_ptr, const int* arg_shape_data,
                         mx_uint* in_shape_size, const int** in_shape_ndim,
                         const int*** in_shape_data, mx_uint* out_shape_size,
                         const int** out_shape_ndim, const int*** out_shape_data,
                         mx_uint* aux_shape_size, const int** aux_shape_ndim,
                         const int*** aux_shape_data, int* complete) {
  return infer_shape_impl<int, int>(sym_h, num_args, keys, arg_ind_ptr, arg_shape_data,
                                    in_shape_size, in_shape_ndim, in_shape_data, out_shape_size,
                                    out_shape_ndim, out_shape_data, aux_shape_size,
                                    aux_shape_ndim, aux_shape_data, complete, false);
}

int MXSymbolInferShapePartialEx(SymbolHandle sym_h, mx_uint num_args, const char** keys,
                                const mx_uint* arg_ind_ptr, const int* arg_shape_data,
                                mx_uint* in_shape_size, const int** in_shape_ndim,
                                const int*** in_shape_data, mx_uint* out_shape_size,
                                const int** out_shape_ndim, const int*** out_shape_data,
                                mx_uint* aux_shape_size, const int** aux_shape_ndim,
                                const int*** aux_shape_data, int* complete) {
  return MXSymbolInferShapeEx(sym_h, num_args, keys, arg_ind_ptr, arg_shape_data, in_shape_size,
                              in_shape_ndim, in_shape_data, out_shape_size, out_shape_ndim,
                              out_shape_data, aux_shape_size, aux_shape_ndim, aux_shape_data,
                              complete);
}

int MXSymbolInferTypePartial(SymbolHandle sym_h, mx_uint num_args, const char** keys,
                             const int* arg_type_data, mx_uint* in_type_size,
                             const int** in_type_data, mx_uint* out_type_size,
                             const int** out_type_data, mx_uint* aux_type_size,
                             const int** aux_type_data, int* complete) {
  return MXSymbolInferType(sym_h, num_args, keys, arg_type_data, in_type_size, in_type_data,
                           out_type_size, out_type_data, aux_type_size, aux_type_data, complete);
}

int MXSymbolInferType(SymbolHandle sym_h, mx_uint num_args, const char** keys,
                      const int* arg_type_data, mx_uint* in_type_size, const int** in_type_data,
                      mx_uint* out_type_size, const int** out_type_data, mx_uint* aux_type_size,
                      const int** aux_type_data, int* complete) {
  return guarded([&] {
    for (void* p : {(void*)in_type_size, (void*)in_type_data, (void*)out_type_size,
                    (void*)out_type_data, (void*)aux_type_size, (void*)aux_type_data,
                    (void*)complete})
      require_out(p, "an inference output");
    if (num_args && !arg_type_data) fail_value("MXSymbolInferType: arg_type_data is NULL");
    std::vector<int> given(arg_type_data, arg_type_data + num_args);
    SymbolTypes t = infer_symbol_types(sym(sym_h), key_list(num_args, keys), given);
    auto& r = ret();
    r.i32[0] = t.args;
    r.i32[1] = t.outputs;
    r.i32[2] = t.aux;
    *in_type_size = static_cast<mx_uint>(t.args.size());
    *in_type_data = r.i32[0].data();
    *out_type_size = static_cast<mx_uint>(t.outputs.size());
    *out_type_data = r.i32[1].data();
    *aux_type_size = static_cast<mx_uint>(t.aux.size());
    *aux_type_data = r.i32[2].data();
    *complete = t.complete ? 1 : 0;
  });
}

}  // extern "C"
