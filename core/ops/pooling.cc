// Pooling: max, average, sum and Lp pooling over 1-D, 2-D or 3-D windows, or over the whole
// spatial extent (global_pool), with the valid/full/same output-size conventions. Inference is
// forward only, as in MXNet.
#include "core/ops/pooling.h"

#include <cmath>

#include "core/ops/grad_builder.h"
#include "core/ops/nn_util.h"
#include "core/ops/op_util.h"

namespace loom {

namespace {

const char* const kRankHint[] = {"(batch, channel, x)", "(batch, channel, y, x)",
                                 "(batch, channel, d, y, x)"};

void infer_pooling(const Attrs& a, ShapeVec* in, ShapeVec* out) {
  const auto& p = a.get<PoolingParam>();
  if (p.pool_type == "lp" && !p.p_value) fail("Pooling: p_value is required for pool_type='lp'");
  const Shape& data = (*in)[0];
  if (!data.ndim_known()) return;
  const int nd = data.ndim();
  if (p.pooling_convention == "same") {
    if (nd != 3)
      fail(
          "Pooling: Input data should be 3D in (batch, channel, x). Currently 'same' supports "
          "Max Pooling 1-D, got ",
          data.str());
    for (int i = 0; i < p.pad.ndim(); ++i)
      if (p.pad[i] != 0) fail("Same pooling convention disables the use of pad parameter.");
  }
  if (nd < 3 || nd > 5)
    fail("Pooling: Input data should be  3D in ", kRankHint[0], " Or 4D in ", kRankHint[1],
         " Or 5D in ", kRankHint[2], ", got ", data.str());
  const int k = p.global_pool ? 0 : p.kernel.ndim();
  if (!p.global_pool && nd != k + 2)
    fail("Pooling: Input data should be ", k + 2, "D in ", kRankHint[k - 1], ", got ", data.str());
  const std::string layout = p.layout_for(nd);
  if (static_cast<int>(layout.size()) != nd)
    fail("Pooling: layout ", layout, " does not fit data of shape ", data.str());
  Shape o = to_channel_first(data, layout);
  if (p.global_pool) {
    for (int i = 2; i < nd; ++i) o[i] = 1;
  } else {
    for (int i = 0; i < k; ++i) {
      dim_t x = o[2 + i];
      if (x < 0) continue;
      dim_t padded = x + 2 * p.pad[i];
      if (p.kernel[i] > padded)
        fail("kernel size (", p.kernel[i], ") exceeds input (", x, " padded to ", padded, ")");
      if (p.stride[i] <= 0) fail("incorrect stride size: ", ParamTraits<Shape>::show(p.stride));
      if (p.pooling_convention == "valid") {
        o[2 + i] = 1 + (padded - p.kernel[i]) / p.stride[i];
      } else if (p.pooling_convention == "same") {
        o[2 + i] = static_cast<dim_t>(
            std::ceil(static_cast<float>(padded) / static_cast<float>(p.stride[i])));
      } else {  // full; MXNet computes the ceiling in float
        o[2 + i] = 1 + static_cast<dim_t>(std::ceil(static_cast<float>(padded - p.kernel[i]) /
                                                    static_cast<float>(p.stride[i])));
      }
    }
  }
  Shape result = from_channel_first(o, layout);
  for (auto& s : *out) assign_shape(&s, result);
}

void infer_pooling_type(const Attrs& a, TypeVec* in, TypeVec* out) {
  if ((*in)[0] >= 0) assign_type(&(*out)[0], (*in)[0], " for the output");
  if (a.get<PoolingParam>().has_workspace()) assign_type(&(*out)[1], kInt32, " for the workspace");
}

LOOM_REGISTER_OP(Pooling)
    .describe(
        "Pools each spatial window (max, average, sum or Lp norm) of 1-D, 2-D or 3-D "
        "data, or the whole spatial extent with global_pool.")
    .set_params<PoolingParam>()
    .set_num_outputs_fn([](const Attrs& a) {
      return a.get<PoolingParam>().has_workspace() ? 2 : 1;
    })
    .set_num_visible_outputs_fn([](const Attrs&) { return 1; })
    .set_output_names({"output", "workspace"})
    .set_infer_shape(infer_pooling)
    .set_infer_type(infer_pooling_type)
    .set_gradient([](const NodePtr& n, const std::vector<NodeEntry>& og) {
      // The workspace output carries no gradient; only the pooled output's matters.
      return backward_outputs(n, "_backward_Pooling", {og[0], n->inputs[0]}, 1);
    });

LOOM_REGISTER_OP(_backward_Pooling)
    .describe("Gradient of Pooling: inputs (out_grad, data); outputs the gradient of data.")
    .set_params<PoolingParam>()
    .set_input_names({"out_grad", "data"})
    .set_infer_shape([](const Attrs&, ShapeVec* in, ShapeVec* out) {
      assign_shape(&(*out)[0], (*in)[1]);
    });

}  // namespace

void PoolingParam::declare(ParamDecl<PoolingParam>& d) {
  using P = PoolingParam;
  const Shape empty(std::vector<dim_t>{});
  d.field("kernel", &P::kernel)
      .set_default(empty)
      .describe("Size of the pooling window: (x,), (y, x) or (d, y, x).");
  d.field("pool_type", &P::pool_type)
      .choices({"avg", "lp", "max", "sum"})
      .set_default(std::string("max"))
      .describe("Reduction applied to each window.");
  d.field("global_pool", &P::global_pool)
      .set_default(false)
      .describe("Pool over the whole spatial extent, ignoring kernel.");
  d.field("cudnn_off", &P::cudnn_off).set_default(false).describe("Do not use cuDNN.");
  d.field("pooling_convention", &P::pooling_convention)
      .choices({"full", "same", "valid"})
      .set_default(std::string("valid"))
      .describe(
          "How the output extent is rounded: windows inside the input only (valid), "
          "windows covering it (full), or ceil(input / stride) (same, 1-D only).");
  d.field("stride", &P::stride)
      .set_default(empty)
      .describe("Step of the window per spatial dim; 1 where empty.");
  d.field("pad", &P::pad)
      .set_default(empty)
      .describe("Padding on both sides of each spatial dim; none where empty.");
  d.field("p_value", &P::p_value)
      .set_default(std::nullopt)
      .describe("The p of Lp pooling (1 or 2); required for pool_type='lp'.");
  d.field("count_include_pad", &P::count_include_pad)
      .set_default(std::nullopt)
      .describe(
          "Average pooling only: whether padded positions count in the divisor (true "
          "when not given).");
  d.field("layout", &P::layout)
      .choices({"None", "NCDHW", "NCHW", "NCW", "NDHWC", "NHWC", "NWC"})
      .set_default(std::nullopt)
      .describe("Layout of data and output; by default NCW, NCHW or NCDHW by the data's rank.");
}

void PoolingParam::validate() {
  const int k = kernel.ndim();
  // a 1-3-D window, or none at all for global pooling
  const bool ok = (k >= 1 && k <= 3) || (global_pool && k <= 0);
  if (!ok) fail(k < 0 ? 0 : k, "D pooling not supported");
  auto fill = [](Shape* s, int n, dim_t v) {
    if (s->ndim() <= 0) *s = Shape(std::vector<dim_t>(n, v));
  };
  int n = (k == 1 || k == 2) ? k : 3;
  fill(&stride, n, 1);
  fill(&pad, n, 0);
  if (k > 0 && !layout) layout = default_layout(k + 2);
  if (k > 0 && static_cast<int>(layout->size()) != k + 2)
    fail("Pooling: layout ", *layout, " does not fit a ", k, "-D kernel");
  if (k > 0 && (stride.ndim() != k || pad.ndim() != k))
    fail("Pooling: kernel ", ParamTraits<Shape>::show(kernel), ", stride ",
         ParamTraits<Shape>::show(stride), " and pad ", ParamTraits<Shape>::show(pad),
         " must have the same number of dimensions");
}

bool PoolingParam::has_workspace() const {
  int k = kernel.ndim();
  return pool_type == "max" && k >= 1 && k <= 3 && (!layout || is_channel_first(*layout));
}

std::string PoolingParam::layout_for(int ndim) const {
  return layout ? *layout : default_layout(ndim);
}

}  // namespace loom
