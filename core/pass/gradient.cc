#include <unordered_map>
#include <unordered_set>

#include "core/base/error.h"
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
                                const std::vector<NodeEntry>& xs) {
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
    std::vector<NodeEntry> in_grads = op.gradient(n, out_grads);
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
  }
  return result;
}

}  // namespace loom
