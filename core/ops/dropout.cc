// Dropout: the output has the data's shape; the hidden second output is the mask, whose
// `axes` have extent 1 (one draw shared along them, "variational" dropout). Forward inference
// only, as in MXNet.
#include "core/ops/dropout.h"

#include "core/ops/op_util.h"

namespace loom {

namespace {

void infer_dropout(const Attrs& a, ShapeVec* in, ShapeVec* out) {
  const auto& p = a.get<DropoutParam>();
  const Shape& data = (*in)[0];
  if (!data.ndim_known()) return;
  Shape mask = data;
  for (int i = 0; i < p.axes.ndim(); ++i) {
    dim_t ax = p.axes[i];
    if (ax < 0 || ax >= data.ndim())
      fail("Dropout: axes entry ", ax, " is out of range for data of shape ", data.str());
    mask[static_cast<int>(ax)] = 1;
  }
  assign_shape(&(*out)[0], data);
  assign_shape(&(*out)[1], mask);
}

void infer_dropout_type(const Attrs&, TypeVec* in, TypeVec* out) {
  if ((*in)[0] < 0) return;
  for (auto& t : *out) assign_type(&t, (*in)[0], " for an output");
}

LOOM_REGISTER_OP(Dropout)
    .describe(
        "Zeroes each element with probability p during training and scales the rest by "
        "1/(1-p); identity otherwise unless mode='always'.")
    .set_params<DropoutParam>()
    .set_num_outputs(2)
    .set_num_visible_outputs_fn([](const Attrs&) { return 1; })
    .set_output_names({"output", "mask"})
    .set_inplace({{0, 0}})
    .set_infer_shape(infer_dropout)
    .set_infer_type(infer_dropout_type)
    // d data = out_grad * mask (broadcast over axes); the mask is all ones when no dropout ran
    .set_gradient([](const NodePtr& n, const std::vector<NodeEntry>& og) {
      return std::vector<NodeEntry>{make_entry("_backward_Dropout", n->name() + "_backward",
                                               {og[0], NodeEntry{n, 1, 0}}, n->attrs.dict)};
    });

LOOM_REGISTER_OP(_backward_Dropout)
    .describe("Gradient of Dropout from (out_grad, mask).")
    .set_params<DropoutParam>()
    .set_input_names({"out_grad", "mask"})
    .set_inplace({{0, 0}})
    .set_infer_shape([](const Attrs&, ShapeVec* in, ShapeVec* out) {
      assign_shape(&(*out)[0], (*in)[0]);
      assign_shape(&(*in)[0], (*out)[0]);
    });

}  // namespace

void DropoutParam::declare(ParamDecl<DropoutParam>& d) {
  using P = DropoutParam;
  d.field("p", &P::p).set_default(0.5f).set_range(0, 1).describe("Fraction of the input dropped.");
  d.field("mode", &P::mode)
      .choices({"always", "training"})
      .set_default(std::string("training"))
      .describe("Drop only while training, or also at inference.");
  d.field("axes", &P::axes)
      .set_default(Shape(std::vector<dim_t>{}))
      .describe("Axes along which one mask value is shared (variational dropout).");
  d.field("cudnn_off", &P::cudnn_off)
      .set_default(false)
      .describe("Do not use cuDNN (ignored when axes is set).");
}

}  // namespace loom
