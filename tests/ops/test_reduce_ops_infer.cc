// Registration and inference of the reductions (core/ops/reduce_ops.cc): sum & co. with
// axis/keepdims/exclude under MXNet's legacy rules (a full reduction gives (1,)), norm with ord
// and out_dtype, argmax/argmin/argmax_channel. Expected values come from the reference MXNet
// 1.9.1.
#include "core/ops/reduce_ops.h"
#include "tests/ops/tensor_test_util.h"

using namespace loom;
using namespace tensor_test;

TEST_CASE("reductions: names, aliases and parameters", "[tensor-infer]") {
  CHECK(op_named("sum_axis").name == "sum");
  CHECK(op_named("max_axis").name == "max");
  CHECK(op_named("min_axis").name == "min");
  for (const char* name : {"sum", "mean", "prod", "nansum", "nanprod", "max", "min"}) {
    INFO(name);
    CHECK(param_names(name) == Strings{"axis", "keepdims", "exclude"});
    CHECK(make(name, {}, "r").list_arguments() == Strings{"r_data"});
  }
  CHECK(param_names("norm") == Strings{"ord", "axis", "out_dtype", "keepdims"});
  CHECK(param_names("argmax") == Strings{"axis", "keepdims"});
  CHECK(param_names("argmax_channel").empty());
  const auto& axis = op_named("sum").params->find("axis");
  CHECK(axis->doc.rfind("The axis or axes along which to perform the reduction.\n\n", 0) == 0);
}

TEST_CASE("sum & co.: axis, keepdims, exclude as MXNet's legacy shapes", "[tensor-infer]") {
  const Shape x = S({2, 3, 4});
  struct Case {
    AttrDict p;
    const char* out;
  };
  const std::vector<Case> cases = {
      {{}, "(1,)"},
      {{{"keepdims", "True"}}, "(1,1,1)"},
      {{{"axis", "()"}}, "(1,)"},
      {{{"axis", "()"}, {"keepdims", "True"}}, "(1,1,1)"},
      {{{"axis", "None"}}, "(1,)"},
      {{{"axis", "1"}}, "(2,4)"},
      {{{"axis", "-1"}, {"keepdims", "True"}}, "(2,3,1)"},
      {{{"axis", "(2, 0)"}}, "(3,)"},
      {{{"axis", "1"}, {"exclude", "True"}}, "(3,)"},
      {{{"axis", "1"}, {"exclude", "True"}, {"keepdims", "True"}}, "(1,3,1)"},
      {{{"axis", "(0, 1, 2)"}}, "(1,)"},
      {{{"exclude", "True"}}, "(1,)"},
      {{{"axis", "()"}, {"exclude", "True"}}, "(1,)"},
      {{{"axis", "(0, 1, 2)"}, {"exclude", "True"}}, "(2,3,4)"},
  };
  for (const char* op : {"sum", "mean", "prod", "nansum", "nanprod", "max", "min"})
    for (const auto& c : cases) {
      INFO(op << " " << (c.p.count("axis") ? c.p.at("axis") : "-")
              << " keepdims=" << c.p.count("keepdims") << " exclude=" << c.p.count("exclude"));
      CHECK(out1(op, c.p, x) == c.out);
    }
  CHECK(out1("sum", {{"axis", "0"}}, S({5})) == "(1,)");
  CHECK(out1("mean", {{"axis", "(1, 2)"}, {"keepdims", "True"}}, x) == "(2,1,1)");
  // unknown dims pass through; only the ndim is needed
  CHECK(out1("sum", {{"axis", "1"}}, S({-1, 3, 4})) == "(None,4)");
  CHECK(out1("sum", {{"axis", "1"}}, S({2, -1, 4})) == "(2,4)");
  CHECK(out1("sum", {{"axis", "1"}, {"exclude", "True"}}, S({-1, 3, 4})) == "(3,)");
  CHECK(args(times_w(unary("sum", {{"axis", "1"}})), {{"w", S({2, 4})}}) == "None (2,4)");
}

TEST_CASE("sum & co.: duplicate and out-of-range axes", "[tensor-infer]") {
  const Shape x = S({2, 3, 4});
  CHECK(contains(err1("sum", {{"axis", "(1, 1)"}}, x), "duplicates"));
  CHECK(contains(err1("max", {{"axis", "(1, -2)"}}, x), "duplicates"));
  CHECK(contains(err1("sum", {{"axis", "3"}}, x), "exceeds the input's 3 dimensions"));
  CHECK(contains(err1("min", {{"axis", "-4"}}, x), "exceeds"));
  CHECK(contains(err1("sum", {{"axis", "3"}}, x), "Error in operator op"));
  CHECK(contains(error_of([] { unary("sum", {{"keepdims", "maybe"}}); }), "keepdims"));
}

TEST_CASE("norm: ord 1 or 2, needs a known input, out_dtype", "[tensor-infer]") {
  const Shape x = S({2, 3, 4});
  CHECK(out1("norm", {}, x) == "(1,)");
  CHECK(out1("norm", {{"keepdims", "True"}}, x) == "(1,1,1)");
  CHECK(out1("norm", {{"axis", "1"}}, x) == "(2,4)");
  CHECK(out1("norm", {{"axis", "(0, 2)"}}, x) == "(3,)");
  CHECK(out1("norm", {{"axis", "(0, 2)"}, {"keepdims", "True"}}, x) == "(1,3,1)");
  CHECK(out1("norm", {{"axis", "(0, 1, 2)"}}, x) == "(1,)");
  CHECK(out1("norm", {{"ord", "1"}, {"axis", "1"}}, x) == "(2,4)");
  CHECK(out1("norm", {{"axis", "-1"}}, x) == "(2,3)");
  CHECK(out1("norm", {{"axis", "()"}}, x) == "(1,)");
  CHECK(out1("norm", {{"axis", "1"}}, S({-1, 3, 4})) == "None");
  CHECK(contains(err1("norm", {{"axis", "(1, 1)"}}, x), "duplicates"));
  // MXNet rejects other orders when it runs; Loom at inference
  CHECK(contains(err1("norm", {{"ord", "3"}}, x), "ord=3 is not supported"));

  CHECK(types(unary("norm", {}), {{"x", "float16"}}).outputs == "float16");
  CHECK(types(unary("norm", {}), {{"x", "int32"}}).outputs == "int32");
  CHECK(types(unary("norm", {{"out_dtype", "float64"}}), {{"x", "float32"}}).outputs == "float64");
  CHECK(types(unary("norm", {{"out_dtype", "float16"}}), {{"x", "int32"}}).outputs == "float16");
  CHECK(types(unary("norm", {{"out_dtype", "None"}}), {{"x", "int32"}}).outputs == "int32");
  CHECK(types(times_w(unary("norm", {})), {{"w", "float64"}}).args == "float64 float64");
  CHECK(contains(error_of([] { unary("norm", {{"out_dtype", "uint8"}}); }), "'uint8'"));
  const auto& p = unary("norm", {{"out_dtype", "None"}});
  CHECK_FALSE(p.outputs[0].node->attrs.get<NormParam>().out_dtype.has_value());
}

TEST_CASE("argmax, argmin, argmax_channel", "[tensor-infer]") {
  const Shape x = S({2, 3, 4});
  for (const char* op : {"argmax", "argmin"}) {
    INFO(op);
    CHECK(out1(op, {}, x) == "(1,)");
    CHECK(out1(op, {{"keepdims", "True"}}, x) == "(1,1,1)");
    CHECK(out1(op, {{"axis", "1"}}, x) == "(2,4)");
    CHECK(out1(op, {{"axis", "-1"}, {"keepdims", "True"}}, x) == "(2,3,1)");
    CHECK(out1(op, {{"axis", "0"}}, S({5})) == "(1,)");
    CHECK(out1(op, {{"axis", "1"}}, S({-1, 3, 4})) == "None");
    CHECK(contains(err1(op, {{"axis", "3"}}, x), "axis 3 exceeds the input dimension of 3"));
    // the index comes back in the input's dtype (MXNet 1.x)
    CHECK(types(unary(op, {{"axis", "1"}}), {{"x", "float64"}}).outputs == "float64");
    CHECK(types(unary(op, {{"axis", "1"}}), {{"x", "int32"}}).outputs == "int32");
  }
  CHECK(out1("argmax_channel", {}, x) == "(2,4)");
  CHECK(out1("argmax_channel", {}, S({5})) == "(1,)");
  CHECK(out1("argmax_channel", {}, S({6, 10})) == "(6,)");
  CHECK(types(unary("argmax_channel", {}), {{"x", "float16"}}).outputs == "float16");
  CHECK(args(times_w(unary("argmax", {{"axis", "1"}})), {{"w", S({2, 4})}}) == "None (2,4)");
}

TEST_CASE("reductions: dtype follows the input both ways", "[tensor-infer]") {
  for (const char* op : {"sum", "mean", "prod", "nansum", "nanprod", "max", "min", "argmax"}) {
    INFO(op);
    CHECK(types(unary(op, {}), {{"x", "int32"}}).outputs == "int32");
    CHECK(types(times_w(unary(op, {})), {{"w", "float64"}}).args == "float64 float64");
  }
}

TEST_CASE("reductions: kernel helpers", "[tensor-infer]") {
  CHECK(reduced_axes(3, std::nullopt, false) == std::vector<int>{0, 1, 2});
  CHECK(reduced_axes(3, std::nullopt, true) == std::vector<int>{0, 1, 2});
  CHECK(reduced_axes(3, S({-1, 0}), false) == std::vector<int>{0, 2});
  CHECK(reduced_axes(3, S({-1, 0}), true) == std::vector<int>{1});
  CHECK(reduce_axes_shape(S({2, 3, 4}), S({1}), false, false) == S({2, 4}));
  CHECK(reduce_axis_shape(S({2, 3, 4}), 0, true) == S({1, 3, 4}));
}
