// InstanceNorm, LayerNorm and L2Normalization on CPU. Each normalises groups of elements laid
// out as (outer, extent, inner): group g = (o, i) holds the `extent` elements
// (o*extent + e)*inner + i, and its statistic sits at flat index g = o*inner + i of the hidden
// outputs. InstanceNorm: groups are (n, c) over the spatial extent, hidden var = variance;
// LayerNorm: groups are the positions around `axis`, hidden std = sqrt(var + eps);
// L2Normalization: x / sqrt(sum x^2 + eps) per instance, per position across channels, or per
// channel across positions; hidden norm = that denominator. Statistics are kept in double.
#include <algorithm>
#include <cmath>

#include "core/ops/misc_nn.h"
#include "kernels/cpu/cpu_util.h"
#include "kernels/cpu/scratch.h"

namespace loom::cpu {
namespace {

using Blobs = std::vector<TBlob>;
using Reqs = std::vector<OpReq>;

struct Groups {
  dim_t outer, extent, inner;
  dim_t count() const { return outer * inner; }
  dim_t at(dim_t g, dim_t e) const { return ((g / inner) * extent + e) * inner + g % inner; }
};

// InstanceNorm: (N*C, spatial, 1), gamma by channel; LayerNorm: around the axis, gamma by e.
Groups instance_groups(const Shape& s) { return {s[0] * s[1], s.prod(2, s.ndim()), 1}; }

Groups layer_groups(const Attrs& attrs, const Shape& s, const char* op) {
  int nd = s.ndim(), axis = attrs.get<LayerNormParam>().axis;
  int a = axis < 0 ? axis + nd : axis;
  if (a < 0 || a >= nd) fail(op, ": axis ", axis, " is out of range for data ", s.str());
  return {s.prod(0, a), s[a], s.prod(a + 1, nd)};
}

// inputs (data, gamma, beta) -> (output, mean, var or std)
template <bool kLayer>
void norm_forward(const OpContext&, const Attrs& attrs, const Blobs& in, const Reqs& req,
                  const Blobs& out) {
  const char* op = kLayer ? "LayerNorm" : "InstanceNorm";
  Groups gr = kLayer ? layer_groups(attrs, in[0].shape, op) : instance_groups(in[0].shape);
  double eps = kLayer ? attrs.get<LayerNormParam>().eps : attrs.get<InstanceNormParam>().eps;
  dim_t channels = in[0].shape.ndim() > 1 ? in[0].shape[1] : 1;
  real_types(in[0].dtype, op, [&](auto t) {
    using T = decltype(t);
    const T *x = in[0].ptr<T>(), *gamma = in[1].ptr<T>(), *beta = in[2].ptr<T>();
    T *y = out[0].ptr<T>(), *mean_out = out[1].ptr<T>(), *stat_out = out[2].ptr<T>();
    double m = static_cast<double>(gr.extent);
    for (dim_t g = 0; g < gr.count(); ++g) {
      double sum = 0, sq = 0;
      for (dim_t e = 0; e < gr.extent; ++e) sum += x[gr.at(g, e)];
      double mean = sum / m;
      for (dim_t e = 0; e < gr.extent; ++e) {
        double d = x[gr.at(g, e)] - mean;
        sq += d * d;
      }
      double var = sq / m, invstd = 1 / std::sqrt(var + eps);
      if (mean_out) mean_out[g] = static_cast<T>(mean);
      if (stat_out) stat_out[g] = static_cast<T>(kLayer ? std::sqrt(var + eps) : var);
      if (req[0] == kNullOp) continue;
      for (dim_t e = 0; e < gr.extent; ++e) {
        dim_t i = gr.at(g, e), c = kLayer ? e : g % channels;
        assign(&y[i], req[0], static_cast<T>((x[i] - mean) * invstd * gamma[c] + beta[c]));
      }
    }
  });
}

// inputs (out_grad, data, gamma, mean, var or std) -> d data, d gamma, d beta
template <bool kLayer>
void norm_backward(const OpContext&, const Attrs& attrs, const Blobs& in, const Reqs& req,
                   const Blobs& out) {
  const char* op = kLayer ? "_backward_LayerNorm" : "_backward_InstanceNorm";
  Groups gr = kLayer ? layer_groups(attrs, in[1].shape, op) : instance_groups(in[1].shape);
  double eps = kLayer ? attrs.get<LayerNormParam>().eps : attrs.get<InstanceNormParam>().eps;
  dim_t channels = in[1].shape.ndim() > 1 ? in[1].shape[1] : 1;
  real_types(in[1].dtype, op, [&](auto t) {
    using T = decltype(t);
    const T *dy = in[0].ptr<T>(), *x = in[1].ptr<T>(), *gamma = in[2].ptr<T>();
    const T *mean_in = in[3].ptr<T>(), *stat_in = in[4].ptr<T>();
    dim_t nparam = in[2].size();
    double* dgamma = scratch<double>(static_cast<size_t>(nparam), 0);
    double* dbeta = scratch<double>(static_cast<size_t>(nparam), 1);
    std::fill(dgamma, dgamma + nparam, 0.0);
    std::fill(dbeta, dbeta + nparam, 0.0);
    double m = static_cast<double>(gr.extent);
    for (dim_t g = 0; g < gr.count(); ++g) {
      double mean = mean_in[g];
      double invstd = kLayer ? 1 / double(stat_in[g]) : 1 / std::sqrt(double(stat_in[g]) + eps);
      double sum_d = 0, sum_d_xhat = 0;  // of d xhat = dy * gamma
      for (dim_t e = 0; e < gr.extent; ++e) {
        dim_t i = gr.at(g, e), c = kLayer ? e : g % channels;
        double xhat = (x[i] - mean) * invstd;
        double d = dy[i] * double(gamma[c]);
        sum_d += d;
        sum_d_xhat += d * xhat;
        dgamma[c] += dy[i] * xhat;
        dbeta[c] += dy[i];
      }
      if (req[0] == kNullOp) continue;
      T* dx = out[0].ptr<T>();
      for (dim_t e = 0; e < gr.extent; ++e) {
        dim_t i = gr.at(g, e), c = kLayer ? e : g % channels;
        double xhat = (x[i] - mean) * invstd;
        double v = invstd * (dy[i] * double(gamma[c]) - sum_d / m - xhat * sum_d_xhat / m);
        assign(&dx[i], req[0], static_cast<T>(v));
      }
    }
    for (dim_t c = 0; c < nparam; ++c) {
      if (req[1] != kNullOp) assign(&out[1].ptr<T>()[c], req[1], static_cast<T>(dgamma[c]));
      if (req[2] != kNullOp) assign(&out[2].ptr<T>()[c], req[2], static_cast<T>(dbeta[c]));
    }
  });
}

Groups l2_groups(const Attrs& attrs, const Shape& s) {
  const std::string& mode = attrs.get<L2NormalizationParam>().mode;
  int nd = s.ndim();
  if (mode == "channel") return {s[0], s[1], s.prod(2, nd)};
  if (mode == "spatial") return {s[0] * s[1], s.prod(2, nd), 1};
  return {s[0], s.prod(1, nd), 1};
}

// inputs (data) -> (output, norm)
void l2_forward(const OpContext&, const Attrs& attrs, const Blobs& in, const Reqs& req,
                const Blobs& out) {
  Groups gr = l2_groups(attrs, in[0].shape);
  double eps = attrs.get<L2NormalizationParam>().eps;
  real_types(in[0].dtype, "L2Normalization", [&](auto t) {
    using T = decltype(t);
    const T* x = in[0].ptr<T>();
    T *y = out[0].ptr<T>(), *norm = out[1].ptr<T>();
    for (dim_t g = 0; g < gr.count(); ++g) {
      double sq = 0;
      for (dim_t e = 0; e < gr.extent; ++e) sq += double(x[gr.at(g, e)]) * x[gr.at(g, e)];
      double n = std::sqrt(sq + eps);
      if (norm) norm[g] = static_cast<T>(n);
      if (req[0] == kNullOp) continue;
      for (dim_t e = 0; e < gr.extent; ++e) {
        dim_t i = gr.at(g, e);
        assign(&y[i], req[0], static_cast<T>(x[i] / n));
      }
    }
  });
}

// inputs (out_grad, output, norm) -> d data = (dy - y * <dy, y>) / norm per group
void l2_backward(const OpContext&, const Attrs& attrs, const Blobs& in, const Reqs& req,
                 const Blobs& out) {
  if (req[0] == kNullOp) return;
  Groups gr = l2_groups(attrs, in[1].shape);
  real_types(in[1].dtype, "_backward_L2Normalization", [&](auto t) {
    using T = decltype(t);
    const T *dy = in[0].ptr<T>(), *y = in[1].ptr<T>(), *norm = in[2].ptr<T>();
    T* dx = out[0].ptr<T>();
    for (dim_t g = 0; g < gr.count(); ++g) {
      double dot = 0;
      for (dim_t e = 0; e < gr.extent; ++e) dot += double(dy[gr.at(g, e)]) * y[gr.at(g, e)];
      for (dim_t e = 0; e < gr.extent; ++e) {
        dim_t i = gr.at(g, e);
        assign(&dx[i], req[0], static_cast<T>((dy[i] - y[i] * dot) / double(norm[g])));
      }
    }
  });
}

LOOM_KERNEL(InstanceNorm, kCPU, norm_forward<false>);
LOOM_KERNEL(_backward_InstanceNorm, kCPU, norm_backward<false>);
LOOM_KERNEL(LayerNorm, kCPU, norm_forward<true>);
LOOM_KERNEL(_backward_LayerNorm, kCPU, norm_backward<true>);
LOOM_KERNEL(L2Normalization, kCPU, l2_forward);
LOOM_KERNEL(_backward_L2Normalization, kCPU, l2_backward);

}  // namespace
}  // namespace loom::cpu
