// Element-wise binary math on equal shapes (_power, _maximum, _minimum, _hypot, _mod) and
// their scalar forms (x op scalar, and the reversed scalar op x for _rpower/_rmod). Python's
// `**` and `%` on symbols build these. Gradients are written with other forward ops.
#include "core/ops/binary_ops.h"

#include <cmath>

#include "core/ops/elemwise.h"
#include "core/ops/grad_builder.h"
#include "core/ops/op_util.h"

namespace loom {

namespace {

bool is_integer_type(int t) { return t == kUint8 || t == kInt8 || t == kInt32 || t == kInt64; }

}  // namespace

void infer_scalar_type(const Attrs& attrs, TypeVec* in, TypeVec* out) {
  bool scalar_is_int = attrs.get<ScalarParam>().is_int;
  int x = (*in)[0];
  if (is_integer_type(x) && !scalar_is_int) {
    assign_type(&(*out)[0], kFloat64, " for the output");
  } else if (x == kBool) {
    assign_type(&(*out)[0], scalar_is_int ? kInt64 : kFloat64, " for the output");
  } else {
    assign_type(&(*out)[0], x, " for the output");
    assign_type(&(*in)[0], (*out)[0], " for input 0");
  }
}

namespace {

using Grads = std::vector<NodeEntry>;

Op& binary(const char* name, const char* alias, const char* doc) {
  return OpRegistry::get()
      .add(name)
      .describe(doc)
      .set_input_names({"lhs", "rhs"})
      .set_infer_shape(infer_same_shape)
      .set_inplace({{0, 0}, {1, 0}})
      .alias(alias);
}

Op& scalar(const char* name, const char* alias, const char* doc) {
  return OpRegistry::get()
      .add(name)
      .describe(doc)
      .set_params<ScalarParam>()
      .set_infer_shape(infer_same_shape)
      .set_infer_type(infer_scalar_type)
      .set_inplace({{0, 0}})
      .alias(alias);
}

double scalar_of(const NodePtr& n) { return n->attrs.get<ScalarParam>().scalar; }

struct Registrations {
  Registrations() {
    binary("_power", "_Power", "lhs ^ rhs, element-wise.")
        .set_gradient([](const NodePtr& n, const Grads& og) {
          // d/da = b * a^(b-1); d/db = a^b * log(a)
          GradBuilder g(n);
          NodeEntry a_pow = g.op("_power", {g.in(0), g.scalar("_minus_scalar", g.in(1), 1)});
          return Grads{g.mul(og[0], g.mul(g.in(1), a_pow)),
                       g.mul(og[0], g.mul(g.out(), g.unary("log", g.in(0))))};
        });
    binary("_maximum", "_Maximum", "The larger of lhs and rhs, element-wise.")
        .set_gradient([](const NodePtr& n, const Grads& og) {
          // ties go to lhs, as in MXNet
          GradBuilder g(n);
          return Grads{g.mul(og[0], g.op("_greater_equal", {g.in(0), g.in(1)})),
                       g.mul(og[0], g.op("_lesser", {g.in(0), g.in(1)}))};
        });
    binary("_minimum", "_Minimum", "The smaller of lhs and rhs, element-wise.")
        .set_gradient([](const NodePtr& n, const Grads& og) {
          GradBuilder g(n);
          return Grads{g.mul(og[0], g.op("_lesser_equal", {g.in(0), g.in(1)})),
                       g.mul(og[0], g.op("_greater", {g.in(0), g.in(1)}))};
        });
    binary("_hypot", "_Hypot", "sqrt(lhs^2 + rhs^2), element-wise.")
        .set_gradient([](const NodePtr& n, const Grads& og) {
          GradBuilder g(n);
          return Grads{g.mul(og[0], g.div(g.in(0), g.out())),
                       g.mul(og[0], g.div(g.in(1), g.out()))};
        });
    binary("_mod", "_Mod", "lhs modulo rhs (result has rhs's sign), element-wise.")
        .set_gradient([](const NodePtr& n, const Grads& og) {
          // a mod b = a - floor(a/b) * b
          GradBuilder g(n);
          NodeEntry q = g.unary("floor", g.div(g.in(0), g.in(1)));
          return Grads{og[0], g.unary("negative", g.mul(og[0], q))};
        });

    scalar("_power_scalar", "_PowerScalar", "x ^ scalar, element-wise.")
        .set_gradient([](const NodePtr& n, const Grads& og) {
          GradBuilder g(n);
          double s = scalar_of(n);
          NodeEntry d = g.scale(g.scalar("_power_scalar", g.in(0), s - 1), s);
          return Grads{g.mul(og[0], d)};
        });
    scalar("_rpower_scalar", "_RPowerScalar", "scalar ^ x, element-wise.")
        .set_gradient([](const NodePtr& n, const Grads& og) {
          GradBuilder g(n);
          return Grads{g.scale(g.mul(og[0], g.out()), std::log(scalar_of(n)))};
        });
    scalar("_maximum_scalar", "_MaximumScalar", "max(x, scalar), element-wise.")
        .set_gradient([](const NodePtr& n, const Grads& og) {
          GradBuilder g(n);
          return Grads{g.mul(og[0], g.scalar("_greater_equal_scalar", g.in(0), scalar_of(n)))};
        });
    scalar("_minimum_scalar", "_MinimumScalar", "min(x, scalar), element-wise.")
        .set_gradient([](const NodePtr& n, const Grads& og) {
          GradBuilder g(n);
          return Grads{g.mul(og[0], g.scalar("_lesser_equal_scalar", g.in(0), scalar_of(n)))};
        });
    scalar("_hypot_scalar", "_HypotScalar", "sqrt(x^2 + scalar^2), element-wise.")
        .set_gradient([](const NodePtr& n, const Grads& og) {
          GradBuilder g(n);
          return Grads{g.mul(og[0], g.div(g.in(0), g.out()))};
        });
    scalar("_mod_scalar", "_ModScalar", "x modulo scalar, element-wise.")
        .set_gradient([](const NodePtr&, const Grads& og) { return Grads{og[0]}; });
    scalar("_rmod_scalar", "_RModScalar", "scalar modulo x, element-wise.")
        .set_gradient([](const NodePtr& n, const Grads& og) {
          // d/dx (s mod x) = -floor(s / x)
          GradBuilder g(n);
          NodeEntry q = g.unary("floor", g.scalar("_rdiv_scalar", g.in(0), scalar_of(n)));
          return Grads{g.unary("negative", g.mul(og[0], q))};
        });
  }
} registrations;

}  // namespace

}  // namespace loom
