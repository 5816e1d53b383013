// CPU kernels of the smaller neural-network layers: Dropout, Concat, SliceChannel, the softmax
// family (softmax, log_softmax, softmin, SoftmaxActivation), LeakyReLU, LRN, Embedding and the
// gradient markers BlockGrad, make_loss and MakeLoss. Semantics follow MXNet 1.9.1 (spec 4.4);
// random draws (Dropout, rrelu) come from the engine's seeded state, so they are reproducible
// after seeding but are not MXNet's numbers.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>

#include "core/ops/concat.h"
#include "core/ops/dropout.h"
#include "core/ops/embedding.h"
#include "core/ops/leaky_relu.h"
#include "core/ops/lrn.h"
#include "core/ops/misc_nn.h"
#include "core/ops/slice_channel.h"
#include "core/ops/softmax.h"
#include "kernels/cpu/numeric.h"
#include "kernels/cpu/scratch.h"
#include "kernels/random.h"

namespace loom::cpu {
namespace {

using Blobs = std::vector<TBlob>;
using Reqs = std::vector<OpReq>;

int axis_in(int axis, int ndim, const char* op) {
  int a = axis < 0 ? axis + ndim : axis;
  if (a < 0 || a >= ndim) fail(op, ": axis ", axis, " is out of range for ", ndim, "-d data");
  return a;
}

// Copies `n` elements of `src` onto `dst` under req (any real dtype).
template <class T>
void put(T* dst, const T* src, dim_t n, OpReq req) {
  if (req == kNullOp) return;
  if (req == kAddTo) {
    for (dim_t i = 0; i < n; ++i) dst[i] += src[i];
  } else if (dst != src) {
    std::memmove(dst, src, static_cast<size_t>(n) * sizeof(T));
  }
}

// ------------------------------------------------------------------------------- Dropout

// For each element of `full`, the index of the element of `mask` (same ndim, some dims 1) it
// broadcasts from.
struct BroadcastIndex {
  std::vector<dim_t> full, mstride;
  explicit BroadcastIndex(const Shape& full_shape, const Shape& mask_shape) {
    int nd = full_shape.ndim();
    full = full_shape.dims();
    mstride.assign(nd, 0);
    dim_t s = 1;
    for (int d = nd - 1; d >= 0; --d) {
      mstride[d] = mask_shape[d] == 1 ? 0 : s;
      s *= mask_shape[d];
    }
  }
  dim_t operator()(dim_t i) const {
    dim_t r = 0;
    for (int d = static_cast<int>(full.size()) - 1; d >= 0; --d) {
      r += (i % full[d]) * mstride[d];
      i /= full[d];
    }
    return r;
  }
};

// inputs (data) -> (output, mask). The mask holds 0 or 1/(1-p) when dropping, else ones.
void dropout_forward(const OpContext& ctx, const Attrs& attrs, const Blobs& in, const Reqs& req,
                     const Blobs& out) {
  const auto& p = attrs.get<DropoutParam>();
  real_types(in[0].dtype, "Dropout", [&](auto t) {
    using T = decltype(t);
    const T* x = in[0].ptr<T>();
    T* mask = out[1].ptr<T>();
    dim_t nmask = out[1].size();
    bool drop = (ctx.is_train || p.mode == "always") && p.p > 0;
    if (drop) {
      double keep = 1.0 - static_cast<double>(p.p);
      T scale = keep > 0 ? static_cast<T>(1.0 / keep) : T(0);
      auto rng = call_generator();
      std::bernoulli_distribution kept(std::max(0.0, keep));
      for (dim_t i = 0; i < nmask; ++i) mask[i] = kept(rng) ? scale : T(0);
    } else {
      std::fill(mask, mask + nmask, T(1));
    }
    if (!drop) {
      put(out[0].ptr<T>(), x, in[0].size(), req[0]);
      return;
    }
    if (nmask == in[0].size()) {
      map_out<T>(out[0], req[0], [&](dim_t i) { return x[i] * mask[i]; });
    } else {
      BroadcastIndex bi(in[0].shape, out[1].shape);
      map_out<T>(out[0], req[0], [&](dim_t i) { return x[i] * mask[bi(i)]; });
    }
  });
}

// inputs (out_grad, mask) -> d data
void dropout_backward(const OpContext&, const Attrs&, const Blobs& in, const Reqs& req,
                      const Blobs& out) {
  real_types(in[0].dtype, "_backward_Dropout", [&](auto t) {
    using T = decltype(t);
    const T* g = in[0].ptr<T>();
    const T* mask = in[1].ptr<T>();
    if (in[1].size() == in[0].size()) {
      map_out<T>(out[0], req[0], [&](dim_t i) { return g[i] * mask[i]; });
    } else {
      BroadcastIndex bi(in[0].shape, in[1].shape);
      map_out<T>(out[0], req[0], [&](dim_t i) { return g[i] * mask[bi(i)]; });
    }
  });
}

// ------------------------------------------------------------------ Concat / SliceChannel

// (outer, extent, inner) of `s` around axis `a`.
struct AxisSplit {
  dim_t outer, extent, inner;
};
AxisSplit around(const Shape& s, int a) { return {s.prod(0, a), s[a], s.prod(a + 1, s.ndim())}; }

// Copies the pieces `parts` (each (outer, extent_k, inner)) to or from the joined array
// `whole` (outer, sum extent_k, inner). to_whole: pieces -> whole under req[0]; otherwise
// whole -> pieces under req[k].
template <class T>
void join_or_cut(T* whole, dim_t outer, dim_t inner, const std::vector<T*>& parts,
                 const std::vector<dim_t>& extents, bool to_whole, const Reqs& req) {
  dim_t total = 0;
  for (dim_t e : extents) total += e;
  dim_t offset = 0;
  for (size_t k = 0; k < parts.size(); ++k) {
    dim_t len = extents[k] * inner;
    OpReq r = to_whole ? req[0] : req[k];
    if (r != kNullOp)
      for (dim_t o = 0; o < outer; ++o) {
        T* w = whole + o * total * inner + offset * inner;
        T* piece = parts[k] + o * len;
        if (to_whole)
          put(w, piece, len, r);
        else
          put(piece, w, len, r);
      }
    offset += extents[k];
  }
}

void concat_forward(const OpContext&, const Attrs& attrs, const Blobs& in, const Reqs& req,
                    const Blobs& out) {
  int a = axis_in(attrs.get<ConcatParam>().dim, out[0].shape.ndim(), "Concat");
  number_types(out[0].dtype, "Concat", [&](auto t) {
    using T = decltype(t);
    std::vector<T*> parts;
    std::vector<dim_t> extents;
    for (const auto& b : in) {
      parts.push_back(b.ptr<T>());
      extents.push_back(b.shape[a]);
    }
    AxisSplit s = around(out[0].shape, a);
    join_or_cut(out[0].ptr<T>(), s.outer, s.inner, parts, extents, true, req);
  });
}

// inputs (out_grad, arg0, ...) -> d arg0, ...
void concat_backward(const OpContext&, const Attrs& attrs, const Blobs& in, const Reqs& req,
                     const Blobs& out) {
  int a = axis_in(attrs.get<ConcatParam>().dim, in[0].shape.ndim(), "_backward_Concat");
  real_types(in[0].dtype, "_backward_Concat", [&](auto t) {
    using T = decltype(t);
    std::vector<T*> parts;
    std::vector<dim_t> extents;
    for (const auto& b : out) {
      parts.push_back(b.ptr<T>());
      extents.push_back(b.shape[a]);
    }
    AxisSplit s = around(in[0].shape, a);
    join_or_cut(in[0].ptr<T>(), s.outer, s.inner, parts, extents, false, req);
  });
}

// The split axis of the joined array and the pieces' extent on it.
std::pair<AxisSplit, dim_t> slice_layout(const Attrs& attrs, const Shape& whole, const char* op) {
  const auto& p = attrs.get<SliceChannelParam>();
  int a = axis_in(p.axis, whole.ndim(), op);
  AxisSplit s = around(whole, a);
  return {s, s.extent / p.num_outputs};
}

void slice_channel_forward(const OpContext&, const Attrs& attrs, const Blobs& in, const Reqs& req,
                           const Blobs& out) {
  auto [s, piece] = slice_layout(attrs, in[0].shape, "SliceChannel");
  number_types(in[0].dtype, "SliceChannel", [&](auto t) {
    using T = decltype(t);
    std::vector<T*> parts;
    for (const auto& b : out) parts.push_back(b.ptr<T>());
    join_or_cut(in[0].ptr<T>(), s.outer, s.inner, parts, std::vector<dim_t>(out.size(), piece),
                false, req);
  });
}

// inputs (d output0, d output1, ...) -> d data
void slice_channel_backward(const OpContext&, const Attrs& attrs, const Blobs& in, const Reqs& req,
                            const Blobs& out) {
  auto [s, piece] = slice_layout(attrs, out[0].shape, "_backward_SliceChannel");
  real_types(out[0].dtype, "_backward_SliceChannel", [&](auto t) {
    using T = decltype(t);
    std::vector<T*> parts;
    for (const auto& b : in) parts.push_back(b.ptr<T>());
    join_or_cut(out[0].ptr<T>(), s.outer, s.inner, parts, std::vector<dim_t>(in.size(), piece),
                true, req);
  });
}

// ------------------------------------------------------------------------ softmax family

enum class Soft { kSoftmax, kLogSoftmax, kSoftmin };

// `outer` groups of `classes` values spaced `inner` apart.
struct Groups {
  dim_t outer, classes, inner;
  template <class F>
  void each(F&& f) const {  // f(base index, stride)
    for (dim_t o = 0; o < outer; ++o)
      for (dim_t i = 0; i < inner; ++i) f(o * classes * inner + i, inner);
  }
};

Groups groups_of(const Attrs& attrs, bool activation, const Shape& s, const char* op) {
  int nd = s.ndim();
  if (activation) {
    if (attrs.get<SoftmaxActivationParam>().mode == "channel") {
      if (nd < 2) fail(op, ": mode=channel needs data with a channel axis, got ", s.str());
      return {s[0], s[1], s.prod(2, nd)};
    }
    // instance: MXNet flattens to 2-D keeping the last axis (mshadow FlatTo2D), so each row
    // of the last axis is normalised. (MXNet's backward groups >2-D data over axis 1 instead,
    // which is not the forward's derivative; Loom differentiates its forward.)
    return {s.prod(0, nd - 1), s[nd - 1], 1};
  }
  AxisSplit a = around(s, axis_in(attrs.get<SoftmaxParam>().axis, nd, op));
  return {a.outer, a.extent, a.inner};
}

double temperature_of(const Attrs& attrs, bool activation) {
  return activation ? 1.0 : attrs.get<SoftmaxParam>().temperature.value_or(1.0);
}

// Calls f(In{}, Out{}) for the float32/float64 combination of the two dtypes.
template <class F>
void two_real_types(int a, int b, const char* op, F&& f) {
  real_types(a, op, [&](auto x) { real_types(b, op, [&](auto y) { f(x, y); }); });
}

Kernel softmax_forward(Soft kind, bool activation, const char* op) {
  return [=](const OpContext&, const Attrs& attrs, const Blobs& in, const Reqs& req,
             const Blobs& out) {
    if (!activation && in.size() > 1)
      fail(op, ": use_length=True is not supported by the CPU kernel");
    if (req[0] == kNullOp) return;
    Groups g = groups_of(attrs, activation, in[0].shape, op);
    double temp = temperature_of(attrs, activation);
    double sign = kind == Soft::kSoftmin ? -1.0 : 1.0;
    two_real_types(in[0].dtype, out[0].dtype, op, [&](auto ti, auto to) {
      using TI = decltype(ti);
      using TO = decltype(to);
      const TI* x = in[0].ptr<TI>();
      TO* y = out[0].ptr<TO>();
      g.each([&](dim_t base, dim_t stride) {
        auto at = [&](dim_t c) { return base + c * stride; };
        double mx = -INFINITY;
        for (dim_t c = 0; c < g.classes; ++c) mx = std::max(mx, sign * x[at(c)] / temp);
        double sum = 0;
        for (dim_t c = 0; c < g.classes; ++c) sum += std::exp(sign * x[at(c)] / temp - mx);
        for (dim_t c = 0; c < g.classes; ++c) {
          double z = sign * x[at(c)] / temp - mx;
          double v = kind == Soft::kLogSoftmax ? z - std::log(sum) : std::exp(z) / sum;
          assign(&y[at(c)], req[0], static_cast<TO>(v));
        }
      });
    });
  };
}

// inputs (out_grad, output[, data]) -> d data
Kernel softmax_backward(Soft kind, bool activation, const char* op) {
  return [=](const OpContext&, const Attrs& attrs, const Blobs& in, const Reqs& req,
             const Blobs& out) {
    if (req[0] == kNullOp) return;
    Groups g = groups_of(attrs, activation, in[1].shape, op);
    double temp = temperature_of(attrs, activation);
    two_real_types(out[0].dtype, in[1].dtype, op, [&](auto ti, auto to) {
      using TI = decltype(ti);
      using TO = decltype(to);
      const TO* dy = in[0].ptr<TO>();
      const TO* y = in[1].ptr<TO>();
      TI* dx = out[0].ptr<TI>();
      g.each([&](dim_t base, dim_t stride) {
        auto at = [&](dim_t c) { return base + c * stride; };
        double dot = 0;
        for (dim_t c = 0; c < g.classes; ++c)
          dot += kind == Soft::kLogSoftmax ? double(dy[at(c)]) : double(dy[at(c)]) * y[at(c)];
        for (dim_t c = 0; c < g.classes; ++c) {
          dim_t i = at(c);
          double v = kind == Soft::kLogSoftmax ? dy[i] - std::exp(double(y[i])) * dot
                                               : (dy[i] - dot) * y[i];
          if (kind == Soft::kSoftmin) v = -v;
          assign(&dx[i], req[0], static_cast<TI>(v / temp));
        }
      });
    });
  };
}

// ------------------------------------------------------------------------------ LeakyReLU

enum class Leaky { kLeaky, kPrelu, kRrelu, kElu, kSelu, kGelu };

Leaky leaky_kind(const LeakyReLUParam& p) {
  if (p.act_type == "prelu") return Leaky::kPrelu;
  if (p.act_type == "rrelu") return Leaky::kRrelu;
  if (p.act_type == "elu") return Leaky::kElu;
  if (p.act_type == "selu") return Leaky::kSelu;
  if (p.act_type == "gelu") return Leaky::kGelu;
  return Leaky::kLeaky;
}

constexpr double kSeluAlpha = 1.6732632423543772848170429916717;
constexpr double kSeluLambda = 1.0507009873554804934193349852946;
constexpr double kSqrtHalf = 0.70710678118654752440084436210485;
constexpr double kInvSqrt2Pi = 0.39894228040143267793994605993438;

// prelu's gamma index for element i: one gamma for all, or one per channel (axis 1).
struct GammaIndex {
  dim_t n_gamma, channels, inner;
  GammaIndex(const Shape& data, dim_t n) : n_gamma(n) {
    channels = data.ndim() > 1 ? data[1] : 1;
    inner = data.ndim() > 2 ? data.prod(2, data.ndim()) : 1;
    if (n != 1 && n != channels)
      fail("LeakyReLU(prelu): gamma has ", n, " elements; expected 1 or the ", channels,
           " channels of data ", data.str());
  }
  dim_t operator()(dim_t i) const { return n_gamma == 1 ? 0 : (i / inner) % channels; }
};

// inputs (data[, gamma]) -> (output[, mask])
void leaky_forward(const OpContext& ctx, const Attrs& attrs, const Blobs& in, const Reqs& req,
                   const Blobs& out) {
  const auto& p = attrs.get<LeakyReLUParam>();
  Leaky kind = leaky_kind(p);
  real_types(in[0].dtype, "LeakyReLU", [&](auto t) {
    using T = decltype(t);
    const T* x = in[0].ptr<T>();
    const double slope = p.slope;
    switch (kind) {
      case Leaky::kLeaky:
        map_out<T>(out[0], req[0], [&](dim_t i) { return x[i] > 0 ? x[i] : T(slope * x[i]); });
        break;
      case Leaky::kPrelu: {
        const T* gamma = in[1].ptr<T>();
        GammaIndex gi(in[0].shape, in[1].size());
        map_out<T>(out[0], req[0], [&](dim_t i) { return x[i] > 0 ? x[i] : gamma[gi(i)] * x[i]; });
        break;
      }
      case Leaky::kRrelu: {
        T* mask = out[1].ptr<T>();
        dim_t n = in[0].size();
        if (ctx.is_train) {
          auto rng = call_generator();
          std::uniform_real_distribution<double> u(p.lower_bound, p.upper_bound);
          for (dim_t i = 0; i < n; ++i) mask[i] = static_cast<T>(u(rng));
        } else {
          std::fill(mask, mask + n, static_cast<T>((p.lower_bound + p.upper_bound) / 2.0));
        }
        map_out<T>(out[0], req[0], [&](dim_t i) { return x[i] > 0 ? x[i] : mask[i] * x[i]; });
        break;
      }
      case Leaky::kElu:
        map_out<T>(out[0], req[0],
                   [&](dim_t i) { return x[i] > 0 ? x[i] : T(slope * std::expm1(double(x[i]))); });
        break;
      case Leaky::kSelu:
        map_out<T>(out[0], req[0], [&](dim_t i) {
          double v = x[i] > 0 ? double(x[i]) : kSeluAlpha * std::expm1(double(x[i]));
          return T(kSeluLambda * v);
        });
        break;
      case Leaky::kGelu:
        map_out<T>(out[0], req[0], [&](dim_t i) {
          double v = x[i];
          return T(0.5 * v * (1 + std::erf(v * kSqrtHalf)));
        });
        break;
    }
  });
}

// inputs (out_grad, data[, gamma | mask]) -> (d data[, d gamma])
void leaky_backward(const OpContext&, const Attrs& attrs, const Blobs& in, const Reqs& req,
                    const Blobs& out) {
  const auto& p = attrs.get<LeakyReLUParam>();
  Leaky kind = leaky_kind(p);
  real_types(in[0].dtype, "_backward_LeakyReLU", [&](auto t) {
    using T = decltype(t);
    const T* g = in[0].ptr<T>();
    const T* x = in[1].ptr<T>();
    const double slope = p.slope;
    auto slope_at = [&](dim_t i) -> double {
      double v = x[i];
      switch (kind) {
        case Leaky::kLeaky:
          return v > 0 ? 1 : slope;
        case Leaky::kRrelu:
          return v > 0 ? 1 : double(in[2].ptr<T>()[i]);
        case Leaky::kElu:
          return v > 0 ? 1 : slope * std::exp(v);
        // the true derivative; MXNet 1.9.1 gives lambda*(y + alpha) for y <= 0 (a bug)
        case Leaky::kSelu:
          return kSeluLambda * (v > 0 ? 1 : kSeluAlpha * std::exp(v));
        case Leaky::kGelu:
          return 0.5 * (1 + std::erf(v * kSqrtHalf)) + v * kInvSqrt2Pi * std::exp(-0.5 * v * v);
        case Leaky::kPrelu:
          return 0;  // handled below
      }
      return 0;
    };
    if (kind != Leaky::kPrelu) {
      map_out<T>(out[0], req[0], [&](dim_t i) { return T(g[i] * slope_at(i)); });
      return;
    }
    const T* gamma = in[2].ptr<T>();
    GammaIndex gi(in[1].shape, in[2].size());
    map_out<T>(out[0], req[0], [&](dim_t i) { return x[i] > 0 ? g[i] : g[i] * gamma[gi(i)]; });
    if (req[1] == kNullOp) return;
    size_t ng = static_cast<size_t>(in[2].size());
    double* dgamma = scratch<double>(ng, 0);
    std::fill(dgamma, dgamma + ng, 0.0);
    for (dim_t i = 0; i < in[1].size(); ++i)
      if (!(x[i] > 0)) dgamma[gi(i)] += double(g[i]) * x[i];
    T* dg = out[1].ptr<T>();
    for (size_t k = 0; k < ng; ++k) assign(&dg[k], req[1], static_cast<T>(dgamma[k]));
  });
}

// ------------------------------------------------------------------------------------ LRN

// The channel window of LRN: channels c-h .. c+h (clipped), h = nsize / 2.
struct LrnLayout {
  dim_t outer, channels, inner, half;
};

LrnLayout lrn_layout(const Attrs& attrs, const Shape& s, const char* op) {
  if (s.ndim() < 2) fail(op, ": data needs a channel axis 1, got ", s.str());
  return {s[0], s[1], s.prod(2, s.ndim()), attrs.get<LRNParam>().nsize / 2};
}

// inputs (data) -> (output, tmp_norm = knorm + alpha/nsize * window sum of squares)
void lrn_forward(const OpContext&, const Attrs& attrs, const Blobs& in, const Reqs& req,
                 const Blobs& out) {
  const auto& p = attrs.get<LRNParam>();
  if (p.nsize <= 0 || p.nsize % 2 == 0)
    fail("LRN: nsize must be a positive odd number (as in MXNet), got ", p.nsize);
  LrnLayout l = lrn_layout(attrs, in[0].shape, "LRN");
  real_types(in[0].dtype, "LRN", [&](auto t) {
    using T = decltype(t);
    const T* x = in[0].ptr<T>();
    T* norm = out[1].ptr<T>();
    double salpha = static_cast<double>(p.alpha) / p.nsize;
    for (dim_t n = 0; n < l.outer; ++n)
      for (dim_t c = 0; c < l.channels; ++c)
        for (dim_t i = 0; i < l.inner; ++i) {
          double sum = 0;
          for (dim_t k = std::max<dim_t>(0, c - l.half); k <= std::min(l.channels - 1, c + l.half);
               ++k) {
            double v = x[(n * l.channels + k) * l.inner + i];
            sum += v * v;
          }
          norm[(n * l.channels + c) * l.inner + i] = static_cast<T>(p.knorm + salpha * sum);
        }
    map_out<T>(out[0], req[0],
               [&](dim_t i) { return T(x[i] * std::pow(double(norm[i]), -double(p.beta))); });
  });
}

// inputs (out_grad, data, tmp_norm) -> d data
void lrn_backward(const OpContext&, const Attrs& attrs, const Blobs& in, const Reqs& req,
                  const Blobs& out) {
  const auto& p = attrs.get<LRNParam>();
  LrnLayout l = lrn_layout(attrs, in[1].shape, "_backward_LRN");
  real_types(in[1].dtype, "_backward_LRN", [&](auto t) {
    using T = decltype(t);
    const T* g = in[0].ptr<T>();
    const T* x = in[1].ptr<T>();
    const T* norm = in[2].ptr<T>();
    double beta = p.beta, salpha = static_cast<double>(p.alpha) / p.nsize;
    // d x_j = g_j norm_j^-beta - 2 beta salpha x_j sum_{i near j} g_i x_i norm_i^(-beta-1)
    map_out<T>(out[0], req[0], [&](dim_t j) {
      dim_t i0 = j % l.inner, c = (j / l.inner) % l.channels, n = j / (l.inner * l.channels);
      double sum = 0;
      for (dim_t k = std::max<dim_t>(0, c - l.half); k <= std::min(l.channels - 1, c + l.half);
           ++k) {
        dim_t i = (n * l.channels + k) * l.inner + i0;
        sum += double(g[i]) * x[i] * std::pow(double(norm[i]), -beta - 1);
      }
      return T(g[j] * std::pow(double(norm[j]), -beta) - 2 * beta * salpha * x[j] * sum);
    });
  });
}

// ------------------------------------------------------------------------------ Embedding

// Reads index i of an index array of any dtype as a row number clipped into [0, rows).
dim_t row_at(const TBlob& idx, dim_t i, dim_t rows) {
  double v = read_number(idx, i, "Embedding");
  // MXNet clips out-of-range indices (take with mode=clip)
  dim_t r = static_cast<dim_t>(v);
  return std::clamp<dim_t>(r, 0, rows - 1);
}

void embedding_forward(const OpContext&, const Attrs& attrs, const Blobs& in, const Reqs& req,
                       const Blobs& out) {
  const auto& p = attrs.get<EmbeddingParam>();
  if (req[0] == kNullOp) return;
  real_types(in[1].dtype, "Embedding", [&](auto t) {
    using T = decltype(t);
    const T* w = in[1].ptr<T>();
    T* y = out[0].ptr<T>();
    dim_t d = p.output_dim;
    for (dim_t i = 0; i < in[0].size(); ++i)
      put(y + i * d, w + row_at(in[0], i, p.input_dim) * d, d, req[0]);
  });
}

// inputs (out_grad, data) -> (d data = 0, d weight)
void embedding_backward(const OpContext&, const Attrs& attrs, const Blobs& in, const Reqs& req,
                        const Blobs& out) {
  const auto& p = attrs.get<EmbeddingParam>();
  if (req[0] == kWriteTo || req[0] == kWriteInplace)
    std::memset(out[0].data, 0, static_cast<size_t>(out[0].size()) * dtype_size(out[0].dtype));
  if (req[1] == kNullOp) return;
  real_types(in[0].dtype, "_backward_Embedding", [&](auto t) {
    using T = decltype(t);
    const T* g = in[0].ptr<T>();
    T* dw = out[1].ptr<T>();
    dim_t d = p.output_dim;
    if (req[1] != kAddTo) std::fill(dw, dw + out[1].size(), T(0));
    for (dim_t i = 0; i < in[1].size(); ++i) {
      T* row = dw + row_at(in[1], i, p.input_dim) * d;
      for (dim_t k = 0; k < d; ++k) row[k] += g[i * d + k];
    }
  });
}

// ------------------------------------------------------------------ gradient markers

void pass_through(const OpContext&, const Attrs&, const Blobs& in, const Reqs& req,
                  const Blobs& out) {
  if (req[0] == kNullOp) return;
  if (req[0] == kAddTo) {
    real_types(in[0].dtype, "identity", [&](auto t) {
      using T = decltype(t);
      put(out[0].ptr<T>(), in[0].ptr<T>(), in[0].size(), req[0]);
    });
    return;
  }
  if (out[0].data != in[0].data)
    std::memmove(out[0].data, in[0].data,
                 static_cast<size_t>(in[0].size()) * dtype_size(in[0].dtype));
}

// inputs (output) -> grad_scale / (1, batch size, or count of outputs > valid_thresh)
void make_loss_backward(const OpContext&, const Attrs& attrs, const Blobs& in, const Reqs& req,
                        const Blobs& out) {
  const auto& p = attrs.get<MakeLossParam>();
  real_types(in[0].dtype, "_backward_MakeLoss", [&](auto t) {
    using T = decltype(t);
    const T* y = in[0].ptr<T>();
    double norm = 1;
    if (p.normalization == "batch") norm = static_cast<double>(in[0].shape[0]);
    if (p.normalization == "valid") {
      dim_t valid = 0;
      for (dim_t i = 0; i < in[0].size(); ++i) valid += y[i] > p.valid_thresh;
      norm = static_cast<double>(std::max<dim_t>(valid, 1));
    }
    T v = static_cast<T>(p.grad_scale / norm);
    map_out<T>(out[0], req[0], [&](dim_t) { return v; });
  });
}

// inputs (out_grad, data) -> out_grad converted to data's dtype, by the Cast kernel
void cast_backward(const OpContext& ctx, const Attrs& attrs, const Blobs& in, const Reqs& req,
                   const Blobs& out) {
  const Kernel* cast = find_kernel("Cast", kCPU);
  if (!cast) fail("_backward_Cast: no CPU kernel for Cast");
  (*cast)(ctx, attrs, Blobs{in[0]}, req, out);
}

LOOM_KERNEL(_backward_Cast, kCPU, cast_backward);
LOOM_KERNEL(Dropout, kCPU, dropout_forward);
LOOM_KERNEL(_backward_Dropout, kCPU, dropout_backward);
LOOM_KERNEL(Concat, kCPU, concat_forward);
LOOM_KERNEL(_backward_Concat, kCPU, concat_backward);
LOOM_KERNEL(SliceChannel, kCPU, slice_channel_forward);
LOOM_KERNEL(_backward_SliceChannel, kCPU, slice_channel_backward);
LOOM_KERNEL(softmax, kCPU, softmax_forward(Soft::kSoftmax, false, "softmax"));
LOOM_KERNEL(log_softmax, kCPU, softmax_forward(Soft::kLogSoftmax, false, "log_softmax"));
LOOM_KERNEL(softmin, kCPU, softmax_forward(Soft::kSoftmin, false, "softmin"));
LOOM_KERNEL(SoftmaxActivation, kCPU, softmax_forward(Soft::kSoftmax, true, "SoftmaxActivation"));
LOOM_KERNEL(_backward_softmax, kCPU, softmax_backward(Soft::kSoftmax, false, "_backward_softmax"));
LOOM_KERNEL(_backward_log_softmax, kCPU,
            softmax_backward(Soft::kLogSoftmax, false, "_backward_log_softmax"));
LOOM_KERNEL(_backward_softmin, kCPU, softmax_backward(Soft::kSoftmin, false, "_backward_softmin"));
LOOM_KERNEL(_backward_SoftmaxActivation, kCPU,
            softmax_backward(Soft::kSoftmax, true, "_backward_SoftmaxActivation"));
LOOM_KERNEL(LeakyReLU, kCPU, leaky_forward);
LOOM_KERNEL(_backward_LeakyReLU, kCPU, leaky_backward);
LOOM_KERNEL(LRN, kCPU, lrn_forward);
LOOM_KERNEL(_backward_LRN, kCPU, lrn_backward);
LOOM_KERNEL(Embedding, kCPU, embedding_forward);
LOOM_KERNEL(_backward_Embedding, kCPU, embedding_backward);
LOOM_KERNEL(BlockGrad, kCPU, pass_through);
LOOM_KERNEL(make_loss, kCPU, pass_through);
LOOM_KERNEL(MakeLoss, kCPU, pass_through);
LOOM_KERNEL(_backward_MakeLoss, kCPU, make_loss_backward);

}  // namespace
}  // namespace loom::cpu
