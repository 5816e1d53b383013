// Dropout and LRN registrations against MXNet 1.9.1: the hidden second outputs (mask,
// tmp_norm), parameters, forward-only shape and dtype inference, and to_json.
#include "core/ops/dropout.h"
#include "core/ops/lrn.h"
#include "tests/ops/nn_test_util.h"

using namespace nn_test;

namespace {

// Written by MXNet 1.9.1.
const char* const kDropoutJson = R"json({
  "nodes": [
    {
      "op": "null", 
      "name": "x", 
      "inputs": []
    }, 
    {
      "op": "Dropout", 
      "name": "drop", 
      "attrs": {"p": "0.3"}, 
      "inputs": [[0, 0, 0]]
    }
  ], 
  "arg_nodes": [0], 
  "node_row_ptr": [0, 1, 3], 
  "heads": [[1, 0, 0]], 
  "attrs": {"mxnet_version": ["int", 10901]}
})json";

const char* const kLrnJson = R"json({
  "nodes": [
    {
      "op": "null", 
      "name": "x", 
      "inputs": []
    }, 
    {
      "op": "LRN", 
      "name": "lrn", 
      "attrs": {
        "alpha": "0.0001", 
        "beta": "0.75", 
        "knorm": "2", 
        "nsize": "5"
      }, 
      "inputs": [[0, 0, 0]]
    }
  ], 
  "arg_nodes": [0], 
  "node_row_ptr": [0, 1, 3], 
  "heads": [[1, 0, 0]], 
  "attrs": {"mxnet_version": ["int", 10901]}
})json";

}  // namespace

TEST_CASE("Dropout: outputs, parameters and shapes", "[nn][dropout]") {
  Symbol d = make("Dropout", {{"p", "0.3"}, {"axes", "(2, 3)"}}, "d", {var("x")});
  CHECK(d.list_arguments() == Strings{"x"});
  CHECK(d.list_outputs() == Strings{"d_output"});
  CHECK(d.internals().list_outputs() == Strings{"x", "d_output"});
  CHECK(d.outputs[0].node->num_outputs() == 2);
  const auto& p = d.outputs[0].node->attrs.get<loom::DropoutParam>();
  CHECK(p.p == 0.3f);
  CHECK(p.mode == "training");
  CHECK(p.axes == S({2, 3}));
  CHECK(*p.cudnn_off == false);
  auto q = make("Dropout", {{"cudnn_off", "None"}, {"mode", "always"}}, "d2", {var("x")})
               .outputs[0]
               .node->attrs.get<loom::DropoutParam>();
  CHECK(!q.cudnn_off);
  CHECK(q.mode == "always");
  CHECK(contains(error_of([] { make("Dropout", {{"p", "1.5"}}, "d", {var("x")}); }), "p"));
  CHECK(contains(error_of([] { make("Dropout", {{"p", "-0.5"}}, "d", {var("x")}); }), "p"));
  CHECK(contains(error_of([] {
                   make("Dropout", {{"mode", "never"}}, "d", {var("x")});
                 }),
                 "Invalid Input: 'never'"));

  // the mask has extent 1 along `axes`; it is hidden but inferred all the same
  loom::IndexedGraph g(d.outputs);
  std::vector<Shape> shapes(g.num_entries());
  shapes[g.entry_id(g.input_nodes()[0], 0)] = S({2, 3, 4, 5});
  loom::infer_shapes(g, &shapes);
  uint32_t node = g.node_id(d.outputs[0].node.get());
  CHECK(shapes[g.entry_id(node, 0)] == S({2, 3, 4, 5}));
  CHECK(shapes[g.entry_id(node, 1)] == S({2, 3, 1, 1}));

  CHECK(infer(d, {{"x", S({2, 3, 4, 5})}}).outputs == "(2,3,4,5)");
  CHECK(infer(make("Dropout", {}, "d", {var("x")}), {{"x", S({2, -1})}}).outputs == "(2,None)");
  CHECK(contains(
      infer_error(make("Dropout", {{"axes", "(5,)"}}, "d", {var("x")}), {{"x", S({2, 3})}}),
      "axes entry 5 is out of range"));
  // forward only
  Symbol sum = make("elemwise_add", {}, "plus", {make("Dropout", {}, "d", {var("x")}), var("y")});
  CHECK(infer(sum, {{"y", S({2, 3})}}).args == "None (2,3)");
}

TEST_CASE("Dropout: dtypes and to_json", "[nn][dropout][json]") {
  Symbol d = make("Dropout", {{"p", "0.3"}}, "drop", {var("x")});
  CHECK(infer_types(d, {{"x", "float16"}}).outputs == "float16");
  CHECK(infer_types(d, {{"x", "int32"}}).outputs == "int32");
  CHECK(d.to_json() == kDropoutJson);
  CHECK(Symbol::from_json(kDropoutJson).to_json() == kDropoutJson);
}

TEST_CASE("LRN: outputs, parameters, shapes, dtypes and to_json", "[nn][lrn][json]") {
  Symbol l = make("LRN", {{"nsize", "5"}}, "l", {var("x")});
  CHECK(l.list_arguments() == Strings{"x"});
  CHECK(l.list_outputs() == Strings{"l_output"});
  CHECK(l.outputs[0].node->num_outputs() == 2);
  const auto& p = l.outputs[0].node->attrs.get<loom::LRNParam>();
  CHECK(p.alpha == 1e-4f);
  CHECK(p.beta == 0.75f);
  CHECK(p.knorm == 2.0f);
  CHECK(p.nsize == 5);
  CHECK(contains(error_of([] { make("LRN", {}, "l", {var("x")}); }), "Required parameter nsize"));
  CHECK(infer(l, {{"x", S({2, 3, 4, 5})}}).outputs == "(2,3,4,5)");
  CHECK(infer(l, {{"x", S({2, 3})}}).outputs == "(2,3)");
  CHECK(infer_types(l, {{"x", "float16"}}).outputs == "float16");
  Symbol lrn = make("LRN", {{"nsize", "5"}, {"alpha", "0.0001"}, {"beta", "0.75"}, {"knorm", "2"}},
                    "lrn", {var("x")});
  CHECK(lrn.to_json() == kLrnJson);
}
