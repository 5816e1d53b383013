// softmax, log_softmax, softmin and SoftmaxActivation registrations against MXNet 1.9.1: the
// optional length input, the dtype parameter, forward-only inference, errors and to_json.
#include "core/ops/softmax.h"
#include "tests/ops/nn_test_util.h"

using namespace nn_test;

namespace {

// Written by MXNet 1.9.1.
const char* const kSoftmaxLengthJson = R"json({
  "nodes": [
    {
      "op": "null", 
      "name": "x", 
      "inputs": []
    }, 
    {
      "op": "null", 
      "name": "sm_length", 
      "attrs": {
        "axis": "1", 
        "use_length": "True"
      }, 
      "inputs": []
    }, 
    {
      "op": "softmax", 
      "name": "sm", 
      "attrs": {
        "axis": "1", 
        "use_length": "True"
      }, 
      "inputs": [[0, 0, 0], [1, 0, 0]]
    }
  ], 
  "arg_nodes": [0, 1], 
  "node_row_ptr": [0, 1, 2, 3], 
  "heads": [[2, 0, 0]], 
  "attrs": {"mxnet_version": ["int", 10901]}
})json";

const char* const kLogSoftmaxJson = R"json({
  "nodes": [
    {
      "op": "null", 
      "name": "x", 
      "inputs": []
    }, 
    {
      "op": "log_softmax", 
      "name": "ls", 
      "attrs": {
        "axis": "1", 
        "temperature": "2.0"
      }, 
      "inputs": [[0, 0, 0]]
    }
  ], 
  "arg_nodes": [0], 
  "node_row_ptr": [0, 1, 2], 
  "heads": [[1, 0, 0]], 
  "attrs": {"mxnet_version": ["int", 10901]}
})json";

const char* const kSoftmaxActJson = R"json({
  "nodes": [
    {
      "op": "null", 
      "name": "x", 
      "inputs": []
    }, 
    {
      "op": "SoftmaxActivation", 
      "name": "sa", 
      "attrs": {"mode": "channel"}, 
      "inputs": [[0, 0, 0]]
    }
  ], 
  "arg_nodes": [0], 
  "node_row_ptr": [0, 1, 2], 
  "heads": [[1, 0, 0]], 
  "attrs": {"mxnet_version": ["int", 10901]}
})json";

}  // namespace

TEST_CASE("softmax family: inputs, parameters and shapes", "[nn][softmax]") {
  for (std::string op : {"softmax", "log_softmax", "softmin"}) {
    Symbol s = make(op, {}, "s", {var("x")});
    CHECK(s.list_arguments() == Strings{"x"});
    CHECK(s.list_outputs() == Strings{"s_output"});
    CHECK(infer(s, {{"x", S({2, 3})}}).outputs == "(2,3)");
    CHECK(infer_types(s, {{"x", "float16"}}).outputs == "float16");
  }
  Symbol len = make("softmax", {{"use_length", "True"}}, "s", {var("x")});
  CHECK(len.list_arguments() == Strings{"x", "s_length"});
  // the length has the data's shape without the axis
  CHECK(infer(len, {{"x", S({2, 3})}}).args == "(2,3) (2,)");
  CHECK(infer(make("softmax", {{"use_length", "1"}, {"axis", "0"}}, "s", {var("x")}),
              {{"x", S({2, 3})}})
            .args == "(2,3) (3,)");
  CHECK(infer(make("softmax", {{"use_length", "1"}, {"axis", "1"}}, "s", {var("x")}),
              {{"x", S({2, 3, 4})}})
            .args == "(2,3,4) (2,4)");
  CHECK(contains(infer_error(len, {{"x", S({2, 3})}, {"s_length", S({3})}}),
                 "Shape inconsistent, Provided=(3,), inferred shape=(2,)"));
  CHECK(contains(infer_error(make("softmax", {{"use_length", "1"}, {"axis", "2"}}, "s", {var("x")}),
                             {{"x", S({2, 3})}}),
                 "axis 2 exceeds the input dimension of 2"));
  // log_softmax and softmin keep one input even with use_length (as in MXNet 1.9.1)
  CHECK(make("log_softmax", {{"use_length", "True"}}, "s", {var("x")}).list_arguments() ==
        Strings{"x"});
  // forward only
  Symbol sum = make("elemwise_add", {}, "plus", {make("softmax", {}, "s", {var("x")}), var("y")});
  CHECK(infer(sum, {{"y", S({2, 3})}}).args == "None (2,3)");
  CHECK(infer_types(sum, {{"y", "float16"}}).args == "? float16");

  auto p = make("softmax", {{"temperature", "2.0"}, {"dtype", "float64"}, {"axis", "1"}}, "s",
                {var("x")})
               .outputs[0]
               .node->attrs.get<loom::SoftmaxParam>();
  CHECK(*p.temperature == 2.0);
  CHECK(*p.dtype == "float64");
  CHECK(p.axis == 1);
  CHECK(contains(error_of([] {
                   make("softmax", {{"dtype", "int32"}}, "s", {var("x")});
                 }),
                 "Invalid Input: 'int32'"));
}

TEST_CASE("softmax family: dtypes", "[nn][softmax]") {
  Symbol d = make("softmax", {{"dtype", "float64"}}, "s", {var("x")});
  auto t = infer_types(d, {{"x", "float16"}});
  CHECK(t.args == "float16");
  CHECK(t.outputs == "float64");
  CHECK(infer_types(make("softmax", {{"dtype", "float32"}}, "s", {var("x")}), {{"x", "int32"}})
            .outputs == "float32");
  CHECK(infer_types(make("softmax", {}, "s", {var("x")}), {{"x", "int32"}}).outputs == "int32");
  // with a dtype, an untyped input takes it
  Symbol sum = make("elemwise_add", {}, "plus", {d, var("y")});
  CHECK(infer_types(sum, {{"y", "float64"}}).args == "float64 float64");
  // the length's dtype is the caller's to give
  Symbol len = make("softmax", {{"use_length", "True"}}, "s", {var("x")});
  CHECK(infer_types(len, {{"x", "float16"}}).args == "float16 ?");
  CHECK(infer_types(len, {{"x", "float16"}, {"s_length", "int32"}}).args == "float16 int32");
}

TEST_CASE("SoftmaxActivation: shapes and dtypes both ways", "[nn][softmax]") {
  Symbol s = make("SoftmaxActivation", {{"mode", "channel"}}, "s", {var("x")});
  CHECK(s.list_outputs() == Strings{"s_output"});
  CHECK(s.outputs[0].node->attrs.get<loom::SoftmaxActivationParam>().mode == "channel");
  CHECK(infer(s, {{"x", S({2, 3, 4})}}).outputs == "(2,3,4)");
  Symbol sum =
      make("elemwise_add", {}, "plus", {make("SoftmaxActivation", {}, "a", {var("x")}), var("y")});
  CHECK(infer(sum, {{"y", S({2, 3})}}).args == "(2,3) (2,3)");
  CHECK(infer_types(sum, {{"y", "float16"}}).args == "float16 float16");
  CHECK(contains(error_of([] {
                   make("SoftmaxActivation", {{"mode", "pixel"}}, "s", {var("x")});
                 }),
                 "Invalid Input: 'pixel'"));
}

TEST_CASE("softmax family: to_json matches MXNet", "[nn][softmax][json]") {
  CHECK(make("softmax", {{"use_length", "True"}, {"axis", "1"}}, "sm", {var("x")}).to_json() ==
        kSoftmaxLengthJson);
  CHECK(make("log_softmax", {{"axis", "1"}, {"temperature", "2.0"}}, "ls", {var("x")}).to_json() ==
        kLogSoftmaxJson);
  CHECK(make("SoftmaxActivation", {{"mode", "channel"}}, "sa", {var("x")}).to_json() ==
        kSoftmaxActJson);
  CHECK(Symbol::from_json(kSoftmaxLengthJson).to_json() == kSoftmaxLengthJson);
}
