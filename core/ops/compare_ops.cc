// Comparisons and logical ops on equal shapes (_equal, _greater, _logical_and, ...), their
// scalar forms (Python's `==`, `>`, ... on symbols), and `where`, which selects between two
// arrays by a condition. As in MXNet 1.x the results are 0/1 in the input's dtype, not bool.
// The comparisons are piecewise constant, so their gradient is zero.
#include "core/ops/binary_ops.h"
#include "core/ops/elemwise.h"
#include "core/ops/grad_builder.h"
#include "core/ops/op_util.h"

namespace loom {

namespace {

using Grads = std::vector<NodeEntry>;

void compare(const char* name, const char* alias, const char* doc) {
  OpRegistry::get()
      .add(name)
      .describe(doc)
      .set_input_names({"lhs", "rhs"})
      .set_infer_shape(infer_same_shape)
      .set_inplace({{0, 0}, {1, 0}})
      .set_gradient(zero_grads)
      .alias(alias);
}

void compare_scalar(const char* name, const char* alias, const char* doc) {
  OpRegistry::get()
      .add(name)
      .describe(doc)
      .set_params<ScalarParam>()
      .set_infer_shape(infer_same_shape)
      .set_infer_type(infer_scalar_type)
      .set_inplace({{0, 0}})
      .set_gradient(zero_grads)
      .alias(alias);
}

// x, y and the output share one shape. The condition either has that shape too or is 1-D with
// one entry per row of x. MXNet learns nothing about x from the condition, and leaves a
// condition of any other rank unchecked (its kernel then reads it flat).
void infer_where_shape(const Attrs&, ShapeVec* in, ShapeVec* out) {
  Shape& cond = (*in)[0];
  Shape t = (*in)[1];
  assign_shape(&t, (*in)[2]);
  assign_shape(&t, (*out)[0]);
  assign_shape(&(*in)[1], t);
  assign_shape(&(*in)[2], t);
  assign_shape(&(*out)[0], t);
  if (cond.ndim() == t.ndim()) {
    assign_shape(&cond, t);
  } else if (cond.ndim() == 1 && cond.known() && t.ndim_known() && t[0] >= 0 && cond[0] != t[0]) {
    fail("where: a 1-D condition needs one entry per row of x: condition shape ", cond.str(),
         ", x shape ", t.str());
  }
}

// x, y and the output share one dtype; the condition's dtype is free and never inferred.
void infer_where_type(const Attrs&, TypeVec* in, TypeVec* out) {
  int t = (*in)[1];
  assign_type(&t, (*in)[2], " between x and y");
  assign_type(&t, (*out)[0], " for the output");
  assign_type(&(*in)[1], t, " for input x");
  assign_type(&(*in)[2], t, " for input y");
  assign_type(&(*out)[0], t, " for the output");
}

struct Registrations {
  Registrations() {
    compare("_equal", "_Equal", "1 where lhs == rhs, else 0, element-wise.");
    compare("_not_equal", "_Not_Equal", "1 where lhs != rhs, else 0, element-wise.");
    compare("_greater", "_Greater", "1 where lhs > rhs, else 0, element-wise.");
    compare("_greater_equal", "_Greater_Equal", "1 where lhs >= rhs, else 0, element-wise.");
    compare("_lesser", "_Lesser", "1 where lhs < rhs, else 0, element-wise.");
    compare("_lesser_equal", "_Lesser_Equal", "1 where lhs <= rhs, else 0, element-wise.");
    compare("_logical_and", "_Logical_And", "1 where lhs and rhs are both non-zero, else 0.");
    compare("_logical_or", "_Logical_Or", "1 where lhs or rhs is non-zero, else 0.");
    compare("_logical_xor", "_Logical_Xor", "1 where exactly one of lhs, rhs is non-zero, else 0.");

    compare_scalar("_equal_scalar", "_EqualScalar", "1 where x == scalar, else 0.");
    compare_scalar("_not_equal_scalar", "_NotEqualScalar", "1 where x != scalar, else 0.");
    compare_scalar("_greater_scalar", "_GreaterScalar", "1 where x > scalar, else 0.");
    compare_scalar("_greater_equal_scalar", "_GreaterEqualScalar", "1 where x >= scalar, else 0.");
    compare_scalar("_lesser_scalar", "_LesserScalar", "1 where x < scalar, else 0.");
    compare_scalar("_lesser_equal_scalar", "_LesserEqualScalar", "1 where x <= scalar, else 0.");
    compare_scalar("_logical_and_scalar", "_LogicalAndScalar",
                   "1 where x and scalar are both non-zero, else 0.");
    compare_scalar("_logical_or_scalar", "_LogicalOrScalar",
                   "1 where x or scalar is non-zero, else 0.");
    compare_scalar("_logical_xor_scalar", "_LogicalXorScalar",
                   "1 where exactly one of x, scalar is non-zero, else 0.");

    OpRegistry::get()
        .add("where")
        .describe("x where the condition is non-zero, else y (a 1-D condition selects rows).")
        .set_input_names({"condition", "x", "y"})
        .set_infer_shape(infer_where_shape)
        .set_infer_type(infer_where_type)
        .set_gradient([](const NodePtr& n, const Grads& og) {
          // route the output gradient by the same condition; where itself handles a 1-D one
          GradBuilder g(n);
          NodeEntry zero = g.op("zeros_like", {og[0]});
          return Grads{NodeEntry{}, g.op("where", {g.in(0), og[0], zero}),
                       g.op("where", {g.in(0), zero, og[0]})};
        });
  }
} registrations;

}  // namespace

}  // namespace loom
