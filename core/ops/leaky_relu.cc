// LeakyReLU: leaky, prelu (learned slope `gamma`, one per channel unless given another
// shape), rrelu (random slope while training; its mask is a second, visible output), elu,
// selu and gelu. The inputs and outputs depend on act_type.
#include "core/ops/leaky_relu.h"

#include "core/ops/op_util.h"

namespace loom {

namespace {

void infer_leaky_relu(const Attrs& a, ShapeVec* in, ShapeVec* out) {
  const auto& p = a.get<LeakyReLUParam>();
  const Shape& data = (*in)[0];
  if (!data.ndim_known()) return;
  if (p.is_prelu() && !(*in)[1].ndim_known()) {
    if (data.ndim() < 2)
      fail("LeakyReLU(prelu) needs data with a channel axis 1 to shape gamma, got ", data.str());
    (*in)[1] = Shape({data[1]});
  }
  for (auto& s : *out) assign_shape(&s, data);
}

LOOM_REGISTER_OP(LeakyReLU)
    .describe("Leaky rectified linear unit and its variants (prelu, rrelu, elu, selu, gelu).")
    .set_params<LeakyReLUParam>()
    .set_num_inputs_fn([](const Attrs& a) { return a.get<LeakyReLUParam>().is_prelu() ? 2 : 1; })
    .set_input_names_fn({"data", "gamma"},
                        [](const Attrs& a) {
                          return a.get<LeakyReLUParam>().is_prelu()
                                     ? std::vector<std::string>{"data", "gamma"}
                                     : std::vector<std::string>{"data"};
                        })
    .set_num_outputs_fn([](const Attrs& a) { return a.get<LeakyReLUParam>().is_rrelu() ? 2 : 1; })
    .set_output_names_fn([](const Attrs& a) {
      return a.get<LeakyReLUParam>().is_rrelu() ? std::vector<std::string>{"output", "mask"}
                                                : std::vector<std::string>{"output"};
    })
    .set_input_var_attr_fn([](const Attrs&, int input, AttrDict* var) {
      if (input == 1) (*var)["__init__"] = "[\"Constant\", {\"value\": 0.25}]";
    })
    .set_infer_shape(infer_leaky_relu);

}  // namespace

void LeakyReLUParam::declare(ParamDecl<LeakyReLUParam>& d) {
  using P = LeakyReLUParam;
  d.field("act_type", &P::act_type)
      .choices({"elu", "gelu", "leaky", "prelu", "rrelu", "selu"})
      .set_default(std::string("leaky"))
      .describe("Which activation to apply.");
  d.field("slope", &P::slope)
      .set_default(0.25f)
      .describe("Slope for negative inputs (leaky, elu).");
  d.field("lower_bound", &P::lower_bound)
      .set_default(0.125f)
      .describe("Smallest random slope (rrelu).");
  d.field("upper_bound", &P::upper_bound)
      .set_default(0.334f)
      .describe("Largest random slope (rrelu).");
}

}  // namespace loom
