// dot (tensor contraction of lhs' last axis with rhs' first, either side optionally
// transposed as a 2-D view) and batch_dot (matrix products over equal leading batch dims).
// batch_dot's gradient is written with batch_dot itself; dot's, which works on the 2-D views
// of N-D operands, is one _backward_dot node (inputs out_grad, lhs, rhs) giving both.
#include "core/ops/dot.h"

#include "core/ops/op_util.h"

namespace loom {

namespace {

using Grads = std::vector<NodeEntry>;

void infer_dot(const Attrs& a, ShapeVec* in, ShapeVec* out) {
  const auto& p = a.get<DotParam>();
  const Shape& l = (*in)[0];
  const Shape& r = (*in)[1];
  if (!l.ndim_known() || !r.ndim_known()) return;
  if (l.ndim() == 0 || r.ndim() == 0)
    fail("dot: inputs must have at least one dimension, got ", l.str(), " and ", r.str());
  auto mismatch = [&] {
    fail("dot: shape mismatch, ", l.str(), " X ", r.str(), p.transpose_a ? " (transpose_a)" : "",
         p.transpose_b ? " (transpose_b)" : "");
  };
  if (l.ndim() == 1 && r.ndim() == 1) {
    if (p.transpose_a || p.transpose_b) fail("dot: cannot transpose 1-D vectors");
    if (l[0] >= 0 && r[0] >= 0 && l[0] != r[0]) mismatch();
    return assign_shape(&(*out)[0], Shape({1}));
  }
  // The contracted group: lhs' last dim (first if transpose_a), rhs' first dim (last if
  // transpose_b); the rest of each operand, in order, forms the output.
  std::vector<dim_t> lk, lrest, rk, rrest;
  const auto& ld = l.dims();
  const auto& rd = r.dims();
  if (p.transpose_a) {
    lk = {ld.front()};
    lrest.assign(ld.begin() + 1, ld.end());
  } else {
    lk = {ld.back()};
    lrest.assign(ld.begin(), ld.end() - 1);
  }
  if (p.transpose_b) {
    rk = {rd.back()};
    rrest.assign(rd.begin(), rd.end() - 1);
  } else {
    rk = {rd.front()};
    rrest.assign(rd.begin() + 1, rd.end());
  }
  if (lk[0] >= 0 && rk[0] >= 0 && lk[0] != rk[0]) mismatch();
  std::vector<dim_t> o;
  if (l.ndim() > 1) o.insert(o.end(), lrest.begin(), lrest.end());
  if (r.ndim() > 1) o.insert(o.end(), rrest.begin(), rrest.end());
  assign_shape(&(*out)[0], Shape(o));
}

void infer_batch_dot(const Attrs& a, ShapeVec* in, ShapeVec* out) {
  const auto& p = a.get<DotParam>();
  const Shape& l = (*in)[0];
  const Shape& r = (*in)[1];
  if (!l.ndim_known() || !r.ndim_known()) return;
  int nd = l.ndim();
  if (nd < 3 || r.ndim() != nd)
    fail("batch_dot: both inputs must have the same number (>= 3) of dimensions, got ", l.str(),
         " and ", r.str());
  std::vector<dim_t> o;
  for (int i = 0; i < nd - 2; ++i) {
    if (l[i] >= 0 && r[i] >= 0 && l[i] != r[i])
      fail("batch_dot: the leading batch dimensions must be equal, got ", l.str(), " X ", r.str());
    o.push_back(l[i] >= 0 ? l[i] : r[i]);
  }
  dim_t m = p.transpose_a ? l[nd - 1] : l[nd - 2];
  dim_t lk = p.transpose_a ? l[nd - 2] : l[nd - 1];
  dim_t n = p.transpose_b ? r[nd - 2] : r[nd - 1];
  dim_t rk = p.transpose_b ? r[nd - 1] : r[nd - 2];
  if (lk >= 0 && rk >= 0 && lk != rk)
    fail("batch_dot: shape mismatch, ", l.str(), " X ", r.str(),
         " (transpose_a=", p.transpose_a ? "True" : "False",
         ", transpose_b=", p.transpose_b ? "True" : "False", ")");
  o.push_back(m);
  o.push_back(n);
  assign_shape(&(*out)[0], Shape(o));
}

// d(A.B): with out = op(A) op(B) for op in {identity, transpose}, each input's gradient is one
// more batch_dot of the head gradient with the other input.
Grads batch_dot_gradient(const NodePtr& n, const Grads& og) {
  const auto& p = n->attrs.get<DotParam>();
  const NodeEntry& A = n->inputs[0];
  const NodeEntry& B = n->inputs[1];
  const NodeEntry& G = og[0];
  auto bd = [&](const char* suffix, NodeEntry x, NodeEntry y, bool ta, bool tb) {
    AttrDict d;
    if (ta) d["transpose_a"] = "True";
    if (tb) d["transpose_b"] = "True";
    return make_entry("batch_dot", n->name() + suffix, {x, y}, d);
  };
  bool ta = p.transpose_a, tb = p.transpose_b;
  if (!ta && !tb)
    return {bd("_backward_lhs", G, B, false, true), bd("_backward_rhs", A, G, true, false)};
  if (ta && !tb)
    return {bd("_backward_lhs", B, G, false, true), bd("_backward_rhs", A, G, false, false)};
  if (!ta && tb)
    return {bd("_backward_lhs", G, B, false, false), bd("_backward_rhs", G, A, true, false)};
  return {bd("_backward_lhs", B, G, true, true), bd("_backward_rhs", G, A, true, true)};
}

}  // namespace

void DotParam::declare(ParamDecl<DotParam>& d) {
  d.field("transpose_a", &DotParam::transpose_a)
      .set_default(false)
      .describe("If true then transpose the first input before dot.");
  d.field("transpose_b", &DotParam::transpose_b)
      .set_default(false)
      .describe("If true then transpose the second input before dot.");
  d.field("forward_stype", &DotParam::forward_stype)
      .choices({"None", "csr", "default", "row_sparse"})
      .set_default(std::nullopt)
      .describe(
          "The desired storage type of the forward output given by user, if "
          "thecombination of input storage types and this hint does not matchany "
          "implemented ones, the dot operator will perform fallback operationand still "
          "produce an output of the desired storage type.");
}

LOOM_REGISTER_OP(dot)
    .describe("Dot product of two arrays (matrix product for 2-D inputs).")
    .set_params<DotParam>()
    .set_input_names({"lhs", "rhs"})
    .set_infer_shape(infer_dot)
    .set_gradient([](const NodePtr& n, const Grads& og) {
      NodePtr bwd =
          Node::op_node(OpRegistry::get().require("_backward_dot"), n->name() + "_backward",
                        n->attrs.dict, {og[0], n->inputs[0], n->inputs[1]});
      return Grads{NodeEntry{bwd, 0, 0}, NodeEntry{bwd, 1, 0}};
    });

LOOM_REGISTER_OP(_backward_dot)
    .describe("Gradients of dot: inputs (out_grad, lhs, rhs); outputs those of lhs and rhs.")
    .set_params<DotParam>()
    .set_input_names({"out_grad", "lhs", "rhs"})
    .set_num_outputs(2)
    .set_infer_shape([](const Attrs&, ShapeVec* in, ShapeVec* out) {
      assign_shape(&(*out)[0], (*in)[1]);
      assign_shape(&(*out)[1], (*in)[2]);
    });

LOOM_REGISTER_OP(batch_dot)
    .describe("Batchwise matrix product of two arrays of equal leading dimensions.")
    .set_params<DotParam>()
    .set_input_names({"lhs", "rhs"})
    .set_infer_shape(infer_batch_dot)
    .set_gradient(batch_dot_gradient);

}  // namespace loom
