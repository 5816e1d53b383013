// Helpers for the neural-network operator inference tests (tests/ops/test_*_infer.cc with the
// [nn] tag): building a composed op symbol, inferring shapes and dtypes by argument name, and
// printing the results compactly so that expectations read like MXNet's infer_shape output.
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

namespace nn_test {

using loom::AttrDict;
using loom::Shape;
using loom::Symbol;
using Strings = std::vector<std::string>;
using op_test::KwArgs;

using op_test::var;

using op_test::make;

// The op's input names for `params` (what composition auto-creates as "<name>_<input>").
inline Strings input_names(const std::string& op, const AttrDict& params) {
  Symbol atom = Symbol::atomic(loom::OpRegistry::get().require(op), params);
  const auto& node = *atom.outputs[0].node;
  return node.op()->list_input_names(node.attrs);
}

using op_test::error_of;

using op_test::contains;

// "(2,3) (3,)" — one shape per entry, "None" for unknown ones.
inline std::string str(const std::vector<Shape>& shapes) {
  std::string r;
  for (const auto& s : shapes) r += (r.empty() ? "" : " ") + s.str();
  return r;
}

// "float16 float32 ?" — one dtype per entry, "?" for unknown ones.
inline std::string str(const std::vector<int>& types) {
  std::string r;
  for (int t : types)
    r += (r.empty() ? "" : " ") + (t < 0 ? std::string("?") : loom::dtype_name(t));
  return r;
}

struct Shapes {
  std::string args, outputs, aux;
  bool complete = false;
};

// Shape inference from shapes given by argument (or auxiliary state) name.
inline Shapes infer(const Symbol& s, const std::map<std::string, Shape>& given) {
  Strings keys;
  std::vector<Shape> values;
  for (const auto& [k, v] : given) {
    keys.push_back(k);
    values.push_back(v);
  }
  auto r = loom::infer_symbol_shapes(s, keys, values);
  return Shapes{str(r.args), str(r.outputs), str(r.aux), r.complete};
}

inline std::string infer_error(const Symbol& s, const std::map<std::string, Shape>& given) {
  return error_of([&] { infer(s, given); });
}

struct Types {
  std::string args, outputs, aux;
};

inline Types infer_types(const Symbol& s, const std::map<std::string, std::string>& given) {
  Strings keys;
  std::vector<int> values;
  for (const auto& [k, v] : given) {
    keys.push_back(k);
    values.push_back(loom::dtype_from_name(v));
  }
  auto r = loom::infer_symbol_types(s, keys, values);
  return Types{str(r.args), str(r.outputs), str(r.aux)};
}

inline std::string type_error(const Symbol& s, const std::map<std::string, std::string>& given) {
  return error_of([&] { infer_types(s, given); });
}

// Shape of dims, for brevity.
inline Shape S(std::vector<loom::dim_t> dims) { return Shape(std::move(dims)); }

}  // namespace nn_test
