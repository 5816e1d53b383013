#include "core/exec/executor.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "core/base/error.h"
#include "core/pass/passes.h"

namespace loom {

bool env_flag(const char* name, bool fallback) {
  const char* v = std::getenv(name);
  if (!v || !*v) return fallback;
  return !(std::strcmp(v, "0") == 0 || std::strcmp(v, "false") == 0 ||
           std::strcmp(v, "False") == 0);
}

namespace {

// The copy MXNet inserts between nodes placed on different devices. The executor runs it
// itself (a device-aware copy), so it needs no kernel.
struct CrossDeviceCopyRegistration {
  CrossDeviceCopyRegistration() {
    OpRegistry::get()
        .add("_CrossDeviceCopy")
        .describe("Special op to copy data cross device")
        .set_infer_shape([](const Attrs&, ShapeVec* in, ShapeVec* out) {
          assign_shape(&(*out)[0], (*in)[0]);
          assign_shape(&(*in)[0], (*out)[0]);
        })
        .set_gradient([](const NodePtr& n, const std::vector<NodeEntry>& og) {
          return std::vector<NodeEntry>{
              make_entry("_CrossDeviceCopy", n->name() + "_backward", {og[0]})};
        });
  }
} cross_device_copy_registration;

const Op& cross_device_copy_op() {
  static const Op& op = OpRegistry::get().require("_CrossDeviceCopy");
  return op;
}

// ------------------------------------------------------------------------------ planning
//
// Two steps. (1) A simulation in execution order decides which entries share storage: an
// output takes over an input's storage when this node is that storage's last reader and the op
// allows it (MXNet's in-place rule), identity-like ops share always, and a gradient term whose
// only reader is an add_n is accumulated (kAddTo) into another term's storage when that
// storage has no other reader left, so the sum needs no temporaries. Entries that share form
// a group with one lifetime [first write, last read]. (2) Groups get byte offsets in one arena
// per device, largest first, each at the lowest offset free for its whole lifetime (greedy
// interval packing). MXNet instead reuses whole blocks from a free list; packing by offset is
// never worse than the peak of live bytes by much and usually well below block reuse, which
// is also computed and kept when smaller.

constexpr int kUnplanned = -1;  // variables: user arrays
constexpr int kExternal = -2;   // gradient outputs: user gradient arrays
constexpr size_t kAlign = 64;

size_t align_up(size_t n) { return (n + kAlign - 1) / kAlign * kAlign; }

struct Plan {
  std::vector<int> group;           // per entry: group id or kUnplanned/kExternal
  std::vector<OpReq> req;           // per entry
  std::vector<size_t> group_bytes;  // per group
  std::vector<int> group_dev;       // per group: device index
  std::vector<size_t> offset;       // per group: byte offset in its device's arena
  std::vector<size_t> arena_bytes;  // per device
  std::vector<bool> skip;           // per node: no call (an add_n whose sum is already in place)
  std::vector<std::vector<bool>> dropped;  // per node: inputs folded into the accumulator
};

struct PlanInput {
  const IndexedGraph* g;
  std::vector<size_t> bytes;    // per entry
  std::vector<int> dev;         // per node: device index
  std::vector<bool> external;   // per entry
  std::vector<uint32_t> order;  // execution order of node ids
  bool fold_grad_sums = true;
  bool blocks_only = false;  // LOOM_EXEC_PLANNER=blocks: MXNet-style block reuse only
};

void simulate(const PlanInput& in, Plan* p, std::vector<std::pair<uint32_t, uint32_t>>* life) {
  const IndexedGraph& g = *in.g;
  size_t n_entries = g.num_entries();
  p->group.assign(n_entries, kUnplanned);
  p->req.assign(n_entries, kWriteTo);
  p->skip.assign(g.num_nodes(), false);
  p->dropped.assign(g.num_nodes(), {});
  for (uint32_t nid = 0; nid < g.num_nodes(); ++nid)
    p->dropped[nid].assign(g[nid].input_entries.size(), false);
  std::vector<int> refs(n_entries, 0);
  std::vector<int64_t> sole_reader(n_entries, -1);  // node id when exactly one read
  for (uint32_t nid = 0; nid < g.num_nodes(); ++nid)
    for (uint32_t e : g[nid].input_entries) {
      sole_reader[e] = refs[e] == 0 ? static_cast<int64_t>(nid) : int64_t{-1};
      ++refs[e];
    }
  for (uint32_t e : g.heads()) {
    ++refs[e];
    sole_reader[e] = -1;
  }
  std::vector<int> group_refs;                          // outstanding reads per group
  std::vector<int64_t> accumulator(g.num_nodes(), -1);  // add_n node -> accumulating entry
  auto new_group = [&](size_t bytes, int dev, uint32_t step) {
    p->group_bytes.push_back(bytes);
    p->group_dev.push_back(dev);
    group_refs.push_back(0);
    life->emplace_back(step, step);
    return static_cast<int>(p->group_bytes.size() - 1);
  };
  static const Op* add_n = OpRegistry::get().find("add_n");

  for (uint32_t step = 0; step < in.order.size(); ++step) {
    const uint32_t nid = in.order[step];
    const auto& info = g[nid];
    const Node& node = *info.node;
    if (node.is_variable()) continue;
    auto count_in = [&](uint32_t e) {
      return std::count(info.input_entries.begin(), info.input_entries.end(), e);
    };
    std::vector<std::pair<int, int>> inplace;
    if (node.op() == add_n) {
      // any term may carry the sum
      for (size_t i = 0; i < info.input_entries.size(); ++i) inplace.emplace_back(i, 0);
    } else if (node.op()->inplace) {
      inplace = node.op()->inplace(node.attrs);
    }
    std::vector<bool> input_taken(info.input_entries.size(), false);
    bool folded_here = false;
    int n_out = node.num_outputs();
    for (int o = 0; o < n_out; ++o) {
      uint32_t e = g.entry_id(nid, o);
      if (in.external[e]) {
        p->group[e] = kExternal;
        continue;
      }
      size_t need = in.bytes[e];
      int chosen = -1;
      // Accumulate into another term of the add_n that is this entry's only reader.
      int64_t reader = sole_reader[e];
      if (in.fold_grad_sums && !folded_here && reader >= 0 && g[reader].node->op() == add_n &&
          node.op() != &cross_device_copy_op()) {
        const auto& rin = g[reader].input_entries;
        int64_t& acc = accumulator[reader];
        if (acc < 0) {
          acc = e;  // first term produced: the accumulator
        } else {
          int b = p->group[acc];
          if (b >= 0 && group_refs[b] == 1 && p->group_dev[b] == in.dev[nid] &&
              in.bytes[acc] == need && std::count(rin.begin(), rin.end(), e) == 1 &&
              std::count(rin.begin(), rin.end(), static_cast<uint32_t>(acc)) == 1) {
            bool reads_acc = false;
            for (uint32_t x : info.input_entries) reads_acc |= p->group[x] == b;
            if (!reads_acc) {
              p->group[e] = b;
              p->req[e] = kAddTo;
              for (size_t i = 0; i < rin.size(); ++i)
                if (rin[i] == e) p->dropped[reader][i] = true;
              folded_here = true;
              (*life)[b].second = step;
              continue;
            }
          }
        }
      }
      for (auto [i, out] : inplace) {
        if (out != o || i < 0 || i >= static_cast<int>(info.input_entries.size()) ||
            input_taken[i] || p->dropped[nid][i])
          continue;
        uint32_t in_e = info.input_entries[i];
        int b = p->group[in_e];
        if (b < 0 || in.bytes[in_e] != need || p->group_dev[b] != in.dev[nid]) continue;
        if (count_in(in_e) != 1) continue;
        bool identity = node.op()->inplace_identity;
        if (!identity && group_refs[b] != 1) continue;
        chosen = b;
        input_taken[i] = true;
        if (!identity) p->req[e] = kWriteInplace;
        break;
      }
      if (chosen < 0) {
        chosen = new_group(need, in.dev[nid], step);
      } else {
        --group_refs[chosen];  // the input's read moves to the output below
      }
      p->group[e] = chosen;
      group_refs[chosen] += refs[e];
      (*life)[chosen].second = std::max((*life)[chosen].second, step);
    }
    for (size_t i = 0; i < info.input_entries.size(); ++i) {
      uint32_t in_e = info.input_entries[i];
      int b = p->group[in_e];
      if (b < 0) continue;
      (*life)[b].second = std::max((*life)[b].second, step);
      if (input_taken[i] || p->dropped[nid][i]) continue;
      --group_refs[b];
    }
    // An add_n whose every other term was accumulated into the one it now overwrites in
    // place has nothing left to do.
    if (node.op() == add_n && n_out == 1 && p->group[g.entry_id(nid, 0)] >= 0) {
      size_t kept = 0;
      for (size_t i = 0; i < input_taken.size(); ++i) kept += !p->dropped[nid][i];
      bool all_in_place = kept == 1;
      for (size_t i = 0; i < input_taken.size(); ++i)
        if (!p->dropped[nid][i] && !input_taken[i]) all_in_place = false;
      p->skip[nid] = all_in_place;
    }
  }
  // graph outputs stay readable after the run
  uint32_t last = in.order.empty() ? 0 : static_cast<uint32_t>(in.order.size() - 1);
  for (uint32_t e : g.heads())
    if (p->group[e] >= 0) (*life)[p->group[e]].second = last;
}

// Offsets by greedy interval packing (largest first, best-fitting gap).
size_t pack_offsets(const std::vector<size_t>& bytes,
                    const std::vector<std::pair<uint32_t, uint32_t>>& life,
                    const std::vector<int>& ids, std::vector<size_t>* offset) {
  std::vector<int> order = ids;
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    if (bytes[a] != bytes[b]) return bytes[a] > bytes[b];
    return life[a].first < life[b].first;
  });
  std::vector<int> placed;
  size_t total = 0;
  std::vector<std::pair<size_t, size_t>> busy;
  for (int gid : order) {
    size_t need = align_up(bytes[gid]);
    busy.clear();
    for (int q : placed)
      if (life[q].first <= life[gid].second && life[gid].first <= life[q].second)
        busy.emplace_back((*offset)[q], (*offset)[q] + align_up(bytes[q]));
    std::sort(busy.begin(), busy.end());
    size_t best = SIZE_MAX, best_gap = SIZE_MAX, cursor = 0;
    for (auto [b, e] : busy) {
      if (b > cursor && b - cursor >= need && b - cursor < best_gap) {
        best = cursor;
        best_gap = b - cursor;
      }
      cursor = std::max(cursor, e);
    }
    if (best == SIZE_MAX) best = cursor;
    (*offset)[gid] = best;
    total = std::max(total, best + need);
    placed.push_back(gid);
  }
  return total;
}

// MXNet-style reuse of whole blocks (first free block at least as large, else the largest
// free one grown), over the same groups; blocks laid end to end give offsets.
size_t block_offsets(const std::vector<size_t>& bytes,
                     const std::vector<std::pair<uint32_t, uint32_t>>& life,
                     const std::vector<int>& ids, std::vector<size_t>* offset) {
  std::vector<int> order = ids;
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    return life[a].first != life[b].first ? life[a].first < life[b].first : bytes[a] > bytes[b];
  });
  std::vector<size_t> block_bytes;
  std::vector<uint32_t> block_free_at;  // node id after which the block is free
  std::vector<int> block_of(bytes.size(), -1);
  std::multimap<size_t, int> free_blocks;
  std::vector<std::pair<uint32_t, int>> pending;  // (last use, block) not yet released
  for (int gid : order) {
    uint32_t start = life[gid].first;
    // release blocks whose last use is before this start
    for (size_t i = 0; i < pending.size();) {
      if (pending[i].first < start) {
        free_blocks.emplace(block_bytes[pending[i].second], pending[i].second);
        pending[i] = pending.back();
        pending.pop_back();
      } else {
        ++i;
      }
    }
    size_t need = align_up(bytes[gid]);
    int chosen;
    auto it = free_blocks.lower_bound(need);
    if (it == free_blocks.end() && !free_blocks.empty()) it = std::prev(free_blocks.end());
    if (it != free_blocks.end()) {
      chosen = it->second;
      free_blocks.erase(it);
      block_bytes[chosen] = std::max(block_bytes[chosen], need);
    } else {
      chosen = static_cast<int>(block_bytes.size());
      block_bytes.push_back(need);
    }
    block_of[gid] = chosen;
    pending.emplace_back(life[gid].second, chosen);
  }
  std::vector<size_t> block_offset(block_bytes.size());
  size_t total = 0;
  for (size_t b = 0; b < block_bytes.size(); ++b) {
    block_offset[b] = total;
    total += block_bytes[b];
  }
  for (int gid : ids) (*offset)[gid] = block_offset[block_of[gid]];
  return total;
}

Plan plan_memory(const PlanInput& in, size_t n_devices) {
  Plan p;
  std::vector<std::pair<uint32_t, uint32_t>> life;
  simulate(in, &p, &life);
  p.offset.assign(p.group_bytes.size(), 0);
  p.arena_bytes.assign(n_devices, 0);
  for (size_t d = 0; d < n_devices; ++d) {
    std::vector<int> ids;
    for (size_t gid = 0; gid < p.group_bytes.size(); ++gid)
      if (p.group_dev[gid] == static_cast<int>(d)) ids.push_back(static_cast<int>(gid));
    std::vector<size_t> blocks(p.offset.size());
    size_t by_blocks = block_offsets(p.group_bytes, life, ids, &blocks);
    size_t packed = SIZE_MAX;
    std::vector<size_t> offs(p.offset.size());
    if (ids.size() <= 20000 && !in.blocks_only)
      packed = pack_offsets(p.group_bytes, life, ids, &offs);
    const auto& best = packed <= by_blocks ? offs : blocks;
    for (int gid : ids) p.offset[gid] = best[gid];
    p.arena_bytes[d] = std::min(packed, by_blocks);
  }
  return p;
}

std::string shape_list(const std::vector<std::string>& names, const std::vector<NDArray>& arrays) {
  std::string s;
  for (size_t i = 0; i < names.size(); ++i)
    s += cat(i ? ", " : "", names[i], arrays[i].shape().str());
  return s;
}

bool truthy(const AttrDict& d, const std::string& key) {
  auto it = d.find(key);
  if (it == d.end()) return false;
  const std::string& v = it->second;
  return v == "1" || v == "True" || v == "true";
}

}  // namespace

Executor::Executor(const Symbol& symbol, const Context& ctx, std::vector<NDArray> args,
                   std::vector<NDArray> arg_grads, std::vector<OpReq> grad_req,
                   std::vector<NDArray> aux, const BindOptions& options)
    : symbol_(symbol),
      ctx_(ctx),
      group2ctx_(options.group2ctx),
      args_(std::move(args)),
      grads_(std::move(arg_grads)),
      aux_(std::move(aux)),
      grad_req_(std::move(grad_req)) {
  auto arg_names = symbol_.list_arguments();
  auto aux_names = symbol_.list_auxiliary_states();
  if (args_.size() != arg_names.size())
    fail_value("bind: the symbol has ", arg_names.size(), " arguments but ", args_.size(),
               " arrays were given");
  if (aux_.size() != aux_names.size())
    fail_value("bind: the symbol has ", aux_names.size(), " auxiliary states but ", aux_.size(),
               " arrays were given");
  grads_.resize(args_.size());
  grad_req_.resize(args_.size(), kNullOp);
  const bool placed = !group2ctx_.empty();
  for (size_t i = 0; i < args_.size(); ++i) {
    if (args_[i].is_none()) fail_value("bind: argument ", arg_names[i], " has no array");
    if (!placed && args_[i].ctx() != ctx_)
      fail_value("Input array ", arg_names[i], " is in ", args_[i].ctx().str(),
                 " while binding with ctx=", ctx_.str(),
                 ". All arguments must be in global "
                 "context (",
                 ctx_.str(), ") unless group2ctx is specified for cross-device graph.");
    if (grads_[i].is_none()) grad_req_[i] = kNullOp;
    if (grad_req_[i] == kNullOp) {
      grads_[i] = NDArray();
      continue;
    }
    if (grads_[i].shape() != args_[i].shape() || grads_[i].dtype() != args_[i].dtype())
      fail_value("bind: the gradient array of ", arg_names[i], " is ", grads_[i].shape().str(), " ",
                 dtype_name(grads_[i].dtype()), " but the argument is ", args_[i].shape().str(),
                 " ", dtype_name(args_[i].dtype()));
    if (!placed && grads_[i].ctx() != ctx_)
      fail_value("Gradient array ", arg_names[i], " is in ", grads_[i].ctx().str(),
                 " while binding with ctx=", ctx_.str(),
                 ". All gradients must be in global "
                 "context (",
                 ctx_.str(), ") unless group2ctx is specified for cross-device graph.");
  }
  for (size_t i = 0; i < aux_.size(); ++i) {
    if (aux_[i].is_none()) fail_value("bind: auxiliary state ", aux_names[i], " has no array");
    if (!placed && aux_[i].ctx() != ctx_)
      fail_value("Auxiliary state ", aux_names[i], " is in ", aux_[i].ctx().str(),
                 " while binding with ctx=", ctx_.str(),
                 ". All auxiliary states must be in "
                 "global context (",
                 ctx_.str(),
                 ") unless group2ctx is specified for "
                 "cross-device graph.");
  }

  // The executor's own copy of the graph: placement rewires inputs.
  Symbol fwd = symbol_.copy();
  auto arg_nodes = fwd.input_nodes(Symbol::InputKind::kArguments);
  auto aux_nodes = fwd.input_nodes(Symbol::InputKind::kAuxStates);
  const std::vector<NodeEntry> heads = fwd.outputs;
  std::vector<NodeEntry> all_heads = heads;
  std::vector<NodeEntry> head_grad_vars;
  std::vector<size_t> grad_args;
  for (size_t i = 0; i < args_.size(); ++i)
    if (grad_req_[i] != kNullOp) grad_args.push_back(i);
  has_backward_ = !grad_args.empty();
  std::unordered_map<const Node*, const Node*> backward_of, mirror_origin;
  std::vector<NodeEntry> grads;
  if (has_backward_) {
    // Mirror (MXNet's need_mirror). As in MXNet, a mirrored BatchNorm runs twice in training
    // and so updates its moving statistics twice per step.
    const bool do_mirror = env_flag("MXNET_BACKWARD_DO_MIRROR", false);
    for (size_t i = 0; i < heads.size(); ++i)
      head_grad_vars.push_back(NodeEntry{Node::variable("_head_grad_" + std::to_string(i)), 0, 0});
    std::vector<NodeEntry> xs;
    for (size_t i : grad_args) xs.push_back(NodeEntry{arg_nodes[i], 0, 0});
    // Under the global switch a node is mirrored only where recomputing it keeps nothing
    // alive that the backward pass would not keep anyway: each input must be a variable,
    // another mirrored node, or read by the plain backward graph. (MXNet mirrors every
    // eligible node; mirroring an add of two otherwise dead results, as in a residual unit,
    // would make it keep both for the recompute and plan more memory, not less.)
    // __force_mirroring__ is obeyed as it is.
    std::set<std::pair<const Node*, uint32_t>> read_by_backward;
    if (do_mirror) {
      std::unordered_set<const Node*> forward_nodes;
      dfs_visit(heads, [&](const NodePtr& n) { forward_nodes.insert(n.get()); });
      std::vector<NodeEntry> plain = gradient(heads, head_grad_vars, xs);
      dfs_visit(plain, [&](const NodePtr& n) {
        if (forward_nodes.count(n.get())) return;
        for (const auto& e : n->inputs) read_by_backward.emplace(e.node.get(), e.index);
      });
    }
    std::unordered_map<const Node*, NodePtr> mirror;
    dfs_visit(heads, [&](const NodePtr& n) {
      if (n->is_variable()) return;
      const std::string& type = n->op()->name;
      bool forced = truthy(n->attrs.dict, "__force_mirroring__");
      bool want = type != "Dropout" &&
                  (forced || (do_mirror && type != "Convolution" && type != "FullyConnected" &&
                              type != "Concat" && type != "SoftmaxOutput"));
      if (want && !forced)
        for (const auto& e : n->inputs)
          if (!e.node->is_variable() && !mirror.count(e.node.get()) &&
              !read_by_backward.count({e.node.get(), e.index}))
            want = false;
      if (!want) return;
      auto m = std::make_shared<Node>(*n);
      m->attrs.name += "_mirror";
      for (auto& e : m->inputs) {
        auto it = mirror.find(e.node.get());
        if (it != mirror.end()) e.node = it->second;
      }
      mirror_origin[m.get()] = n.get();
      mirror[n.get()] = m;
    });
    GradientOptions gopt;
    gopt.backward_of = &backward_of;
    if (!mirror.empty())
      gopt.mirror = [&](const NodePtr& n) -> NodePtr {
        auto it = mirror.find(n.get());
        return it == mirror.end() ? nullptr : it->second;
      };
    grads = gradient(heads, head_grad_vars, xs, gopt);
  }

  // Placement: ctx_group -> device for forward nodes, variables where their arrays are,
  // backward nodes with the forward node they serve; copies where an edge crosses devices.
  std::vector<Context> devices{ctx_};
  auto dev_index = [&](const Context& c) {
    for (size_t i = 0; i < devices.size(); ++i)
      if (devices[i] == c) return static_cast<int>(i);
    devices.push_back(c);
    return static_cast<int>(devices.size() - 1);
  };
  std::unordered_map<const Node*, int> dev_of;
  if (placed) {
    for (size_t i = 0; i < arg_nodes.size(); ++i)
      dev_of[arg_nodes[i].get()] = dev_index(args_[i].ctx());
    for (size_t i = 0; i < aux_nodes.size(); ++i)
      dev_of[aux_nodes[i].get()] = dev_index(aux_[i].ctx());
    std::vector<NodeEntry> everything = heads;
    everything.insert(everything.end(), grads.begin(), grads.end());
    std::vector<NodePtr> order;
    dfs_visit(everything, [&](const NodePtr& n) { order.push_back(n); });
    auto group_dev = [&](const Node& n) -> int {
      auto it = n.attrs.dict.find("__ctx_group__");
      if (it == n.attrs.dict.end()) return -1;
      auto g = group2ctx_.find(it->second);
      return g == group2ctx_.end() ? -1 : dev_index(g->second);
    };
    // forward nodes first (in order), then mirrors and backward nodes from their owners
    for (const auto& n : order) {
      if (n->is_variable() || backward_of.count(n.get()) || mirror_origin.count(n.get())) continue;
      int d = group_dev(*n);
      if (d < 0)
        for (const auto& e : n->inputs) {
          auto it = dev_of.find(e.node.get());
          if (it != dev_of.end() && !e.node->is_variable()) {
            d = it->second;
            break;
          }
        }
      dev_of[n.get()] = d < 0 ? 0 : d;
    }
    for (size_t i = 0; i < head_grad_vars.size(); ++i)
      dev_of[head_grad_vars[i].node.get()] = dev_of[heads[i].node.get()];
    for (const auto& n : order) {
      if (dev_of.count(n.get())) continue;
      auto m = mirror_origin.find(n.get());
      const Node* owner = m != mirror_origin.end() ? m->second : nullptr;
      if (!owner) {
        auto b = backward_of.find(n.get());
        if (b != backward_of.end()) owner = b->second;
      }
      auto it = owner ? dev_of.find(owner) : dev_of.end();
      dev_of[n.get()] = it != dev_of.end() ? it->second : 0;
    }
    std::map<std::tuple<const Node*, uint32_t, int>, NodeEntry> copies;
    auto copy_to = [&](const NodeEntry& e, int d) {
      auto key = std::make_tuple(e.node.get(), e.index, d);
      auto it = copies.find(key);
      if (it != copies.end()) return it->second;
      NodeEntry c{
          Node::op_node(cross_device_copy_op(),
                        cat(output_name(*e.node, e.index), "_to_", devices[d].str()), {}, {e}),
          0, 0};
      dev_of[c.node.get()] = d;
      copies.emplace(key, c);
      return c;
    };
    for (const auto& n : order) {
      if (n->is_variable()) continue;
      int d = dev_of[n.get()];
      for (auto& e : n->inputs)
        if (dev_of.at(e.node.get()) != d) e = copy_to(e, d);
    }
    for (size_t k = 0; k < grads.size(); ++k) {
      int d = dev_index(grads_[grad_args[k]].ctx());
      if (dev_of.at(grads[k].node.get()) != d) grads[k] = copy_to(grads[k], d);
    }
  }

  if (has_backward_) {
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
      if (g.node->is_variable() || readers[e] > 0 || claimed[e]) {
        int d = placed ? dev_of.at(g.node.get()) : 0;
        g = make_entry("_copy", g.node->name() + "_grad_copy", {g});
        if (placed) dev_of[g.node.get()] = d;
      } else {
        claimed[e] = true;
      }
    }
    all_heads.insert(all_heads.end(), grads.begin(), grads.end());
  }

  IndexedGraph g(all_heads);
  size_t num_forward_nodes = IndexedGraph(heads).num_nodes();
  for (uint32_t nid = 0; nid < g.num_nodes(); ++nid) nodes_.push_back(g[nid].node);
  std::vector<int> node_dev(g.num_nodes(), 0);
  if (placed)
    for (uint32_t nid = 0; nid < g.num_nodes(); ++nid) node_dev[nid] = dev_of.at(g[nid].node.get());

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
  bool any_head_grad = false;
  for (size_t i = 0; i < head_grad_vars.size(); ++i) {
    if (!g.has_node(head_grad_vars[i].node.get())) continue;
    uint32_t he = g.entry_id(heads[i]);
    uint32_t ge = g.entry_id(head_grad_vars[i]);
    shapes[ge] = shapes[he];
    types[ge] = types[he];
    any_head_grad = true;
  }
  if (any_head_grad) {
    infer_shapes(g, &shapes);
    infer_types(g, &types);
  }
  for (uint32_t nid = 0; nid < g.num_nodes(); ++nid) {
    int n_out = g[nid].node->num_outputs();
    for (int o = 0; o < n_out; ++o) {
      uint32_t e = g.entry_id(nid, o);
      if (!shapes[e].known())
        fail_value("bind: cannot infer the shape of ", output_name(*g[nid].node, o), " (got ",
                   shapes[e].str(), "); arguments: ", shape_list(arg_names, args_));
      if (types[e] < 0)
        fail_value("bind: cannot infer the dtype of ", output_name(*g[nid].node, o));
    }
  }
  for (size_t i = 0; i < head_grad_vars.size(); ++i) {
    if (!g.has_node(head_grad_vars[i].node.get())) continue;
    uint32_t ge = g.entry_id(head_grad_vars[i]);
    head_grad_arrays_[i] = NDArray::zeros(
        shapes[ge], devices[node_dev[g.node_id(head_grad_vars[i].node.get())]], types[ge]);
  }

  // Memory plan over the full graph; gradient outputs go to the user's arrays.
  PlanInput pin;
  pin.g = &g;
  pin.bytes.resize(g.num_entries());
  for (uint32_t e = 0; e < g.num_entries(); ++e)
    pin.bytes[e] = static_cast<size_t>(shapes[e].size()) * dtype_size(types[e]);
  pin.dev = node_dev;
  pin.external.assign(g.num_entries(), false);
  pin.fold_grad_sums = env_flag("LOOM_EXEC_INPLACE_GRAD_SUM", true);
  if (const char* planner = std::getenv("LOOM_EXEC_PLANNER"))
    pin.blocks_only = std::strcmp(planner, "blocks") == 0;
  // Execution order: the graph's, except that mirrored nodes run just before their first
  // reader, so what they recompute lives as briefly as possible.
  pin.order.resize(g.num_nodes());
  for (uint32_t nid = 0; nid < g.num_nodes(); ++nid) pin.order[nid] = nid;
  if (!mirror_origin.empty()) {
    std::vector<std::vector<uint32_t>> readers(g.num_nodes());
    for (uint32_t nid = 0; nid < g.num_nodes(); ++nid)
      for (uint32_t e : g[nid].input_entries) {
        // entry -> producing node: entry ids are laid out node by node
        auto it = std::upper_bound(g.row_ptr().begin(), g.row_ptr().end(), e);
        readers[static_cast<uint32_t>(it - g.row_ptr().begin() - 1)].push_back(nid);
      }
    std::vector<uint32_t>& order = pin.order;
    for (uint32_t m = static_cast<uint32_t>(g.num_nodes()); m-- > 0;) {
      if (!mirror_origin.count(g[m].node.get()) || readers[m].empty()) continue;
      auto pos = std::find(order.begin(), order.end(), m) - order.begin();
      size_t first = order.size();
      for (size_t q = pos + 1; q < order.size(); ++q)
        if (std::find(readers[m].begin(), readers[m].end(), order[q]) != readers[m].end()) {
          first = q;
          break;
        }
      if (first == order.size()) continue;
      order.erase(order.begin() + pos);
      order.insert(order.begin() + (first - 1), m);
    }
  }
  std::vector<std::pair<uint32_t, size_t>> grad_entries;  // entry -> argument
  for (size_t k = 0; k < grad_args.size(); ++k) {
    uint32_t e = g.entry_id(all_heads[heads.size() + k]);
    pin.external[e] = true;
    grad_entries.emplace_back(e, grad_args[k]);
  }
  Plan plan = plan_memory(pin, devices.size());

  // Kernels first, so that a missing one fails before anything is allocated.
  const bool plan_only = env_flag("LOOM_EXEC_PLAN_ONLY", false);
  std::vector<const Kernel*> kernels(g.num_nodes(), nullptr);
  for (uint32_t nid = 0; nid < g.num_nodes(); ++nid) {
    const Node& node = *g[nid].node;
    if (node.is_variable() || plan.skip[nid] || node.op() == &cross_device_copy_op()) continue;
    const Context& dev = devices[node_dev[nid]];
    kernels[nid] = find_kernel(node.op()->name, dev.dev_type);
    if (kernels[nid]) continue;
    if (!plan_only)
      fail("bind: operator ", node.op()->name, " (node ", node.name(), ") has no kernel for ",
           dev.is_gpu() ? "GPU" : "CPU");
    if (missing_kernel_.empty()) missing_kernel_ = node.op()->name;
  }

  // Arenas from the pool (the shared executor's, or a new one), largest first.
  pool_ = options.shared_exec ? options.shared_exec->pool_ : std::make_shared<MemoryPool>();
  std::vector<NDArray> arenas(devices.size());
  std::vector<size_t> dev_order(devices.size());
  for (size_t d = 0; d < devices.size(); ++d) dev_order[d] = d;
  std::sort(dev_order.begin(), dev_order.end(),
            [&](size_t a, size_t b) { return plan.arena_bytes[a] > plan.arena_bytes[b]; });
  std::vector<bool> pool_used(pool_->blocks.size(), false);
  for (size_t d : dev_order) {
    size_t need = plan.arena_bytes[d];
    planned_bytes_ += need;
    if (need == 0) continue;
    int best = -1;
    for (size_t k = 0; k < pool_->blocks.size(); ++k) {
      const NDArray& b = pool_->blocks[k];
      if (pool_used[k] || b.ctx() != devices[d] || b.bytes() < need) continue;
      if (best < 0 || b.bytes() < pool_->blocks[best].bytes()) best = static_cast<int>(k);
    }
    if (best < 0) {
      pool_->blocks.emplace_back(Shape({static_cast<dim_t>(need)}), devices[d], kUint8);
      pool_used.push_back(false);
      best = static_cast<int>(pool_->blocks.size() - 1);
      allocated_bytes_ += need;
    }
    pool_used[best] = true;
    arenas[d] = pool_->blocks[best];
  }

  // Arrays for every entry, then the call list.
  entries_.assign(g.num_entries(), NDArray());
  for (size_t i = 0; i < args_.size(); ++i)
    entries_[g.entry_id(g.node_id(arg_nodes[i].get()), 0)] = args_[i];
  for (size_t i = 0; i < aux_.size(); ++i)
    entries_[g.entry_id(g.node_id(aux_nodes[i].get()), 0)] = aux_[i];
  for (size_t i = 0; i < head_grad_vars.size(); ++i)
    if (!head_grad_arrays_[i].is_none())
      entries_[g.entry_id(head_grad_vars[i])] = head_grad_arrays_[i];
  std::vector<OpReq> entry_req = plan.req;
  for (auto [e, arg] : grad_entries) {
    entries_[e] = grads_[arg];
    entry_req[e] = grad_req_[arg];
  }
  for (uint32_t e = 0; e < g.num_entries(); ++e) {
    int b = plan.group[e];
    if (b < 0) continue;
    const NDArray& arena = arenas[plan.group_dev[b]];
    entries_[e] =
        NDArray(arena.storage(), arena.offset() + plan.offset[b], shapes[e], types[e]);
  }
  entry_names_.assign(g.num_entries(), std::string());
  entry_is_var_.assign(g.num_entries(), false);
  for (uint32_t nid : pin.order) {
    const auto& info = g[nid];
    const Node& node = *info.node;
    for (int o = 0; o < node.num_outputs(); ++o)
      entry_names_[g.entry_id(nid, o)] = output_name(node, o);
    entry_is_var_[g.entry_id(nid, 0)] = node.is_variable();
    if (node.is_variable()) {
      if (entries_[g.entry_id(nid, 0)].is_none())
        fail_value("bind: variable ", node.name(), " has no array");
      continue;
    }
    if (plan.skip[nid]) continue;
    const Context& dev = devices[node_dev[nid]];
    OpCall call{kernels[nid], &node.attrs, dev, dev.is_gpu() ? device_api(kGPU).stream(dev) : nullptr,
                {}, {}, {}, {}, {}};
    for (size_t i = 0; i < info.input_entries.size(); ++i) {
      if (plan.dropped[nid][i]) continue;
      uint32_t e = info.input_entries[i];
      call.in.push_back(entries_[e].blob());
      call.in_entries.push_back(e);
    }
    for (int o = 0; o < node.num_outputs(); ++o) {
      uint32_t e = g.entry_id(nid, o);
      call.out.push_back(entries_[e].blob());
      call.req.push_back(entry_req[e]);
      call.out_entries.push_back(e);
    }
    if (nid < num_forward_nodes) ++num_forward_calls_;
    calls_.push_back(std::move(call));
  }
  for (const auto& h : heads) outputs_.push_back(entries_[g.entry_id(h)]);
  Symbol full;
  full.outputs = all_heads;
  graph_text_ = full.print();
}

void Executor::monitor(const OpCall& c, bool inputs) const {
  if (inputs) {
    auto names = c.attrs->op->list_input_names(*c.attrs);
    for (size_t i = 0; i < c.in_entries.size(); ++i) {
      uint32_t e = c.in_entries[i];
      const NDArray& a = entries_[e];
      if (entry_is_var_[e]) monitor_(entry_names_[e], a);  // as MXNet does
      std::string in_name = i < names.size() ? names[i] : cat("input", i);
      monitor_(cat(c.attrs->name, "_", in_name), a);
    }
    return;
  }
  for (uint32_t e : c.out_entries) monitor_(entry_names_[e], entries_[e]);
}

void Executor::run(size_t begin, size_t end, bool is_train) {
  if (!missing_kernel_.empty())
    fail("Executor was bound with LOOM_EXEC_PLAN_ONLY and operator ", missing_kernel_,
         " has no kernel: it can be planned but not run");
  OpContext octx;
  octx.is_train = is_train;
  for (size_t i = begin; i < end; ++i) {
    const OpCall& c = calls_[i];
    if (monitor_ && monitor_all_) monitor(c, true);
    try {
      if (!c.kernel) {  // _CrossDeviceCopy (run() refuses plan-only executors above)
        entries_[c.out_entries[0]].copy_from(entries_[c.in_entries[0]]);
      } else {
        octx.ctx = c.ctx;
        octx.stream = c.stream;
        (*c.kernel)(octx, *c.attrs, c.in, c.req, c.out);
      }
    } catch (const Error& e) {
      throw Error(
          cat("Error in operator ", c.attrs->name, " (", c.attrs->op->name, "): ", e.what()),
          e.kind());
    }
    if (monitor_) monitor(c, false);
  }
}

void Executor::set_monitor_callback(MonitorCallback callback, bool monitor_all) {
  monitor_ = std::move(callback);
  monitor_all_ = monitor_all;
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
                 " is required: because the last operator is not a loss function, "
                 "head_gradient is required when calling backward. If you are attempting to "
                 "minimize the output as an objective, please modify your network and pass it "
                 "through the make_loss symbol.");
    const NDArray& hg = head_grads[i];
    if (hg.shape() != head_grad_arrays_[i].shape())
      fail_value("backward: operands shape mismatch: the head gradient of output ", out_names[i],
                 " has shape ", hg.shape().str(), ", expected ",
                 head_grad_arrays_[i].shape().str());
    if (hg.dtype() != head_grad_arrays_[i].dtype())
      fail_value("backward: the head gradient of output ", out_names[i], " is ",
                 dtype_name(hg.dtype()), ", expected ", dtype_name(head_grad_arrays_[i].dtype()));
    head_grad_arrays_[i].copy_from(hg);
  }
  run(num_forward_calls_, calls_.size(), is_train);
}

std::unique_ptr<Executor> Executor::reshape(bool partial_shaping, bool allow_up_sizing,
                                            const std::vector<std::string>& names,
                                            const std::vector<Shape>& shapes) const {
  SymbolShapes inferred = infer_symbol_shapes(symbol_, names, shapes);
  auto arg_names = symbol_.list_arguments();
  auto aux_names = symbol_.list_auxiliary_states();
  auto given = [&](const std::string& n) {
    return std::find(names.begin(), names.end(), n) != names.end();
  };
  auto resize = [&](const NDArray& old, const Shape& ns, const std::string& name,
                    const char* what) -> NDArray {
    if (!(partial_shaping || given(name) || ns == old.shape()))
      fail_value("Shape of unspecified ", what, ": ", name,
                 " changed. This can cause the new executor to not share parameters with "
                 "the old one. Please check for error in network.If this is intended, set "
                 "partial_shaping=True to suppress this warning.");
    if (!ns.known())
      fail_value("reshape: cannot infer the new shape of ", what, " ", name, " (got ", ns.str(),
                 ")");
    if (ns.size() > old.shape().size()) {
      if (!allow_up_sizing)
        fail_value("New shape of ", what, ": ", name,
                   " is larger than original.First making a "
                   "big executor and then down sizing it is more efficient than the reverse.If "
                   "you really want to up size, set allow_up_sizing=True to enable allocation "
                   "of new arrays.");
      return NDArray::zeros(ns, old.ctx(), old.dtype());
    }
    return NDArray(old.storage(), old.offset(), ns, old.dtype());
  };
  std::vector<NDArray> args, grads, aux;
  for (size_t i = 0; i < arg_names.size(); ++i) {
    args.push_back(resize(args_[i], inferred.args[i], arg_names[i], "arg"));
    if (grads_[i].is_none())
      grads.emplace_back();
    else
      grads.push_back(resize(grads_[i], inferred.args[i], arg_names[i], "arg"));
  }
  for (size_t i = 0; i < aux_names.size(); ++i)
    aux.push_back(resize(aux_[i], inferred.aux[i], aux_names[i], "aux"));
  BindOptions opt;
  opt.group2ctx = group2ctx_;
  opt.shared_exec = this;
  return std::make_unique<Executor>(symbol_, ctx_, std::move(args), std::move(grads), grad_req_,
                                    std::move(aux), opt);
}

std::string Executor::debug_str() const {
  // MXNet's last two lines (Module parses the first). Loom's kernels keep their own scratch
  // memory, so the executor requests no TempSpace resources (MXNet printed a constant 11).
  return graph_text_ + cat("Total ", planned_bytes_ >> 20, " MB allocated\n",
                           "Total 0 TempSpace resource requested\n");
}

}  // namespace loom
