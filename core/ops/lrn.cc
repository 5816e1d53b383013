// LRN: out = x / (knorm + alpha/nsize * sum of x^2 over nsize neighbouring channels)^beta. The
// hidden second output, tmp_norm, keeps the denominator's base for the backward pass; both have
// the data's shape. Forward inference only, as in MXNet.
#include "core/ops/lrn.h"

#include "core/ops/op_util.h"

namespace loom {

namespace {

void infer_lrn(const Attrs&, ShapeVec* in, ShapeVec* out) {
  if (!(*in)[0].ndim_known()) return;
  for (auto& s : *out) assign_shape(&s, (*in)[0]);
}

void infer_lrn_type(const Attrs&, TypeVec* in, TypeVec* out) {
  if ((*in)[0] < 0) return;
  for (auto& t : *out) assign_type(&t, (*in)[0], " for an output");
}

LOOM_REGISTER_OP(LRN)
    .describe("Normalizes each element by the squares of its neighbours across nsize channels.")
    .set_params<LRNParam>()
    .set_num_outputs(2)
    .set_num_visible_outputs_fn([](const Attrs&) { return 1; })
    .set_output_names({"output", "tmp_norm"})
    .set_infer_shape(infer_lrn)
    .set_infer_type(infer_lrn_type)
    .set_gradient([](const NodePtr& n, const std::vector<NodeEntry>& og) {
      return std::vector<NodeEntry>{make_entry("_backward_LRN", n->name() + "_backward",
                                               {og[0], n->inputs[0], NodeEntry{n, 1, 0}},
                                               n->attrs.dict)};
    });

LOOM_REGISTER_OP(_backward_LRN)
    .describe("Gradient of LRN from (out_grad, data, tmp_norm).")
    .set_params<LRNParam>()
    .set_input_names({"out_grad", "data", "tmp_norm"})
    .set_infer_shape([](const Attrs&, ShapeVec* in, ShapeVec* out) {
      assign_shape(&(*out)[0], (*in)[1]);
    });

}  // namespace

void LRNParam::declare(ParamDecl<LRNParam>& d) {
  using P = LRNParam;
  d.field("alpha", &P::alpha).set_default(1e-4f).describe("Scale of the sum of squares.");
  d.field("beta", &P::beta).set_default(0.75f).describe("Exponent of the denominator.");
  d.field("knorm", &P::knorm).set_default(2.0f).describe("Constant added in the denominator.");
  d.field("nsize", &P::nsize).lower_bound(0).describe("Number of channels in the window.");
}

}  // namespace loom
