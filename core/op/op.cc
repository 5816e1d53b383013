#include "core/op/op.h"

#include <algorithm>
#include <map>

#include "core/base/error.h"

namespace loom {

void Attrs::parse() {
  if (op && op->params) parsed = op->params->parse(dict, op->name, name);
}

void assign_shape(Shape* slot, const Shape& inferred) {
  if (!inferred.ndim_known()) return;
  if (!slot->ndim_known()) {
    *slot = inferred;
    return;
  }
  bool ok = slot->ndim() == inferred.ndim();
  Shape merged = *slot;
  for (int i = 0; ok && i < slot->ndim(); ++i) {
    if (inferred[i] < 0) continue;
    if (merged[i] < 0)
      merged[i] = inferred[i];
    else
      ok = merged[i] == inferred[i];
  }
  if (!ok) fail("Shape inconsistent, Provided=", slot->str(), ", inferred shape=", inferred.str());
  *slot = merged;
}

void Op::run_infer_type(const Attrs& a, TypeVec* in, TypeVec* out) const {
  if (infer_type) {
    infer_type(a, in, out);
    return;
  }
  int t = -1;
  for (int x : *in) t = t < 0 ? x : t;
  for (int x : *out) t = t < 0 ? x : t;
  if (t < 0) return;
  for (size_t i = 0; i < in->size(); ++i) assign_type(&(*in)[i], t, cat(" for input ", i).c_str());
  for (auto& x : *out) assign_type(&x, t, " for an output");
}

void assign_type(int* slot, int inferred, const char* what) {
  if (inferred < 0) return;
  if (*slot < 0) {
    *slot = inferred;
    return;
  }
  if (*slot != inferred)
    fail("Type inconsistent", what, ", Provided = ", dtype_name(*slot),
         ", inferred type = ", dtype_name(inferred));
}

Op& Op::alias(std::string a) {
  OpRegistry::get().add_alias(this, a);
  aliases.push_back(std::move(a));
  return *this;
}

Op& Op::set_input_names(std::vector<std::string> names) {
  int n = static_cast<int>(names.size());
  input_names = [names](const Attrs&) { return names; };
  doc_inputs = names;
  num_inputs = [n](const Attrs&) { return n; };
  return *this;
}

std::vector<std::string> Op::list_input_names(const Attrs& a) const {
  if (input_names) return input_names(a);
  int n = n_inputs(a);
  if (n == 1) return {"data"};
  std::vector<std::string> r;
  for (int i = 0; i < n; ++i) r.push_back("arg" + std::to_string(i));
  return r;
}

std::vector<std::string> Op::list_output_names(const Attrs& a) const {
  if (output_names) return output_names(a);
  int n = n_outputs(a);
  if (n == 1) return {"output"};
  std::vector<std::string> r;
  for (int i = 0; i < n; ++i) r.push_back("output" + std::to_string(i));
  return r;
}

OpRegistry& OpRegistry::get() {
  static OpRegistry* r = new OpRegistry();  // never destroyed: ops outlive every static
  return *r;
}

Op& OpRegistry::add(const std::string& name) {
  if (find(name)) fail("Operator ", name, " is registered twice");
  Op* op = new Op();
  op->name = name;
  ops_.push_back(op);
  names_.emplace(name, op);
  return *op;
}

void OpRegistry::add_alias(Op* op, const std::string& alias) {
  if (find(alias)) fail("Operator alias ", alias, " is registered twice");
  names_.emplace(alias, op);
}

const Op* OpRegistry::find(const std::string& name) const {
  auto it = names_.find(name);
  return it == names_.end() ? nullptr : it->second;
}

const Op& OpRegistry::require(const std::string& name) const {
  const Op* op = find(name);
  if (!op) fail("Operator ", name, " is not registered");
  return *op;
}

std::vector<std::string> OpRegistry::all_names() const {
  std::vector<std::string> r;
  for (const auto& [n, op] : names_) r.push_back(n);
  std::sort(r.begin(), r.end());
  return r;
}

}  // namespace loom
