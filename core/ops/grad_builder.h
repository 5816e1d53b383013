// Writes an element-wise op's gradient as a small graph of other registered forward ops
// (elemwise_mul, _mul_scalar, cos, ...), so the backward pass needs no dedicated backward ops
// and can itself be differentiated. Shared by the unary, binary and scalar families.
#pragma once

#include <string>
#include <vector>

#include "core/base/params.h"
#include "core/graph/graph.h"

namespace loom {

class GradBuilder {
 public:
  explicit GradBuilder(const NodePtr& node) : node_(node) {}

  NodeEntry in(int i) const { return node_->inputs[i]; }
  NodeEntry out() const { return NodeEntry{node_, 0, 0}; }

  // Each new node is named after the forward node so backward graphs stay readable.
  NodeEntry op(const std::string& op, std::vector<NodeEntry> inputs, AttrDict dict = {}) {
    return make_entry(op, node_->name() + "_backward_" + std::to_string(count_++),
                      std::move(inputs), std::move(dict));
  }
  NodeEntry unary(const std::string& name, const NodeEntry& x) { return op(name, {x}); }
  NodeEntry mul(const NodeEntry& a, const NodeEntry& b) { return op("elemwise_mul", {a, b}); }
  NodeEntry div(const NodeEntry& a, const NodeEntry& b) { return op("elemwise_div", {a, b}); }
  NodeEntry scalar(const std::string& name, const NodeEntry& x, double s) {
    return op(name, {x}, {{"scalar", format_float(s)}});
  }
  NodeEntry scale(const NodeEntry& x, double s) { return scalar("_mul_scalar", x, s); }
  NodeEntry plus(const NodeEntry& x, double s) { return scalar("_plus_scalar", x, s); }
  // s - x
  NodeEntry rminus(const NodeEntry& x, double s) { return scalar("_rminus_scalar", x, s); }

 private:
  NodePtr node_;
  int count_ = 0;
};

// Gradients produced by one dedicated backward node: a node of op `op` named
// "<forward name>_backward", with the forward node's dict and the given inputs, whose outputs
// 0 .. num_outputs-1 are returned in order.
inline std::vector<NodeEntry> backward_outputs(const NodePtr& n, const std::string& op,
                                               std::vector<NodeEntry> inputs, size_t num_outputs) {
  NodePtr bwd = make_entry(op, n->name() + "_backward", std::move(inputs), n->attrs.dict).node;
  std::vector<NodeEntry> r;
  r.reserve(num_outputs);
  for (size_t i = 0; i < num_outputs; ++i) r.push_back(NodeEntry{bwd, static_cast<uint32_t>(i), 0});
  return r;
}

// The gradient of ops that are piecewise constant (rounding, comparisons): zero everywhere.
inline std::vector<NodeEntry> zero_grads(const NodePtr& n, const std::vector<NodeEntry>&) {
  return std::vector<NodeEntry>(n->inputs.size());
}

}  // namespace loom
