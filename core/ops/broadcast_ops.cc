// Binary ops with numpy broadcasting (broadcast_add, broadcast_greater, ...). Shapes align from
// the right and a size-1 dim stretches to the other side's size. Inference runs forwards only,
// as in MXNet: the output cannot tell which input was broadcast. An input's gradient is the
// head gradient (times the local derivative, written with broadcast ops) summed back down to
// the input's shape by _backward_broadcast; comparisons have zero gradient.
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

using Grads = std::vector<NodeEntry>;

// x (shaped like the output) summed down to input i's shape.
NodeEntry to_input(GradBuilder& g, const NodeEntry& x, int i) {
  return g.op("_backward_broadcast", {x, g.in(i)});
}

// The gradients of both inputs given d out/d lhs and d out/d rhs as output-shaped entries.
Grads chain(GradBuilder& g, const NodeEntry& og, const NodeEntry& dl, const NodeEntry& dr) {
  return {to_input(g, g.mul(og, dl), 0), to_input(g, g.mul(og, dr), 1)};
}

NodeEntry bop(GradBuilder& g, const char* op, const NodeEntry& a, const NodeEntry& b) {
  return g.op(op, {a, b});
}

Grads add_grad(const NodePtr& n, const Grads& og) {
  GradBuilder g(n);
  return {to_input(g, og[0], 0), to_input(g, og[0], 1)};
}

Grads sub_grad(const NodePtr& n, const Grads& og) {
  GradBuilder g(n);
  return {to_input(g, og[0], 0), to_input(g, g.unary("negative", og[0]), 1)};
}

Grads mul_grad(const NodePtr& n, const Grads& og) {
  GradBuilder g(n);
  return {to_input(g, bop(g, "broadcast_mul", og[0], g.in(1)), 0),
          to_input(g, bop(g, "broadcast_mul", og[0], g.in(0)), 1)};
}

// d/da = 1/b; d/db = -out/b
Grads div_grad(const NodePtr& n, const Grads& og) {
  GradBuilder g(n);
  NodeEntry da = bop(g, "broadcast_div", og[0], g.in(1));
  NodeEntry db = g.unary("negative", bop(g, "broadcast_div", g.mul(og[0], g.out()), g.in(1)));
  return {to_input(g, da, 0), to_input(g, db, 1)};
}

// d/da = b * a^(b-1); d/db = out * log(a)
Grads power_grad(const NodePtr& n, const Grads& og) {
  GradBuilder g(n);
  NodeEntry a_pow = bop(g, "broadcast_power", g.in(0), g.scalar("_minus_scalar", g.in(1), 1));
  NodeEntry dl = bop(g, "broadcast_mul", g.in(1), a_pow);
  NodeEntry dr = bop(g, "broadcast_mul", g.out(), g.unary("log", g.in(0)));
  return chain(g, og[0], dl, dr);
}

// ties go to lhs, as in MXNet
Grads maximum_grad(const NodePtr& n, const Grads& og) {
  GradBuilder g(n);
  return chain(g, og[0], bop(g, "broadcast_greater_equal", g.in(0), g.in(1)),
               bop(g, "broadcast_lesser", g.in(0), g.in(1)));
}

Grads minimum_grad(const NodePtr& n, const Grads& og) {
  GradBuilder g(n);
  return chain(g, og[0], bop(g, "broadcast_lesser_equal", g.in(0), g.in(1)),
               bop(g, "broadcast_greater", g.in(0), g.in(1)));
}

Grads hypot_grad(const NodePtr& n, const Grads& og) {
  GradBuilder g(n);
  return chain(g, og[0], bop(g, "broadcast_div", g.in(0), g.out()),
               bop(g, "broadcast_div", g.in(1), g.out()));
}

// a mod b = a - floor(a/b) * b
Grads mod_grad(const NodePtr& n, const Grads& og) {
  GradBuilder g(n);
  NodeEntry q = g.unary("floor", bop(g, "broadcast_div", g.in(0), g.in(1)));
  return {to_input(g, og[0], 0), to_input(g, g.unary("negative", g.mul(og[0], q)), 1)};
}

struct Registrations {
  Registrations() {
    broadcast("broadcast_add", "lhs + rhs with broadcasting.")
        .alias("broadcast_plus")
        .set_gradient(add_grad);
    broadcast("broadcast_sub", "lhs - rhs with broadcasting.")
        .alias("broadcast_minus")
        .set_gradient(sub_grad);
    broadcast("broadcast_mul", "lhs * rhs with broadcasting.").set_gradient(mul_grad);
    broadcast("broadcast_div", "lhs / rhs with broadcasting.").set_gradient(div_grad);
    broadcast("broadcast_mod", "lhs modulo rhs with broadcasting.").set_gradient(mod_grad);
    broadcast("broadcast_power", "lhs ^ rhs with broadcasting.").set_gradient(power_grad);
    broadcast("broadcast_maximum", "The larger of lhs and rhs with broadcasting.")
        .set_gradient(maximum_grad);
    broadcast("broadcast_minimum", "The smaller of lhs and rhs with broadcasting.")
        .set_gradient(minimum_grad);
    broadcast("broadcast_hypot", "sqrt(lhs^2 + rhs^2) with broadcasting.").set_gradient(hypot_grad);

    // Inputs (out_grad, like): out_grad summed over the axes along which an operand shaped
    // like `like` was broadcast; the gradient of every broadcasting op ends in it.
    OpRegistry::get()
        .add("_backward_broadcast")
        .describe("Sums out_grad down to the shape of like (the inverse of numpy broadcasting).")
        .set_input_names({"out_grad", "like"})
        .set_infer_shape([](const Attrs&, ShapeVec* in, ShapeVec* out) {
          assign_shape(&(*out)[0], (*in)[1]);
          assign_shape(&(*in)[1], (*out)[0]);
        })
        .set_gradient([](const NodePtr& n, const Grads& og) {
          // spreading back is broadcasting against an out_grad-shaped zero array
          GradBuilder g(n);
          return Grads{g.op("broadcast_add", {og[0], g.unary("zeros_like", g.in(0))}), NodeEntry{}};
        });

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
