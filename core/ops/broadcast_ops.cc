// Binary ops with numpy broadcasting (broadcast_add, broadcast_greater, ...). Shapes align from
// the right and a size-1 dim stretches to the other side's size. Inference runs forwards only,
// as in MXNet: the output cannot tell which input was broadcast. Their arithmetic gradients
// need a sum over the broadcast axes, which no registered op expresses yet, so only the
// comparisons (zero gradient) are differentiable here.
#include <algorithm>

#include "core/ops/grad_builder.h"
#include "core/ops/op_util.h"

namespace loom {

namespace {

// Unknown dims are skipped: the output dim stays unknown and nothing is checked there.
void infer_broadcast_shape(const Attrs&, ShapeVec* in, ShapeVec* out) {
  const Shape& lhs = (*in)[0];
  const Shape& rhs = (*in)[1];
  if (!lhs.ndim_known() || !rhs.ndim_known()) return;
  if (lhs == rhs) {
    assign_shape(&(*out)[0], lhs);
    return;
  }
  int nd = std::max(lhs.ndim(), rhs.ndim());
  int lpad = nd - lhs.ndim(), rpad = nd - rhs.ndim();
  Shape o = Shape::unknown_of_ndim(nd);
  for (int i = 0; i < nd; ++i) {
    dim_t l = i >= lpad ? lhs[i - lpad] : 1;
    dim_t r = i >= rpad ? rhs[i - rpad] : 1;
    if (l < 0 || r < 0) continue;
    if (l != r && l != 1 && r != 1)
      fail("operands could not be broadcast together with shapes ", lhs.str(), " ", rhs.str());
    o[i] = l == 1 ? r : l;
  }
  assign_shape(&(*out)[0], o);
}

Op& broadcast(const char* name, const char* doc) {
  return OpRegistry::get()
      .add(name)
      .describe(doc)
      .set_input_names({"lhs", "rhs"})
      .set_infer_shape(infer_broadcast_shape)
      .set_inplace({{0, 0}, {1, 0}});
}

void broadcast_compare(const char* name, const char* doc) {
  broadcast(name, doc).set_gradient(zero_grads);
}

struct Registrations {
  Registrations() {
    broadcast("broadcast_add", "lhs + rhs with broadcasting.").alias("broadcast_plus");
    broadcast("broadcast_sub", "lhs - rhs with broadcasting.").alias("broadcast_minus");
    broadcast("broadcast_mul", "lhs * rhs with broadcasting.");
    broadcast("broadcast_div", "lhs / rhs with broadcasting.");
    broadcast("broadcast_mod", "lhs modulo rhs with broadcasting.");
    broadcast("broadcast_power", "lhs ^ rhs with broadcasting.");
    broadcast("broadcast_maximum", "The larger of lhs and rhs with broadcasting.");
    broadcast("broadcast_minimum", "The smaller of lhs and rhs with broadcasting.");
    broadcast("broadcast_hypot", "sqrt(lhs^2 + rhs^2) with broadcasting.");

    broadcast_compare("broadcast_equal", "1 where lhs == rhs, else 0, with broadcasting.");
    broadcast_compare("broadcast_not_equal", "1 where lhs != rhs, else 0, with broadcasting.");
    broadcast_compare("broadcast_greater", "1 where lhs > rhs, else 0, with broadcasting.");
    broadcast_compare("broadcast_greater_equal", "1 where lhs >= rhs, else 0, with broadcasting.");
    broadcast_compare("broadcast_lesser", "1 where lhs < rhs, else 0, with broadcasting.");
    broadcast_compare("broadcast_lesser_equal", "1 where lhs <= rhs, else 0, with broadcasting.");
    broadcast_compare("broadcast_logical_and",
                      "1 where lhs and rhs are both non-zero, else 0, with broadcasting.");
    broadcast_compare("broadcast_logical_or",
                      "1 where lhs or rhs is non-zero, else 0, with broadcasting.");
    broadcast_compare("broadcast_logical_xor",
                      "1 where exactly one of lhs, rhs is non-zero, else 0, with broadcasting.");
  }
} registrations;

}  // namespace

}  // namespace loom
