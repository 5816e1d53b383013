#include "core/exec/imperative.h"

#include <algorithm>

#include "core/base/error.h"

namespace loom {

Context parse_context(const std::string& s) {
  auto open = s.find('(');
  auto close = s.rfind(')');
  if (open == std::string::npos || close != s.size() - 1 || close < open + 2)
    fail_value("cannot parse context '", s, "' (expected e.g. cpu(0) or gpu(1))");
  std::string kind = s.substr(0, open);
  int id = 0;
  try {
    size_t used = 0;
    id = std::stoi(s.substr(open + 1, close - open - 1), &used);
    if (used != close - open - 1) throw std::invalid_argument(s);
  } catch (const std::exception&) {
    fail_value("cannot parse the device id of context '", s, "'");
  }
  if (id < 0) fail_value("negative device id in context '", s, "'");
  if (kind == "cpu" || kind == "cpu_pinned" || kind == "cpu_shared") return Context{kCPU, id};
  if (kind == "gpu") return Context{kGPU, id};
  fail_value("unknown device type in context '", s, "' (cpu, gpu, cpu_pinned)");
}

namespace {

std::string shapes_str(const ShapeVec& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + v[i].str();
  return s + "]";
}

void run_invoke(const Op& op, Attrs& attrs, const std::vector<NDArray>& inputs,
                std::vector<NDArray>* given, bool is_train, OpReq req, InvokeResult* result) {
  const int n_in = op.n_inputs(attrs);
  const int n_out = op.n_outputs(attrs);
  const int n_vis = op.n_visible_outputs(attrs);
  if (static_cast<int>(inputs.size()) != n_in)
    fail_value(n_in, " input(s) expected but ", inputs.size(), " given");
  for (size_t i = 0; i < inputs.size(); ++i)
    if (inputs[i].is_none()) fail_value("input ", i, " is an empty (none) array");
  const size_t n_given = given->size();
  if (n_given != 0 && static_cast<int>(n_given) != n_vis && static_cast<int>(n_given) != n_out)
    fail_value(n_given, " output array(s) given but the operator has ", n_vis,
               n_vis == n_out ? "" : cat(" visible (", n_out, " in all)"), " output(s)");
  if (req != kWriteTo && req != kAddTo) fail_value("unsupported write request ", int(req));

  // Device: the inputs', else the given outputs', else the `ctx` parameter, else cpu(0).
  Context ctx;
  bool have_ctx = false;
  for (const auto& a : inputs) {
    if (!have_ctx) {
      ctx = a.ctx();
      have_ctx = true;
    } else if (a.ctx() != ctx) {
      fail_value("all inputs must be on one device, but inputs are on ", ctx.str(), " and ",
                 a.ctx().str());
    }
  }
  for (const auto& a : *given) {
    if (a.is_none()) continue;
    if (!have_ctx) {
      ctx = a.ctx();
      have_ctx = true;
    } else if (a.ctx() != ctx) {
      fail_value("output array on ", a.ctx().str(), " but the operator runs on ", ctx.str());
    }
  }
  if (!have_ctx) {
    auto it = attrs.dict.find("ctx");
    if (it != attrs.dict.end() && !it->second.empty()) ctx = parse_context(it->second);
  }

  // Shapes and dtypes from the inputs and the given outputs.
  ShapeVec in_shapes, out_shapes(n_out);
  TypeVec in_types, out_types(n_out, -1);
  for (const auto& a : inputs) {
    in_shapes.push_back(a.shape());
    in_types.push_back(a.dtype());
  }
  for (size_t o = 0; o < n_given; ++o)
    if (!(*given)[o].is_none()) {
      out_shapes[o] = (*given)[o].shape();
      out_types[o] = (*given)[o].dtype();
    }
  const ShapeVec in_shapes0 = in_shapes;
  if (!op.infer_shape) fail("the operator has no shape inference");
  try {
    op.infer_shape(attrs, &in_shapes, &out_shapes);
  } catch (const Error& e) {
    throw Error(cat(e.what(), " (input shapes ", shapes_str(in_shapes0), ")"), e.kind());
  }
  if (in_shapes != in_shapes0)
    fail_value("input shapes ", shapes_str(in_shapes0), " are inconsistent: expected ",
               shapes_str(in_shapes));
  for (int o = 0; o < n_out; ++o)
    if (!out_shapes[o].known())
      fail_value("cannot infer the shape of output ", o, " from input shapes ",
                 shapes_str(in_shapes0), " (got ", out_shapes[o].str(), ")");
  const TypeVec in_types0 = in_types;
  op.run_infer_type(attrs, &in_types, &out_types);
  for (size_t i = 0; i < in_types.size(); ++i)
    if (in_types[i] != in_types0[i])
      fail_value("input ", i, " has dtype ", dtype_name(in_types0[i]), " but the operator needs ",
                 in_types[i] < 0 ? std::string("?") : dtype_name(in_types[i]));
  for (int o = 0; o < n_out; ++o)
    if (out_types[o] < 0) fail_value("cannot infer the dtype of output ", o);

  const Kernel* kernel = find_kernel(op.name, ctx.dev_type);
  if (!kernel)
    fail("no kernel is registered for ", ctx.is_gpu() ? "GPU" : "CPU",
         " (the operator cannot run imperatively on ", ctx.str(), ")");

  // Outputs: given ones (checked), allocated ones, and hidden ones.
  std::vector<NDArray> outs(n_out);
  for (int o = 0; o < n_out; ++o) {
    if (o < static_cast<int>(n_given) && !(*given)[o].is_none()) {
      const NDArray& g = (*given)[o];
      if (g.shape() != out_shapes[o])
        fail_value("output ", o, " has shape ", g.shape().str(), " but the result has shape ",
                   out_shapes[o].str());
      if (g.dtype() != out_types[o])
        fail_value("output ", o, " has dtype ", dtype_name(g.dtype()), " but the result has dtype ",
                   dtype_name(out_types[o]));
      outs[o] = g;
    } else {
      outs[o] = req == kAddTo && o < static_cast<int>(n_given)
                    ? NDArray::zeros(out_shapes[o], ctx, out_types[o])
                    : NDArray(out_shapes[o], ctx, out_types[o]);
      if (o < static_cast<int>(n_given)) (*given)[o] = outs[o];
    }
  }

  // An output that shares memory with an input is written directly only where the operator
  // allows that pair in place; otherwise the kernel writes a temporary that is copied back.
  std::vector<std::pair<int, int>> inplace;
  if (op.inplace) inplace = op.inplace(attrs);
  std::vector<NDArray> targets = outs;
  std::vector<int> redirected;
  for (int o = 0; o < n_out; ++o) {
    bool clash = false;
    for (int i = 0; i < n_in && !clash; ++i) {
      if (!outs[o].overlaps(inputs[i])) continue;
      bool allowed = outs[o].data() == inputs[i].data() && outs[o].bytes() == inputs[i].bytes() &&
                     (op.inplace_identity || std::find(inplace.begin(), inplace.end(),
                                                       std::make_pair(i, o)) != inplace.end());
      clash = !allowed;
    }
    if (clash) {
      targets[o] = NDArray(out_shapes[o], ctx, out_types[o]);
      if (req == kAddTo) targets[o].copy_from(outs[o]);
      redirected.push_back(o);
    }
  }

  OpContext octx;
  octx.is_train = is_train;
  octx.ctx = ctx;
  octx.stream = ctx.is_gpu() ? device_api(kGPU).stream(ctx) : nullptr;
  std::vector<TBlob> in_blobs, out_blobs;
  for (const auto& a : inputs) in_blobs.push_back(a.blob());
  for (const auto& a : targets) out_blobs.push_back(a.blob());
  std::vector<OpReq> reqs(n_out, req);
  for (int o = static_cast<int>(std::max<size_t>(n_given, n_vis)); o < n_out; ++o)
    reqs[o] = kWriteTo;
  (*kernel)(octx, attrs, in_blobs, reqs, out_blobs);
  for (int o : redirected) outs[o].copy_from(targets[o]);

  result->outputs.assign(outs.begin(), outs.begin() + n_vis);
}

}  // namespace

InvokeResult imperative_invoke(const Op& op, const AttrDict& params,
                               const std::vector<NDArray>& inputs, std::vector<NDArray>* outputs,
                               bool is_train, OpReq req) {
  std::vector<NDArray> none;
  if (!outputs) outputs = &none;
  InvokeResult result;
  try {
    Attrs attrs;
    attrs.op = &op;
    attrs.name = op.name;
    attrs.dict = params;
    if (!op.key_var_num_args.empty() && !attrs.dict.count(op.key_var_num_args))
      attrs.dict[op.key_var_num_args] = std::to_string(inputs.size());
    attrs.parse();
    run_invoke(op, attrs, inputs, outputs, is_train, req, &result);
  } catch (const Error& e) {
    std::string msg = e.what();
    if (msg.rfind("Error in operator", 0) == 0) throw;
    throw Error(cat("Error in operator ", op.name, ": ", msg), e.kind());
  }
  return result;
}

}  // namespace loom
