// Element-wise arithmetic: the binary ops on equal shapes, the scalar ops, add_n, _copy and
// zeros_like. Their gradients are written with these same ops, so they can be differentiated
// again.
#include "core/ops/elemwise.h"

#include "core/ops/binary_ops.h"
#include "core/ops/op_util.h"

namespace loom {

void infer_same_shape(const Attrs&, ShapeVec* in, ShapeVec* out) {
  Shape s;
  for (const auto& x : *in) assign_shape(&s, x);
  for (const auto& x : *out) assign_shape(&s, x);
  for (auto& x : *in) assign_shape(&x, s);
  for (auto& x : *out) assign_shape(&x, s);
}

void ScalarParam::declare(ParamDecl<ScalarParam>& d) {
  d.field("scalar", &ScalarParam::scalar).set_default(1.0).describe("Scalar input value");
  d.field("is_int", &ScalarParam::is_int)
      .set_default(true)
      .describe("Indicate whether scalar input is int type");
}

void NumArgsParam::declare(ParamDecl<NumArgsParam>& d) {
  d.field("num_args", &NumArgsParam::num_args).lower_bound(1).describe("Number of inputs to be summed.");
}

namespace {

using Grads = std::vector<NodeEntry>;

NodeEntry scaled(const NodeEntry& x, double s, const std::string& name) {
  return make_entry("_mul_scalar", name, {x}, {{"scalar", format_float(s)}});
}

Op& binary(const char* name) {
  return OpRegistry::get()
      .add(name)
      .set_input_names({"lhs", "rhs"})
      .set_infer_shape(infer_same_shape)
      .set_inplace({{0, 0}, {1, 0}});
}

Op& scalar(const char* name) {
  return OpRegistry::get()
      .add(name)
      .set_params<ScalarParam>()
      .set_infer_shape(infer_same_shape)
      .set_infer_type(infer_scalar_type)
      .set_inplace({{0, 0}});
}

double scalar_of(const NodePtr& n) { return n->attrs.get<ScalarParam>().scalar; }

struct Registrations {
  Registrations() {
    binary("elemwise_add")
        .describe("Adds arguments element-wise.")
        .set_gradient([](const NodePtr&, const Grads& og) { return Grads{og[0], og[0]}; })
        .alias("_add").alias("_plus").alias("_Plus");
    binary("elemwise_sub")
        .describe("Subtracts arguments element-wise.")
        .set_gradient([](const NodePtr& n, const Grads& og) {
          return Grads{og[0], scaled(og[0], -1, n->name() + "_rhs_backward")};
        })
        .alias("_sub").alias("_minus").alias("_Minus");
    binary("elemwise_mul")
        .describe("Multiplies arguments element-wise.")
        .set_gradient([](const NodePtr& n, const Grads& og) {
          return Grads{make_entry("elemwise_mul", n->name() + "_lhs_backward", {og[0], n->inputs[1]}),
                       make_entry("elemwise_mul", n->name() + "_rhs_backward", {og[0], n->inputs[0]})};
        })
        .alias("_mul").alias("_Mul");
    binary("elemwise_div")
        .describe("Divides arguments element-wise.")
        .set_gradient([](const NodePtr& n, const Grads& og) {
          // d(a/b)/db = -(a/b)/b
          NodeEntry out{n, 0, 0};
          auto t = make_entry("elemwise_mul", n->name() + "_rhs_backward_mul", {og[0], out});
          auto q = make_entry("elemwise_div", n->name() + "_rhs_backward_div", {t, n->inputs[1]});
          return Grads{make_entry("elemwise_div", n->name() + "_lhs_backward", {og[0], n->inputs[1]}),
                       scaled(q, -1, n->name() + "_rhs_backward")};
        })
        .alias("_div").alias("_Div");

    auto pass = [](const NodePtr&, const Grads& og) { return Grads{og[0]}; };
    scalar("_plus_scalar").describe("x + scalar").set_gradient(pass).alias("_PlusScalar");
    scalar("_minus_scalar").describe("x - scalar").set_gradient(pass).alias("_MinusScalar");
    scalar("_rminus_scalar")
        .describe("scalar - x")
        .set_gradient([](const NodePtr& n, const Grads& og) {
          return Grads{scaled(og[0], -1, n->name() + "_backward")};
        })
        .alias("_RMinusScalar");
    scalar("_mul_scalar")
        .describe("x * scalar")
        .set_gradient([](const NodePtr& n, const Grads& og) {
          return Grads{scaled(og[0], scalar_of(n), n->name() + "_backward")};
        })
        .alias("_MulScalar");
    scalar("_div_scalar")
        .describe("x / scalar")
        .set_gradient([](const NodePtr& n, const Grads& og) {
          return Grads{make_entry("_div_scalar", n->name() + "_backward", {og[0]}, n->attrs.dict)};
        })
        .alias("_DivScalar");
    scalar("_rdiv_scalar")
        .describe("scalar / x")
        .set_gradient([](const NodePtr& n, const Grads& og) {
          // d(s/x)/dx = -(s/x)/x
          NodeEntry out{n, 0, 0};
          auto t = make_entry("elemwise_mul", n->name() + "_backward_mul", {og[0], out});
          auto q = make_entry("elemwise_div", n->name() + "_backward_div", {t, n->inputs[0]});
          return Grads{scaled(q, -1, n->name() + "_backward")};
        })
        .alias("_RDivScalar");

    OpRegistry::get()
        .add("add_n")
        .describe("Adds all input arguments element-wise.")
        .set_params<NumArgsParam>()
        .set_variadic("num_args")
        .set_num_inputs_fn([](const Attrs& a) { return a.get<NumArgsParam>().num_args; })
        .set_infer_shape(infer_same_shape)
        .set_inplace({{0, 0}})
        .set_gradient([](const NodePtr& n, const Grads& og) {
          return Grads(n->inputs.size(), og[0]);
        })
        .alias("ElementWiseSum");
    OpRegistry::get()
        .add("_copy")
        .describe("Returns a copy of the input.")
        .set_infer_shape(infer_same_shape)
        .set_inplace({{0, 0}}, true)
        .set_gradient(pass)
        .alias("identity");
    OpRegistry::get()
        .add("zeros_like")
        .describe("Returns an array of zeros with the same shape and type as the input.")
        .set_infer_shape(infer_same_shape)
        .set_gradient([](const NodePtr&, const Grads&) { return Grads{NodeEntry{}}; });
  }
} registrations;

}  // namespace

}  // namespace loom
