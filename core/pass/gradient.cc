#include <unordered_map>
#include <unordered_set>

#include "core/base/error.h"
#include "core/graph/symbol.h"
#include "core/pass/passes.h"

namespace loom {

namespace {

struct EntryKey {
  const Node* node;
  uint32_t index;
  bool operator==(const EntryKey& o) const { return node == o.node && index == o.index; }
};
struct EntryKeyHash {
  size_t operator()(const EntryKey& k) const {
    return std::hash<const void*>()(k.node) * 31 + k.index;
  }
};

// Sums gradient contributions; one term passes through unchanged.
NodeEntry sum_terms(const std::vector<NodeEntry>& terms, const std::string& name) {
  if (terms.size() == 1) return terms[0];
  return make_entry("add_n", name, terms, {{"num_args", std::to_string(terms.size())}});
}

}  // namespace

std::vector<NodeEntry> gradient(const std::vector<NodeEntry>& heads,
                                const std::vector<NodeEntry>& ograds,
                                const std::vector<NodeEntry>& xs, const GradientOptions& options) {
  if (heads.size() != ograds.size())
    fail("gradient: ", heads.size(), " outputs but ", ograds.size(), " output gradients");
  std::vector<NodePtr> order;
  dfs_visit(heads, [&](const NodePtr& n) { order.push_back(n); });

  // Only nodes that depend on some x need their gradient.
  std::unordered_set<const Node*> wanted;
  for (const auto& x : xs) wanted.insert(x.node.get());
  for (const auto& n : order)
    for (const auto& e : n->inputs)
      if (wanted.count(e.node.get())) {
        wanted.insert(n.get());
        break;
      }

  // Nodes that exist before the pass; anything else reachable from a gradient is new.
  std::unordered_set<const Node*> known;
  auto tag_new = [&](const std::vector<NodeEntry>& from, const Node* owner) {
    if (!options.backward_of) return;
    std::vector<const Node*> stack;
    for (const auto& e : from)
      if (e && !known.count(e.node.get())) stack.push_back(e.node.get());
    while (!stack.empty()) {
      const Node* m = stack.back();
      stack.pop_back();
      if (!known.insert(m).second) continue;
      options.backward_of->emplace(m, owner);
      for (const auto& e : m->inputs)
        if (!known.count(e.node.get())) stack.push_back(e.node.get());
    }
  };
  if (options.backward_of) {
    for (const auto& n : order) known.insert(n.get());
    for (const auto& g : ograds)
      if (g) known.insert(g.node.get());
  }

  std::unordered_map<EntryKey, std::vector<NodeEntry>, EntryKeyHash> grads;
  for (size_t i = 0; i < heads.size(); ++i)
    grads[{heads[i].node.get(), heads[i].index}].push_back(ograds[i]);

  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    const NodePtr& n = *it;
    if (n->is_variable() || !wanted.count(n.get())) continue;
    int n_out = n->num_outputs();
    std::vector<NodeEntry> out_grads(n_out);
    bool any = false;
    for (int i = 0; i < n_out; ++i) {
      auto g = grads.find({n.get(), static_cast<uint32_t>(i)});
      if (g == grads.end() || g->second.empty()) continue;
      out_grads[i] = sum_terms(g->second, n->name() + "_sum_grad" + std::to_string(i));
      any = true;
    }
    if (!any) continue;
    for (int i = 0; i < n_out; ++i)
      if (!out_grads[i])
        out_grads[i] = make_entry("zeros_like", n->name() + "_out" + std::to_string(i) + "_zero",
                                  {NodeEntry{n, static_cast<uint32_t>(i), 0}});
    const Op& op = *n->op();
    if (!op.gradient) fail("Operator ", op.name, " (node ", n->name(), ") is non-differentiable");
    NodePtr m = options.mirror ? options.mirror(n) : nullptr;
    std::vector<NodeEntry> in_grads = op.gradient(m ? m : n, out_grads);
    tag_new(out_grads, n.get());
    tag_new(in_grads, n.get());
    if (in_grads.size() != n->inputs.size())
      fail("Operator ", op.name, ": gradient returned ", in_grads.size(), " entries for ",
           n->inputs.size(), " inputs");
    for (size_t i = 0; i < in_grads.size(); ++i) {
      if (!in_grads[i] || !wanted.count(n->inputs[i].node.get())) continue;
      grads[{n->inputs[i].node.get(), n->inputs[i].index}].push_back(in_grads[i]);
    }
  }

  std::vector<NodeEntry> result;
  for (const auto& x : xs) {
    auto g = grads.find({x.node.get(), x.index});
    if (g == grads.end() || g->second.empty())
      result.push_back(make_entry("zeros_like", x.node->name() + "_zero_grad", {x}));
    else
      result.push_back(sum_terms(g->second, x.node->name() + "_sum_grad"));
    tag_new({result.back()}, x.node.get());
  }
  return result;
}

Symbol symbol_gradient(const Symbol& s, const std::vector<std::string>& wrt) {
  if (wrt.empty()) fail_value("gradient: wrt names no argument");
  auto args = s.input_nodes(Symbol::InputKind::kArguments);
  std::vector<NodeEntry> xs;
  for (const auto& name : wrt) {
    NodePtr found;
    for (const auto& n : args)
      if (n->name() == name) {
        if (found) fail_value("gradient: argument name ", name, " is ambiguous (two variables)");
        found = n;
      }
    if (!found) {
      std::string cand;
      for (const auto& n : args) cand += (cand.empty() ? "" : ", ") + n->name();
      fail_value("gradient: ", name, " is not an argument of the symbol. Arguments: [", cand, "]");
    }
    xs.push_back(NodeEntry{found, 0, found->var_version});
  }
  // d(sum of outputs): each head's gradient is ones shaped like it
  std::vector<NodeEntry> ones;
  for (size_t i = 0; i < s.outputs.size(); ++i) {
    const NodeEntry& h = s.outputs[i];
    auto zero = make_entry("zeros_like", h.node->name() + "_head_zero" + std::to_string(i), {h});
    ones.push_back(make_entry("_plus_scalar", h.node->name() + "_head_grad" + std::to_string(i),
                              {zero}, {{"scalar", "1.0"}}));
  }
  Symbol r;
  r.outputs = gradient(s.outputs, ones, xs);
  return r;
}

}  // namespace loom
