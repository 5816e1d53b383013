// BatchNorm and the legacy BatchNorm_v1. Inputs are data, gamma, beta, moving_mean and
// moving_var; the last two are auxiliary states (the op updates them), get initializer hints
// ("zero", "one") when composed, and hold float32 for float16 data, as gamma and beta do. Of
// the three outputs (output, mean, var) only the first is visible unless output_mean_var.
#include "core/ops/batch_norm.h"

#include "core/ops/grad_builder.h"
#include "core/ops/nn_util.h"
#include "core/ops/op_util.h"

namespace loom {

namespace {

const std::vector<std::string> kInputs = {"data", "gamma", "beta", "moving_mean", "moving_var"};

// Every per-channel input and the mean/var outputs are (C,). MXNet overwrites the parameter
// shapes once C is known (a wrongly shaped gamma is replaced, not reported); until then a
// given shape is kept.
void infer_bn_shapes(int channel_axis, ShapeVec* in, ShapeVec* out) {
  const Shape& data = (*in)[0];
  Shape per_channel({data[channel_axis]});
  for (int i = 1; i < 5; ++i) {
    if (per_channel[0] >= 0)
      (*in)[i] = per_channel;
    else
      assign_shape(&(*in)[i], per_channel);
  }
  assign_shape(&(*out)[0], data);
  assign_shape(&(*out)[1], per_channel);
  assign_shape(&(*out)[2], per_channel);
}

void infer_bn(const Attrs& a, ShapeVec* in, ShapeVec* out) {
  const Shape& data = (*in)[0];
  if (!data.ndim_known()) return;
  int axis = a.get<BatchNormParam>().axis;
  int c = axis < 0 ? axis + data.ndim() : axis;
  if (c < 0 || c >= data.ndim())
    fail("Channel axis out of range: axis=", axis, " for data of shape ", data.str());
  infer_bn_shapes(c, in, out);
}

void infer_bn_v1(const Attrs&, ShapeVec* in, ShapeVec* out) {
  const Shape& data = (*in)[0];
  if (!data.ndim_known()) return;
  if (data.ndim() < 2) fail("BatchNorm_v1 needs data with a channel axis 1, got ", data.str());
  infer_bn_shapes(1, in, out);
}

// The data's dtype comes from the data or, failing that, the output; parameters, statistics
// and the mean/var outputs take its accumulation type.
void infer_bn_type(const Attrs&, TypeVec* in, TypeVec* out) {
  int t = (*in)[0] >= 0 ? (*in)[0] : (*out)[0];
  if (t < 0) return;
  int acc = accumulation_type(t);
  (*in)[0] = t;
  for (size_t i = 1; i < in->size(); ++i) {
    int& x = (*in)[i];
    if (x < 0)
      x = acc;
    else if (x != acc)
      fail("This layer requires uniform type. Expected '", dtype_name(acc), "' v.s. given '",
           dtype_name(x), "' at '", kInputs[i], "'");
  }
  assign_type(&(*out)[0], t, " for the output");
  for (size_t i = 1; i < out->size(); ++i) assign_type(&(*out)[i], acc, " for mean/var");
}

void init_hints(const Attrs&, int input, AttrDict* var) {
  if (input == 3) (*var)["__init__"] = "[\"zero\", {}]";
  if (input == 4) (*var)["__init__"] = "[\"one\", {}]";
}

// The backward node reads (out_grad, data, gamma, batch mean, batch inverse std, moving_mean,
// moving_var) and, like MXNet's CPU kernel, updates the moving averages while it runs: a
// forward(is_train=True) without backward leaves the auxiliary states unchanged, as in MXNet.
std::vector<NodeEntry> bn_gradient(const NodePtr& n, const std::vector<NodeEntry>& og,
                                   const char* backward_op) {
  // gradients of data, gamma and beta; none for moving_mean and moving_var
  std::vector<NodeEntry> r = backward_outputs(
      n, backward_op,
      {og[0], n->inputs[0], n->inputs[1], NodeEntry{n, 1, 0}, NodeEntry{n, 2, 0}, n->inputs[3],
       n->inputs[4]},
      3);
  r.resize(5);
  return r;
}

template <class P>
void register_bn_backward(const char* name) {
  OpRegistry::get()
      .add(name)
      .describe("Gradients of batch normalization for data, gamma and beta; updates the "
                "moving averages (inputs 5 and 6) when training.")
      .set_params<P>()
      .set_input_names({"out_grad", "data", "gamma", "mean", "var", "moving_mean", "moving_var"})
      .set_mutate_inputs({5, 6})
      .set_num_outputs(3)
      .set_infer_shape([](const Attrs&, ShapeVec* in, ShapeVec* out) {
        assign_shape(&(*out)[0], (*in)[1]);
        assign_shape(&(*out)[1], (*in)[2]);
        assign_shape(&(*out)[2], (*in)[2]);
      })
      .set_infer_type([](const Attrs&, TypeVec* in, TypeVec* out) {
        if ((*in)[1] >= 0) assign_type(&(*out)[0], (*in)[1], " for the data gradient");
        if ((*in)[2] >= 0) {
          assign_type(&(*out)[1], (*in)[2], " for the gamma gradient");
          assign_type(&(*out)[2], (*in)[2], " for the beta gradient");
        }
      });
}

template <class P>
Op& register_bn(const char* name) {
  return OpRegistry::get()
      .add(name)
      .set_params<P>()
      .set_input_names(kInputs)
      .set_mutate_inputs({3, 4})
      .set_num_outputs(3)
      .set_num_visible_outputs_fn([](const Attrs& a) { return a.get<P>().output_mean_var ? 3 : 1; })
      .set_output_names({"output", "mean", "var"})
      .set_input_var_attr_fn(init_hints)
      .set_infer_type(infer_bn_type);
}

struct Registrations {
  Registrations() {
    register_bn<BatchNormParam>("BatchNorm")
        .describe(
            "Normalizes each channel of the data by its batch (or moving) mean and "
            "variance, then scales by gamma and shifts by beta.")
        .set_infer_shape(infer_bn)
        .set_gradient([](const NodePtr& n, const std::vector<NodeEntry>& og) {
          return bn_gradient(n, og, "_backward_BatchNorm");
        });
    register_bn_backward<BatchNormParam>("_backward_BatchNorm");
    register_bn<BatchNormV1Param>("BatchNorm_v1")
        .describe("Legacy batch normalization over channel axis 1 (use BatchNorm).")
        // a legacy op documents its arguments only, not its auxiliary states
        .set_input_names_fn({"data", "gamma", "beta"}, [](const Attrs&) { return kInputs; })
        .set_infer_shape(infer_bn_v1)
        .set_gradient([](const NodePtr& n, const std::vector<NodeEntry>& og) {
          return bn_gradient(n, og, "_backward_BatchNorm_v1");
        });
    register_bn_backward<BatchNormV1Param>("_backward_BatchNorm_v1");
  }
} registrations;

}  // namespace

void BatchNormParam::declare(ParamDecl<BatchNormParam>& d) {
  using P = BatchNormParam;
  d.field("eps", &P::eps)
      .set_default(static_cast<double>(1e-3f))
      .describe("Added to the variance to avoid division by zero (cuDNN needs at least 1e-5).");
  d.field("momentum", &P::momentum)
      .set_default(0.9f)
      .describe("Weight of the old value in the moving averages.");
  d.field("fix_gamma", &P::fix_gamma)
      .set_default(true)
      .describe("Keep gamma at 1 during training (and set it to 1).");
  d.field("use_global_stats", &P::use_global_stats)
      .set_default(false)
      .describe("Normalize by the moving statistics even while training.");
  d.field("output_mean_var", &P::output_mean_var)
      .set_default(false)
      .describe("Also output the batch mean and inverse standard deviation.");
  d.field("axis", &P::axis)
      .set_default(1)
      .describe("The channel axis (negative counts from the end).");
  d.field("cudnn_off", &P::cudnn_off).set_default(false).describe("Do not use cuDNN.");
  d.field("min_calib_range", &P::min_calib_range)
      .set_default(std::nullopt)
      .describe("Calibrated minimum of the output, for quantized batch norm.");
  d.field("max_calib_range", &P::max_calib_range)
      .set_default(std::nullopt)
      .describe("Calibrated maximum of the output, for quantized batch norm.");
}

void BatchNormV1Param::declare(ParamDecl<BatchNormV1Param>& d) {
  using P = BatchNormV1Param;
  d.field("eps", &P::eps)
      .set_default(1e-3f)
      .describe("Added to the variance to avoid division by zero.");
  d.field("momentum", &P::momentum)
      .set_default(0.9f)
      .describe("Weight of the old value in the moving averages.");
  d.field("fix_gamma", &P::fix_gamma)
      .set_default(true)
      .describe("Keep gamma at 1 during training.");
  d.field("use_global_stats", &P::use_global_stats)
      .set_default(false)
      .describe("Normalize by the moving statistics even while training.");
  d.field("output_mean_var", &P::output_mean_var)
      .set_default(false)
      .describe("Also output the batch mean and variance.");
}

}  // namespace loom
