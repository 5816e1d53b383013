// Concat registration against MXNet 1.9.1: variadic inputs (num_args filled on compose),
// shape inference in both directions, errors, dtypes and to_json.
#include "core/ops/concat.h"
#include "tests/ops/nn_test_util.h"

using namespace nn_test;

namespace {

// Written by MXNet 1.9.1.
const char* const kConcatJson = R"json({
  "nodes": [
    {
      "op": "null", 
      "name": "a", 
      "inputs": []
    }, 
    {
      "op": "null", 
      "name": "b", 
      "inputs": []
    }, 
    {
      "op": "Concat", 
      "name": "cc", 
      "attrs": {
        "dim": "1", 
        "num_args": "2"
      }, 
      "inputs": [[0, 0, 0], [1, 0, 0]]
    }
  ], 
  "arg_nodes": [0, 1], 
  "node_row_ptr": [0, 1, 2, 3], 
  "heads": [[2, 0, 0]], 
  "attrs": {"mxnet_version": ["int", 10901]}
})json";

// num_args as MXNet's Python front end fills it: the number of positional inputs.
Symbol concat(const std::vector<Symbol>& args, AttrDict params = {}) {
  params.emplace("num_args", std::to_string(args.size()));
  return make("Concat", params, "cc", args);
}

}  // namespace

TEST_CASE("Concat: names and variadic inputs", "[nn][concat]") {
  Symbol c = concat({var("a"), var("b"), var("c")});
  CHECK(c.list_arguments() == Strings{"a", "b", "c"});
  CHECK(c.list_outputs() == Strings{"cc_output"});
  CHECK(c.outputs[0].node->attrs.get<loom::ConcatParam>().dim == 1);
  CHECK(loom::OpRegistry::get().find("concat") == loom::OpRegistry::get().find("Concat"));
  CHECK(loom::OpRegistry::get().require("Concat").key_var_num_args == "num_args");
  // inputs are named arg0, arg1, ... (even a single one), so auto-created ones are
  // "<name>_arg0", ...
  CHECK(input_names("Concat", {{"num_args", "2"}}) == Strings{"arg0", "arg1"});
  CHECK(input_names("Concat", {{"num_args", "1"}}) == Strings{"arg0"});
  // fewer inputs than num_args: MXNet creates the rest ("cc_arg2"); more is an error
  CHECK(make("Concat", {{"num_args", "3"}}, "cc", {var("a"), var("b")}).list_arguments() ==
        Strings{"a", "b", "cc_arg2"});
  CHECK(contains(error_of([] {
                   make("Concat", {{"num_args", "1"}}, "cc", {var("a"), var("b")});
                 }),
                 "expects 1 inputs"));
  // the front end must give num_args (MXNet's Python adds it); the C++ parser requires it
  CHECK(contains(error_of([] { make("Concat", {}, "cc", {var("a")}); }),
                 "Required parameter num_args"));
  CHECK(contains(error_of([] { make("Concat", {{"num_args", "0"}}, "cc"); }), "num_args"));
}

TEST_CASE("Concat: shapes", "[nn][concat]") {
  Symbol c = concat({var("a"), var("b"), var("c")});
  auto r = infer(c, {{"a", S({2, 3})}, {"b", S({2, 4})}, {"c", S({2, 5})}});
  CHECK(r.args == "(2,3) (2,4) (2,5)");
  CHECK(r.outputs == "(2,12)");
  Symbol c0 = concat({var("a"), var("b")}, {{"dim", "0"}});
  CHECK(infer(c0, {{"a", S({2, 3})}, {"b", S({4, 3})}}).outputs == "(6,3)");
  Symbol neg = concat({var("a"), var("b")}, {{"dim", "-1"}});
  CHECK(infer(neg, {{"a", S({2, 3})}, {"b", S({2, 4})}}).outputs == "(2,7)");
  // other dims flow between the inputs and the output; the concatenated one only when all known
  Symbol ab = concat({var("a"), var("b")});
  r = infer(ab, {{"a", S({2, 3})}});
  CHECK(r.args == "(2,3) (2,None)");
  CHECK(r.outputs == "(2,None)");
  r = infer(ab, {{"a", S({-1, 3})}, {"b", S({2, -1})}});
  CHECK(r.args == "(2,3) (2,None)");
  CHECK(r.outputs == "(2,None)");
  Symbol sum = make("elemwise_add", {}, "plus", {ab, var("y")});
  r = infer(sum, {{"y", S({2, 7})}});
  CHECK(r.args == "(2,None) (2,None) (2,7)");
  r = infer(sum, {{"y", S({2, 7})}, {"a", S({-1, 3})}, {"b", S({-1, 4})}});
  CHECK(r.args == "(2,3) (2,4) (2,7)");
}

TEST_CASE("Concat: errors and dtypes", "[nn][concat]") {
  Symbol ab = concat({var("a"), var("b")});
  CHECK(contains(infer_error(ab, {{"a", S({2, 3})}, {"b", S({3, 4})}}),
                 "Shape inconsistent, Provided=(3,4), inferred shape=(2,4)"));
  CHECK(contains(infer_error(ab, {{"a", S({2, 3})}, {"b", S({2, 4, 1})}}), "Shape inconsistent"));
  CHECK(contains(infer_error(concat({var("a"), var("b")}, {{"dim", "2"}}),
                             {{"a", S({2, 3})}, {"b", S({2, 4})}}),
                 "axis 2 exceeds the input dimension of 2"));
  CHECK(contains(infer_error(ab, {{"a", S({2})}, {"b", S({2})}}),
                 "axis 1 exceeds the input dimension of 1"));
  CHECK(contains(infer_error(make("elemwise_add", {}, "plus", {ab, var("y")}),
                             {{"a", S({2, 3})}, {"b", S({2, 4})}, {"y", S({2, 8})}}),
                 "Shape inconsistent"));
  CHECK(infer_types(ab, {{"a", "float16"}}).args == "float16 float16");
  CHECK(infer_types(make("elemwise_add", {}, "plus", {ab, var("y")}), {{"y", "int32"}}).args ==
        "int32 int32 int32");
  CHECK(contains(type_error(ab, {{"a", "float16"}, {"b", "float32"}}), "Type inconsistent"));
}

TEST_CASE("Concat: to_json matches MXNet", "[nn][concat][json]") {
  CHECK(concat({var("a"), var("b")}, {{"dim", "1"}}).to_json() == kConcatJson);
  CHECK(Symbol::from_json(kConcatJson).to_json() == kConcatJson);
}
