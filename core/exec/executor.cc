#include "core/exec/executor.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "core/base/error.h"
#include "core/pass/passes.h"

namespace loom {

namespace {

// Storage classes of an entry in the plan.
constexpr int kUnplanned = -1;  // variables: user arrays
constexpr int kExternal = -2;   // gradient outputs: user gradient arrays

struct Plan {
  std::vector<int> storage;          // per entry: block id or kUnplanned/kExternal
  std::vector<size_t> block_bytes;   // per block
};

// Simulated allocation in execution order: an output may take over an input's block when this
// node is that block's last reader (in-place), else it takes a free block (the smallest large
// enough, or the largest one grown), else a new block. Blocks free when their last reader runs.
Plan plan_memory(const IndexedGraph& g, const std::vector<Shape>& shapes,
                 const std::vector<int>& types, const std::vector<bool>& external) {
  Plan p;
  size_t n_entries = g.num_entries();
  p.storage.assign(n_entries, kUnplanned);
  std::vector<int> refs(n_entries, 0);
  for (uint32_t nid = 0; nid < g.num_nodes(); ++nid)
    for (uint32_t e : g[nid].input_entries) ++refs[e];
  for (uint32_t e : g.heads()) ++refs[e];
  std::vector<int> block_refs;  // outstanding readers per block
  std::multimap<size_t, int> free_blocks;  // bytes -> block
  auto bytes_of = [&](uint32_t e) { return static_cast<size_t>(shapes[e].size()) * dtype_size(types[e]); };
  auto release = [&](int b) { free_blocks.emplace(p.block_bytes[b], b); };

  for (uint32_t nid = 0; nid < g.num_nodes(); ++nid) {
    const auto& info = g[nid];
    const Node& node = *info.node;
    if (node.is_variable()) continue;
    std::vector<std::pair<int, int>> inplace;
    if (node.op()->inplace) inplace = node.op()->inplace(node.attrs);
    std::vector<bool> input_taken(info.input_entries.size(), false);
    int n_out = node.num_outputs();
    for (int o = 0; o < n_out; ++o) {
      uint32_t e = g.entry_id(nid, o);
      if (external[e]) {
        p.storage[e] = kExternal;
        continue;
      }
      size_t need = bytes_of(e);
      int chosen = -1;
      for (auto [i, out] : inplace) {
        if (out != o || input_taken[i]) continue;
        uint32_t in_e = info.input_entries[i];
        int b = p.storage[in_e];
        if (b < 0 || block_refs[b] != 1 || bytes_of(in_e) != need) continue;
        // the input must not be read twice by this node
        int uses = 0;
        for (uint32_t x : info.input_entries) uses += x == in_e;
        if (uses != 1) continue;
        chosen = b;
        input_taken[i] = true;
        break;
      }
      if (chosen < 0) {
        auto it = free_blocks.lower_bound(need);
        if (it == free_blocks.end() && !free_blocks.empty()) it = std::prev(free_blocks.end());
        if (it != free_blocks.end()) {
          chosen = it->second;
          free_blocks.erase(it);
          p.block_bytes[chosen] = std::max(p.block_bytes[chosen], need);
        } else {
          chosen = static_cast<int>(p.block_bytes.size());
          p.block_bytes.push_back(need);
          block_refs.push_back(0);
        }
      } else {
        --block_refs[chosen];  // the input's claim moves to the output below
      }
      p.storage[e] = chosen;
      block_refs[chosen] += refs[e];
    }
    for (uint32_t in_e : info.input_entries) {
      int b = p.storage[in_e];
      if (b < 0) continue;
      bool moved = false;
      for (size_t i = 0; i < input_taken.size(); ++i)
        moved |= input_taken[i] && info.input_entries[i] == in_e;
      if (moved) continue;
      if (--block_refs[b] == 0) release(b);
    }
    for (int o = 0; o < n_out; ++o) {  // outputs nobody reads
      uint32_t e = g.entry_id(nid, o);
      int b = p.storage[e];
      if (b >= 0 && refs[e] == 0 && block_refs[b] == 0) release(b);
    }
  }
  return p;
}

std::string shape_list(const std::vector<std::string>& names, const std::vector<Shape>& shapes) {
  std::string s;
  for (size_t i = 0; i < names.size(); ++i) s += cat(i ? ", " : "", names[i], shapes[i].str());
  return s;
}

}  // namespace

Executor::Executor(const Symbol& symbol, const Context& ctx, std::vector<NDArray> args,
                   std::vector<NDArray> arg_grads, std::vector<OpReq> grad_req,
                   std::vector<NDArray> aux)
    : symbol_(symbol), ctx_(ctx), args_(std::move(args)), grads_(std::move(arg_grads)),
      aux_(std::move(aux)) {
  auto arg_nodes = symbol_.input_nodes(Symbol::InputKind::kArguments);
  auto aux_nodes = symbol_.input_nodes(Symbol::InputKind::kAuxStates);
  auto arg_names = symbol_.list_arguments();
  if (args_.size() != arg_nodes.size())
    fail_value("bind: the symbol has ", arg_nodes.size(), " arguments but ", args_.size(),
               " arrays were given");
  if (aux_.size() != aux_nodes.size())
    fail_value("bind: the symbol has ", aux_nodes.size(), " auxiliary states but ", aux_.size(),
               " arrays were given");
  grads_.resize(args_.size());
  grad_req.resize(args_.size(), kNullOp);
  for (size_t i = 0; i < args_.size(); ++i) {
    if (args_[i].is_none()) fail_value("bind: argument ", arg_names[i], " has no array");
    if (args_[i].ctx() != ctx_)
      fail_value("bind: argument ", arg_names[i], " is on ", args_[i].ctx().str(),
                 " but the executor is bound to ", ctx_.str());
    if (grads_[i].is_none()) grad_req[i] = kNullOp;
    if (grad_req[i] == kNullOp) continue;
    if (grads_[i].shape() != args_[i].shape() || grads_[i].dtype() != args_[i].dtype())
      fail_value("bind: the gradient array of ", arg_names[i], " is ", grads_[i].shape().str(),
                 " ", dtype_name(grads_[i].dtype()), " but the argument is ",
                 args_[i].shape().str(), " ", dtype_name(args_[i].dtype()));
    if (grads_[i].ctx() != ctx_)
      fail_value("bind: the gradient array of ", arg_names[i], " is on ", grads_[i].ctx().str(),
                 " but the executor is bound to ", ctx_.str());
  }
  for (size_t i = 0; i < aux_.size(); ++i)
    if (aux_[i].is_none() || aux_[i].ctx() != ctx_)
      fail_value("bind: auxiliary state ", aux_nodes[i]->name(), " must be an array on ", ctx_.str());

  // Forward heads, then the gradient of every argument with a gradient request.
  const std::vector<NodeEntry>& heads = symbol_.outputs;
  std::vector<NodeEntry> all_heads = heads;
  std::vector<NodeEntry> head_grad_vars;
  std::vector<size_t> grad_args;
  for (size_t i = 0; i < args_.size(); ++i)
    if (grad_req[i] != kNullOp) grad_args.push_back(i);
  has_backward_ = !grad_args.empty();
  if (has_backward_) {
    for (size_t i = 0; i < heads.size(); ++i)
      head_grad_vars.push_back(NodeEntry{Node::variable("_head_grad_" + std::to_string(i)), 0, 0});
    std::vector<NodeEntry> xs;
    for (size_t i : grad_args) xs.push_back(NodeEntry{arg_nodes[i], 0, 0});
    std::vector<NodeEntry> grads = gradient(heads, head_grad_vars, xs);
    // Each gradient output needs its own node output, written straight into the user's array.
    IndexedGraph probe([&] {
      auto h = heads;
      h.insert(h.end(), grads.begin(), grads.end());
      return h;
    }());
    std::vector<int> readers(probe.num_entries(), 0);
    for (uint32_t nid = 0; nid < probe.num_nodes(); ++nid)
      for (uint32_t e : probe[nid].input_entries) ++readers[e];
    for (size_t k = 0; k < heads.size(); ++k) ++readers[probe.entry_id(heads[k])];
    std::vector<bool> claimed(probe.num_entries(), false);
    for (auto& g : grads) {
      uint32_t e = probe.entry_id(g);
      if (g.node->is_variable() || readers[e] > 0 || claimed[e])
        g = make_entry("_copy", g.node->name() + "_grad_copy", {g});
      else
        claimed[e] = true;
    }
    all_heads.insert(all_heads.end(), grads.begin(), grads.end());
  }

  IndexedGraph g(all_heads);
  const size_t num_forward_nodes = IndexedGraph(heads).num_nodes();
  for (uint32_t nid = 0; nid < g.num_nodes(); ++nid) nodes_.push_back(g[nid].node);

  // Shapes and dtypes: user arrays are the truth.
  std::vector<Shape> shapes(g.num_entries());
  std::vector<int> types(g.num_entries(), -1);
  auto seed = [&](const NodePtr& n, const NDArray& a) {
    uint32_t e = g.entry_id(g.node_id(n.get()), 0);
    shapes[e] = a.shape();
    types[e] = a.dtype();
  };
  for (size_t i = 0; i < args_.size(); ++i) seed(arg_nodes[i], args_[i]);
  for (size_t i = 0; i < aux_.size(); ++i) seed(aux_nodes[i], aux_[i]);
  infer_shapes(g, &shapes);
  infer_types(g, &types);
  head_grad_arrays_.resize(heads.size());
  for (size_t i = 0; i < head_grad_vars.size(); ++i) {
    if (!g.has_node(head_grad_vars[i].node.get())) continue;
    uint32_t he = g.entry_id(heads[i]);
    uint32_t ge = g.entry_id(head_grad_vars[i]);
    shapes[ge] = shapes[he];
    types[ge] = types[he];
  }
  infer_shapes(g, &shapes);
  infer_types(g, &types);
  for (uint32_t nid = 0; nid < g.num_nodes(); ++nid) {
    int n_out = g[nid].node->num_outputs();
    for (int o = 0; o < n_out; ++o) {
      uint32_t e = g.entry_id(nid, o);
      if (!shapes[e].known())
        fail_value("bind: cannot infer the shape of ", output_name(*g[nid].node, o),
                   " (got ", shapes[e].str(), "); arguments: ", shape_list(arg_names, [&] {
                     std::vector<Shape> s;
                     for (const auto& a : args_) s.push_back(a.shape());
                     return s;
                   }()));
      if (types[e] < 0) fail_value("bind: cannot infer the dtype of ", output_name(*g[nid].node, o));
    }
  }
  for (size_t i = 0; i < head_grad_vars.size(); ++i) {
    if (!g.has_node(head_grad_vars[i].node.get())) continue;
    uint32_t ge = g.entry_id(head_grad_vars[i]);
    head_grad_arrays_[i] = NDArray::zeros(shapes[ge], ctx_, types[ge]);
  }

  // Memory plan over the full graph; gradient outputs go to the user's arrays.
  std::vector<bool> external(g.num_entries(), false);
  std::vector<std::pair<uint32_t, size_t>> grad_entries;  // entry -> argument
  for (size_t k = 0; k < grad_args.size(); ++k) {
    uint32_t e = g.entry_id(all_heads[heads.size() + k]);
    external[e] = true;
    grad_entries.emplace_back(e, grad_args[k]);
  }
  Plan plan = plan_memory(g, shapes, types, external);
  for (size_t b = 0; b < plan.block_bytes.size(); ++b) {
    buffers_.emplace_back(Shape({static_cast<dim_t>(plan.block_bytes[b])}), ctx_, kUint8);
    planned_bytes_ += plan.block_bytes[b];
  }

  // Arrays for every entry, then the call list.
  std::vector<NDArray> entry(g.num_entries());
  for (size_t i = 0; i < args_.size(); ++i) entry[g.entry_id(g.node_id(arg_nodes[i].get()), 0)] = args_[i];
  for (size_t i = 0; i < aux_.size(); ++i) entry[g.entry_id(g.node_id(aux_nodes[i].get()), 0)] = aux_[i];
  for (size_t i = 0; i < head_grad_vars.size(); ++i)
    if (!head_grad_arrays_[i].is_none()) entry[g.entry_id(head_grad_vars[i])] = head_grad_arrays_[i];
  std::vector<OpReq> entry_req(g.num_entries(), kWriteTo);
  for (auto [e, arg] : grad_entries) {
    entry[e] = grads_[arg];
    entry_req[e] = grad_req[arg];
  }
  for (uint32_t e = 0; e < g.num_entries(); ++e) {
    int b = plan.storage[e];
    if (b >= 0) entry[e] = NDArray(buffers_[b].storage(), 0, shapes[e], types[e]);
  }
  for (uint32_t nid = 0; nid < g.num_nodes(); ++nid) {
    const auto& info = g[nid];
    const Node& node = *info.node;
    if (node.is_variable()) {
      if (entry[g.entry_id(nid, 0)].is_none() && nid < num_forward_nodes)
        fail_value("bind: variable ", node.name(), " has no array");
      continue;
    }
    const Kernel* k = find_kernel(node.op()->name, ctx_.dev_type);
    if (!k)
      fail("bind: operator ", node.op()->name, " (node ", node.name(), ") has no kernel for ",
           ctx_.dev_type == kGPU ? "GPU" : "CPU");
    OpCall call{k, &node.attrs, {}, {}, {}};
    for (uint32_t e : info.input_entries) call.in.push_back(entry[e].blob());
    for (int o = 0; o < node.num_outputs(); ++o) {
      uint32_t e = g.entry_id(nid, o);
      call.out.push_back(entry[e].blob());
      call.req.push_back(entry_req[e]);
    }
    if (nid < num_forward_nodes) ++num_forward_calls_;
    calls_.push_back(std::move(call));
  }
  for (const auto& h : heads) outputs_.push_back(entry[g.entry_id(h)]);
  Symbol full;
  full.outputs = all_heads;
  graph_text_ = full.print();
}

void Executor::run(size_t begin, size_t end, bool is_train) {
  OpContext octx;
  octx.is_train = is_train;
  octx.ctx = ctx_;
  octx.stream = ctx_.is_gpu() ? device_api(kGPU).stream(ctx_) : nullptr;
  for (size_t i = begin; i < end; ++i) {
    const OpCall& c = calls_[i];
    try {
      (*c.kernel)(octx, *c.attrs, c.in, c.req, c.out);
    } catch (const Error& e) {
      throw Error(cat("Error in operator ", c.attrs->name, " (", c.attrs->op->name, "): ", e.what()),
                  e.kind());
    }
  }
}

void Executor::forward(bool is_train) { run(0, num_forward_calls_, is_train); }

void Executor::backward(const std::vector<NDArray>& head_grads, bool is_train) {
  if (!has_backward_) return;  // nothing requested a gradient
  auto out_names = symbol_.list_outputs();
  if (!head_grads.empty() && head_grads.size() != outputs_.size())
    fail_value("backward: ", head_grads.size(), " head gradients given for ", outputs_.size(),
               " outputs");
  for (size_t i = 0; i < head_grad_arrays_.size(); ++i) {
    if (head_grad_arrays_[i].is_none()) continue;
    if (head_grads.empty() || head_grads[i].is_none())
      fail_value("backward: the head gradient of output ", out_names[i],
                 " is required: the graph does not end in a loss for it. Pass out_grads, or "
                 "wrap the output with make_loss.");
    const NDArray& hg = head_grads[i];
    if (hg.shape() != head_grad_arrays_[i].shape())
      fail_value("backward: the head gradient of output ", out_names[i], " has shape ",
                 hg.shape().str(), ", expected ", head_grad_arrays_[i].shape().str());
    if (hg.dtype() != head_grad_arrays_[i].dtype())
      fail_value("backward: the head gradient of output ", out_names[i], " is ",
                 dtype_name(hg.dtype()), ", expected ", dtype_name(head_grad_arrays_[i].dtype()));
    head_grad_arrays_[i].copy_from(hg);
  }
  run(num_forward_calls_, calls_.size(), is_train);
}

std::string Executor::debug_str() const {
  return graph_text_ + cat("Total ", planned_bytes_ >> 20, " MB allocated\n",
                           "Total 11 TempSpace resource requested\n");
}

}  // namespace loom
