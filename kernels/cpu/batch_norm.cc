// BatchNorm (and BatchNorm_v1) on CPU with MXNet 1.9.1's semantics (spec 4.4):
// - training without use_global_stats normalises by the batch mean and the biased batch
//   variance; the hidden outputs hold the batch mean and the inverse std 1/sqrt(var + eps);
// - otherwise the moving statistics are used (and copied to the hidden outputs, so that the
//   backward kernel can read them either way);
// - fix_gamma treats gamma as 1, overwrites the gamma array with 1 (MXNet's undeclared
//   mutation) and writes a zero gamma gradient;
// - the moving averages are updated by the backward kernel, as MXNet's CPU path does, so a
//   training forward without backward leaves them unchanged.
// Statistics are accumulated in double whatever the data's dtype.
#include "core/ops/batch_norm.h"

#include <cmath>

#include "kernels/cpu/cpu_util.h"
#include "kernels/cpu/scratch.h"

namespace loom::cpu {
namespace {

struct BnConfig {
  double eps;
  float momentum;
  bool fix_gamma, use_global_stats;
  int axis;
};

BnConfig config_of(const Attrs& attrs, bool v1) {
  if (v1) {
    const auto& p = attrs.get<BatchNormV1Param>();
    return {static_cast<double>(p.eps), p.momentum, p.fix_gamma, p.use_global_stats, 1};
  }
  const auto& p = attrs.get<BatchNormParam>();
  return {p.eps, p.momentum, p.fix_gamma, p.use_global_stats, p.axis};
}

// The data seen as (outer, channels, inner) around the channel axis.
struct BnLayout {
  dim_t outer, channels, inner;
  dim_t count() const { return outer * inner; }
  template <class F>
  void each(dim_t c, F&& f) const {  // f(flat index) for every element of channel c
    for (dim_t o = 0; o < outer; ++o) {
      dim_t base = (o * channels + c) * inner;
      for (dim_t i = 0; i < inner; ++i) f(base + i);
    }
  }
};

BnLayout layout_of(const Shape& s, int axis, const char* op) {
  int nd = s.ndim();
  int c = axis < 0 ? axis + nd : axis;
  if (c < 0 || c >= nd) fail(op, ": channel axis ", axis, " is out of range for data ", s.str());
  return {s.prod(0, c), s[c], s.prod(c + 1, nd)};
}

// inputs (data, gamma, beta, moving_mean, moving_var) -> (output, mean, inverse std; the
// variance for BatchNorm_v1)
Kernel forward(bool v1) {
  return [v1](const OpContext& ctx, const Attrs& attrs, const std::vector<TBlob>& in,
              const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
    const char* op = v1 ? "BatchNorm_v1" : "BatchNorm";
    BnConfig cfg = config_of(attrs, v1);
    BnLayout l = layout_of(in[0].shape, cfg.axis, op);
    if (in[1].dtype != in[0].dtype)
      fail(op, ": data of dtype ", dtype_name(in[0].dtype),
           " with parameters of another dtype is not supported on CPU");
    real_types(in[0].dtype, op, [&](auto t) {
      using T = decltype(t);
      const T* x = in[0].ptr<T>();
      T* gamma = in[1].ptr<T>();
      const T* beta = in[2].ptr<T>();
      const T* moving_mean = in[3].ptr<T>();
      const T* moving_var = in[4].ptr<T>();
      T* y = out[0].ptr<T>();
      T* mean_out = out[1].ptr<T>();
      T* invstd_out = out[2].ptr<T>();
      bool batch_stats = ctx.is_train && !cfg.use_global_stats;
      dim_t m = l.count();
      for (dim_t c = 0; c < l.channels; ++c) {
        double mean, invstd, var;
        if (batch_stats) {
          double sum = 0;
          l.each(c, [&](dim_t i) { sum += x[i]; });
          mean = m > 0 ? sum / static_cast<double>(m) : 0;
          double sq = 0;
          l.each(c, [&](dim_t i) {
            double d = x[i] - mean;
            sq += d * d;
          });
          var = m > 0 ? sq / static_cast<double>(m) : 0;
        } else {
          mean = moving_mean[c];
          var = moving_var[c];
        }
        invstd = 1 / std::sqrt(var + cfg.eps);
        if (cfg.fix_gamma) gamma[c] = T(1);
        if (mean_out) mean_out[c] = static_cast<T>(mean);
        // BatchNorm_v1 keeps the variance itself in its "var" output
        if (invstd_out) invstd_out[c] = static_cast<T>(v1 ? var : invstd);
        double scale = (cfg.fix_gamma ? 1.0 : static_cast<double>(gamma[c])) * invstd;
        double shift = static_cast<double>(beta[c]) - mean * scale;
        if (req[0] == kNullOp) continue;
        l.each(c, [&](dim_t i) { assign(&y[i], req[0], static_cast<T>(x[i] * scale + shift)); });
      }
    });
  };
}

// inputs (out_grad, data, gamma, mean, invstd, moving_mean, moving_var) -> d data, d gamma,
// d beta; updates moving_mean / moving_var when training with batch statistics.
Kernel backward(bool v1) {
  return [v1](const OpContext& ctx, const Attrs& attrs, const std::vector<TBlob>& in,
              const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
    const char* op = v1 ? "_backward_BatchNorm_v1" : "_backward_BatchNorm";
    BnConfig cfg = config_of(attrs, v1);
    BnLayout l = layout_of(in[1].shape, cfg.axis, op);
    real_types(in[1].dtype, op, [&](auto t) {
      using T = decltype(t);
      const T* dy = in[0].ptr<T>();
      const T* x = in[1].ptr<T>();
      const T* gamma = in[2].ptr<T>();
      const T* batch_mean = in[3].ptr<T>();
      const T* batch_invstd = in[4].ptr<T>();
      T* moving_mean = in[5].ptr<T>();
      T* moving_var = in[6].ptr<T>();
      bool batch_stats = ctx.is_train && !cfg.use_global_stats;
      double m = static_cast<double>(l.count());
      for (dim_t c = 0; c < l.channels; ++c) {
        double mean, invstd;
        if (batch_stats) {
          mean = batch_mean[c];
          invstd = v1 ? 1 / std::sqrt(double(batch_invstd[c]) + cfg.eps) : double(batch_invstd[c]);
        } else {
          mean = moving_mean[c];
          invstd = 1 / std::sqrt(static_cast<double>(moving_var[c]) + cfg.eps);
        }
        double g = cfg.fix_gamma ? 1.0 : static_cast<double>(gamma[c]);
        double sum_dy = 0, sum_dy_xhat = 0;
        l.each(c, [&](dim_t i) {
          sum_dy += dy[i];
          sum_dy_xhat += dy[i] * (x[i] - mean) * invstd;
        });
        if (req[0] != kNullOp) {
          T* dx = out[0].ptr<T>();
          if (batch_stats && m > 0) {
            l.each(c, [&](dim_t i) {
              double xhat = (x[i] - mean) * invstd;
              double v = g * invstd * (dy[i] - sum_dy / m - xhat * sum_dy_xhat / m);
              assign(&dx[i], req[0], static_cast<T>(v));
            });
          } else {
            l.each(c, [&](dim_t i) { assign(&dx[i], req[0], static_cast<T>(dy[i] * g * invstd)); });
          }
        }
        if (req[1] != kNullOp)
          assign(&out[1].ptr<T>()[c], req[1], static_cast<T>(cfg.fix_gamma ? 0.0 : sum_dy_xhat));
        if (req[2] != kNullOp) assign(&out[2].ptr<T>()[c], req[2], static_cast<T>(sum_dy));
        if (batch_stats) {
          double var = 1 / (invstd * invstd) - cfg.eps;
          double mom = cfg.momentum;
          moving_mean[c] = static_cast<T>(moving_mean[c] * mom + mean * (1 - mom));
          moving_var[c] = static_cast<T>(moving_var[c] * mom + var * (1 - mom));
        }
      }
    });
  };
}

LOOM_KERNEL(BatchNorm, kCPU, forward(false));
LOOM_KERNEL(_backward_BatchNorm, kCPU, backward(false));
LOOM_KERNEL(BatchNorm_v1, kCPU, forward(true));
LOOM_KERNEL(_backward_BatchNorm_v1, kCPU, backward(true));

}  // namespace
}  // namespace loom::cpu
