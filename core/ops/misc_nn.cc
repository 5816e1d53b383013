// Smaller neural-network ops: BlockGrad (stop_gradient), make_loss and the legacy MakeLoss,
// Cast, SpatialTransformer, InstanceNorm, LayerNorm and L2Normalization. Several of them have
// hidden outputs that MXNet keeps for the backward pass (statistics, sampling grids); they are
// counted here too so that saved graphs match MXNet's byte for byte.
#include "core/ops/misc_nn.h"

#include "core/ops/nn_util.h"
#include "core/ops/op_util.h"

namespace loom {

namespace {

using Grads = std::vector<NodeEntry>;

// Output = input shape, learnt forward only (MXNet's legacy ops).
void infer_forward_same_shape(const Attrs&, ShapeVec* in, ShapeVec* out) {
  if ((*in)[0].ndim_known()) assign_shape(&(*out)[0], (*in)[0]);
}

void infer_forward_same_type(const Attrs&, TypeVec* in, TypeVec* out) {
  if ((*in)[0] >= 0)
    for (auto& t : *out) assign_type(&t, (*in)[0], " for an output");
}

void infer_spatial_transformer(const Attrs& a, ShapeVec* in, ShapeVec* out) {
  const auto& p = a.get<SpatialTransformerParam>();
  const Shape& data = (*in)[0];
  const Shape& loc = (*in)[1];
  if (data.ndim_known() && data.ndim() != 4)
    fail("input data should be 4D in batch-num_filter-y-x, got ", data.str());
  if (loc.ndim_known() && loc.ndim() != 2)
    fail("localisation input should be 2D in batch-num_hidden, got ", loc.str());
  if (loc.ndim_known() && loc[1] >= 0 && loc[1] != 6)
    fail("incorrect localisation network shape[1], should be 6 (affine), got ", loc[1]);
  if (!data.ndim_known()) return;
  if (p.target_shape.ndim() != 2 || p.target_shape[0] <= 0 || p.target_shape[1] <= 0)
    fail("incorrect target_shape: ", ParamTraits<Shape>::show(p.target_shape),
         " (needs two positive extents)");
  const dim_t h = p.target_shape[0], w = p.target_shape[1];
  assign_shape(&(*out)[0], Shape({data[0], data[1], h, w}));
  assign_shape(&(*out)[1], Shape({3, h * w}));          // grid_dst
  assign_shape(&(*out)[2], Shape({data[0], 2, h, w}));  // grid_src
}

void infer_instance_norm(const Attrs&, ShapeVec* in, ShapeVec* out) {
  const Shape& data = (*in)[0];
  if (!data.ndim_known()) return;
  if (data.ndim() < 2) fail("InstanceNorm needs data of at least 2 dims, got ", data.str());
  assign_shape(&(*in)[1], Shape({data[1]}));
  assign_shape(&(*in)[2], Shape({data[1]}));
  assign_shape(&(*out)[0], data);
  assign_shape(&(*out)[1], Shape({data[0], data[1]}));
  assign_shape(&(*out)[2], Shape({data[0], data[1]}));
}

// MXNet's legacy InstanceNorm supports float32 only.
void infer_float32_only(const Attrs&, TypeVec* in, TypeVec* out) {
  for (size_t i = 0; i < in->size(); ++i)
    if ((*in)[i] >= 0 && (*in)[i] != kFloat32)
      fail("Unsupported data type ", dtype_name((*in)[i]), " for input ", i,
           ": this operator takes float32 only");
  for (auto& t : *in) t = kFloat32;
  for (auto& t : *out) assign_type(&t, kFloat32, " for an output");
}

void infer_layer_norm(const Attrs& a, ShapeVec* in, ShapeVec* out) {
  const auto& p = a.get<LayerNormParam>();
  const Shape& data = (*in)[0];
  if (!data.ndim_known()) return;
  int axis = p.axis < 0 ? p.axis + data.ndim() : p.axis;
  if (axis < 0 || axis >= data.ndim())
    fail("Channel axis out of range: axis=", p.axis, " for data of shape ", data.str());
  assign_shape(&(*in)[1], Shape({data[axis]}));
  assign_shape(&(*in)[2], Shape({data[axis]}));
  assign_shape(&(*out)[0], data);
  Shape moments = data;
  moments[axis] = 1;
  assign_shape(&(*out)[1], moments);
  assign_shape(&(*out)[2], moments);
}

void infer_l2_normalization(const Attrs& a, ShapeVec* in, ShapeVec* out) {
  const auto& p = a.get<L2NormalizationParam>();
  const Shape& data = (*in)[0];
  if (!data.ndim_known()) return;
  assign_shape(&(*out)[0], data);
  if (p.mode == "instance") {
    assign_shape(&(*out)[1], Shape({data[0]}));
    return;
  }
  if (data.ndim() < 3)
    fail("At least 3 dimensions required in ", p.mode, " mode, got ", data.str());
  if (p.mode == "channel") {
    Shape norm = data;
    norm[1] = 1;
    assign_shape(&(*out)[1], norm);
  } else {
    assign_shape(&(*out)[1], Shape({data[0], data[1]}));
  }
}

// Gradient of a normalisation layer: one backward node reading (out_grad, data, gamma, the two
// hidden statistics) and giving the gradients of data, gamma and beta.
Grads norm_gradient(const NodePtr& n, const Grads& og, const char* backward_op) {
  auto bwd = Node::op_node(OpRegistry::get().require(backward_op), n->name() + "_backward",
                           n->attrs.dict,
                           {og[0], n->inputs[0], n->inputs[1], NodeEntry{n, 1, 0},
                            NodeEntry{n, 2, 0}});
  return Grads{NodeEntry{bwd, 0, 0}, NodeEntry{bwd, 1, 0}, NodeEntry{bwd, 2, 0}};
}

template <class P>
void register_norm_backward(const char* name, const char* stat) {
  OpRegistry::get()
      .add(name)
      .describe("Gradients of a normalization layer for data, gamma and beta.")
      .set_params<P>()
      .set_input_names({"out_grad", "data", "gamma", "mean", stat})
      .set_num_outputs(3)
      .set_infer_shape([](const Attrs&, ShapeVec* in, ShapeVec* out) {
        assign_shape(&(*out)[0], (*in)[1]);
        assign_shape(&(*out)[1], (*in)[2]);
        assign_shape(&(*out)[2], (*in)[2]);
      });
}

struct Registrations {
  Registrations() {
    auto& r = OpRegistry::get();
    register_norm_backward<InstanceNormParam>("_backward_InstanceNorm", "var");
    register_norm_backward<LayerNormParam>("_backward_LayerNorm", "std");
    r.add("_backward_L2Normalization")
        .describe("Gradient of L2Normalization from (out_grad, output, norm).")
        .set_params<L2NormalizationParam>()
        .set_input_names({"out_grad", "output", "norm"})
        .set_infer_shape([](const Attrs&, ShapeVec* in, ShapeVec* out) {
          assign_shape(&(*out)[0], (*in)[1]);
        });
    r.add("BlockGrad")
        .describe("Passes the input through; no gradient flows back through it.")
        .set_infer_shape(infer_same_shape)
        .set_inplace({{0, 0}}, true)
        .set_gradient([](const NodePtr&, const Grads&) { return Grads{NodeEntry{}}; })
        .alias("stop_gradient");
    r.add("make_loss")
        .describe(
            "Marks the input as a loss: the forward passes it through and the gradient "
            "with respect to it is 1.")
        .set_output_names({"loss"})
        .set_infer_shape(infer_same_shape)
        .set_inplace({{0, 0}}, true)
        .set_gradient([](const NodePtr& n, const Grads&) {
          return Grads{make_entry("ones_like", n->name() + "_backward", {n->inputs[0]})};
        });
    r.add("MakeLoss")
        .describe(
            "Legacy loss marker: passes the input through; its gradient is grad_scale, "
            "optionally normalized by the batch or by the count of valid entries.")
        .set_params<MakeLossParam>()
        .set_infer_shape(infer_forward_same_shape)
        .set_infer_type(infer_forward_same_type)
        .set_inplace({{0, 0}})
        // the gradient ignores the head gradient; it reads the output for the valid count
        .set_gradient([](const NodePtr& n, const Grads&) {
          return Grads{make_entry("_backward_MakeLoss", n->name() + "_backward",
                                  {NodeEntry{n, 0, 0}}, n->attrs.dict)};
        });
    r.add("_backward_MakeLoss")
        .describe("Gradient of MakeLoss from its output: grad_scale, normalized.")
        .set_params<MakeLossParam>()
        .set_input_names({"output"})
        .set_infer_shape(infer_same_shape);
    r.add("Cast")
        .describe("Converts the input to another dtype.")
        .set_params<CastParam>()
        .set_infer_shape(infer_same_shape)
        .set_infer_type([](const Attrs& a, TypeVec*, TypeVec* out) {
          assign_type(&(*out)[0], a.get<CastParam>().type_flag(), " for the output");
        })
        // the head gradient cast back to the input's dtype; the input is read for its dtype
        .set_gradient([](const NodePtr& n, const Grads& og) {
          return Grads{make_entry("_backward_Cast", n->name() + "_backward",
                                  {og[0], n->inputs[0]})};
        })
        .alias("cast");
    r.add("_backward_Cast")
        .describe("Gradient of Cast: out_grad converted to the dtype of data.")
        .set_input_names({"out_grad", "data"})
        .set_infer_shape([](const Attrs&, ShapeVec* in, ShapeVec* out) {
          assign_shape(&(*out)[0], (*in)[1]);
          assign_shape(&(*out)[0], (*in)[0]);
        })
        .set_infer_type([](const Attrs&, TypeVec* in, TypeVec* out) {
          if ((*in)[1] >= 0) assign_type(&(*out)[0], (*in)[1], " for the data gradient");
        });
    r.add("SpatialTransformer")
        .describe(
            "Warps the data by an affine transform per sample (from `loc`), sampling "
            "bilinearly onto a target_shape grid.")
        .set_params<SpatialTransformerParam>()
        .set_input_names({"data", "loc"})
        .set_num_outputs(3)
        .set_num_visible_outputs_fn([](const Attrs&) { return 1; })
        .set_output_names({"output", "grid_dst", "grid_src"})
        .set_infer_shape(infer_spatial_transformer);
    r.add("InstanceNorm")
        .describe(
            "Normalizes each channel of each instance over its spatial extent, then "
            "scales by gamma and shifts by beta.")
        .set_params<InstanceNormParam>()
        .set_input_names({"data", "gamma", "beta"})
        .set_num_outputs(3)
        .set_num_visible_outputs_fn([](const Attrs&) { return 1; })
        .set_output_names({"output", "mean", "var"})
        .set_infer_shape(infer_instance_norm)
        .set_infer_type(infer_float32_only)
        .set_gradient([](const NodePtr& n, const Grads& og) {
          return norm_gradient(n, og, "_backward_InstanceNorm");
        });
    r.add("LayerNorm")
        .describe("Normalizes along one axis, then scales by gamma and shifts by beta.")
        .set_params<LayerNormParam>()
        .set_input_names({"data", "gamma", "beta"})
        .set_num_outputs(3)
        .set_num_visible_outputs_fn(
            [](const Attrs& a) { return a.get<LayerNormParam>().output_mean_var ? 3 : 1; })
        .set_output_names({"output", "mean", "std"})
        .set_infer_shape(infer_layer_norm)
        .set_gradient([](const NodePtr& n, const Grads& og) {
          return norm_gradient(n, og, "_backward_LayerNorm");
        });
    r.add("L2Normalization")
        .describe("Divides by the L2 norm over each instance, each channel or each position.")
        .set_params<L2NormalizationParam>()
        .set_num_outputs(2)
        .set_num_visible_outputs_fn([](const Attrs&) { return 1; })
        .set_output_names({"output", "norm"})
        .set_infer_shape(infer_l2_normalization)
        .set_gradient([](const NodePtr& n, const Grads& og) {
          return Grads{make_entry("_backward_L2Normalization", n->name() + "_backward",
                                  {og[0], NodeEntry{n, 0, 0}, NodeEntry{n, 1, 0}}, n->attrs.dict)};
        });
  }
} registrations;

}  // namespace

void MakeLossParam::declare(ParamDecl<MakeLossParam>& d) {
  using P = MakeLossParam;
  d.field("grad_scale", &P::grad_scale).set_default(1.0f).describe("The gradient's value.");
  d.field("valid_thresh", &P::valid_thresh)
      .set_default(0.0f)
      .describe("Entries above this count as valid for normalization='valid'.");
  d.field("normalization", &P::normalization)
      .choices({"batch", "null", "valid"})
      .set_default(std::string("null"))
      .describe("Divide the gradient by nothing, the batch size, or the valid entries' count.");
}

void CastParam::declare(ParamDecl<CastParam>& d) {
  d.field("dtype", &CastParam::dtype)
      .choices(
          {"bfloat16", "bool", "float16", "float32", "float64", "int32", "int64", "int8", "uint8"})
      .describe("The output's dtype.");
}

int CastParam::type_flag() const { return dtype_from_name(dtype); }

void SpatialTransformerParam::declare(ParamDecl<SpatialTransformerParam>& d) {
  using P = SpatialTransformerParam;
  d.field("target_shape", &P::target_shape)
      .set_default(Shape({0, 0}))
      .describe("(height, width) of the output.");
  d.field("transform_type", &P::transform_type).choices({"affine"}).describe("The transform.");
  d.field("sampler_type", &P::sampler_type).choices({"bilinear"}).describe("The sampler.");
  d.field("cudnn_off", &P::cudnn_off).set_default(std::nullopt).describe("Do not use cuDNN.");
}

void InstanceNormParam::declare(ParamDecl<InstanceNormParam>& d) {
  d.field("eps", &InstanceNormParam::eps)
      .set_default(1e-3f)
      .describe("Added to the variance to avoid division by zero.");
}

void LayerNormParam::declare(ParamDecl<LayerNormParam>& d) {
  using P = LayerNormParam;
  d.field("axis", &P::axis).set_default(-1).describe("The axis to normalize along.");
  d.field("eps", &P::eps)
      .set_default(1e-5f)
      .describe("Added to the variance to avoid division by zero.");
  d.field("output_mean_var", &P::output_mean_var)
      .set_default(false)
      .describe("Also output the mean and standard deviation.");
}

void L2NormalizationParam::declare(ParamDecl<L2NormalizationParam>& d) {
  using P = L2NormalizationParam;
  d.field("eps", &P::eps).set_default(1e-10f).describe("Added for numerical stability.");
  d.field("mode", &P::mode)
      .choices({"channel", "instance", "spatial"})
      .set_default(std::string("instance"))
      .describe(
          "Normalize each instance, each position across channels, or each channel "
          "across positions.");
}

}  // namespace loom
