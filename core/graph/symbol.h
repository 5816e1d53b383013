// Symbol: an ordered list of graph outputs, and everything MXNet lets a user do with one:
// create, compose (auto-creating missing inputs), group, copy, query names and attributes,
// print, and save/load MXNet 1.9.1 JSON.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/graph/graph.h"

namespace loom {

// Keys that MXNet stores as __key__ (ctx_group, lr_mult, wd_mult, force_mirroring, mirror_stage).
const std::vector<std::string>& hidden_keys();

class Symbol {
 public:
  std::vector<NodeEntry> outputs;

  static Symbol variable(const std::string& name);
  // An op symbol with no inputs yet. Hidden keys are converted; parameters are parsed now.
  static Symbol atomic(const Op& op, const AttrDict& params);
  static Symbol group(const std::vector<Symbol>& symbols);
  static Symbol from_json(const std::string& json);
  std::string to_json() const;

  // An op node without inputs waiting for composition.
  bool is_atomic() const;
  // Composes in place. Atomic symbols: positional then keyword inputs by input name, missing
  // ones created as variables "<name>_<input>". Others: keyword only, replacing variables.
  void compose(const std::vector<Symbol>& args,
               const std::vector<std::pair<std::string, Symbol>>& kwargs,
               const std::string& name);
  Symbol copy() const;

  enum class InputKind { kAll, kArguments, kAuxStates };
  std::vector<NodePtr> input_nodes(InputKind kind) const;
  std::vector<std::string> list_inputs(InputKind kind) const;
  std::vector<std::string> list_arguments() const { return list_inputs(InputKind::kArguments); }
  std::vector<std::string> list_auxiliary_states() const {
    return list_inputs(InputKind::kAuxStates);
  }
  std::vector<std::string> list_outputs() const;
  Symbol output(size_t index) const;
  Symbol internals() const;
  Symbol children() const;

  std::optional<std::string> name() const;
  std::optional<std::string> get_attr(const std::string& key) const;
  void set_attr(const std::string& key, const std::string& value);
  // Pairs (key, value); recursive keys are "node$key".
  std::vector<std::pair<std::string, std::string>> list_attr(bool recursive) const;
  std::string print() const;
};

// Lets the op of `node` add initializer hints to its variable inputs (after composition and
// when loading files older than MXNet 0.9.4).
void apply_input_var_attrs(const NodePtr& node);

// Name of output `index` of `node` as list_outputs shows it ("fc1_output", "data").
std::string output_name(const Node& node, uint32_t index);

}  // namespace loom
