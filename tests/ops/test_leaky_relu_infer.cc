// LeakyReLU registration against MXNet 1.9.1: inputs and outputs that depend on act_type
// (prelu's gamma with its initializer hint, rrelu's visible mask), shapes, dtypes and to_json.
#include "core/ops/leaky_relu.h"
#include "tests/ops/nn_test_util.h"

using namespace nn_test;

namespace {

// Written by MXNet 1.9.1.
const char* const kPreluJson = R"json({
  "nodes": [
    {
      "op": "null", 
      "name": "x", 
      "inputs": []
    }, 
    {
      "op": "null", 
      "name": "pr_gamma", 
      "attrs": {
        "__init__": "[\"Constant\", {\"value\": 0.25}]", 
        "act_type": "prelu"
      }, 
      "inputs": []
    }, 
    {
      "op": "LeakyReLU", 
      "name": "pr", 
      "attrs": {"act_type": "prelu"}, 
      "inputs": [[0, 0, 0], [1, 0, 0]]
    }
  ], 
  "arg_nodes": [0, 1], 
  "node_row_ptr": [0, 1, 2, 3], 
  "heads": [[2, 0, 0]], 
  "attrs": {"mxnet_version": ["int", 10901]}
})json";

const char* const kRreluJson = R"json({
  "nodes": [
    {
      "op": "null", 
      "name": "x", 
      "inputs": []
    }, 
    {
      "op": "LeakyReLU", 
      "name": "rr", 
      "attrs": {"act_type": "rrelu"}, 
      "inputs": [[0, 0, 0]]
    }
  ], 
  "arg_nodes": [0], 
  "node_row_ptr": [0, 1, 3], 
  "heads": [[1, 0, 0], [1, 1, 0]], 
  "attrs": {"mxnet_version": ["int", 10901]}
})json";

}  // namespace

TEST_CASE("LeakyReLU: inputs and outputs by act_type", "[nn][leakyrelu]") {
  Symbol leaky = make("LeakyReLU", {}, "l", {var("x")});
  CHECK(leaky.list_arguments() == Strings{"x"});
  CHECK(leaky.list_outputs() == Strings{"l_output"});
  const auto& p = leaky.outputs[0].node->attrs.get<loom::LeakyReLUParam>();
  CHECK(p.act_type == "leaky");
  CHECK(p.slope == 0.25f);
  CHECK(p.lower_bound == 0.125f);
  CHECK(p.upper_bound == 0.334f);

  Symbol prelu = make("LeakyReLU", {{"act_type", "prelu"}}, "l", {var("x")});
  CHECK(prelu.list_arguments() == Strings{"x", "l_gamma"});
  CHECK(prelu.outputs[0].node->inputs[1].node->attrs.dict.at("__init__") ==
        "[\"Constant\", {\"value\": 0.25}]");
  Symbol g = make("LeakyReLU", {{"act_type", "prelu"}}, "l2", {var("x")}, {{"gamma", var("g")}});
  CHECK(g.list_arguments() == Strings{"x", "g"});

  Symbol rrelu = make("LeakyReLU", {{"act_type", "rrelu"}}, "l", {var("x")});
  CHECK(rrelu.list_outputs() == Strings{"l_output", "l_mask"});  // both visible in MXNet

  CHECK(
      contains(error_of([] {
                 make("LeakyReLU", {{"act_type", "leaky"}}, "l", {var("x")}, {{"gamma", var("g")}});
               }),
               "Keyword argument name gamma not found"));
  CHECK(contains(error_of([] {
                   make("LeakyReLU", {{"act_type", "swish"}}, "l", {var("x")});
                 }),
                 "Invalid Input: 'swish'"));
}

TEST_CASE("LeakyReLU: shapes and dtypes", "[nn][leakyrelu]") {
  Symbol prelu = make("LeakyReLU", {{"act_type", "prelu"}}, "l", {var("x")});
  auto r = infer(prelu, {{"x", S({2, 3, 4, 5})}});
  CHECK(r.args == "(2,3,4,5) (3,)");
  CHECK(r.outputs == "(2,3,4,5)");
  // a given gamma shape is kept (broadcast slopes)
  CHECK(infer(prelu, {{"x", S({2, 3})}, {"l_gamma", S({1})}}).args == "(2,3) (1,)");
  CHECK(infer(prelu, {{"x", S({2, 3, 4})}, {"l_gamma", S({2, 3, 4})}}).args == "(2,3,4) (2,3,4)");
  CHECK(infer(prelu, {{"l_gamma", S({2})}}).args == "None (2,)");
  CHECK(contains(infer_error(prelu, {{"x", S({2})}}), "channel axis 1"));
  Symbol rrelu = make("LeakyReLU", {{"act_type", "rrelu"}}, "l", {var("x")});
  CHECK(infer(rrelu, {{"x", S({2, 3})}}).outputs == "(2,3) (2,3)");
  CHECK(infer_types(rrelu, {{"x", "float64"}}).outputs == "float64 float64");
  CHECK(infer_types(prelu, {{"l_gamma", "float16"}}).args == "float16 float16");
  CHECK(
      contains(type_error(prelu, {{"x", "float32"}, {"l_gamma", "float16"}}), "Type inconsistent"));
  Symbol elu = make("LeakyReLU", {{"act_type", "elu"}, {"slope", "0.1"}}, "l", {var("x")});
  CHECK(infer(elu, {{"x", S({2, 3})}}).outputs == "(2,3)");
  CHECK(infer_types(make("LeakyReLU", {}, "l", {var("x")}), {{"x", "int32"}}).outputs == "int32");
}

TEST_CASE("LeakyReLU: to_json matches MXNet", "[nn][leakyrelu][json]") {
  CHECK(make("LeakyReLU", {{"act_type", "prelu"}}, "pr", {var("x")}).to_json() == kPreluJson);
  CHECK(make("LeakyReLU", {{"act_type", "rrelu"}}, "rr", {var("x")}).to_json() == kRreluJson);
  CHECK(Symbol::from_json(kRreluJson).list_outputs() == Strings{"rr_output", "rr_mask"});
}
