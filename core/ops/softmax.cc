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

struct Registrations {
  Registrations() {
    register_softmax("softmax", "exp(x/T) normalized to sum 1 along an axis.")
        .set_num_inputs_fn(
            [](const Attrs& a) { return a.get<SoftmaxParam>().uses_length() ? 2 : 1; })
        .set_input_names_fn({"data", "length"}, [](const Attrs& a) {
          return a.get<SoftmaxParam>().uses_length() ? std::vector<std::string>{"data", "length"}
                                                     : std::vector<std::string>{"data"};
        });
    register_softmax("log_softmax", "The logarithm of softmax along an axis.");
    register_softmax("softmin", "softmax of the negated input along an axis.");
    OpRegistry::get()
        .add("SoftmaxActivation")
        .describe(
            "Softmax over each instance's flattened features (instance) or across "
            "channels at each position (channel).")
        .set_params<SoftmaxActivationParam>()
        .set_infer_shape(infer_same_shape);
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
