// The graph IR: nodes (an op or a variable, its attributes and inputs), entries (one output of
// a node), and IndexedGraph, a dense numbering of a graph's nodes and entries in MXNet's DFS
// post-order so that passes keep their results in plain vectors.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/op/op.h"

namespace loom {

struct NodeEntry {
  NodePtr node;
  uint32_t index = 0;
  uint32_t version = 0;
  explicit operator bool() const { return node != nullptr; }
};

struct Node {
  Attrs attrs;
  std::vector<NodeEntry> inputs;
  std::vector<NodePtr> control_deps;
  uint32_t var_version = 0;  // variables: bumped each time an op composed on it mutates it

  const Op* op() const { return attrs.op; }
  bool is_variable() const { return attrs.op == nullptr; }
  const std::string& name() const { return attrs.name; }
  int num_outputs() const { return is_variable() ? 1 : attrs.op->n_outputs(attrs); }
  int num_inputs() const { return is_variable() ? 0 : attrs.op->n_inputs(attrs); }

  static NodePtr variable(const std::string& name);
  // An op node with the given dict (parsed now; throws on bad parameters) and inputs.
  static NodePtr op_node(const Op& op, const std::string& name, AttrDict dict,
                         std::vector<NodeEntry> inputs);
};

// Convenience for gradient functions: a fresh op node by op name, returning its output `index`.
NodeEntry make_entry(const std::string& op, const std::string& name, std::vector<NodeEntry> in,
                     AttrDict dict = {}, uint32_t index = 0);

// Iterative post-order DFS from `heads` (inputs in order, then control deps); calls fn(node)
// once per node.
void dfs_visit(const std::vector<NodeEntry>& heads, const std::function<void(const NodePtr&)>& fn);

class IndexedGraph {
 public:
  explicit IndexedGraph(const std::vector<NodeEntry>& heads);

  struct NodeInfo {
    NodePtr node;
    std::vector<uint32_t> input_entries;  // entry ids of inputs
  };
  size_t num_nodes() const { return nodes_.size(); }
  size_t num_entries() const { return row_ptr_.back(); }
  const NodeInfo& operator[](uint32_t nid) const { return nodes_[nid]; }
  uint32_t node_id(const Node* n) const { return ids_.at(n); }
  bool has_node(const Node* n) const { return ids_.count(n) != 0; }
  uint32_t entry_id(uint32_t nid, uint32_t index) const { return row_ptr_[nid] + index; }
  uint32_t entry_id(const NodeEntry& e) const { return entry_id(node_id(e.node.get()), e.index); }
  const std::vector<uint32_t>& row_ptr() const { return row_ptr_; }
  const std::vector<uint32_t>& heads() const { return heads_; }  // entry ids
  const std::vector<uint32_t>& input_nodes() const { return input_nodes_; }  // variables

 private:
  std::vector<NodeInfo> nodes_;
  std::unordered_map<const Node*, uint32_t> ids_;
  std::vector<uint32_t> row_ptr_;
  std::vector<uint32_t> heads_;
  std::vector<uint32_t> input_nodes_;
};

}  // namespace loom
