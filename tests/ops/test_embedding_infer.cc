// Embedding registration against MXNet 1.9.1: names, parameters, shapes (any index rank),
// the weight dtype rule (parameter, weight or output) and to_json.
#include "core/ops/embedding.h"
#include "tests/ops/nn_test_util.h"

using namespace nn_test;

namespace {

// Written by MXNet 1.9.1.
const char* const kEmbeddingJson = R"json({
  "nodes": [
    {
      "op": "null", 
      "name": "x", 
      "inputs": []
    }, 
    {
      "op": "null", 
      "name": "embed_weight", 
      "attrs": {
        "input_dim": "10", 
        "output_dim": "4"
      }, 
      "inputs": []
    }, 
    {
      "op": "Embedding", 
      "name": "embed", 
      "attrs": {
        "input_dim": "10", 
        "output_dim": "4"
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

TEST_CASE("Embedding: names, parameters and shapes", "[nn][embedding]") {
  Symbol e = make("Embedding", {{"input_dim", "10"}, {"output_dim", "4"}}, "e", {var("x")});
  CHECK(e.list_arguments() == Strings{"x", "e_weight"});
  CHECK(e.list_outputs() == Strings{"e_output"});
  const auto& p = e.outputs[0].node->attrs.get<loom::EmbeddingParam>();
  CHECK(p.dtype == "float32");
  CHECK(!p.sparse_grad);
  auto r = infer(e, {{"x", S({2, 3})}});
  CHECK(r.args == "(2,3) (10,4)");
  CHECK(r.outputs == "(2,3,4)");
  CHECK(infer(e, {{"x", S({2, 3, 5, 6, 7})}}).outputs == "(2,3,5,6,7,4)");
  CHECK(infer(e, {{"x", S({-1, 3})}}).outputs == "(None,3,4)");
  CHECK(infer(e, {{"e_weight", S({10, 4})}}).outputs == "None");
  CHECK(contains(infer_error(e, {{"x", S({2, 3})}, {"e_weight", S({10, 5})}}),
                 "Shape inconsistent, Provided=(10,5), inferred shape=(10,4)"));
  CHECK(contains(error_of([] {
                   make("Embedding", {{"input_dim", "0"}, {"output_dim", "4"}}, "e", {var("x")});
                 }),
                 "input_dim"));
  CHECK(contains(error_of([] {
                   make("Embedding", {{"input_dim", "3"}, {"output_dim", "4"}, {"dtype", "bool"}},
                        "e", {var("x")});
                 }),
                 "Invalid Input: 'bool'"));
}

TEST_CASE("Embedding: dtypes", "[nn][embedding]") {
  Symbol e = make("Embedding", {{"input_dim", "10"}, {"output_dim", "4"}}, "e", {var("x")});
  auto t = infer_types(e, {{"x", "int32"}});
  CHECK(t.args == "int32 float32");
  CHECK(t.outputs == "float32");
  Symbol h = make(
      "Embedding",
      {{"input_dim", "10"}, {"output_dim", "4"}, {"dtype", "float16"}, {"sparse_grad", "True"}},
      "e", {var("x")});
  t = infer_types(h, {{"x", "float32"}});
  CHECK(t.args == "float32 float16");
  CHECK(t.outputs == "float16");
  // a typed weight wins over the parameter
  CHECK(infer_types(e, {{"x", "float64"}, {"e_weight", "float16"}}).outputs == "float16");
  CHECK(infer_types(h, {{"x", "float64"}, {"e_weight", "float32"}}).outputs == "float32");
  // nothing without the indices' dtype
  CHECK(infer_types(e, {{"e_weight", "float16"}}).outputs == "?");
}

TEST_CASE("Embedding: to_json matches MXNet", "[nn][embedding][json]") {
  Symbol e = make("Embedding", {{"input_dim", "10"}, {"output_dim", "4"}}, "embed", {var("x")});
  CHECK(e.to_json() == kEmbeddingJson);
  CHECK(Symbol::from_json(kEmbeddingJson).to_json() == kEmbeddingJson);
}
