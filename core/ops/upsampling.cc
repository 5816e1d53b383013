// UpSampling: nearest-neighbour upsampling of one or more NCHW inputs (arg0, arg1, ...) to
// `scale` times the first one's height and width, concatenated along channels or summed; or
// bilinear upsampling of one input (data) through a fixed deconvolution `weight` of shape
// (C, 1, k, k), k = 2*scale - scale%2. Input 1, whatever it is, gets the "bilinear" initializer
// hint on compose, as in MXNet.
#include "core/ops/upsampling.h"

#include "core/ops/grad_builder.h"
#include "core/ops/nn_util.h"
#include "core/ops/op_util.h"

namespace loom {

namespace {

void infer_upsampling(const Attrs& a, ShapeVec* in, ShapeVec* out) {
  const auto& p = a.get<UpSamplingParam>();
  const Shape& data = (*in)[0];
  auto check_4d = [&](const Shape& s) {
    if (s.ndim_known() && s.ndim() != 4)
      fail("UpSampling", p.bilinear() ? "Bilinear" : "Nearest",
           ": Input data should be 4D in (batch, channel, y, x), got ", s.str());
  };
  for (const auto& s : *in)
    if (!p.bilinear()) check_4d(s);
  check_4d(data);
  if (!data.ndim_known()) return;
  Shape o = data;
  o[2] = data[2] >= 0 ? data[2] * p.scale : -1;
  o[3] = data[3] >= 0 ? data[3] * p.scale : -1;
  if (p.bilinear()) {
    dim_t k = p.kernel_size();
    assign_shape(&(*in)[1], Shape({data[1], 1, k, k}));
  } else {
    const bool sum = p.multi_input_mode == "sum";
    dim_t channels = sum ? -1 : 0;
    for (const auto& s : *in) {
      if (!s.ndim_known()) {
        if (!sum) channels = -1;
        continue;
      }
      for (int d = 2; d < 4; ++d)
        if (o[d] >= 0 && s[d] > 0 && o[d] % s[d] != 0)
          fail("UpSamplingNearest: input ", d == 2 ? "height" : "width", " of ", s[d],
               " does not divide output ", d == 2 ? "height" : "width", " of ", o[d]);
      if (sum) {
        if (s[1] >= 0 && channels >= 0 && channels != s[1])
          fail("Number of channels must be the same when multi_input_mode==sum, got ", channels,
               " and ", s[1]);
        if (s[1] >= 0) channels = s[1];
      } else {
        channels = (channels < 0 || s[1] < 0) ? -1 : channels + s[1];
      }
    }
    o[1] = channels;
  }
  assign_shape(&(*out)[0], o);
}

std::vector<std::string> upsampling_inputs(const Attrs& a) {
  const auto& p = a.get<UpSamplingParam>();
  if (p.bilinear()) return {"data", "weight"};
  std::vector<std::string> r;
  for (int i = 0; i < p.num_args; ++i) r.push_back("arg" + std::to_string(i));
  return r;
}

LOOM_REGISTER_OP(UpSampling)
    .describe(
        "Upsamples NCHW data by an integer scale, by nearest neighbour (several inputs "
        "allowed) or bilinearly (through a deconvolution weight).")
    .set_params<UpSamplingParam>()
    .set_variadic("num_args")
    .set_num_inputs_fn([](const Attrs& a) {
      const auto& p = a.get<UpSamplingParam>();
      return p.bilinear() ? 2 : p.num_args;
    })
    .set_input_names_fn({"data"}, upsampling_inputs)
    .set_input_var_attr_fn([](const Attrs&, int input, AttrDict* var) {
      if (input == 1) (*var)["__init__"] = "[\"bilinear\", {}]";
    })
    .set_infer_shape(infer_upsampling)
    .set_infer_type([](const Attrs& a, TypeVec* in, TypeVec* out) {
      if ((*in)[0] < 0) return;  // MXNet goes forward from the first input only
      infer_uniform_type(upsampling_inputs(a), in, out);
    })
    .set_gradient([](const NodePtr& n, const std::vector<NodeEntry>& og) {
      // One node gives every input's gradient; it reads the inputs for their shapes (nearest)
      // or for the deconvolution (bilinear).
      std::vector<NodeEntry> inputs{og[0]};
      inputs.insert(inputs.end(), n->inputs.begin(), n->inputs.end());
      return backward_outputs(n, "_backward_UpSampling", std::move(inputs), n->inputs.size());
    });

LOOM_REGISTER_OP(_backward_UpSampling)
    .describe(
        "Gradients of UpSampling: inputs (out_grad, then the forward inputs); outputs the "
        "gradient of each forward input.")
    .set_params<UpSamplingParam>()
    .set_num_inputs_fn([](const Attrs& a) {
      const auto& p = a.get<UpSamplingParam>();
      return p.bilinear() ? 3 : p.num_args + 1;
    })
    .set_input_names_fn({"out_grad", "data"},
                        [](const Attrs& a) {
                          std::vector<std::string> r{"out_grad"};
                          for (auto& s : upsampling_inputs(a)) r.push_back(s);
                          return r;
                        })
    .set_num_outputs_fn([](const Attrs& a) {
      const auto& p = a.get<UpSamplingParam>();
      return p.bilinear() ? 2 : p.num_args;
    })
    .set_infer_shape([](const Attrs&, ShapeVec* in, ShapeVec* out) {
      for (size_t i = 0; i < out->size(); ++i) assign_shape(&(*out)[i], (*in)[i + 1]);
    });

}  // namespace

void UpSamplingParam::declare(ParamDecl<UpSamplingParam>& d) {
  using P = UpSamplingParam;
  d.field("scale", &P::scale).lower_bound(1).describe("Upsampling factor.");
  d.field("num_filter", &P::num_filter)
      .set_default(0)
      .lower_bound(0)
      .describe(
          "Channels of the input (bilinear only, where it sets the deconvolution's "
          "filters).");
  d.field("sample_type", &P::sample_type)
      .choices({"bilinear", "nearest"})
      .describe("Upsampling method.");
  d.field("multi_input_mode", &P::multi_input_mode)
      .choices({"concat", "sum"})
      .set_default(std::string("concat"))
      .describe(
          "Combine several upsampled inputs by concatenating channels or by summing "
          "(nearest only).");
  d.field("num_args", &P::num_args)
      .lower_bound(1)
      .describe("Number of inputs: 1 or more for nearest; 2 (data and weight) for bilinear.");
  d.field("workspace", &P::workspace)
      .set_default(512)
      .lower_bound(0)
      .describe("Temporary workspace in MB for the deconvolution (bilinear).");
}

}  // namespace loom
