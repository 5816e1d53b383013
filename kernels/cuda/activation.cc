// Registers the GPU kernels of Activation and _backward_Activation (core/ops/activation.cc).
#include "core/ops/activation.h"

#include <vector>

#include "core/op/op.h"
#include "kernels/cuda/cuda_util.h"
#include "kernels/cuda/launch.h"

namespace loom::cuda {
namespace {

ActOp act_of(const Attrs& attrs) {
  switch (attrs.get<ActivationParam>().type()) {
    case ActType::kRelu:
      return ActOp::kRelu;
    case ActType::kSigmoid:
      return ActOp::kSigmoid;
    case ActType::kTanh:
      return ActOp::kTanh;
    case ActType::kSoftReLU:
      return ActOp::kSoftReLU;
    case ActType::kSoftSign:
      return ActOp::kSoftSign;
  }
  fail("Activation: unknown act_type ", attrs.get<ActivationParam>().act_type);
}

void forward(const OpContext& octx, const Attrs& attrs, const std::vector<TBlob>& in,
             const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
  if (req[0] == kNullOp) return;
  ActOp act = act_of(attrs);
  real_types(in[0].dtype, "Activation", [&](auto t) {
    using T = decltype(t);
    DeviceGuard guard(octx.ctx);
    check_launch(launch_activation<T>(act, in[0].ptr<T>(), out[0].ptr<T>(), out[0].size(),
                                      add_to(req[0]), stream_of(octx)),
                 "Activation");
  });
}

// inputs (out_grad, output)
void backward(const OpContext& octx, const Attrs& attrs, const std::vector<TBlob>& in,
              const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
  if (req[0] == kNullOp) return;
  ActOp act = act_of(attrs);
  real_types(in[0].dtype, "_backward_Activation", [&](auto t) {
    using T = decltype(t);
    DeviceGuard guard(octx.ctx);
    check_launch(launch_activation_backward<T>(act, in[0].ptr<T>(), in[1].ptr<T>(), out[0].ptr<T>(),
                                               out[0].size(), add_to(req[0]), stream_of(octx)),
                 "_backward_Activation");
  });
}

LOOM_KERNEL(Activation, kGPU, forward);
LOOM_KERNEL(_backward_Activation, kGPU, backward);

}  // namespace
}  // namespace loom::cuda
