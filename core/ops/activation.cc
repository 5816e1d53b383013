// Activation (relu, sigmoid, tanh, softrelu, softsign). Every derivative here can be written
// from the output alone, so the backward node reads (out_grad, output) and the forward may run
// in place over its input.
#include "core/ops/activation.h"

#include "core/ops/op_util.h"

namespace loom {

ActType ActivationParam::type() const {
  if (act_type == "relu") return ActType::kRelu;
  if (act_type == "sigmoid") return ActType::kSigmoid;
  if (act_type == "tanh") return ActType::kTanh;
  if (act_type == "softrelu") return ActType::kSoftReLU;
  return ActType::kSoftSign;
}

void ActivationParam::declare(ParamDecl<ActivationParam>& d) {
  d.field("act_type", &ActivationParam::act_type)
      .choices({"relu", "sigmoid", "softrelu", "softsign", "tanh"})
      .describe("Activation function to be applied.");
}

LOOM_REGISTER_OP(Activation)
    .describe("Applies an activation function element-wise to the input.")
    .set_params<ActivationParam>()
    .set_infer_shape(infer_same_shape)
    .set_inplace({{0, 0}})
    .set_gradient([](const NodePtr& n, const std::vector<NodeEntry>& og) {
      return std::vector<NodeEntry>{make_entry("_backward_Activation", n->name() + "_backward",
                                               {og[0], NodeEntry{n, 0, 0}}, n->attrs.dict)};
    });

LOOM_REGISTER_OP(_backward_Activation)
    .describe("Gradient of Activation from (out_grad, output).")
    .set_params<ActivationParam>()
    .set_input_names({"out_grad", "output"})
    .set_infer_shape(infer_same_shape)
    .set_inplace({{0, 0}});

}  // namespace loom
