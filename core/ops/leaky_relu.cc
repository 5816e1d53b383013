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
    .set_infer_shape(infer_leaky_relu)
    // backward inputs: (out_grad, data, gamma) for prelu, (out_grad, data, mask) for rrelu,
    // (out_grad, data) otherwise; outputs d data and, for prelu, d gamma
    .set_gradient([](const NodePtr& n, const std::vector<NodeEntry>& og) {
      const auto& p = n->attrs.get<LeakyReLUParam>();
      std::vector<NodeEntry> in = {og[0], n->inputs[0]};
      if (p.is_prelu()) in.push_back(n->inputs[1]);
      if (p.is_rrelu()) in.push_back(NodeEntry{n, 1, 0});
      auto bwd = Node::op_node(OpRegistry::get().require("_backward_LeakyReLU"),
                               n->name() + "_backward", n->attrs.dict, in);
      std::vector<NodeEntry> r = {NodeEntry{bwd, 0, 0}};
      if (p.is_prelu()) r.push_back(NodeEntry{bwd, 1, 0});
      return r;
    });

LOOM_REGISTER_OP(_backward_LeakyReLU)
    .describe("Gradient of LeakyReLU for the data (and gamma for prelu).")
    .set_params<LeakyReLUParam>()
    .set_num_inputs_fn([](const Attrs& a) {
      const auto& p = a.get<LeakyReLUParam>();
      return p.is_prelu() || p.is_rrelu() ? 3 : 2;
    })
    .set_input_names_fn({"out_grad", "data", "gamma"},
                        [](const Attrs& a) {
                          const auto& p = a.get<LeakyReLUParam>();
                          std::vector<std::string> r = {"out_grad", "data"};
                          if (p.is_prelu()) r.push_back("gamma");
                          if (p.is_rrelu()) r.push_back("mask");
                          return r;
                        })
    .set_num_outputs_fn([](const Attrs& a) { return a.get<LeakyReLUParam>().is_prelu() ? 2 : 1; })
    .set_infer_shape([](const Attrs&, ShapeVec* in, ShapeVec* out) {
      assign_shape(&(*out)[0], (*in)[1]);
      if (out->size() == 2) assign_shape(&(*out)[1], (*in)[2]);
    });

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
