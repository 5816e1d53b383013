// Building blocks shared by the operator inference tests (nn_test_util.h, tensor_test_util.h):
// composing an op symbol the way MXNet's front ends do, and catching an engine error's text.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/base/error.h"
#include "core/graph/symbol.h"
#include "core/op/op.h"

namespace op_test {

using KwArgs = std::vector<std::pair<std::string, loom::Symbol>>;

inline loom::Symbol var(const std::string& name) { return loom::Symbol::variable(name); }

// The op `op` (canonical name or alias) with `params`, composed under `name` with positional
// `args` and keyword `kwargs`; missing inputs become variables "<name>_<input>" as in MXNet.
inline loom::Symbol make(const std::string& op, const loom::AttrDict& params,
                         const std::string& name, const std::vector<loom::Symbol>& args = {},
                         const KwArgs& kwargs = {}) {
  loom::Symbol s = loom::Symbol::atomic(loom::OpRegistry::get().require(op), params);
  s.compose(args, kwargs, name);
  return s;
}

// The message of the loom::Error `f` throws, or "<no error>".
template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const loom::Error& e) {
    return e.what();
  }
  return "<no error>";
}

inline bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

}  // namespace op_test
