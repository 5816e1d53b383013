// Loss outputs on CPU: softmax / identity / sigmoid forward, and the label-driven gradients of
// spec 4.4 (normalisation, ignore_label, label smoothing, probability labels).
#include <algorithm>
#include <cmath>

#include "core/ops/loss.h"
#include "kernels/cpu/cpu_util.h"

namespace loom::cpu {
namespace {

// The softmax layout: `outer` independent groups of `classes` values spaced `stride` apart.
struct SoftmaxLayout {
  dim_t outer, classes, stride;
};

SoftmaxLayout layout_of(const Shape& s, const SoftmaxOutputParam& p) {
  int nd = s.ndim();
  if (p.multi_output && nd > 2) {
    dim_t inner = s.prod(2, nd);
    return {s[0] * inner, s[1], inner};
  }
  if (p.preserve_shape) return {s.prod(0, nd - 1), s[nd - 1], 1};
  return {s[0], s.prod(1, nd), 1};
}

void softmax_forward(const OpContext&, const Attrs& attrs, const std::vector<TBlob>& in,
                     const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
  const auto& p = attrs.get<SoftmaxOutputParam>();
  real_types(in[0].dtype, "SoftmaxOutput", [&](auto t) {
    using T = decltype(t);
    SoftmaxLayout l = layout_of(in[0].shape, p);
    const T* x = in[0].ptr<T>();
    T* y = out[0].ptr<T>();
    for (dim_t g = 0; g < l.outer; ++g) {
      dim_t base = (g / l.stride) * l.classes * l.stride + g % l.stride;
      T mx = x[base];
      for (dim_t c = 1; c < l.classes; ++c) mx = std::max(mx, x[base + c * l.stride]);
      T sum = 0;
      for (dim_t c = 0; c < l.classes; ++c) {
        T e = std::exp(x[base + c * l.stride] - mx);
        y[base + c * l.stride] = e;
        sum += e;
      }
      for (dim_t c = 0; c < l.classes; ++c) y[base + c * l.stride] /= sum;
    }
  });
}

// inputs (output, label) -> d data. Deliberate difference: MXNet 1.9.1 overwrites the data
// gradient even under grad_req='add'; Loom honours 'add' (accumulates). The label's gradient
// is written as zeros by the graph (MXNet leaves the array untouched).
void softmax_backward(const OpContext&, const Attrs& attrs, const std::vector<TBlob>& in,
                      const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
  const auto& p = attrs.get<SoftmaxOutputParam>();
  if (req[0] == kNullOp) return;
  real_types(in[0].dtype, "_backward_SoftmaxOutput", [&](auto t) {
    using T = decltype(t);
    const T* y = in[0].ptr<T>();
    const T* label = in[1].ptr<T>();
    T* dx = out[0].ptr<T>();
    if (in[1].shape == in[0].shape) {  // probability labels
      T s = static_cast<T>(p.grad_scale);
      map_out<T>(out[0], req[0], [&](dim_t i) { return (y[i] - label[i]) * s; });
      return;
    }
    SoftmaxLayout l = layout_of(in[0].shape, p);
    auto is_ignore_label = [&](dim_t g) {
      return static_cast<int>(label[g]) == static_cast<int>(p.ignore_label);
    };
    auto ignored = [&](dim_t g) { return p.use_ignore && is_ignore_label(g); };
    double norm = 1;
    if (p.normalization == "batch") norm = static_cast<double>(in[0].shape[0]);
    if (p.normalization == "valid") {
      // MXNet counts labels equal to ignore_label out even when use_ignore is off
      dim_t valid = 0;
      for (dim_t g = 0; g < l.outer; ++g) valid += !is_ignore_label(g);
      norm = static_cast<double>(std::max<dim_t>(valid, 1));
    }
    if (p.multi_output && p.normalization != "valid" && in[0].shape.ndim() > 2)
      norm *= static_cast<double>(l.stride);
    T scale = static_cast<T>(p.grad_scale / norm);
    T alpha = static_cast<T>(p.smooth_alpha);
    T off = l.classes > 1 ? alpha / static_cast<T>(l.classes - 1) : T(0);
    for (dim_t g = 0; g < l.outer; ++g) {
      dim_t base = (g / l.stride) * l.classes * l.stride + g % l.stride;
      bool skip = ignored(g);
      dim_t k = static_cast<dim_t>(label[g]);
      for (dim_t c = 0; c < l.classes; ++c) {
        dim_t i = base + c * l.stride;
        T v = skip ? T(0) : (c == k ? y[i] - T(1) + alpha : y[i] - off);
        // out_grad=True: MXNet 1.9.1 multiplies by its "output gradient", which its NNVM
        // registration wires to the softmax output itself (spec 4.4); reproduced
        if (p.out_grad) v *= y[i];
        assign(&dx[i], req[0], v * scale);
      }
    }
  });
}

enum class Reg { kLinear, kLogistic, kMAE };

Kernel regression_forward(Reg kind) {
  return [kind](const OpContext&, const Attrs&, const std::vector<TBlob>& in,
                const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
    real_types(in[0].dtype, "RegressionOutput", [&](auto t) {
      using T = decltype(t);
      const T* x = in[0].ptr<T>();
      map_out<T>(out[0], req[0], [&](dim_t i) {
        return kind == Reg::kLogistic ? T(1) / (T(1) + std::exp(-x[i])) : x[i];
      });
    });
  };
}

// inputs (output, label) -> d data = f(out, label) * grad_scale / (label.size / label.shape[0])
Kernel regression_backward(Reg kind) {
  return [kind](const OpContext&, const Attrs& attrs, const std::vector<TBlob>& in,
                const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
    float scale = attrs.get<RegressionOutputParam>().grad_scale;
    real_types(in[0].dtype, "_backward_RegressionOutput", [&](auto t) {
      using T = decltype(t);
      const T* y = in[0].ptr<T>();
      const T* label = in[1].ptr<T>();
      const Shape& ls = in[1].shape;
      T factor = static_cast<T>(scale) / static_cast<T>(ls.size() / ls[0]);
      map_out<T>(out[0], req[0], [&](dim_t i) {
        T d = y[i] - label[i];
        if (kind == Reg::kMAE) d = T((d > 0) - (d < 0));
        return d * factor;
      });
    });
  };
}

LOOM_KERNEL(SoftmaxOutput, kCPU, softmax_forward);
LOOM_KERNEL(_backward_SoftmaxOutput, kCPU, softmax_backward);
LOOM_KERNEL(LinearRegressionOutput, kCPU, regression_forward(Reg::kLinear));
LOOM_KERNEL(LogisticRegressionOutput, kCPU, regression_forward(Reg::kLogistic));
LOOM_KERNEL(MAERegressionOutput, kCPU, regression_forward(Reg::kMAE));
LOOM_KERNEL(_backward_LinearRegressionOutput, kCPU, regression_backward(Reg::kLinear));
LOOM_KERNEL(_backward_LogisticRegressionOutput, kCPU, regression_backward(Reg::kLogistic));
LOOM_KERNEL(_backward_MAERegressionOutput, kCPU, regression_backward(Reg::kMAE));

}  // namespace
}  // namespace loom::cpu
