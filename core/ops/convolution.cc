// Convolution and Deconvolution (1-D, 2-D, 3-D, grouped, dilated, any supported layout).
// Shapes are worked out in channel-first order (N, C, spatial...) and converted back to the
// node's layout, as MXNet does. Convolution also fills the data's batch and, where the stride
// is 1, its spatial extents from a known output; Deconvolution infers forward only.
#include "core/ops/convolution.h"

#include "core/ops/grad_builder.h"
#include "core/ops/nn_util.h"
#include "core/ops/op_util.h"

namespace loom {

namespace {

const std::vector<std::string> kLayouts = {"None", "NCDHW", "NCHW", "NCW", "NDHWC", "NHWC"};
const std::vector<std::string> kCudnnTune = {"None", "fastest", "limited_workspace", "off"};

const char* spatial_names(int k) { return k == 1 ? "x" : k == 2 ? "y-x" : "depth-y-x"; }

Shape ones(int n, int64_t v) { return Shape(std::vector<dim_t>(n, v)); }

// MXNet's parser checks for both ops: a 1-3-D kernel, matching window tuples (empty ones take
// their default), and a layout of the matching rank.
void complete_window(const char* op, const Shape& kernel, Shape* stride, Shape* dilate, Shape* pad,
                     std::optional<std::string>* layout) {
  int k = kernel.ndim();
  if (k < 1 || k > 3) fail(k < 0 ? 0 : k, "D ", op, " not supported");
  if (stride->ndim() == 0) *stride = ones(k, 1);
  if (dilate->ndim() == 0) *dilate = ones(k, 1);
  if (pad->ndim() == 0) *pad = ones(k, 0);
  auto same_rank = [&](const Shape& s, const char* what, const char* name) {
    if (s.ndim() != k)
      fail(what,
           " must have the same number of dimensions with kernel_size, but kernel_size is "
           "set to ",
           ParamTraits<Shape>::show(kernel), " while ", name, " is ", ParamTraits<Shape>::show(s));
  };
  same_rank(*stride, "Stride", "stride");
  same_rank(*dilate, "Dilate", "dilate");
  same_rank(*pad, "Padding", "padding");
  if (!*layout) *layout = default_layout(k + 2);
  if (static_cast<int>((*layout)->size()) != k + 2)
    fail("Invalid layout ", **layout, " for a ", k, "-D kernel (data of ", k + 2, " dims)");
}

void check_window(const Shape& kernel, const Shape& stride, const Shape& dilate) {
  for (int i = 0; i < kernel.ndim(); ++i) {
    if (kernel[i] <= 0) fail("incorrect kernel size: ", ParamTraits<Shape>::show(kernel));
    if (stride[i] <= 0) fail("incorrect stride size: ", ParamTraits<Shape>::show(stride));
    if (dilate[i] <= 0) fail("incorrect dilate size: ", ParamTraits<Shape>::show(dilate));
  }
}

void check_groups(dim_t channels, int num_filter, int num_group) {
  if (channels >= 0 && channels % num_group != 0)
    fail("input num_filter must divide group size: ", channels,
         " input channels, num_group=", num_group);
  if (num_filter % num_group != 0)
    fail("output num_filter must divide group size: num_filter=", num_filter,
         ", num_group=", num_group);
}

std::vector<std::string> weight_layer_inputs(bool no_bias) {
  if (no_bias) return {"data", "weight"};
  return {"data", "weight", "bias"};
}

void infer_conv(const Attrs& a, ShapeVec* in, ShapeVec* out) {
  const auto& p = a.get<ConvolutionParam>();
  const int k = p.kernel.ndim();
  Shape& data = (*in)[0];
  if (!data.ndim_known()) return;
  if (data.ndim() != k + 2)
    fail("Input data should be ", k + 2, "D in batch-num_filter-", spatial_names(k), ", got ",
         data.str());
  const std::string& layout = *p.layout;
  Shape d = to_channel_first(data, layout);
  Shape w = Shape::unknown_of_ndim(k + 2);
  w[0] = p.num_filter;
  w[1] = d[1] >= 0 ? d[1] / p.num_group : -1;
  for (int i = 0; i < k; ++i) w[2 + i] = p.kernel[i];
  assign_shape(&(*in)[1], from_channel_first(w, layout));
  if (!p.no_bias) assign_shape(&(*in)[2], Shape({p.num_filter}));
  check_window(p.kernel, p.stride, p.dilate);
  check_groups(d[1], p.num_filter, p.num_group);

  auto check_fits = [&](const Shape& x) {
    for (int i = 0; i < k; ++i)
      if (x[2 + i] >= 0 && p.dilated_kernel(i) > x[2 + i] + 2 * p.pad[i])
        fail("kernel size exceed input: dilated kernel ", p.dilated_kernel(i), " > input ",
             x[2 + i], " padded by ", p.pad[i], " on each side");
  };
  check_fits(d);
  Shape o = Shape::unknown_of_ndim(k + 2);
  o[0] = d[0];
  o[1] = p.num_filter;
  for (int i = 0; i < k; ++i)
    if (d[2 + i] >= 0) o[2 + i] = (d[2 + i] + 2 * p.pad[i] - p.dilated_kernel(i)) / p.stride[i] + 1;
  assign_shape(&(*out)[0], from_channel_first(o, layout));

  // A known output gives the batch and, where the stride is 1, the input extent.
  Shape oc = to_channel_first((*out)[0], layout);
  Shape back = Shape::unknown_of_ndim(k + 2);
  back[0] = oc[0];
  for (int i = 0; i < k; ++i)
    if (oc[2 + i] >= 0 && p.stride[i] == 1)
      back[2 + i] = oc[2 + i] + p.dilated_kernel(i) - 1 - 2 * p.pad[i];
  assign_shape(&data, from_channel_first(back, layout));
  check_fits(to_channel_first(data, layout));
}

void infer_deconv(const Attrs& a, ShapeVec* in, ShapeVec* out) {
  const auto& p = a.get<DeconvolutionParam>();
  const int k = p.kernel.ndim();
  const Shape& data = (*in)[0];
  if (!data.ndim_known()) return;
  if (data.ndim() != k + 2)
    fail("Input data should be ", k + 2, "D in batch-num_filter-", spatial_names(k), ", got ",
         data.str());
  const std::string& layout = *p.layout;
  Shape d = to_channel_first(data, layout);
  Shape w = Shape::unknown_of_ndim(k + 2);
  w[0] = d[1];
  w[1] = p.num_filter / p.num_group;
  for (int i = 0; i < k; ++i) w[2 + i] = p.kernel[i];
  assign_shape(&(*in)[1], from_channel_first(w, layout));
  if (!p.no_bias) assign_shape(&(*in)[2], Shape({p.num_filter}));
  check_window(p.kernel, p.stride, p.dilate);
  check_groups(d[1], p.num_filter, p.num_group);

  Shape o = Shape::unknown_of_ndim(k + 2);
  o[0] = d[0];
  o[1] = p.num_filter;
  for (int i = 0; i < k; ++i) {
    int64_t pad = p.pad[i], adj = p.adj[i];
    if (d[2 + i] >= 0) p.pad_and_adj(i, d[2 + i], &pad, &adj);
    if (adj > p.stride[i] - 1)
      fail("adj must be smaller than stride: adj[", i, "]=", adj, ", stride[", i,
           "]=", p.stride[i]);
    if (d[2 + i] < 0) continue;
    o[2 + i] = p.stride[i] * (d[2 + i] - 1) + p.dilated_kernel(i) - 2 * pad + adj;
    if (p.has_target() && p.target_shape[i] > 0 && p.target_shape[i] != o[2 + i])
      fail("target_shape[", i, "]=", p.target_shape[i],
           " cannot be reached: the output extent "
           "is ",
           o[2 + i]);
  }
  assign_shape(&(*out)[0], from_channel_first(o, layout));
}

template <class P>
void infer_weight_layer_type(const Attrs& a, TypeVec* in, TypeVec* out) {
  infer_uniform_type(weight_layer_inputs(a.get<P>().no_bias), in, out);
}

template <class P>
Op& register_weight_layer(const char* name) {
  return OpRegistry::get()
      .add(name)
      .set_params<P>()
      .set_num_inputs_fn([](const Attrs& a) { return a.get<P>().no_bias ? 2 : 3; })
      .set_input_names_fn({"data", "weight", "bias"},
                          [](const Attrs& a) { return weight_layer_inputs(a.get<P>().no_bias); })
      .set_infer_type(infer_weight_layer_type<P>);
}

// The gradient is one _backward_<op> node (inputs out_grad, data, weight) giving the gradients
// of data, weight and, unless no_bias, bias together, so the column matrix is built once.
auto weight_layer_gradient(const char* backward_op) {
  return [backward_op](const NodePtr& n, const std::vector<NodeEntry>& og) {
    return backward_outputs(n, backward_op, {og[0], n->inputs[0], n->inputs[1]},
                            n->inputs.size());
  };
}

template <class P>
void register_weight_layer_backward(const char* name, const char* forward) {
  OpRegistry::get()
      .add(name)
      .describe(std::string("Gradients of ") + forward +
                ": inputs (out_grad, data, weight); outputs the gradients of data, weight and, "
                "unless no_bias, bias.")
      .set_params<P>()
      .set_input_names({"out_grad", "data", "weight"})
      .set_num_outputs_fn([](const Attrs& a) { return a.get<P>().no_bias ? 2 : 3; })
      .set_infer_shape([](const Attrs& a, ShapeVec* in, ShapeVec* out) {
        assign_shape(&(*out)[0], (*in)[1]);
        assign_shape(&(*out)[1], (*in)[2]);
        if (!a.get<P>().no_bias) assign_shape(&(*out)[2], Shape({a.get<P>().num_filter}));
      });
}

struct Registrations {
  Registrations() {
    register_weight_layer<ConvolutionParam>("Convolution")
        .describe(
            "Computes 1-D, 2-D or 3-D convolution with optional bias, grouping and "
            "dilation.")
        .set_infer_shape(infer_conv)
        .set_gradient(weight_layer_gradient("_backward_Convolution"));
    register_weight_layer<DeconvolutionParam>("Deconvolution")
        .describe(
            "Computes 1-D, 2-D or 3-D transposed convolution (the gradient of "
            "convolution with respect to its input), with optional bias.")
        .set_infer_shape(infer_deconv)
        .set_gradient(weight_layer_gradient("_backward_Deconvolution"));
    register_weight_layer_backward<ConvolutionParam>("_backward_Convolution", "Convolution");
    register_weight_layer_backward<DeconvolutionParam>("_backward_Deconvolution", "Deconvolution");
  }
} registrations;

}  // namespace

void ConvolutionParam::declare(ParamDecl<ConvolutionParam>& d) {
  using P = ConvolutionParam;
  d.field("kernel", &P::kernel).describe("Size of the kernel: (w,), (h, w) or (d, h, w).");
  d.field("stride", &P::stride)
      .set_default(Shape(std::vector<dim_t>{}))
      .describe("Step of the kernel per spatial dim: (w,), (h, w) or (d, h, w); 1 where empty.");
  d.field("dilate", &P::dilate)
      .set_default(Shape(std::vector<dim_t>{}))
      .describe("Spacing between kernel taps per spatial dim; 1 where empty.");
  d.field("pad", &P::pad)
      .set_default(Shape(std::vector<dim_t>{}))
      .describe("Zeros added on both sides of each spatial dim; none where empty.");
  d.field("num_filter", &P::num_filter).lower_bound(1).describe("Number of output channels.");
  d.field("num_group", &P::num_group)
      .set_default(1)
      .lower_bound(1)
      .describe("Number of groups the channels are split into.");
  d.field("workspace", &P::workspace)
      .set_default(1024)
      .lower_bound(0)
      .describe("Largest temporary workspace in MB the convolution may use.");
  d.field("no_bias", &P::no_bias).set_default(false).describe("Whether to leave out the bias.");
  d.field("cudnn_tune", &P::cudnn_tune)
      .choices(kCudnnTune)
      .set_default(std::nullopt)
      .describe("How to choose the cuDNN algorithm (by timing candidates or not).");
  d.field("cudnn_off", &P::cudnn_off).set_default(false).describe("Do not use cuDNN.");
  d.field("layout", &P::layout)
      .choices(kLayouts)
      .set_default(std::nullopt)
      .describe(
          "Layout of data, weight and output; by default NCW, NCHW or NCDHW by the "
          "kernel's rank.");
}

void ConvolutionParam::validate() {
  complete_window("convolution", kernel, &stride, &dilate, &pad, &layout);
}

void DeconvolutionParam::declare(ParamDecl<DeconvolutionParam>& d) {
  using P = DeconvolutionParam;
  d.field("kernel", &P::kernel)
      .describe(
          "Size of the kernel: (w,), (h, w) or (d, h, w), as for the matching "
          "convolution.");
  d.field("stride", &P::stride)
      .set_default(Shape(std::vector<dim_t>{}))
      .describe("Stride of the matching convolution; 1 where empty.");
  d.field("dilate", &P::dilate)
      .set_default(Shape(std::vector<dim_t>{}))
      .describe("Dilation of the matching convolution; 1 where empty.");
  d.field("pad", &P::pad)
      .set_default(Shape(std::vector<dim_t>{}))
      .describe("Padding of the matching convolution; ignored when target_shape is set.");
  d.field("adj", &P::adj)
      .set_default(Shape(std::vector<dim_t>{}))
      .describe("Extra output extent per spatial dim; ignored when target_shape is set.");
  d.field("target_shape", &P::target_shape)
      .set_default(Shape(std::vector<dim_t>{}))
      .describe("Spatial extent of the output; padding and adjustment are derived from it.");
  d.field("num_filter", &P::num_filter).lower_bound(1).describe("Number of output channels.");
  d.field("num_group", &P::num_group)
      .set_default(1)
      .lower_bound(1)
      .describe("Number of groups the channels are split into.");
  d.field("workspace", &P::workspace)
      .set_default(512)
      .lower_bound(0)
      .describe("Largest temporary workspace in MB the deconvolution may use.");
  d.field("no_bias", &P::no_bias).set_default(true).describe("Whether to leave out the bias.");
  d.field("cudnn_tune", &P::cudnn_tune)
      .choices(kCudnnTune)
      .set_default(std::nullopt)
      .describe("How to choose the cuDNN algorithm (by timing candidates or not).");
  d.field("cudnn_off", &P::cudnn_off).set_default(false).describe("Do not use cuDNN.");
  d.field("layout", &P::layout)
      .choices(kLayouts)
      .set_default(std::nullopt)
      .describe(
          "Layout of data, weight and output; by default NCW, NCHW or NCDHW by the "
          "kernel's rank.");
}

void DeconvolutionParam::validate() {
  complete_window("deconvolution", kernel, &stride, &dilate, &pad, &layout);
  int k = kernel.ndim();
  if (adj.ndim() == 0) adj = ones(k, 0);
  if (adj.ndim() != k)
    fail(
        "Adjustment must have the same number of dimensions with kernel_size, but kernel_size "
        "is set to ",
        ParamTraits<Shape>::show(kernel), " while adjustment is ", ParamTraits<Shape>::show(adj));
  if (has_target() && target_shape.ndim() != k)
    fail(
        "target_shape must have the same number of dimensions with kernel_size, but "
        "kernel_size is set to ",
        ParamTraits<Shape>::show(kernel), " while target_shape is ",
        ParamTraits<Shape>::show(target_shape));
}

bool DeconvolutionParam::has_target() const {
  for (int i = 0; i < target_shape.ndim(); ++i)
    if (target_shape[i] != 0) return true;
  return false;
}

void DeconvolutionParam::pad_and_adj(int i, int64_t in, int64_t* pad_out, int64_t* adj_out) const {
  if (!has_target()) {
    *pad_out = pad[i];
    *adj_out = adj[i];
    return;
  }
  int64_t full = stride[i] * (in - 1) + dilated_kernel(i);
  if (full < target_shape[i])
    fail("too big target shape: target_shape[", i, "]=", target_shape[i],
         " but the unpadded output extent is ", full);
  int64_t excess = full - target_shape[i];
  *adj_out = excess % 2;
  *pad_out = (excess + 1) / 2;
}

}  // namespace loom
