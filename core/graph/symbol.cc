#include "core/graph/symbol.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "core/base/error.h"

namespace loom {

const std::vector<std::string>& hidden_keys() {
  static const std::vector<std::string> keys = {"ctx_group", "lr_mult", "wd_mult",
                                                "force_mirroring", "mirror_stage"};
  return keys;
}

namespace {

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// The hidden-key form of `key` for op creation and set_attr; throws for "<x>_lr_mult" forms.
std::string hidden_form(const std::string& key, bool prefix_match) {
  for (const auto& h : hidden_keys()) {
    bool hit = prefix_match ? key.rfind(h, 0) == 0 : key == h;
    if (hit) return "__" + key + "__";
    if (ends_with(key, h) && key.rfind(h, 0) != 0)
      fail_value("setting variable attributes with ", key, " is deprecated. please instead use\n",
                 "w = Variable(", h, "=...)\nw = Variable(attr={'", h, "': ...})");
  }
  return key;
}

void update_versions(const NodePtr& node) {
  if (node->is_variable() || !node->op()->mutate_inputs) return;
  auto mutated = node->op()->mutate_inputs(node->attrs);
  for (size_t i = 0; i < node->inputs.size(); ++i) {
    NodeEntry& e = node->inputs[i];
    if (!e.node->is_variable()) continue;
    bool m = std::find(mutated.begin(), mutated.end(), static_cast<int>(i)) != mutated.end();
    e.version = m ? ++e.node->var_version : e.node->var_version;
  }
}

}  // namespace

void apply_input_var_attrs(const NodePtr& node) {
  if (node->is_variable() || !node->op()->set_input_var_attr) return;
  for (size_t i = 0; i < node->inputs.size(); ++i) {
    Node& in = *node->inputs[i].node;
    if (!in.is_variable() || in.attrs.dict.count("__init__")) continue;
    node->op()->set_input_var_attr(node->attrs, static_cast<int>(i), &in.attrs.dict);
  }
}

std::string output_name(const Node& node, uint32_t index) {
  if (node.is_variable()) return node.name();
  auto names = node.op()->list_output_names(node.attrs);
  return node.name() + "_" + names.at(index);
}

Symbol Symbol::variable(const std::string& name) {
  Symbol s;
  s.outputs.push_back(NodeEntry{Node::variable(name), 0, 0});
  return s;
}

Symbol Symbol::atomic(const Op& op, const AttrDict& params) {
  AttrDict dict;
  for (const auto& [k, v] : params) dict[hidden_form(k, true)] = v;
  auto node = Node::op_node(op, "", std::move(dict), {});
  Symbol s;
  int n = op.n_visible_outputs(node->attrs);
  for (int i = 0; i < n; ++i) s.outputs.push_back(NodeEntry{node, static_cast<uint32_t>(i), 0});
  return s;
}

Symbol Symbol::group(const std::vector<Symbol>& symbols) {
  Symbol s;
  for (const auto& x : symbols)
    s.outputs.insert(s.outputs.end(), x.outputs.begin(), x.outputs.end());
  return s;
}

bool Symbol::is_atomic() const {
  if (outputs.empty()) return false;
  const NodePtr& n = outputs[0].node;
  for (const auto& e : outputs)
    if (e.node != n) return false;
  return !n->is_variable() && n->inputs.empty() && n->control_deps.empty();
}

void Symbol::compose(const std::vector<Symbol>& args,
                     const std::vector<std::pair<std::string, Symbol>>& kwargs,
                     const std::string& name) {
  auto single = [](const Symbol& s, const std::string& what) -> const NodeEntry& {
    if (s.outputs.size() != 1)
      fail("Argument ", what, " must have a single output, got ", s.outputs.size(),
           " outputs");
    return s.outputs[0];
  };
  if (is_atomic()) {
    NodePtr node = outputs[0].node;
    const Op& op = *node->op();
    if (!name.empty()) node->attrs.name = name;
    if (!op.key_var_num_args.empty()) {
      auto it = node->attrs.dict.find(op.key_var_num_args);
      // Keywords naming inputs are matched once the count is known, as NNVM does for bilinear
      // UpSampling(data=, weight=, num_args=2).
      bool named = it != node->attrs.dict.end();
      auto names = named ? op.list_input_names(node->attrs) : std::vector<std::string>{};
      for (const auto& kw : kwargs)
        named = named && std::find(names.begin(), names.end(), kw.first) != names.end();
      if (!kwargs.empty() && !named)
        fail("Variable length function ", op.name, " do not accept kwargs");
      if (it == node->attrs.dict.end()) {
        node->attrs.dict[op.key_var_num_args] = std::to_string(args.size());
        node->attrs.parse();
      } else if (parse_int(it->second) < static_cast<int64_t>(args.size())) {
        // fewer inputs are fine: MXNet creates the missing ones as variables
        fail("Operator ", op.name, " expects ", it->second, " inputs (", op.key_var_num_args,
             "), but ", args.size(), " were given");
      }
    }
    auto in_names = op.list_input_names(node->attrs);
    if (args.size() > in_names.size())
      fail(op.name, ": too many positional arguments, ", args.size(), " given, expected at most ",
           in_names.size(), " (", in_names.size() ? in_names[0] : "", "...)");
    std::vector<NodeEntry> inputs(in_names.size());
    for (size_t i = 0; i < args.size(); ++i) inputs[i] = single(args[i], in_names[i]);
    for (const auto& [key, sym] : kwargs) {
      auto it = std::find(in_names.begin(), in_names.end(), key);
      if (it == in_names.end()) {
        std::string cand;
        for (const auto& n : in_names) cand += (cand.empty() ? "" : ", ") + n;
        fail_value(op.name, ": Keyword argument name ", key,
                   " not found.\nCandidate arguments:\n\t[", cand, "]");
      }
      size_t idx = it - in_names.begin();
      if (inputs[idx]) fail_value(op.name, ": argument ", key, " is given twice");
      inputs[idx] = single(sym, key);
    }
    for (size_t i = 0; i < inputs.size(); ++i) {
      if (inputs[i]) continue;
      std::string vname = node->name().empty() ? in_names[i] : node->name() + "_" + in_names[i];
      NodePtr v = Node::variable(vname);
      v->attrs.dict = node->attrs.dict;  // MXNet copies the op's attributes to its parameters
      inputs[i] = NodeEntry{v, 0, 0};
    }
    node->inputs = std::move(inputs);
    update_versions(node);
    apply_input_var_attrs(node);
    return;
  }
  if (!args.empty()) fail("General composition only support kwargs for now, got ", args.size(),
                          " positional arguments");
  std::unordered_map<std::string, const NodeEntry*> replace;
  for (const auto& [key, sym] : kwargs) replace[key] = &single(sym, key);
  // Check everything before changing anything, so a failed composition leaves the symbol as it
  // was: every keyword must name exactly one variable node.
  std::vector<NodePtr> nodes;
  dfs_visit(outputs, [&](const NodePtr& n) { nodes.push_back(n); });
  std::unordered_map<std::string, int> var_count;
  std::string candidates;
  for (const auto& n : nodes)
    if (n->is_variable()) {
      if (var_count[n->name()]++ == 0) candidates += (candidates.empty() ? "" : ", ") + n->name();
    }
  for (const auto& [key, sym] : kwargs) {
    auto it = var_count.find(key);
    if (it == var_count.end())
      fail_value("Keyword argument name ", key, " not found.\nCandidate arguments:\n\t[",
                 candidates, "]");
    if (it->second > 1)  // MXNet's wording, with the reason added
      fail_value("Keyword argument name ", key, " not found.\nCandidate arguments:\n\t[",
                 candidates, "]\n(", it->second, " variables are named ", key,
                 ": composition needs exactly one)");
  }
  auto swap_entry = [&](NodeEntry& e) {
    if (!e.node->is_variable()) return;
    auto it = replace.find(e.node->name());
    if (it != replace.end()) e = *it->second;
  };
  for (const auto& n : nodes)
    for (auto& e : n->inputs) swap_entry(e);
  for (auto& e : outputs) swap_entry(e);
  if (!name.empty() && outputs.size() == 1 && !outputs[0].node->is_variable())
    outputs[0].node->attrs.name = name;
}

Symbol Symbol::copy() const {
  std::unordered_map<const Node*, NodePtr> fresh;
  dfs_visit(outputs, [&](const NodePtr& n) {
    auto c = std::make_shared<Node>(*n);
    for (auto& e : c->inputs) e.node = fresh.at(e.node.get());
    for (auto& d : c->control_deps) d = fresh.at(d.get());
    fresh[n.get()] = c;
  });
  Symbol s;
  for (const auto& e : outputs) s.outputs.push_back(NodeEntry{fresh.at(e.node.get()), e.index, e.version});
  return s;
}

std::vector<NodePtr> Symbol::input_nodes(InputKind kind) const {
  std::unordered_set<const Node*> mutated;
  if (kind != InputKind::kAll) {
    dfs_visit(outputs, [&](const NodePtr& n) {
      if (n->is_variable() || !n->op()->mutate_inputs) return;
      for (int i : n->op()->mutate_inputs(n->attrs))
        if (i < static_cast<int>(n->inputs.size())) mutated.insert(n->inputs[i].node.get());
    });
  }
  std::vector<NodePtr> r;
  dfs_visit(outputs, [&](const NodePtr& n) {
    if (!n->is_variable()) return;
    bool aux = mutated.count(n.get()) != 0;
    if (kind == InputKind::kAll || (kind == InputKind::kAuxStates) == aux) r.push_back(n);
  });
  return r;
}

std::vector<std::string> Symbol::list_inputs(InputKind kind) const {
  std::vector<std::string> r;
  for (const auto& n : input_nodes(kind)) r.push_back(n->name());
  return r;
}

std::vector<std::string> Symbol::list_outputs() const {
  std::vector<std::string> r;
  for (const auto& e : outputs) r.push_back(output_name(*e.node, e.index));
  return r;
}

Symbol Symbol::output(size_t index) const {
  if (index >= outputs.size())
    fail_index("Output index ", index, " out of range: the symbol has ", outputs.size(),
               " outputs");
  Symbol s;
  s.outputs.push_back(outputs[index]);
  return s;
}

Symbol Symbol::internals() const {
  Symbol s;
  dfs_visit(outputs, [&](const NodePtr& n) {
    if (n->is_variable()) {
      s.outputs.push_back(NodeEntry{n, 0, n->var_version});
      return;
    }
    int vis = n->op()->n_visible_outputs(n->attrs);
    for (int i = 0; i < vis; ++i) s.outputs.push_back(NodeEntry{n, static_cast<uint32_t>(i), 0});
  });
  return s;
}

Symbol Symbol::children() const {
  Symbol s;
  std::unordered_set<const Node*> heads_seen;
  for (const auto& head : outputs) {
    if (!heads_seen.insert(head.node.get()).second) continue;  // a node's inputs once
    for (const auto& e : head.node->inputs) s.outputs.push_back(e);
  }
  return s;
}

std::optional<std::string> Symbol::name() const {
  // a symbol whose outputs all come from one node (e.g. split's outputs) carries its name
  if (outputs.empty()) return std::nullopt;
  for (const auto& e : outputs)
    if (e.node != outputs[0].node) return std::nullopt;
  return outputs[0].node->name();
}

namespace {
const NodePtr& single_node(const Symbol& s) {
  if (s.outputs.empty()) fail("the symbol is empty");
  for (const auto& e : s.outputs)
    if (e.node != s.outputs[0].node)
      fail("the symbol is a group of several nodes: attributes are per node");
  return s.outputs[0].node;
}
}  // namespace

std::optional<std::string> Symbol::get_attr(const std::string& key) const {
  const NodePtr& n = single_node(*this);
  if (key == "name") return n->name();
  if (key == "op_name") return n->is_variable() ? std::string("null") : n->op()->name;
  if (key == "_value_index") {
    std::string v;
    for (const auto& e : outputs) v += cat(v.empty() ? "" : ", ", e.index);
    return v;
  }
  const auto& d = n->attrs.dict;
  auto it = d.find(key);
  if (it != d.end()) return it->second;
  for (const auto& h : hidden_keys()) {
    if (key != h) continue;
    it = d.find("__" + key + "__");
    if (it != d.end()) return it->second;
  }
  return std::nullopt;
}

void Symbol::set_attr(const std::string& key, const std::string& value) {
  const NodePtr& n = single_node(*this);
  if (key == "name") {
    n->attrs.name = value;
    return;
  }
  AttrDict old = n->attrs.dict;
  n->attrs.dict[hidden_form(key, false)] = value;
  try {
    n->attrs.parse();
  } catch (...) {
    n->attrs.dict = std::move(old);
    throw;
  }
}

std::vector<std::pair<std::string, std::string>> Symbol::list_attr(bool recursive) const {
  std::vector<std::pair<std::string, std::string>> r;
  auto add = [&](const Node& n, const std::string& prefix) {
    for (const auto& [k, v] : n.attrs.dict) {
      r.emplace_back(prefix + k, v);
      // MXNet also lists a hidden key without its underscores
      if (is_hidden_key(k)) {
        std::string bare = k.substr(2, k.size() - 4);
        if (std::find(hidden_keys().begin(), hidden_keys().end(), bare) != hidden_keys().end())
          r.emplace_back(prefix + bare, v);
      }
    }
  };
  if (!recursive) {
    // MXNet lists nothing (rather than failing) for a group of several nodes
    if (!outputs.empty() && name()) add(*outputs[0].node, "");
    return r;
  }
  dfs_visit(outputs, [&](const NodePtr& n) { add(*n, n->name() + "$"); });
  return r;
}

std::string Symbol::print() const {
  if (outputs.size() == 1 && outputs[0].node->inputs.empty() &&
      outputs[0].node->control_deps.empty()) {
    const Node& n = *outputs[0].node;
    if (n.is_variable()) return "Variable:" + n.name() + "\n";
    return "AtomicFunctor  Op:" + n.op()->name + "\n";
  }
  std::string s = "Symbol Outputs:\n";
  for (size_t i = 0; i < outputs.size(); ++i)
    s += cat("\toutput[", i, "]=", outputs[i].node->name(), "(", outputs[i].index, ")\n");
  dfs_visit(outputs, [&](const NodePtr& n) {
    if (n->is_variable()) {
      s += "Variable:" + n->name() + "\n";
      return;
    }
    s += cat("--------------------\nOp:", n->op()->name, ", Name=", n->name(), "\nInputs:\n");
    for (size_t i = 0; i < n->inputs.size(); ++i) {
      const NodeEntry& e = n->inputs[i];
      s += cat("\targ[", i, "]=", e.node->name(), "(", e.index, ")");
      if (e.node->is_variable()) s += cat(" version=", e.version);
      s += "\n";
    }
    if (!n->attrs.dict.empty()) {
      s += "Attrs:\n";
      for (const auto& [k, v] : n->attrs.dict) s += cat("\t", k, "=", v, "\n");
    }
    if (!n->control_deps.empty()) {
      s += "Control deps:\n";
      for (size_t i = 0; i < n->control_deps.size(); ++i)
        s += cat("\tcdep[", i, "]=", n->control_deps[i]->name(), "\n");
    }
  });
  return s;
}

}  // namespace loom
