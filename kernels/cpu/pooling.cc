// Pooling on CPU (max, avg, sum, lp with p 1-3; 1-3-D windows or global), forward and backward,
// with MXNet's window rules: a window starts at o*stride - pad and is cut at input + pad (the
// divisor of avg with count_include_pad counts up to there), then at the input itself (the
// divisor without count_include_pad, and the elements read). Padding never wins a max. The max
// gradient goes to the first maximum of the window in scan order, as MXNet's CPU kernel does.
#include "core/ops/pooling.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "core/ops/nn_util.h"
#include "kernels/cpu/cpu_util.h"

namespace loom::cpu {
namespace {

enum class Pool { kMax, kAvg, kSum, kLp };

// Per spatial dim (padded to 3 at the front), per output index: the input range read and the
// extent counted by avg with count_include_pad.
struct PoolPlan {
  int64_t in[3] = {1, 1, 1}, out[3] = {1, 1, 1};
  std::vector<int64_t> start[3], end[3], padded[3];
  int64_t planes = 0;  // batch * channels
  Pool type = Pool::kMax;
  int p = 1;
  bool include_pad = true;

  int64_t in_size() const { return in[0] * in[1] * in[2]; }
  int64_t out_size() const { return out[0] * out[1] * out[2]; }
};

PoolPlan make_plan(const PoolingParam& prm, const Shape& x, const Shape& y, const char* op) {
  if (prm.layout && !is_channel_first(*prm.layout))
    fail(op, ": layout ", *prm.layout, " is not supported on CPU (use NCW, NCHW or NCDHW)");
  PoolPlan pl;
  const int r = x.ndim() - 2;
  pl.planes = x[0] * x[1];
  if (prm.pool_type == "max")
    pl.type = Pool::kMax;
  else if (prm.pool_type == "avg")
    pl.type = Pool::kAvg;
  else if (prm.pool_type == "sum")
    pl.type = Pool::kSum;
  else
    pl.type = Pool::kLp;
  if (pl.type == Pool::kLp) {
    pl.p = prm.p_value.value_or(0);
    if (pl.p < 1 || pl.p > 3) fail(op, ": p_value must be 1, 2 or 3 for lp pooling, got ", pl.p);
  }
  pl.include_pad = prm.count_include_pad.value_or(true);
  for (int i = 0; i < r; ++i) {
    const int j = 3 - r + i;
    const int64_t in = x[2 + i], out = y[2 + i];
    int64_t k = in, s = 1, pad = 0;
    if (!prm.global_pool) {
      k = prm.kernel[i];
      s = prm.stride[i];
      pad = prm.pad[i];
    }
    pl.in[j] = in;
    pl.out[j] = out;
    for (int64_t o = 0; o < out; ++o) {
      int64_t st = o * s - pad, en = std::min(st + k, in + pad);
      pl.padded[j].push_back(en - st);
      pl.start[j].push_back(std::max<int64_t>(st, 0));
      pl.end[j].push_back(std::max(std::max<int64_t>(st, 0), std::min(en, in)));
    }
  }
  for (int j = 0; j < 3 - r; ++j) {
    pl.start[j] = {0};
    pl.end[j] = {1};
    pl.padded[j] = {1};
  }
  return pl;
}

// Calls f(out_index, s0, e0, s1, e1, s2, e2, divisor) for every window of a plane.
template <class F>
void for_windows(const PoolPlan& pl, F&& f) {
  int64_t oi = 0;
  for (int64_t a = 0; a < pl.out[0]; ++a)
    for (int64_t b = 0; b < pl.out[1]; ++b)
      for (int64_t c = 0; c < pl.out[2]; ++c, ++oi) {
        const int64_t s0 = pl.start[0][a], e0 = pl.end[0][a], s1 = pl.start[1][b],
                      e1 = pl.end[1][b], s2 = pl.start[2][c], e2 = pl.end[2][c];
        int64_t count = pl.include_pad ? pl.padded[0][a] * pl.padded[1][b] * pl.padded[2][c]
                                       : (e0 - s0) * (e1 - s1) * (e2 - s2);
        f(oi, s0, e0, s1, e1, s2, e2, count);
      }
}

template <class T>
inline T power(T v, int p) {
  return p == 1 ? v : p == 2 ? v * v : v * v * v;
}

template <class T>
void pool_forward(const PoolPlan& pl, const T* x, OpReq req, T* y) {
  const int64_t isz = pl.in_size(), osz = pl.out_size();
  const int64_t n1 = pl.in[1], n2 = pl.in[2];
  for (int64_t pi = 0; pi < pl.planes; ++pi) {
    const T* xp = x + pi * isz;
    T* yp = y + pi * osz;
    for_windows(pl, [&](int64_t oi, int64_t s0, int64_t e0, int64_t s1, int64_t e1, int64_t s2,
                        int64_t e2, int64_t count) {
      T v;
      if (pl.type == Pool::kMax) {
        v = std::numeric_limits<T>::lowest();
        for (int64_t a = s0; a < e0; ++a)
          for (int64_t b = s1; b < e1; ++b) {
            const T* line = xp + (a * n1 + b) * n2;
            for (int64_t c = s2; c < e2; ++c) v = line[c] > v ? line[c] : v;
          }
      } else {
        T acc = 0;
        const int p = pl.type == Pool::kLp ? pl.p : 1;
        for (int64_t a = s0; a < e0; ++a)
          for (int64_t b = s1; b < e1; ++b) {
            const T* line = xp + (a * n1 + b) * n2;
            if (p == 1) {
              for (int64_t c = s2; c < e2; ++c) acc += line[c];
            } else {
              for (int64_t c = s2; c < e2; ++c) acc += power(line[c], p);
            }
          }
        if (pl.type == Pool::kAvg)
          v = count > 0 ? acc / static_cast<T>(count) : T(0);
        else if (pl.type == Pool::kLp && p == 2)
          v = std::sqrt(acc);
        else if (pl.type == Pool::kLp && p == 3)
          v = std::cbrt(acc);
        else
          v = acc;
      }
      assign(yp + oi, req, v);
    });
  }
}

// dx from dy; y is recomputed where needed (lp) so only data is kept for the backward pass.
template <class T>
void pool_backward(const PoolPlan& pl, const T* dy, const T* x, OpReq req, T* dx) {
  const int64_t isz = pl.in_size(), osz = pl.out_size();
  const int64_t n1 = pl.in[1], n2 = pl.in[2];
  if (req != kAddTo) std::fill(dx, dx + pl.planes * isz, T(0));
  for (int64_t pi = 0; pi < pl.planes; ++pi) {
    const T* xp = x + pi * isz;
    const T* gp = dy + pi * osz;
    T* dp = dx + pi * isz;
    for_windows(pl, [&](int64_t oi, int64_t s0, int64_t e0, int64_t s1, int64_t e1, int64_t s2,
                        int64_t e2, int64_t count) {
      const T g = gp[oi];
      if (pl.type == Pool::kMax) {
        // first maximum in scan order, with selects rather than branches (random data would
        // mispredict them); a window wholly in the padding has none
        T v = std::numeric_limits<T>::lowest();
        int64_t best = -1;
        for (int64_t a = s0; a < e0; ++a)
          for (int64_t b = s1; b < e1; ++b) {
            const int64_t base = (a * n1 + b) * n2;
            for (int64_t c = s2; c < e2; ++c) {
              const T x = xp[base + c];
              const bool take = x > v || best < 0;
              v = take ? x : v;
              best = take ? base + c : best;
            }
          }
        if (best >= 0) dp[best] += g;
        return;
      }
      T scale = g;
      if (pl.type == Pool::kAvg) scale = count > 0 ? g / static_cast<T>(count) : T(0);
      if (pl.type == Pool::kLp && pl.p > 1) {
        T acc = 0;
        for (int64_t a = s0; a < e0; ++a)
          for (int64_t b = s1; b < e1; ++b) {
            const T* line = xp + (a * n1 + b) * n2;
            for (int64_t c = s2; c < e2; ++c) acc += power(line[c], pl.p);
          }
        // d/dx (sum x^p)^(1/p) = x^(p-1) / y^(p-1)
        const T y = pl.p == 2 ? std::sqrt(acc) : std::cbrt(acc);
        const T denom = power(y, pl.p - 1);
        for (int64_t a = s0; a < e0; ++a)
          for (int64_t b = s1; b < e1; ++b) {
            const int64_t base = (a * n1 + b) * n2;
            for (int64_t c = s2; c < e2; ++c)
              dp[base + c] += g * power(xp[base + c], pl.p - 1) / denom;
          }
        return;
      }
      for (int64_t a = s0; a < e0; ++a)
        for (int64_t b = s1; b < e1; ++b) {
          T* line = dp + (a * n1 + b) * n2;
          for (int64_t c = s2; c < e2; ++c) line[c] += scale;
        }
    });
  }
}

void pooling_forward(const OpContext&, const Attrs& attrs, const std::vector<TBlob>& in,
                     const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
  if (req[0] == kNullOp) return;
  PoolPlan pl = make_plan(attrs.get<PoolingParam>(), in[0].shape, out[0].shape, "Pooling");
  real_types(in[0].dtype, "Pooling", [&](auto t) {
    using T = decltype(t);
    pool_forward<T>(pl, in[0].ptr<T>(), req[0], out[0].ptr<T>());
  });
}

// inputs (out_grad, data) -> (d data)
void pooling_backward(const OpContext&, const Attrs& attrs, const std::vector<TBlob>& in,
                      const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
  if (req[0] == kNullOp) return;
  PoolPlan pl = make_plan(attrs.get<PoolingParam>(), in[1].shape, in[0].shape, "_backward_Pooling");
  real_types(in[0].dtype, "_backward_Pooling", [&](auto t) {
    using T = decltype(t);
    pool_backward<T>(pl, in[0].ptr<T>(), in[1].ptr<T>(), req[0], out[0].ptr<T>());
  });
}

LOOM_KERNEL(Pooling, kCPU, pooling_forward);
LOOM_KERNEL(_backward_Pooling, kCPU, pooling_backward);

}  // namespace
}  // namespace loom::cpu
