// UpSampling registration against MXNet 1.9.1: inputs by sample_type (arg0.. for nearest,
// data and weight for bilinear), the "bilinear" initializer hint on input 1, shapes in both
// multi-input modes, errors, dtypes and to_json.
#include "core/ops/upsampling.h"
#include "tests/ops/nn_test_util.h"

using namespace nn_test;

namespace {

// Written by MXNet 1.9.1.
const char* const kUpsamplingJson = R"json({
  "nodes": [
    {
      "op": "null", 
      "name": "x", 
      "inputs": []
    }, 
    {
      "op": "null", 
      "name": "up_weight", 
      "attrs": {
        "__init__": "[\"bilinear\", {}]", 
        "num_args": "1", 
        "num_filter": "3", 
        "sample_type": "bilinear", 
        "scale": "2"
      }, 
      "inputs": []
    }, 
    {
      "op": "UpSampling", 
      "name": "up", 
      "attrs": {
        "num_args": "1", 
        "num_filter": "3", 
        "sample_type": "bilinear", 
        "scale": "2"
      }, 
      "inputs": [[0, 0, 0], [1, 0, 0]]
    }
  ], 
  "arg_nodes": [0, 1], 
  "node_row_ptr": [0, 1, 2, 3], 
  "heads": [[2, 0, 0]], 
  "attrs": {"mxnet_version": ["int", 10901]}
})json";

}  // namespace

TEST_CASE("UpSampling: inputs by sample_type", "[nn][upsampling]") {
  Symbol n = make("UpSampling", {{"scale", "2"}, {"sample_type", "nearest"}, {"num_args", "1"}},
                  "u", {var("x")});
  CHECK(n.list_arguments() == Strings{"x"});
  CHECK(
      input_names("UpSampling", {{"scale", "2"}, {"sample_type", "nearest"}, {"num_args", "1"}}) ==
      Strings{"arg0"});
  CHECK(
      input_names("UpSampling", {{"scale", "2"}, {"sample_type", "nearest"}, {"num_args", "3"}}) ==
      Strings{"arg0", "arg1", "arg2"});
  Symbol b =
      make("UpSampling",
           {{"scale", "2"}, {"sample_type", "bilinear"}, {"num_filter", "3"}, {"num_args", "1"}},
           "u", {var("x")});
  CHECK(b.list_arguments() == Strings{"x", "u_weight"});
  CHECK(b.outputs[0].node->inputs[1].node->attrs.dict.at("__init__") == "[\"bilinear\", {}]");
  CHECK(
      input_names("UpSampling", {{"scale", "2"}, {"sample_type", "bilinear"}, {"num_args", "2"}}) ==
      Strings{"data", "weight"});
  // MXNet hints input 1 whatever the sample type
  Symbol two = make("UpSampling", {{"scale", "2"}, {"sample_type", "nearest"}, {"num_args", "2"}},
                    "u", {var("x"), var("y")});
  CHECK(two.outputs[0].node->inputs[1].node->attrs.dict.at("__init__") == "[\"bilinear\", {}]");
  CHECK(contains(error_of([] {
                   make("UpSampling",
                        {{"scale", "0"}, {"sample_type", "nearest"}, {"num_args", "1"}}, "u",
                        {var("x")});
                 }),
                 "scale"));
  CHECK(contains(error_of([] {
                   make("UpSampling", {{"scale", "2"}, {"num_args", "1"}}, "u", {var("x")});
                 }),
                 "Required parameter sample_type"));
}

TEST_CASE("UpSampling: shapes and dtypes", "[nn][upsampling]") {
  Symbol n = make("UpSampling", {{"scale", "2"}, {"sample_type", "nearest"}, {"num_args", "1"}},
                  "u", {var("x")});
  CHECK(infer(n, {{"x", S({2, 3, 4, 5})}}).outputs == "(2,3,8,10)");
  Symbol cat = make("UpSampling", {{"scale", "2"}, {"sample_type", "nearest"}, {"num_args", "2"}},
                    "u", {var("x"), var("y")});
  CHECK(infer(cat, {{"x", S({2, 3, 4, 4})}, {"y", S({2, 5, 8, 8})}}).outputs == "(2,8,8,8)");
  Symbol sum = make(
      "UpSampling",
      {{"scale", "2"}, {"sample_type", "nearest"}, {"multi_input_mode", "sum"}, {"num_args", "2"}},
      "u", {var("x"), var("y")});
  CHECK(infer(sum, {{"x", S({2, 3, 4, 4})}, {"y", S({2, 3, 8, 8})}}).outputs == "(2,3,8,8)");
  CHECK(contains(infer_error(sum, {{"x", S({2, 3, 4, 4})}, {"y", S({2, 5, 8, 8})}}),
                 "Number of channels must be the same when multi_input_mode==sum"));
  CHECK(contains(infer_error(cat, {{"x", S({2, 3, 4, 4})}, {"y", S({2, 5, 6, 6})}}),
                 "input height of 6 does not divide output height of 8"));
  CHECK(contains(infer_error(n, {{"x", S({2, 3, 4})}}),
                 "UpSamplingNearest: Input data should be 4D in (batch, channel, y, x)"));
  Symbol b =
      make("UpSampling",
           {{"scale", "2"}, {"sample_type", "bilinear"}, {"num_filter", "3"}, {"num_args", "1"}},
           "u", {var("x")});
  auto r = infer(b, {{"x", S({2, 3, 4, 5})}});
  CHECK(r.args == "(2,3,4,5) (3,1,4,4)");
  CHECK(r.outputs == "(2,3,8,10)");
  Symbol b3 = make("UpSampling", {{"scale", "3"}, {"sample_type", "bilinear"}, {"num_args", "1"}},
                   "u", {var("x")});
  r = infer(b3, {{"x", S({2, 3, 4, 5})}});
  CHECK(r.args == "(2,3,4,5) (3,1,5,5)");
  CHECK(r.outputs == "(2,3,12,15)");
  CHECK(infer(n, {{"x", S({2, 3, -1, 4})}}).outputs == "(2,3,None,8)");

  CHECK(infer_types(b, {{"x", "float16"}}).args == "float16 float16");
  CHECK(contains(type_error(b, {{"x", "float16"}, {"u_weight", "float32"}}),
                 "Expected 'float16' v.s. given 'float32' at 'weight'"));
  CHECK(infer_types(n, {{"x", "int32"}}).outputs == "int32");
}

TEST_CASE("UpSampling: to_json matches MXNet", "[nn][upsampling][json]") {
  Symbol b =
      make("UpSampling",
           {{"scale", "2"}, {"sample_type", "bilinear"}, {"num_filter", "3"}, {"num_args", "1"}},
           "up", {var("x")});
  CHECK(b.to_json() == kUpsamplingJson);
  CHECK(Symbol::from_json(kUpsamplingJson).to_json() == kUpsamplingJson);
}
