// SliceChannel (alias split) cuts an axis into num_outputs equal pieces; _split_v2 (behind
// numpy-style split) cuts it at given indices or into `sections` nearly equal pieces. Either
// may drop the cut axis (squeeze_axis) when the pieces have extent 1. Outputs are named
// output0, output1, ...; a known output shape gives the data's shape back.
#include "core/ops/slice_channel.h"

#include "core/ops/nn_util.h"
#include "core/ops/op_util.h"

namespace loom {

namespace {

Shape without_axis(const Shape& s, int axis) {
  std::vector<dim_t> d = s.dims();
  d.erase(d.begin() + axis);
  return Shape(d);
}

// The data's shape as the outputs describe it: their dims, and on `axis` the pieces' total
// (or their count when squeezed).
void back_fill(ShapeVec* in, const ShapeVec& out, int axis, bool squeeze) {
  Shape& data = (*in)[0];
  const Shape& first = out[0];
  if (!first.ndim_known()) return;
  Shape back = Shape::unknown_of_ndim(data.ndim());
  for (int d = 0; d < data.ndim(); ++d) {
    if (d < axis) back[d] = first[d];
    if (d > axis) back[d] = first[squeeze ? d - 1 : d];
  }
  if (squeeze) {
    back[axis] = static_cast<dim_t>(out.size());
  } else {
    dim_t total = 0;
    for (const auto& o : out) total = (total < 0 || o[axis] < 0) ? -1 : total + o[axis];
    back[axis] = total;
  }
  assign_shape(&data, back);
}

void infer_slice_channel(const Attrs& a, ShapeVec* in, ShapeVec* out) {
  const auto& p = a.get<SliceChannelParam>();
  const Shape& data = (*in)[0];
  if (!data.ndim_known()) return;
  const int axis = normalize_axis(p.axis, data.ndim(), "axis");
  const dim_t extent = data[axis];
  if (extent >= 0 && extent % p.num_outputs != 0)
    fail("You are trying to split the ", axis, "-th axis of input tensor with shape ", data.str(),
         " into num_outputs=", p.num_outputs,
         " evenly sized chunks, but this is not possible because ", p.num_outputs,
         " does not evenly divide ", extent);
  if (p.squeeze_axis && extent >= 0 && extent != p.num_outputs)
    fail(
        "If squeeze axis is True, the size of the sliced axis must be the same as "
        "num_outputs. Input shape=",
        data.str(), ", axis=", axis, ", num_outputs=", p.num_outputs, ".");
  Shape piece = data;
  piece[axis] = extent >= 0 ? extent / p.num_outputs : -1;
  if (p.squeeze_axis) piece = without_axis(piece, axis);
  // the pieces are alike: what one output knows, all do
  for (const auto& o : *out) assign_shape(&piece, o);
  for (auto& o : *out) assign_shape(&o, piece);
  back_fill(in, *out, axis, p.squeeze_axis);
}

void infer_split_v2(const Attrs& a, ShapeVec* in, ShapeVec* out) {
  const auto& p = a.get<SplitV2Param>();
  const Shape& data = (*in)[0];
  if (!data.ndim_known()) return;
  const int axis = normalize_axis(p.axis, data.ndim(), "axis");
  const dim_t extent = data[axis];
  const int n = p.num_outputs();
  std::vector<dim_t> starts;
  if (p.sections == 0 || extent >= 0) starts = p.starts(extent);
  for (int i = 0; i < n; ++i) {
    dim_t size = -1;
    if (!starts.empty() && (extent >= 0 || i < n - 1)) {
      dim_t start = starts[i];
      dim_t end = i < n - 1 ? starts[i + 1] : extent;
      if (extent == 0) end = start;
      if (start > end) fail("start ", start, " is not less than end ", end, " for subarray ", i);
      if (extent >= 0 && end > extent)
        fail("end ", end, " is no less than the size of the axis ", extent);
      size = end - start;
    }
    Shape piece = data;
    piece[axis] = size;
    if (p.squeeze_axis) {
      if (size >= 0 && size != 1) fail("expected axis size of 1 but got ", size);
      piece = without_axis(piece, axis);
    }
    assign_shape(&(*out)[i], piece);
  }
  back_fill(in, *out, axis, p.squeeze_axis);
}

std::vector<std::string> numbered_outputs(int n) {
  std::vector<std::string> r;
  for (int i = 0; i < n; ++i) r.push_back("output" + std::to_string(i));
  return r;
}

LOOM_REGISTER_OP(SliceChannel)
    .describe("Splits an axis into num_outputs equal pieces.")
    .set_params<SliceChannelParam>()
    .set_num_outputs_fn([](const Attrs& a) { return a.get<SliceChannelParam>().num_outputs; })
    .set_output_names_fn([](const Attrs& a) {
      return numbered_outputs(a.get<SliceChannelParam>().num_outputs);
    })
    .set_infer_shape(infer_slice_channel)
    .set_gradient([](const NodePtr& n, const std::vector<NodeEntry>& og) {
      return std::vector<NodeEntry>{
          make_entry("_backward_SliceChannel", n->name() + "_backward", og, n->attrs.dict)};
    })
    .alias("split");

// The pieces' gradients joined back along the axis (one zeros_like stands in for each output
// that received none).
LOOM_REGISTER_OP(_backward_SliceChannel)
    .describe("Gradient of SliceChannel: joins the outputs' gradients along the axis.")
    .set_params<SliceChannelParam>()
    .set_num_inputs_fn([](const Attrs& a) { return a.get<SliceChannelParam>().num_outputs; })
    .set_input_names_fn({"out_grad"},
                        [](const Attrs& a) {
                          return numbered_outputs(a.get<SliceChannelParam>().num_outputs);
                        })
    .set_infer_shape([](const Attrs& a, ShapeVec* in, ShapeVec* out) {
      const auto& p = a.get<SliceChannelParam>();
      const Shape& piece = (*in)[0];
      if (!piece.known()) return;
      std::vector<dim_t> d = piece.dims();
      if (p.squeeze_axis) {
        int axis = normalize_axis(p.axis, piece.ndim() + 1, "axis");
        d.insert(d.begin() + axis, p.num_outputs);
      } else {
        int axis = normalize_axis(p.axis, piece.ndim(), "axis");
        d[axis] *= p.num_outputs;
      }
      assign_shape(&(*out)[0], Shape(d));
    });

LOOM_REGISTER_OP(_split_v2)
    .describe("Splits an axis at the given indices, or into `sections` nearly equal pieces.")
    .set_params<SplitV2Param>()
    .set_num_outputs_fn([](const Attrs& a) { return a.get<SplitV2Param>().num_outputs(); })
    .set_output_names_fn([](const Attrs& a) {
      return numbered_outputs(a.get<SplitV2Param>().num_outputs());
    })
    .set_infer_shape(infer_split_v2);

}  // namespace

void SliceChannelParam::declare(ParamDecl<SliceChannelParam>& d) {
  using P = SliceChannelParam;
  d.field("num_outputs", &P::num_outputs)
      .lower_bound(1)
      .describe("Number of pieces; must divide the axis' extent.");
  d.field("axis", &P::axis)
      .set_default(1)
      .describe("The axis to split (negative counts from the end).");
  d.field("squeeze_axis", &P::squeeze_axis)
      .set_default(false)
      .describe("Drop the split axis from the outputs; needs an extent equal to num_outputs.");
}

void SplitV2Param::declare(ParamDecl<SplitV2Param>& d) {
  using P = SplitV2Param;
  d.field("indices", &P::indices).describe("Where each piece starts along the axis.");
  d.field("axis", &P::axis)
      .set_default(1)
      .describe("The axis to split (negative counts from the end).");
  d.field("squeeze_axis", &P::squeeze_axis)
      .set_default(false)
      .describe("Drop the split axis from the outputs; every piece must have extent 1.");
  d.field("sections", &P::sections)
      .set_default(0)
      .lower_bound(0)
      .describe("Number of nearly equal pieces; 0 to split at indices.");
}

void SplitV2Param::validate() {
  if (num_outputs() <= 0)
    fail("_split_v2 needs sections > 0 or at least one index, got indices=",
         ParamTraits<Shape>::show(indices), " and sections=", sections);
}

std::vector<dim_t> SplitV2Param::starts(dim_t extent) const {
  if (sections <= 0) return indices.dims();
  // numpy.array_split: the first extent % sections pieces are one longer
  std::vector<dim_t> r(sections + 1, 0);
  dim_t small = extent / sections, longer = extent % sections;
  for (int i = 0; i < sections; ++i) r[i + 1] = r[i] + small + (i < longer ? 1 : 0);
  return r;
}

}  // namespace loom
