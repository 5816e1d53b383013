// The operator registry. An operator is one Op record holding typed functions (argument names,
// shape/type inference, symbolic gradient, in-place options...), registered from its family's
// core/ops/<family>.cc by a static LOOM_REGISTER_OP. Because the functions are typed members,
// not string-keyed attributes, a wrong signature fails to compile. Kernels live apart
// (kernels/kernel.h) and are looked up per device at bind time.
#pragma once

#include <any>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/base/params.h"
#include "core/base/types.h"

namespace loom {

struct Op;
struct Node;
struct NodeEntry;
using NodePtr = std::shared_ptr<Node>;

// A node's identity and parameters: op (nullptr for variables), name, the string dict exactly
// as stored in JSON, and the parsed parameter struct.
class Attrs {
 public:
  const Op* op = nullptr;
  std::string name;
  AttrDict dict;
  std::any parsed;

  template <class P>
  const P& get() const {
    return *std::any_cast<const std::shared_ptr<const P>&>(parsed);
  }
  // Re-parses `dict` with the op's schema (no-op for ops without parameters).
  void parse();
};

using ShapeVec = std::vector<Shape>;
using TypeVec = std::vector<int>;

// Assigns `inferred` to `slot` if the slot is unknown, merges partial knowledge, and throws
// "Shape inconsistent, Provided=(..), inferred shape=(..)" on conflict.
void assign_shape(Shape* slot, const Shape& inferred);
void assign_type(int* slot, int inferred, const char* what = "");

struct Op {
  std::string name;
  std::string description;
  std::vector<std::string> aliases;
  std::shared_ptr<ParamSchema> params;  // nullptr: no parameters
  // Input names as documented for code generators (MXNet's add_argument list).
  std::vector<std::string> doc_inputs = {"data"};
  // Name of the parameter counting variadic inputs ("" if fixed arity).
  std::string key_var_num_args;

  std::function<int(const Attrs&)> num_inputs = [](const Attrs&) { return 1; };
  std::function<int(const Attrs&)> num_outputs = [](const Attrs&) { return 1; };
  std::function<int(const Attrs&)> num_visible_outputs;  // defaults to num_outputs
  std::function<std::vector<std::string>(const Attrs&)> input_names;   // default: data
  std::function<std::vector<std::string>(const Attrs&)> output_names;  // default: output[i]
  // Inputs the op writes (auxiliary states), e.g. BatchNorm's moving mean and var.
  std::function<std::vector<int>(const Attrs&)> mutate_inputs;

  // May fill unknown shapes on either side; throws on inconsistency.
  std::function<void(const Attrs&, ShapeVec* in, ShapeVec* out)> infer_shape;
  // Defaults to "all inputs and outputs share one dtype".
  std::function<void(const Attrs&, TypeVec* in, TypeVec* out)> infer_type;
  // Symbolic gradient: entries for each input's gradient given the output gradients (one per
  // output). A default-constructed NodeEntry means "zero gradient". Null: not differentiable.
  std::function<std::vector<NodeEntry>(const NodePtr& node, const std::vector<NodeEntry>& ograds)>
      gradient;
  // Called after composition for each input that is a variable without "__init__": lets the op
  // add initializer hints (MXNet's FSetInputVarAttrOnCompose, e.g. BatchNorm's moving_var gets
  // __init__ = ["one", {}]).
  std::function<void(const Attrs&, int input, AttrDict* var_attrs)> set_input_var_attr;
  // Pairs (input, output) that may share memory; identity ops may share whatever the readers.
  std::function<std::vector<std::pair<int, int>>(const Attrs&)> inplace;
  bool inplace_identity = false;

  // Builder methods used by registrations.
  Op& describe(std::string d) { description = std::move(d); return *this; }
  Op& alias(std::string a);
  template <class P>
  Op& set_params() { params = make_schema<P>(); return *this; }
  Op& set_num_inputs(int n) { num_inputs = [n](const Attrs&) { return n; }; return *this; }
  Op& set_num_outputs(int n) { num_outputs = [n](const Attrs&) { return n; }; return *this; }
  Op& set_input_names(std::vector<std::string> names);
  Op& set_num_inputs_fn(std::function<int(const Attrs&)> f) { num_inputs = std::move(f); return *this; }
  Op& set_num_outputs_fn(std::function<int(const Attrs&)> f) { num_outputs = std::move(f); return *this; }
  Op& set_input_names_fn(std::vector<std::string> doc,
                         std::function<std::vector<std::string>(const Attrs&)> f) {
    doc_inputs = std::move(doc);
    input_names = std::move(f);
    return *this;
  }
  Op& set_output_names(std::vector<std::string> names) {
    output_names = [names](const Attrs&) { return names; };
    return *this;
  }
  Op& set_infer_shape(std::function<void(const Attrs&, ShapeVec*, ShapeVec*)> f) {
    infer_shape = std::move(f);
    return *this;
  }
  Op& set_infer_type(std::function<void(const Attrs&, TypeVec*, TypeVec*)> f) {
    infer_type = std::move(f);
    return *this;
  }
  Op& set_gradient(std::function<std::vector<NodeEntry>(const NodePtr&, const std::vector<NodeEntry>&)> f) {
    gradient = std::move(f);
    return *this;
  }
  Op& set_inplace(std::vector<std::pair<int, int>> pairs, bool identity = false) {
    inplace = [pairs](const Attrs&) { return pairs; };
    inplace_identity = identity;
    return *this;
  }
  Op& set_input_var_attr_fn(std::function<void(const Attrs&, int, AttrDict*)> f) {
    set_input_var_attr = std::move(f);
    return *this;
  }
  Op& set_mutate_inputs(std::vector<int> inputs) {
    mutate_inputs = [inputs](const Attrs&) { return inputs; };
    return *this;
  }
  Op& set_num_visible_outputs_fn(std::function<int(const Attrs&)> f) {
    num_visible_outputs = std::move(f);
    return *this;
  }
  Op& set_output_names_fn(std::function<std::vector<std::string>(const Attrs&)> f) {
    output_names = std::move(f);
    return *this;
  }
  Op& set_variadic(const std::string& count_param) {
    key_var_num_args = count_param;
    doc_inputs = {"args"};
    return *this;
  }

  // Resolved accessors with defaults applied.
  int n_inputs(const Attrs& a) const { return num_inputs(a); }
  int n_outputs(const Attrs& a) const { return num_outputs(a); }
  int n_visible_outputs(const Attrs& a) const {
    return num_visible_outputs ? num_visible_outputs(a) : num_outputs(a);
  }
  std::vector<std::string> list_input_names(const Attrs& a) const;
  // infer_type, or the default rule: one dtype shared by all inputs and outputs.
  void run_infer_type(const Attrs& a, TypeVec* in, TypeVec* out) const;
  std::vector<std::string> list_output_names(const Attrs& a) const;
};

class OpRegistry {
 public:
  static OpRegistry& get();
  Op& add(const std::string& name);
  // By canonical name or alias; nullptr if unknown.
  const Op* find(const std::string& name) const;
  // Like find, throwing "Operator <name> is not registered" when unknown.
  const Op& require(const std::string& name) const;
  const std::vector<Op*>& ops() const { return ops_; }
  // Canonical names and aliases.
  std::vector<std::string> all_names() const;
  void add_alias(Op* op, const std::string& alias);

 private:
  std::vector<Op*> ops_;
  std::unordered_map<std::string, Op*> names_;
};

#define LOOM_REGISTER_OP(Name) \
  static ::loom::Op& LOOM_OP_CAT(loom_op_reg_, __COUNTER__) = ::loom::OpRegistry::get().add(#Name)
#define LOOM_OP_CAT_(a, b) a##b
#define LOOM_OP_CAT(a, b) LOOM_OP_CAT_(a, b)

}  // namespace loom
