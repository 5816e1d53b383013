// C ABI: imperative execution of one operator on NDArrays (MXImperativeInvoke).
#include "core/exec/imperative.h"

#include "capi/common.h"

using namespace loom;
using namespace loom::capi;

namespace {

int invoke(AtomicSymbolCreator creator, int num_inputs, NDArrayHandle* inputs, int* num_outputs,
           NDArrayHandle** outputs, int num_params, const char** keys, const char** vals,
           bool is_train, bool add_to, const int** out_stypes) {
  return guarded([&] {
    const Op* op = op_of_creator(creator, "MXImperativeInvoke: creator");
    require_out(num_outputs, "num_outputs");
    require_out(outputs, "outputs");
    if (num_inputs < 0 || num_params < 0) fail_value("MXImperativeInvoke: negative count");
    if (num_inputs && !inputs) fail_value("MXImperativeInvoke: inputs is NULL");
    if (num_params && (!keys || !vals)) fail_value("MXImperativeInvoke: keys or vals is NULL");
    std::vector<NDArray> in;
    for (int i = 0; i < num_inputs; ++i)
      in.push_back(*ndarrays().get(inputs[i], "MXImperativeInvoke: inputs[i]"));
    AttrDict params;
    for (int i = 0; i < num_params; ++i) {
      if (!keys[i] || !vals[i]) fail_value("MXImperativeInvoke: parameter ", i, " is NULL");
      params[keys[i]] = vals[i];
    }
    const bool given = *outputs != nullptr;
    std::vector<NDArray*> targets;
    std::vector<NDArray> out;
    if (given) {
      if (*num_outputs < 0) fail_value("MXImperativeInvoke: negative num_outputs");
      for (int o = 0; o < *num_outputs; ++o) {
        NDArray* t = ndarrays().get((*outputs)[o], "MXImperativeInvoke: outputs[i]");
        targets.push_back(t);
        out.push_back(*t);
      }
    }
    InvokeResult r = imperative_invoke(*op, params, in, &out, is_train, add_to ? kAddTo : kWriteTo);
    auto& tr = ret();
    if (given) {
      for (size_t o = 0; o < targets.size(); ++o)
        if (targets[o]->is_none()) *targets[o] = out[o];
    } else {
      tr.handles.clear();
      for (auto& a : r.outputs) tr.handles.push_back(new_ndarray(std::move(a)));
      *num_outputs = static_cast<int>(tr.handles.size());
      *outputs = tr.handles.data();
    }
    if (out_stypes) {
      tr.i32[0].assign(static_cast<size_t>(*num_outputs), 0);
      *out_stypes = tr.i32[0].data();
    }
  });
}

}  // namespace

extern "C" {

int MXImperativeInvoke(AtomicSymbolCreator creator, int num_inputs, NDArrayHandle* inputs,
                       int* num_outputs, NDArrayHandle** outputs, int num_params,
                       const char** param_keys, const char** param_vals) {
  return invoke(creator, num_inputs, inputs, num_outputs, outputs, num_params, param_keys,
                param_vals, false, false, nullptr);
}

int MXImperativeInvokeEx(AtomicSymbolCreator creator, int num_inputs, NDArrayHandle* inputs,
                         int* num_outputs, NDArrayHandle** outputs, int num_params,
                         const char** param_keys, const char** param_vals, const int** out_stypes) {
  return invoke(creator, num_inputs, inputs, num_outputs, outputs, num_params, param_keys,
                param_vals, false, false, out_stypes);
}

int MXImperativeInvokeLoom(AtomicSymbolCreator creator, int num_inputs, NDArrayHandle* inputs,
                           int* num_outputs, NDArrayHandle** outputs, int num_params,
                           const char** param_keys, const char** param_vals, int is_train,
                           int add_to) {
  return invoke(creator, num_inputs, inputs, num_outputs, outputs, num_params, param_keys,
                param_vals, is_train != 0, add_to != 0, nullptr);
}

}  // extern "C"
