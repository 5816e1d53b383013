#include "core/graph/graph.h"

#include <unordered_set>

#include "core/base/error.h"

namespace loom {

NodePtr Node::variable(const std::string& name) {
  auto n = std::make_shared<Node>();
  n->attrs.name = name;
  return n;
}

NodePtr Node::op_node(const Op& op, const std::string& name, AttrDict dict,
                      std::vector<NodeEntry> inputs) {
  auto n = std::make_shared<Node>();
  n->attrs.op = &op;
  n->attrs.name = name;
  n->attrs.dict = std::move(dict);
  n->attrs.parse();
  n->inputs = std::move(inputs);
  return n;
}

NodeEntry make_entry(const std::string& op, const std::string& name, std::vector<NodeEntry> in,
                     AttrDict dict, uint32_t index) {
  return NodeEntry{Node::op_node(OpRegistry::get().require(op), name, std::move(dict),
                                 std::move(in)),
                   index, 0};
}

void dfs_visit(const std::vector<NodeEntry>& heads,
               const std::function<void(const NodePtr&)>& fn) {
  std::unordered_set<const Node*> visited;
  // stack of (node, next child index); children = inputs then control deps
  std::vector<std::pair<NodePtr, size_t>> stack;
  for (const auto& h : heads) {
    if (!h.node || visited.count(h.node.get())) continue;
    visited.insert(h.node.get());
    stack.emplace_back(h.node, 0);
    while (!stack.empty()) {
      auto& [node, next] = stack.back();
      size_t n_in = node->inputs.size();
      size_t n_all = n_in + node->control_deps.size();
      if (next < n_all) {
        const NodePtr& child = next < n_in ? node->inputs[next].node : node->control_deps[next - n_in];
        ++next;
        if (child && !visited.count(child.get())) {
          visited.insert(child.get());
          stack.emplace_back(child, 0);
        }
      } else {
        NodePtr done = node;
        stack.pop_back();
        fn(done);
      }
    }
  }
}

IndexedGraph::IndexedGraph(const std::vector<NodeEntry>& heads) {
  row_ptr_.push_back(0);
  dfs_visit(heads, [&](const NodePtr& n) {
    uint32_t nid = static_cast<uint32_t>(nodes_.size());
    ids_[n.get()] = nid;
    NodeInfo info;
    info.node = n;
    for (const auto& e : n->inputs) info.input_entries.push_back(entry_id(ids_.at(e.node.get()), e.index));
    nodes_.push_back(std::move(info));
    row_ptr_.push_back(row_ptr_.back() + static_cast<uint32_t>(n->num_outputs()));
    if (n->is_variable()) input_nodes_.push_back(nid);
  });
  for (const auto& h : heads) heads_.push_back(entry_id(h));
}

}  // namespace loom
