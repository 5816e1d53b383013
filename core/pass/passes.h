// Graph passes: shape and type inference over an IndexedGraph (alternating forward and
// backward sweeps until nothing more can be learned, as MXNet does), and the symbolic gradient,
// which builds backward nodes from each operator's gradient function.
#pragma once

#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/graph/graph.h"

namespace loom {

// `shapes` is indexed by entry id; known entries (variables, usually) are kept, the rest are
// filled as far as possible. Variables without a shape fall back to their __shape__ attribute.
// Inconsistencies throw "Error in operator <name>: ...". Returns the number of unknown dims.
int infer_shapes(const IndexedGraph& g, std::vector<Shape>* shapes);
// Same for dtypes (-1 unknown); variables fall back to __dtype__.
int infer_types(const IndexedGraph& g, std::vector<int>* types);

class Symbol;

// Symbol-level inference from shapes given by input name (keys) or by position over
// list_arguments (keys empty). Unknown names fail listing the candidates.
struct SymbolShapes {
  std::vector<Shape> args, outputs, aux;
  bool complete = false;
};
SymbolShapes infer_symbol_shapes(const Symbol& s, const std::vector<std::string>& keys,
                                 const std::vector<Shape>& given);
struct SymbolTypes {
  std::vector<int> args, outputs, aux;
  bool complete = false;
};
SymbolTypes infer_symbol_types(const Symbol& s, const std::vector<std::string>& keys,
                               const std::vector<int>& given);

// Gradient of sum_i <heads[i], ograds[i]> with respect to each entry of `xs`. The result has one
// entry per x; an x that the heads do not depend on gets zeros_like(x).
struct GradientOptions {
  // The node handed to an op's gradient function in place of forward node n (the mirror pass:
  // a recomputed copy, so the backward reads the copy's results and n's can be freed early).
  // Null, or returning null: n itself.
  std::function<NodePtr(const NodePtr&)> mirror;
  // If set, receives for each node the pass creates the forward node whose gradient it serves
  // (placement puts backward nodes on their forward node's device).
  std::unordered_map<const Node*, const Node*>* backward_of = nullptr;
};
std::vector<NodeEntry> gradient(const std::vector<NodeEntry>& heads,
                                const std::vector<NodeEntry>& ograds,
                                const std::vector<NodeEntry>& xs,
                                const GradientOptions& options = {});

// The symbolic gradient as a symbol (Loom's implementation of MXNet's documented but missing
// Symbol.gradient): outputs d(sum of all outputs)/d(wrt[i]) for each named argument, in order.
// Loss outputs (SoftmaxOutput, ...) contribute their own gradient, as in backward(). The result
// is an ordinary symbol: it binds, saves, and can be differentiated again.
Symbol symbol_gradient(const Symbol& s, const std::vector<std::string>& wrt);

}  // namespace loom
