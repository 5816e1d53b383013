// BatchNorm and BatchNorm_v1 registrations against MXNet 1.9.1: auxiliary states (and their
// versions in JSON), initializer hints, visible outputs, shape inference on any channel axis,
// the float16 -> float32 parameter rule, errors and to_json.
#include "core/ops/batch_norm.h"
#include "tests/ops/nn_test_util.h"

using namespace nn_test;

namespace {

// Written by MXNet 1.9.1.
const char* const kBnJson = R"json({
  "nodes": [
    {
      "op": "null", 
      "name": "x", 
      "inputs": []
    }, 
    {
      "op": "null", 
      "name": "bn_gamma", 
      "attrs": {
        "eps": "2e-05", 
        "fix_gamma": "False", 
        "momentum": "0.9"
      }, 
      "inputs": []
    }, 
    {
      "op": "null", 
      "name": "bn_beta", 
      "attrs": {
        "eps": "2e-05", 
        "fix_gamma": "False", 
        "momentum": "0.9"
      }, 
      "inputs": []
    }, 
    {
      "op": "null", 
      "name": "bn_moving_mean", 
      "attrs": {
        "__init__": "[\"zero\", {}]", 
        "eps": "2e-05", 
        "fix_gamma": "False", 
        "momentum": "0.9"
      }, 
      "inputs": []
    }, 
    {
      "op": "null", 
      "name": "bn_moving_var", 
      "attrs": {
        "__init__": "[\"one\", {}]", 
        "eps": "2e-05", 
        "fix_gamma": "False", 
        "momentum": "0.9"
      }, 
      "inputs": []
    }, 
    {
      "op": "BatchNorm", 
      "name": "bn", 
      "attrs": {
        "eps": "2e-05", 
        "fix_gamma": "False", 
        "momentum": "0.9"
      }, 
      "inputs": [[0, 0, 0], [1, 0, 0], [2, 0, 0], [3, 0, 1], [4, 0, 1]]
    }
  ], 
  "arg_nodes": [0, 1, 2, 3, 4], 
  "node_row_ptr": [0, 1, 2, 3, 4, 5, 8], 
  "heads": [[5, 0, 0]], 
  "attrs": {"mxnet_version": ["int", 10901]}
})json";

const char* const kBnMeanVarJson = R"json({
  "nodes": [
    {
      "op": "null", 
      "name": "x", 
      "inputs": []
    }, 
    {
      "op": "null", 
      "name": "bn_gamma", 
      "attrs": {"output_mean_var": "True"}, 
      "inputs": []
    }, 
    {
      "op": "null", 
      "name": "bn_beta", 
      "attrs": {"output_mean_var": "True"}, 
      "inputs": []
    }, 
    {
      "op": "null", 
      "name": "bn_moving_mean", 
      "attrs": {
        "__init__": "[\"zero\", {}]", 
        "output_mean_var": "True"
      }, 
      "inputs": []
    }, 
    {
      "op": "null", 
      "name": "bn_moving_var", 
      "attrs": {
        "__init__": "[\"one\", {}]", 
        "output_mean_var": "True"
      }, 
      "inputs": []
    }, 
    {
      "op": "BatchNorm", 
      "name": "bn", 
      "attrs": {"output_mean_var": "True"}, 
      "inputs": [[0, 0, 0], [1, 0, 0], [2, 0, 0], [3, 0, 1], [4, 0, 1]]
    }
  ], 
  "arg_nodes": [0, 1, 2, 3, 4], 
  "node_row_ptr": [0, 1, 2, 3, 4, 5, 8], 
  "heads": [[5, 0, 0], [5, 1, 0], [5, 2, 0]], 
  "attrs": {"mxnet_version": ["int", 10901]}
})json";

const char* const kBnV1Json = R"json({
  "nodes": [
    {
      "op": "null", 
      "name": "x", 
      "inputs": []
    }, 
    {
      "op": "null", 
      "name": "bn1_gamma", 
      "inputs": []
    }, 
    {
      "op": "null", 
      "name": "bn1_beta", 
      "inputs": []
    }, 
    {
      "op": "null", 
      "name": "bn1_moving_mean", 
      "attrs": {"__init__": "[\"zero\", {}]"}, 
      "inputs": []
    }, 
    {
      "op": "null", 
      "name": "bn1_moving_var", 
      "attrs": {"__init__": "[\"one\", {}]"}, 
      "inputs": []
    }, 
    {
      "op": "BatchNorm_v1", 
      "name": "bn1", 
      "inputs": [[0, 0, 0], [1, 0, 0], [2, 0, 0], [3, 0, 1], [4, 0, 1]]
    }
  ], 
  "arg_nodes": [0, 1, 2, 3, 4], 
  "node_row_ptr": [0, 1, 2, 3, 4, 5, 8], 
  "heads": [[5, 0, 0]], 
  "attrs": {"mxnet_version": ["int", 10901]}
})json";

}  // namespace

TEST_CASE("BatchNorm: arguments, auxiliary states and outputs", "[nn][batchnorm]") {
  Symbol bn = make("BatchNorm", {}, "bn", {var("x")});
  CHECK(bn.list_arguments() == Strings{"x", "bn_gamma", "bn_beta"});
  CHECK(bn.list_auxiliary_states() == Strings{"bn_moving_mean", "bn_moving_var"});
  CHECK(bn.list_outputs() == Strings{"bn_output"});
  CHECK(bn.outputs[0].node->num_outputs() == 3);
  CHECK(bn.list_inputs(Symbol::InputKind::kAll) ==
        Strings{"x", "bn_gamma", "bn_beta", "bn_moving_mean", "bn_moving_var"});
  // the moving statistics are mutated: their entries have version 1
  CHECK(bn.outputs[0].node->inputs[3].version == 1);
  CHECK(bn.outputs[0].node->inputs[4].version == 1);
  CHECK(bn.outputs[0].node->inputs[1].version == 0);
  // initializer hints, only where the variable had none
  CHECK(bn.outputs[0].node->inputs[3].node->attrs.dict.at("__init__") == "[\"zero\", {}]");
  CHECK(bn.outputs[0].node->inputs[4].node->attrs.dict.at("__init__") == "[\"one\", {}]");
  CHECK(bn.outputs[0].node->inputs[1].node->attrs.dict.count("__init__") == 0);
  Symbol mm = var("mm");
  mm.set_attr("__init__", "[\"constant\", {\"value\": 3}]");
  Symbol custom = make("BatchNorm", {}, "bn2", {var("x")}, {{"moving_mean", mm}});
  CHECK(custom.outputs[0].node->inputs[3].node->attrs.dict.at("__init__") ==
        "[\"constant\", {\"value\": 3}]");

  Symbol all = make("BatchNorm", {{"output_mean_var", "True"}}, "bn", {var("x")});
  CHECK(all.list_outputs() == Strings{"bn_output", "bn_mean", "bn_var"});

  const auto& p = bn.outputs[0].node->attrs.get<loom::BatchNormParam>();
  CHECK(p.eps == static_cast<double>(1e-3f));
  CHECK(p.momentum == 0.9f);
  CHECK(p.fix_gamma);
  CHECK(p.axis == 1);
  CHECK(!p.min_calib_range);
  auto q = make("BatchNorm",
                {{"eps", "2e-05"},
                 {"fix_gamma", "False"},
                 {"axis", "-1"},
                 {"min_calib_range", "-1.5"},
                 {"max_calib_range", "None"}},
                "b")
               .outputs[0]
               .node->attrs.get<loom::BatchNormParam>();
  CHECK(q.eps == 2e-05);
  CHECK(!q.fix_gamma);
  CHECK(q.axis == -1);
  CHECK(*q.min_calib_range == -1.5f);
  CHECK(!q.max_calib_range);
}

TEST_CASE("BatchNorm: shapes", "[nn][batchnorm]") {
  Symbol bn = make("BatchNorm", {}, "bn", {var("x")});
  auto r = infer(bn, {{"x", S({2, 3, 4, 4})}});
  CHECK(r.args == "(2,3,4,4) (3,) (3,)");
  CHECK(r.aux == "(3,) (3,)");
  CHECK(r.outputs == "(2,3,4,4)");
  Symbol last = make("BatchNorm", {{"axis", "-1"}, {"output_mean_var", "True"}}, "bn", {var("x")});
  r = infer(last, {{"x", S({2, 3, 4, 5})}});
  CHECK(r.args == "(2,3,4,5) (5,) (5,)");
  CHECK(r.outputs == "(2,3,4,5) (5,) (5,)");
  CHECK(r.aux == "(5,) (5,)");
  // MXNet replaces the parameter shapes once the channel count is known
  r = infer(bn, {{"x", S({2, 3, 4, 5})}, {"bn_gamma", S({4})}});
  CHECK(r.args == "(2,3,4,5) (3,) (3,)");
  // nothing is learnt without the data; an unknown channel count stays unknown
  r = infer(bn, {{"bn_gamma", S({4})}});
  CHECK(r.args == "None (4,) None");
  r = infer(bn, {{"x", S({2, -1, 4, 5})}});
  CHECK(r.args == "(2,None,4,5) (None,) (None,)");
  CHECK(contains(
      infer_error(make("BatchNorm", {{"axis", "4"}}, "bn", {var("x")}), {{"x", S({2, 3, 4, 5})}}),
      "Channel axis out of range: axis=4"));
  CHECK(contains(
      infer_error(make("BatchNorm", {{"axis", "-5"}}, "bn", {var("x")}), {{"x", S({2, 3, 4, 5})}}),
      "Channel axis out of range: axis=-5"));
}

TEST_CASE("BatchNorm: dtypes", "[nn][batchnorm]") {
  Symbol bn = make("BatchNorm", {}, "bn", {var("x")});
  auto t = infer_types(bn, {{"x", "float16"}});
  CHECK(t.args == "float16 float32 float32");
  CHECK(t.aux == "float32 float32");
  CHECK(t.outputs == "float16");
  t = infer_types(make("BatchNorm", {{"output_mean_var", "1"}}, "bn", {var("x")}),
                  {{"x", "float64"}});
  CHECK(t.args == "float64 float64 float64");
  CHECK(t.outputs == "float64 float64 float64");
  CHECK(infer_types(bn, {{"x", "bfloat16"}}).aux == "float32 float32");
  CHECK(contains(type_error(bn, {{"x", "int32"}}),
                 "This operation only support floating point types, not int32"));
  CHECK(contains(type_error(bn, {{"x", "float16"}, {"bn_gamma", "float16"}}),
                 "Expected 'float32' v.s. given 'float16' at 'gamma'"));
  CHECK(contains(type_error(bn, {{"x", "float32"}, {"bn_moving_mean", "float64"}}),
                 "at 'moving_mean'"));
  CHECK(infer_types(bn, {{"bn_gamma", "float16"}}).args == "? float16 ?");
  // from the output backwards
  Symbol sum = make("elemwise_add", {}, "plus", {bn, var("y")});
  t = infer_types(sum, {{"y", "float16"}});
  CHECK(t.args == "float16 float32 float32 float16");
  CHECK(t.aux == "float32 float32");
}

TEST_CASE("BatchNorm: to_json matches MXNet", "[nn][batchnorm][json]") {
  Symbol bn = make("BatchNorm", {{"fix_gamma", "False"}, {"eps", "2e-05"}, {"momentum", "0.9"}},
                   "bn", {var("x")});
  CHECK(bn.to_json() == kBnJson);
  CHECK(make("BatchNorm", {{"output_mean_var", "True"}}, "bn", {var("x")}).to_json() ==
        kBnMeanVarJson);
  Symbol back = Symbol::from_json(kBnJson);
  CHECK(back.to_json() == kBnJson);
  CHECK(back.list_auxiliary_states() == Strings{"bn_moving_mean", "bn_moving_var"});
}

TEST_CASE("BatchNorm_v1: legacy batch norm", "[nn][batchnorm]") {
  Symbol bn = make("BatchNorm_v1", {}, "bn1", {var("x")});
  CHECK(bn.list_arguments() == Strings{"x", "bn1_gamma", "bn1_beta"});
  CHECK(bn.list_auxiliary_states() == Strings{"bn1_moving_mean", "bn1_moving_var"});
  CHECK(bn.list_outputs() == Strings{"bn1_output"});
  auto r = infer(bn, {{"x", S({2, 3, 4})}});
  CHECK(r.args == "(2,3,4) (3,) (3,)");
  CHECK(r.aux == "(3,) (3,)");
  CHECK(infer_types(bn, {{"x", "float16"}}).aux == "float32 float32");
  CHECK(make("BatchNorm_v1", {{"output_mean_var", "True"}}, "b", {var("x")}).list_outputs() ==
        Strings{"b_output", "b_mean", "b_var"});
  CHECK(bn.outputs[0].node->attrs.get<loom::BatchNormV1Param>().eps == 1e-3f);
  CHECK(bn.to_json() == kBnV1Json);
}
