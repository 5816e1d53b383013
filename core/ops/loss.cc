// Loss outputs: the forward is the prediction (softmax, identity, sigmoid) and the gradient
// ignores the head gradient, comparing the prediction with the label instead (MXNet's
// semantics, spec 4.4). Their backward nodes read (output, label) only, so backward() needs no
// head gradient for graphs ending in them.
#include "core/ops/loss.h"

#include "core/ops/op_util.h"

namespace loom {

void SoftmaxOutputParam::declare(ParamDecl<SoftmaxOutputParam>& d) {
  using P = SoftmaxOutputParam;
  d.field("grad_scale", &P::grad_scale).set_default(1.0f).describe("Scales the gradient by a float factor.");
  d.field("ignore_label", &P::ignore_label)
      .set_default(-1.0f)
      .describe("The instances whose labels == ignore_label will be ignored during backward, if "
                "use_ignore is set to true).");
  d.field("multi_output", &P::multi_output)
      .set_default(false)
      .describe("If set to true, the softmax function will be computed along axis 1.");
  d.field("use_ignore", &P::use_ignore)
      .set_default(false)
      .describe("If set to true, the ignore_label value will not contribute to the backward gradient.");
  d.field("preserve_shape", &P::preserve_shape)
      .set_default(false)
      .describe("If set to true, the softmax function will be computed along the last axis.");
  d.field("normalization", &P::normalization)
      .choices({"batch", "null", "valid"})
      .set_default(std::string("null"))
      .describe("Normalizes the gradient.");
  d.field("out_grad", &P::out_grad)
      .set_default(false)
      .describe("Multiplies gradient with output gradient element-wise.");
  d.field("smooth_alpha", &P::smooth_alpha)
      .set_default(0.0f)
      .set_range(0, 1)
      .describe("Constant for computing a label smoothed version of cross-entropy.");
}

void RegressionOutputParam::declare(ParamDecl<RegressionOutputParam>& d) {
  d.field("grad_scale", &RegressionOutputParam::grad_scale)
      .set_default(1.0f)
      .describe("Scale the gradient by a float factor");
}

namespace {

using Grads = std::vector<NodeEntry>;

void infer_softmax_output(const Attrs& a, ShapeVec* in, ShapeVec* out) {
  const auto& p = a.get<SoftmaxOutputParam>();
  Shape& data = (*in)[0];
  Shape& label = (*in)[1];
  assign_shape(&data, (*out)[0]);
  assign_shape(&(*out)[0], data);
  if (!data.ndim_known()) return;
  // a label of the data's shape holds probabilities
  if (label.ndim_known() && label == data) return;
  int nd = data.ndim();
  if (p.multi_output) {
    Shape l = Shape::unknown_of_ndim(nd - 1);
    l[0] = data[0];
    for (int i = 2; i < nd; ++i) l[i - 1] = data[i];
    if (label.ndim_known() && label.ndim() == 2 && nd > 2 && data.known() &&
        label[1] == data.prod(2, nd))
      return;  // (N, spatial size) is accepted too
    assign_shape(&label, l);
  } else {
    std::vector<dim_t> l(data.dims().begin(), data.dims().end() - 1);
    assign_shape(&label, Shape(l));
  }
}

void infer_regression(const Attrs&, ShapeVec* in, ShapeVec* out) {
  Shape& data = (*in)[0];
  Shape& label = (*in)[1];
  assign_shape(&data, (*out)[0]);
  assign_shape(&(*out)[0], data);
  if (!data.ndim_known()) return;
  if (!label.ndim_known()) {
    if (data.ndim() == 2 && data[1] == 1)
      assign_shape(&label, Shape({data[0]}));
    else
      assign_shape(&label, data);
    return;
  }
  if (label[0] >= 0 && data[0] >= 0 && label[0] != data[0])
    fail("Shape inconsistent, Provided=", label.str(), ", inferred shape=", data.str(),
         ": the label's first dimension must equal the data's");
  if (label.known() && data.known() && label.size() != data.size())
    fail("Shape inconsistent, Provided=", label.str(), ", inferred shape=", data.str(),
         ": the label must have as many elements as the data");
}

Grads loss_gradient(const NodePtr& n, const char* backward_op) {
  NodeEntry out{n, 0, 0};
  return Grads{make_entry(backward_op, n->name() + "_backward", {out, n->inputs[1]}, n->attrs.dict),
               make_entry("zeros_like", n->name() + "_label_backward", {n->inputs[1]})};
}

// The backward node's single output has the output's shape.
void infer_backward_loss(const Attrs&, ShapeVec* in, ShapeVec* out) {
  assign_shape(&(*out)[0], (*in)[0]);
  assign_shape(&(*in)[0], (*out)[0]);
}

void register_regression(const char* name, const char* backward, const char* doc) {
  OpRegistry::get()
      .add(name)
      .describe(doc)
      .set_params<RegressionOutputParam>()
      .set_input_names({"data", "label"})
      .set_infer_shape(infer_regression)
      .set_inplace({{0, 0}})
      .set_gradient([backward](const NodePtr& n, const Grads&) { return loss_gradient(n, backward); });
  OpRegistry::get()
      .add(backward)
      .describe(std::string("Gradient of ") + name + " from (output, label).")
      .set_params<RegressionOutputParam>()
      .set_input_names({"output", "label"})
      .set_infer_shape(infer_backward_loss)
      .set_inplace({{0, 0}});
}

struct Registrations {
  Registrations() {
    OpRegistry::get()
        .add("SoftmaxOutput")
        .describe("Computes the gradient of cross entropy loss with respect to softmax output.")
        .set_params<SoftmaxOutputParam>()
        .set_input_names({"data", "label"})
        .set_infer_shape(infer_softmax_output)
        .set_inplace({{0, 0}})
        .set_gradient([](const NodePtr& n, const Grads&) {
          return loss_gradient(n, "_backward_SoftmaxOutput");
        })
        .alias("Softmax");
    OpRegistry::get()
        .add("_backward_SoftmaxOutput")
        .describe("Gradient of SoftmaxOutput from (output, label).")
        .set_params<SoftmaxOutputParam>()
        .set_input_names({"output", "label"})
        .set_infer_shape(infer_backward_loss)
        .set_inplace({{0, 0}});
    register_regression("LinearRegressionOutput", "_backward_LinearRegressionOutput",
                        "Computes and optimizes for squared loss during backward propagation.");
    register_regression("LogisticRegressionOutput", "_backward_LogisticRegressionOutput",
                        "Applies a logistic function to the input; optimizes log loss.");
    register_regression("MAERegressionOutput", "_backward_MAERegressionOutput",
                        "Computes mean absolute error of the input.");
  }
} registrations;

}  // namespace
}  // namespace loom
