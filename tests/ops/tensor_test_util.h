// Helpers for the tensor-op inference tests (tests/ops/test_{matrix,reduce,dot,indexing,init}
// _ops_infer.cc, tag [tensor-infer]): composing an op symbol, inferring shapes and dtypes by
// argument name, and printing results compactly ("(2,12)", "None", "float32") so expectations
// read like the reference MXNet's infer_shape output they were taken from.
#pragma once

#if __has_include(<catch2/catch_test_macros.hpp>)
#include <catch2/catch_test_macros.hpp>
#else
#include <catch2/catch.hpp>  // Catch2 2.x, as Debian bookworm ships it
#endif

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/base/error.h"
#include "core/graph/symbol.h"
#include "core/op/op.h"
#include "core/pass/passes.h"
#include "tests/ops/op_test_util.h"

namespace tensor_test {

using loom::AttrDict;
using loom::Shape;
using loom::Symbol;
using Strings = std::vector<std::string>;
using op_test::KwArgs;
using Given = std::map<std::string, Shape>;

using op_test::var;

using op_test::make;

// A one-input op applied to a variable "x".
inline Symbol unary(const std::string& op, const AttrDict& params) {
  return make(op, params, "op", {var("x")});
}

using op_test::error_of;

using op_test::contains;

inline Shape S(std::vector<loom::dim_t> dims) { return Shape(std::move(dims)); }

inline std::string str(const std::vector<Shape>& shapes) {
  std::string r;
  for (const auto& s : shapes) r += (r.empty() ? "" : " ") + s.str();
  return r;
}

inline std::string str(const std::vector<int>& types) {
  std::string r;
  for (int t : types)
    r += (r.empty() ? "" : " ") + (t < 0 ? std::string("?") : loom::dtype_name(t));
  return r;
}

inline loom::SymbolShapes infer(const Symbol& s, const Given& given) {
  Strings keys;
  std::vector<Shape> values;
  for (const auto& [k, v] : given) {
    keys.push_back(k);
    values.push_back(v);
  }
  return loom::infer_symbol_shapes(s, keys, values);
}

// Output shapes ("(2,12)", several separated by spaces) and argument shapes after inference.
inline std::string outs(const Symbol& s, const Given& given) {
  return str(infer(s, given).outputs);
}
inline std::string args(const Symbol& s, const Given& given) { return str(infer(s, given).args); }
inline std::string shape_error(const Symbol& s, const Given& given) {
  return error_of([&] { infer(s, given); });
}

// Output shape of a one-input op on x of shape `x`.
inline std::string out1(const std::string& op, const AttrDict& params, const Shape& x) {
  return outs(unary(op, params), {{"x", x}});
}
inline std::string err1(const std::string& op, const AttrDict& params, const Shape& x) {
  return shape_error(unary(op, params), {{"x", x}});
}

struct Types {
  std::string args, outputs;
};

inline Types types(const Symbol& s, const std::map<std::string, std::string>& given) {
  Strings keys;
  std::vector<int> values;
  for (const auto& [k, v] : given) {
    keys.push_back(k);
    values.push_back(loom::dtype_from_name(v));
  }
  auto r = loom::infer_symbol_types(s, keys, values);
  return Types{str(r.args), str(r.outputs)};
}

inline std::string type_error(const Symbol& s, const std::map<std::string, std::string>& given) {
  return error_of([&] { types(s, given); });
}

// `op(x) * w`: lets a test give only the consumer's shape or dtype (w) and see what flows back.
inline Symbol times_w(const Symbol& s) { return make("elemwise_mul", {}, "mul", {s, var("w")}); }

inline const loom::Op& op_named(const std::string& name) {
  return loom::OpRegistry::get().require(name);
}

// Parameter names of an op in declaration order.
inline Strings param_names(const std::string& op) {
  Strings r;
  const auto& o = op_named(op);
  if (o.params)
    for (const auto& f : o.params->fields) r.push_back(f.name);
  return r;
}

}  // namespace tensor_test
