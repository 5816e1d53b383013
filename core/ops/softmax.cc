// softmax, log_softmax and softmin along one axis (with temperature and an optional output
// dtype), and the legacy SoftmaxActivation. softmax with use_length takes a second input,
// `length`, shaped like the data without the axis; log_softmax and softmin accept the
// parameter but, as in MXNet 1.9.1, keep a single input. Inference is forward only except for
// SoftmaxActivation, which is element-wise both ways.
#include "core/ops/softmax.h"

#include "core/ops/nn_util.h"
#include "core/ops/op_util.h"

namespace loom {

namespace {

void infer_softmax(const Attrs& a, ShapeVec* in, ShapeVec* out) {
  const auto& p = a.get<SoftmaxParam>();
  const Shape& data = (*in)[0];
  if (!data.ndim_known()) return;
  if (in->size() == 2) {
    const int axis = normalize_axis(p.axis, data.ndim(), "axis");
    std::vector<dim_t> rest;
    for (int i = 0; i < data.ndim(); ++i)
      if (i != axis) rest.push_back(data[i]);
    if (rest.empty()) rest.push_back(1);
    assign_shape(&(*in)[1], Shape(rest));
  }
  assign_shape(&(*out)[0], data);
}

// The output takes the dtype parameter when given (and lends it to an untyped data), else the
// data's dtype. The length input's dtype is left to the caller.
void infer_softmax_type(const Attrs& a, TypeVec* in, TypeVec* out) {
  const auto& p = a.get<SoftmaxParam>();
  if (p.dtype) {
    int t = dtype_from_name(*p.dtype);
    assign_type(&(*out)[0], t, " for the output");
    if ((*in)[0] < 0) (*in)[0] = t;
    return;
  }
  if ((*in)[0] >= 0) assign_type(&(*out)[0], (*in)[0], " for the output");
}

Op& register_softmax(const char* name, const char* doc) {
  return OpRegistry::get()
      .add(name)
      .describe(doc)
      .set_params<SoftmaxParam>()
      .set_infer_shape(infer_softmax)
      .set_infer_type(infer_softmax_type);
}

// The backward nodes read (out_grad, output); with a dtype parameter they also read the data,
// only to learn the dtype its gradient must have.
std::vector<NodeEntry> softmax_gradient(const NodePtr& n, const std::vector<NodeEntry>& og,
                                        const std::string& backward_op, bool with_dtype) {
  std::vector<NodeEntry> in = {og[0], NodeEntry{n, 0, 0}};
  if (with_dtype) in.push_back(n->inputs[0]);
  std::vector<NodeEntry> r(n->inputs.size());
  r[0] = make_entry(backward_op, n->name() + "_backward", in, n->attrs.dict);
  return r;
}

void register_softmax_backward(const std::string& name, bool softmax_param) {
  auto& op = OpRegistry::get()
                 .add(name)
                 .describe("Gradient of a softmax from (out_grad, output[, data]).")
                 .set_infer_shape([](const Attrs&, ShapeVec* in, ShapeVec* out) {
                   assign_shape(&(*out)[0], (*in)[1]);
                 });
  if (!softmax_param) {
    op.set_params<SoftmaxActivationParam>().set_input_names({"out_grad", "output"});
    return;
  }
  op.set_params<SoftmaxParam>()
      .set_num_inputs_fn([](const Attrs& a) { return a.get<SoftmaxParam>().dtype ? 3 : 2; })
      .set_input_names_fn({"out_grad", "output", "data"},
                          [](const Attrs& a) {
                            std::vector<std::string> r = {"out_grad", "output"};
                            if (a.get<SoftmaxParam>().dtype) r.push_back("data");
                            return r;
                          })
      .set_infer_type([](const Attrs&, TypeVec* in, TypeVec* out) {
        int data = in->size() == 3 ? (*in)[2] : (*in)[1];
        if (data >= 0) assign_type(&(*out)[0], data, " for the data gradient");
      });
}

struct Registrations {
  Registrations() {
    for (const char* name : {"softmax", "log_softmax", "softmin"})
      register_softmax_backward(std::string("_backward_") + name, true);
    register_softmax_backward("_backward_SoftmaxActivation", false);
    auto grad_of = [](const char* backward) {
      return [backward](const NodePtr& n, const std::vector<NodeEntry>& og) {
        return softmax_gradient(n, og, backward, n->attrs.get<SoftmaxParam>().dtype.has_value());
      };
    };
    register_softmax("softmax", "exp(x/T) normalized to sum 1 along an axis.")
        .set_num_inputs_fn(
            [](const Attrs& a) { return a.get<SoftmaxParam>().uses_length() ? 2 : 1; })
        .set_input_names_fn({"data", "length"}, [](const Attrs& a) {
          return a.get<SoftmaxParam>().uses_length() ? std::vector<std::string>{"data", "length"}
                                                     : std::vector<std::string>{"data"};
        })
        .set_gradient(grad_of("_backward_softmax"));
    register_softmax("log_softmax", "The logarithm of softmax along an axis.")
        .set_gradient(grad_of("_backward_log_softmax"));
    register_softmax("softmin", "softmax of the negated input along an axis.")
        .set_gradient(grad_of("_backward_softmin"));
    OpRegistry::get()
        .add("SoftmaxActivation")
        .describe(
            "Softmax over each instance's flattened features (instance) or across "
            "channels at each position (channel).")
        .set_params<SoftmaxActivationParam>()
        .set_infer_shape(infer_same_shape)
        .set_gradient([](const NodePtr& n, const std::vector<NodeEntry>& og) {
          return softmax_gradient(n, og, "_backward_SoftmaxActivation", false);
        });
  }
} registrations;

}  // namespace

void SoftmaxParam::declare(ParamDecl<SoftmaxParam>& d) {
  using P = SoftmaxParam;
  d.field("axis", &P::axis).set_default(-1).describe("The axis to normalize along.");
  d.field("temperature", &P::temperature)
      .set_default(std::nullopt)
      .describe("Divides the input first (1 when not given).");
  d.field("dtype", &P::dtype)
      .choices({"None", "float16", "float32", "float64"})
      .set_default(std::nullopt)
      .describe("The output's dtype; the input's when not given.");
  d.field("use_length", &P::use_length)
      .set_default(false)
      .describe("Take a `length` input masking each row beyond its length.");
}

void SoftmaxActivationParam::declare(ParamDecl<SoftmaxActivationParam>& d) {
  d.field("mode", &SoftmaxActivationParam::mode)
      .choices({"channel", "instance"})
      .set_default(std::string("instance"))
      .describe("Normalize each instance's features, or across channels at each position.");
}

}  // namespace loom
