// Activation functions on CPU; the backward formulas use the output only (see core/ops).
#include <cmath>

#include "core/ops/activation.h"
#include "kernels/cpu/cpu_util.h"

namespace loom::cpu {
namespace {

void forward(const OpContext&, const Attrs& attrs, const std::vector<TBlob>& in,
             const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
  ActType act = attrs.get<ActivationParam>().type();
  real_types(in[0].dtype, "Activation", [&](auto t) {
    using T = decltype(t);
    const T* x = in[0].ptr<T>();
    switch (act) {
      case ActType::kRelu: map_out<T>(out[0], req[0], [&](dim_t i) { return x[i] > 0 ? x[i] : T(0); }); break;
      case ActType::kSigmoid: map_out<T>(out[0], req[0], [&](dim_t i) { return T(1) / (T(1) + std::exp(-x[i])); }); break;
      case ActType::kTanh: map_out<T>(out[0], req[0], [&](dim_t i) { return std::tanh(x[i]); }); break;
      case ActType::kSoftReLU:
        // log(1 + e^x) without overflow for large x
        map_out<T>(out[0], req[0], [&](dim_t i) {
          return x[i] > T(20) ? x[i] : std::log1p(std::exp(x[i]));
        });
        break;
      case ActType::kSoftSign: map_out<T>(out[0], req[0], [&](dim_t i) { return x[i] / (T(1) + std::abs(x[i])); }); break;
    }
  });
}

// inputs (out_grad, output)
void backward(const OpContext&, const Attrs& attrs, const std::vector<TBlob>& in,
              const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
  ActType act = attrs.get<ActivationParam>().type();
  real_types(in[0].dtype, "_backward_Activation", [&](auto t) {
    using T = decltype(t);
    const T* g = in[0].ptr<T>();
    const T* y = in[1].ptr<T>();
    switch (act) {
      case ActType::kRelu: map_out<T>(out[0], req[0], [&](dim_t i) { return y[i] > 0 ? g[i] : T(0); }); break;
      case ActType::kSigmoid: map_out<T>(out[0], req[0], [&](dim_t i) { return g[i] * y[i] * (T(1) - y[i]); }); break;
      case ActType::kTanh: map_out<T>(out[0], req[0], [&](dim_t i) { return g[i] * (T(1) - y[i] * y[i]); }); break;
      case ActType::kSoftReLU: map_out<T>(out[0], req[0], [&](dim_t i) { return g[i] * -std::expm1(-y[i]); }); break;
      case ActType::kSoftSign:
        map_out<T>(out[0], req[0], [&](dim_t i) {
          T s = T(1) - std::abs(y[i]);
          return g[i] * s * s;
        });
        break;
    }
  });
}

LOOM_KERNEL(Activation, kCPU, forward);
LOOM_KERNEL(_backward_Activation, kCPU, backward);

}  // namespace
}  // namespace loom::cpu
