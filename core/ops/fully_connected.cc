// FullyConnected: y = x W^T + b over the flattened (or last-axis) input. The gradient is one
// _backward_FullyConnected node producing the gradients of data, weight and bias together, so
// the backward pass costs two GEMMs and a reduction.
#include "core/ops/fully_connected.h"
#include "core/ops/grad_builder.h"
#include "core/ops/op_util.h"

namespace loom {

namespace {

void infer_fc(const Attrs& attrs, ShapeVec* in, ShapeVec* out) {
  const auto& p = attrs.get<FullyConnectedParam>();
  Shape& data = (*in)[0];
  if (!data.ndim_known()) return;  // MXNet learns nothing until data's ndim is known
  int nd = data.ndim();
  dim_t k = -1;
  if (p.flatten) {
    bool known = true;
    for (int i = 1; i < nd; ++i) known &= data[i] >= 0;
    if (known) k = data.prod(1, nd);
  } else {
    k = data[nd - 1];
  }
  assign_shape(&(*in)[1], Shape({p.num_hidden, k}));
  if (!p.no_bias) {
    Shape& bias = (*in)[2];
    // a (num_hidden, 1) bias is accepted as MXNet does
    if (!(bias.ndim() == 2 && bias[0] == p.num_hidden && bias[1] == 1))
      assign_shape(&bias, Shape({p.num_hidden}));
  }
  Shape o;
  if (p.flatten) {
    o = Shape({data[0], p.num_hidden});
  } else {
    o = data;
    o[nd - 1] = p.num_hidden;
  }
  assign_shape(&(*out)[0], o);
  // a known output batch fills the data batch
  if ((*out)[0][0] >= 0 && data[0] < 0) data[0] = (*out)[0][0];
}

}  // namespace

void FullyConnectedParam::declare(ParamDecl<FullyConnectedParam>& d) {
  d.field("num_hidden", &FullyConnectedParam::num_hidden)
      .lower_bound(1)
      .describe("Number of hidden nodes of the output.");
  d.field("no_bias", &FullyConnectedParam::no_bias)
      .set_default(false)
      .describe("Whether to disable bias parameter.");
  d.field("flatten", &FullyConnectedParam::flatten)
      .set_default(true)
      .describe("Whether to collapse all but the first axis of the input data tensor.");
}

LOOM_REGISTER_OP(FullyConnected)
    .describe("Applies a linear transformation: Y = XW^T + b.")
    .set_params<FullyConnectedParam>()
    .set_num_inputs_fn([](const Attrs& a) { return a.get<FullyConnectedParam>().no_bias ? 2 : 3; })
    .set_input_names_fn({"data", "weight", "bias"}, [](const Attrs& a) {
      return a.get<FullyConnectedParam>().no_bias ? std::vector<std::string>{"data", "weight"}
                                                  : std::vector<std::string>{"data", "weight", "bias"};
    })
    .set_infer_shape(infer_fc)
    .set_gradient([](const NodePtr& n, const std::vector<NodeEntry>& og) {
      return backward_outputs(n, "_backward_FullyConnected", {og[0], n->inputs[0], n->inputs[1]},
                              n->inputs.size());
    });

LOOM_REGISTER_OP(_backward_FullyConnected)
    .describe("Gradients of FullyConnected: inputs (out_grad, data, weight); outputs the "
              "gradients of data, weight and, unless no_bias, bias.")
    .set_params<FullyConnectedParam>()
    .set_input_names({"out_grad", "data", "weight"})
    .set_num_outputs_fn([](const Attrs& a) { return a.get<FullyConnectedParam>().no_bias ? 2 : 3; })
    .set_infer_shape([](const Attrs& a, ShapeVec* in, ShapeVec* out) {
      assign_shape(&(*out)[0], (*in)[1]);
      assign_shape(&(*out)[1], (*in)[2]);
      if (!a.get<FullyConnectedParam>().no_bias)
        assign_shape(&(*out)[2], Shape({a.get<FullyConnectedParam>().num_hidden}));
    });

}  // namespace loom
