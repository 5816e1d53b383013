// Registration and inference of dot and batch_dot (core/ops/dot.cc): every transpose
// combination, vectors, N-D operands, the mismatch errors, dtypes, and batch_dot's symbolic
// gradient inferring back to its inputs' shapes. Expected values come from the reference
// MXNet 1.9.1.
#include "core/ops/dot.h"
#include "tests/ops/tensor_test_util.h"

using namespace loom;
using namespace tensor_test;

namespace {

Symbol dot(const char* op, const AttrDict& p) { return make(op, p, "d", {var("x"), var("z")}); }

std::string dot_out(const char* op, const AttrDict& p, const Shape& l, const Shape& r) {
  return outs(dot(op, p), {{"x", l}, {"z", r}});
}

std::string dot_err(const char* op, const AttrDict& p, const Shape& l, const Shape& r) {
  return shape_error(dot(op, p), {{"x", l}, {"z", r}});
}

const AttrDict kNone;
const AttrDict kTa{{"transpose_a", "True"}};
const AttrDict kTb{{"transpose_b", "True"}};
const AttrDict kTab{{"transpose_a", "True"}, {"transpose_b", "True"}};

}  // namespace

TEST_CASE("dot and batch_dot: inputs and parameters", "[tensor-infer]") {
  for (const char* op : {"dot", "batch_dot"}) {
    INFO(op);
    CHECK(make(op, {}, "d").list_arguments() == Strings{"d_lhs", "d_rhs"});
    CHECK(param_names(op) == Strings{"transpose_a", "transpose_b", "forward_stype"});
  }
  CHECK(make("dot", {{"forward_stype", "csr"}}, "d").list_outputs() == Strings{"d_output"});
  CHECK(contains(error_of([] { make("dot", {{"forward_stype", "dense"}}, "d"); }), "'dense'"));
}

TEST_CASE("dot: shapes for every transpose combination", "[tensor-infer]") {
  CHECK(dot_out("dot", kNone, S({2, 3}), S({3, 4})) == "(2,4)");
  CHECK(dot_out("dot", kTa, S({3, 2}), S({3, 4})) == "(2,4)");
  CHECK(dot_out("dot", kTb, S({2, 3}), S({4, 3})) == "(2,4)");
  CHECK(dot_out("dot", kTab, S({3, 2}), S({4, 3})) == "(2,4)");
  CHECK(dot_out("dot", kNone, S({3}), S({3})) == "(1,)");
  CHECK(dot_out("dot", kNone, S({3}), S({3, 4})) == "(4,)");
  CHECK(dot_out("dot", kNone, S({2, 3}), S({3})) == "(2,)");
  CHECK(dot_out("dot", kTb, S({2, 3}), S({3})) == "(2,)");
  CHECK(dot_out("dot", kNone, S({2, 5, 3}), S({3, 4, 6})) == "(2,5,4,6)");
  CHECK(dot_out("dot", kTa, S({3, 2, 5}), S({3, 4, 6})) == "(2,5,4,6)");
  CHECK(dot_out("dot", kTb, S({2, 5, 3}), S({4, 6, 3})) == "(2,5,4,6)");
  CHECK(dot_out("dot", kNone, S({3}), S({3, 4, 5})) == "(4,5)");
  CHECK(dot_out("dot", kNone, S({-1, 3}), S({3, 4})) == "(None,4)");
  CHECK(dot_out("dot", kNone, S({2, -1}), S({3, 4})) == "(2,4)");
  CHECK(outs(dot("dot", kNone), {{"x", S({2, 3})}}) == "None");
  // no backward inference, as in MXNet
  CHECK(args(times_w(dot("dot", kNone)), {{"x", S({2, 3})}, {"w", S({2, 4})}}) ==
        "(2,3) None (2,4)");
}

TEST_CASE("dot: mismatches and transposed vectors are errors", "[tensor-infer]") {
  std::string e = dot_err("dot", kNone, S({2, 3}), S({4, 5}));
  INFO(e);
  CHECK(contains(e, "dot: shape mismatch, (2,3) X (4,5)"));
  CHECK(contains(e, "Error in operator d"));
  CHECK(contains(dot_err("dot", kTa, S({3}), S({3})), "cannot transpose 1-D vectors"));
  CHECK(contains(dot_err("dot", kNone, S({3}), S({4})), "shape mismatch"));
  CHECK(contains(dot_err("dot", kTb, S({2, 3}), S({3, 4})), "(transpose_b)"));
}

TEST_CASE("batch_dot: batched matrix products", "[tensor-infer]") {
  CHECK(dot_out("batch_dot", kNone, S({5, 2, 3}), S({5, 3, 4})) == "(5,2,4)");
  CHECK(dot_out("batch_dot", kTa, S({5, 3, 2}), S({5, 3, 4})) == "(5,2,4)");
  CHECK(dot_out("batch_dot", kTb, S({5, 2, 3}), S({5, 4, 3})) == "(5,2,4)");
  CHECK(dot_out("batch_dot", kTab, S({5, 3, 2}), S({5, 4, 3})) == "(5,2,4)");
  CHECK(dot_out("batch_dot", kNone, S({6, 5, 2, 3}), S({6, 5, 3, 4})) == "(6,5,2,4)");
  // MXNet 1.9.1 rejects an unknown batch dim; Loom takes it from the other side
  CHECK(dot_out("batch_dot", kNone, S({-1, 2, 3}), S({5, 3, 4})) == "(5,2,4)");
  CHECK(contains(dot_err("batch_dot", kNone, S({5, 2, 3}), S({4, 3, 4})),
                 "leading batch dimensions must be equal"));
  CHECK(contains(dot_err("batch_dot", kNone, S({5, 2, 3}), S({5, 2, 4})),
                 "shape mismatch, (5,2,3) X (5,2,4)"));
  CHECK(contains(dot_err("batch_dot", kNone, S({2, 3}), S({3, 4})), "(>= 3)"));
  CHECK(contains(dot_err("batch_dot", kNone, S({5, 2, 3}), S({5, 5, 3, 4})), "same number"));
  CHECK(contains(dot_err("batch_dot", kNone, S({6, 1, 2, 3}), S({6, 5, 3, 4})),
                 "leading batch dimensions must be equal"));
}

TEST_CASE("dot and batch_dot: one dtype for both inputs and the output", "[tensor-infer]") {
  CHECK(types(dot("dot", kNone), {{"x", "float64"}}).args == "float64 float64");
  CHECK(types(dot("dot", kNone), {{"z", "float64"}}).outputs == "float64");
  CHECK(types(dot("batch_dot", kNone), {{"x", "float16"}}).outputs == "float16");
  std::string e = type_error(dot("dot", kNone), {{"x", "float64"}, {"z", "float32"}});
  CHECK(contains(e, "Type inconsistent"));
}

TEST_CASE("batch_dot: the gradient is two batch_dots shaped like the inputs", "[tensor-infer]") {
  const std::vector<std::pair<AttrDict, std::pair<Shape, Shape>>> cases = {
      {kNone, {S({5, 2, 3}), S({5, 3, 4})}},
      {kTa, {S({5, 3, 2}), S({5, 3, 4})}},
      {kTb, {S({5, 2, 3}), S({5, 4, 3})}},
      {kTab, {S({5, 3, 2}), S({5, 4, 3})}},
  };
  for (const auto& [p, shapes] : cases) {
    INFO("transpose_a=" << p.count("transpose_a") << " transpose_b=" << p.count("transpose_b"));
    Symbol y = dot("batch_dot", p);
    std::vector<NodeEntry> xs;
    for (const auto& n : y.input_nodes(Symbol::InputKind::kArguments)) xs.push_back({n, 0, 0});
    Symbol g;
    g.outputs = gradient(y.outputs, {var("og").outputs[0]}, xs);
    REQUIRE(g.outputs.size() == 2);
    CHECK(g.outputs[0].node->op()->name == "batch_dot");
    auto r = infer(g, {{"x", shapes.first}, {"z", shapes.second}, {"og", S({5, 2, 4})}});
    CHECK(str(r.outputs) == shapes.first.str() + " " + shapes.second.str());
  }
}
