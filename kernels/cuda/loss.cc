// Registers the loss outputs on the GPU: SoftmaxOutput, the Linear/Logistic/MAE regression
// outputs and their label-driven backward ops (core/ops/loss.cc). The parameter handling
// mirrors kernels/cpu/loss.cc; loss.cu holds the kernels.
#include "core/ops/loss.h"

#include <vector>

#include "core/op/op.h"
#include "kernels/cuda/cuda_util.h"
#include "kernels/cuda/launch.h"

namespace loom::cuda {
namespace {

SoftmaxLayout layout_of(const Shape& s, const SoftmaxOutputParam& p) {
  int nd = s.ndim();
  if (p.multi_output && nd > 2) {
    dim_t inner = s.prod(2, nd);
    return {s[0] * inner, s[1], inner};
  }
  if (p.preserve_shape) return {s.prod(0, nd - 1), s[nd - 1], 1};
  return {s[0], s.prod(1, nd), 1};
}

void softmax_forward(const OpContext& octx, const Attrs& attrs, const std::vector<TBlob>& in,
                     const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
  if (req[0] == kNullOp) return;
  const auto& p = attrs.get<SoftmaxOutputParam>();
  real_types(in[0].dtype, "SoftmaxOutput", [&](auto t) {
    using T = decltype(t);
    DeviceGuard guard(octx.ctx);
    check_launch(launch_softmax<T>(in[0].ptr<T>(), out[0].ptr<T>(), layout_of(in[0].shape, p),
                                   add_to(req[0]), stream_of(octx)),
                 "SoftmaxOutput");
  });
}

// inputs (output, label) -> d data
void softmax_backward(const OpContext& octx, const Attrs& attrs, const std::vector<TBlob>& in,
                      const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
  if (req[0] == kNullOp) return;
  const auto& p = attrs.get<SoftmaxOutputParam>();
  real_types(in[0].dtype, "_backward_SoftmaxOutput", [&](auto t) {
    using T = decltype(t);
    DeviceGuard guard(octx.ctx);
    const T* y = in[0].ptr<T>();
    const T* label = in[1].ptr<T>();
    T* dx = out[0].ptr<T>();
    if (in[1].shape == in[0].shape) {  // probability labels: (y - label) * grad_scale
      check_launch(launch_regression_backward<T>(false, y, label, dx, out[0].size(),
                                                 static_cast<T>(p.grad_scale), add_to(req[0]),
                                                 stream_of(octx)),
                   "_backward_SoftmaxOutput");
      return;
    }
    SoftmaxGradArgs args{};
    args.layout = layout_of(in[0].shape, p);
    double norm = 1;
    if (p.normalization == "batch") norm = static_cast<double>(in[0].shape[0]);
    if (p.multi_output && p.normalization != "valid" && in[0].shape.ndim() > 2)
      norm *= static_cast<double>(args.layout.stride);
    args.scale = static_cast<double>(p.grad_scale) / norm;
    args.divide_by_valid = p.normalization == "valid";
    args.use_ignore = p.use_ignore;
    args.ignore_label = static_cast<int>(p.ignore_label);
    args.smooth_alpha = p.smooth_alpha;
    check_launch(launch_softmax_backward<T>(y, label, dx, args, add_to(req[0]), stream_of(octx)),
                 "_backward_SoftmaxOutput");
  });
}

enum class Reg { kLinear, kLogistic, kMAE };

Kernel regression_forward(Reg kind) {
  return [kind](const OpContext& octx, const Attrs&, const std::vector<TBlob>& in,
                const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
    if (req[0] == kNullOp) return;
    real_types(in[0].dtype, "RegressionOutput", [&](auto t) {
      using T = decltype(t);
      DeviceGuard guard(octx.ctx);
      const T* x = in[0].ptr<T>();
      T* y = out[0].ptr<T>();
      dim_t n = out[0].size();
      bool add = add_to(req[0]);
      if (kind == Reg::kLogistic) {
        check_launch(launch_activation<T>(ActOp::kSigmoid, x, y, n, add, stream_of(octx)),
                     "LogisticRegressionOutput");
      } else if (add || x != y) {  // identity: nothing to do when planned in place
        check_launch(launch_scalar<T>(ScalarOp::kCopy, x, T(0), y, n, add, stream_of(octx)),
                     "RegressionOutput");
      }
    });
  };
}

// inputs (output, label) -> d data = f(out, label) * grad_scale / (label.size / label.shape[0])
Kernel regression_backward(Reg kind) {
  return [kind](const OpContext& octx, const Attrs& attrs, const std::vector<TBlob>& in,
                const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
    if (req[0] == kNullOp || out[0].size() == 0) return;
    float scale = attrs.get<RegressionOutputParam>().grad_scale;
    real_types(in[0].dtype, "_backward_RegressionOutput", [&](auto t) {
      using T = decltype(t);
      const Shape& ls = in[1].shape;
      T factor = static_cast<T>(scale) / static_cast<T>(ls.size() / ls[0]);
      DeviceGuard guard(octx.ctx);
      check_launch(launch_regression_backward<T>(kind == Reg::kMAE, in[0].ptr<T>(), in[1].ptr<T>(),
                                                 out[0].ptr<T>(), out[0].size(), factor,
                                                 add_to(req[0]), stream_of(octx)),
                   "_backward_RegressionOutput");
    });
  };
}

LOOM_KERNEL(SoftmaxOutput, kGPU, softmax_forward);
LOOM_KERNEL(_backward_SoftmaxOutput, kGPU, softmax_backward);
LOOM_KERNEL(LinearRegressionOutput, kGPU, regression_forward(Reg::kLinear));
LOOM_KERNEL(LogisticRegressionOutput, kGPU, regression_forward(Reg::kLogistic));
LOOM_KERNEL(MAERegressionOutput, kGPU, regression_forward(Reg::kMAE));
LOOM_KERNEL(_backward_LinearRegressionOutput, kGPU, regression_backward(Reg::kLinear));
LOOM_KERNEL(_backward_LogisticRegressionOutput, kGPU, regression_backward(Reg::kLogistic));
LOOM_KERNEL(_backward_MAERegressionOutput, kGPU, regression_backward(Reg::kMAE));

}  // namespace
}  // namespace loom::cuda
