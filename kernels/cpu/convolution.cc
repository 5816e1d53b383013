// Convolution and Deconvolution on CPU: im2col / col2im around OpenBLAS GEMM, one GEMM per image
// and group. A 1x1 window with stride 1 and no padding skips the column matrix entirely (the
// image already is one), which covers the bottleneck layers of ResNet and Inception.
// Convolution:   y_g = W_g col(x_g) (+ b);  dW_g += dy_g col(x_g)^T;  dx_g = col2im(W_g^T dy_g).
// Deconvolution is the same pair read backwards: y_g = col2im(W_g^T x_g), dx_g = W_g col(dy_g).
#include "kernels/cpu/convolution.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <thread>

#include "core/ops/convolution.h"
#include "core/ops/nn_util.h"
#include "kernels/cpu/blas.h"
#include "kernels/cpu/cpu_util.h"
#include "kernels/cpu/scratch.h"

namespace loom::cpu {

namespace {

// ceil(a / b) for b > 0 and any sign of a.
inline int64_t ceil_div(int64_t a, int64_t b) { return a >= 0 ? (a + b - 1) / b : -((-a) / b); }

// Window positions o in [lo, hi) whose tap lands inside [0, in): 0 <= o*s + off < in.
inline void valid_range(int64_t off, int64_t s, int64_t in, int64_t out, int64_t* lo, int64_t* hi) {
  *lo = std::max<int64_t>(0, ceil_div(-off, s));
  *hi = std::min<int64_t>(out, ceil_div(in - off, s));
  if (*hi < *lo) *hi = *lo;
}

// Runs f(i) for i in [0, n) on several threads when `work` (elements touched) pays for starting
// them: GEMM runs on OpenBLAS's threads, and a single-threaded im2col would otherwise dominate
// on many cores. f must not throw.
template <class F>
void parallel_for(int64_t n, int64_t work, F&& f) {
  static const int64_t hw = std::max(1u, std::thread::hardware_concurrency());
  const int64_t threads = std::min({hw, n, work / (int64_t{1} << 16)});
  if (threads <= 1) {
    for (int64_t i = 0; i < n; ++i) f(i);
    return;
  }
  std::atomic<int64_t> next{0};
  auto worker = [&] {
    for (int64_t i; (i = next.fetch_add(1)) < n;) f(i);
  };
  std::vector<std::thread> pool;
  for (int64_t t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
}

// Tap (a, b, e) of the window: where it reads relative to o * stride along each axis, and the
// range [lo2, hi2) of innermost output positions whose read falls inside the image.
struct Tap {
  int64_t off[3];
  int64_t lo2, hi2;
};

// Calls f(c, r, tap) for every row r = (c, a, b, e) of the column matrix of `channels` planes,
// in row order: the walk im2col and its adjoint col2im_add share.
template <class F>
void for_each_tap(const ConvGeom& g, int64_t channels, F&& f) {
  int64_t r = 0;
  for (int64_t c = 0; c < channels; ++c)
    for (int64_t a = 0; a < g.k[0]; ++a)
      for (int64_t b = 0; b < g.k[1]; ++b)
        for (int64_t e = 0; e < g.k[2]; ++e, ++r) {
          Tap t{{a * g.d[0] - g.p[0], b * g.d[1] - g.p[1], e * g.d[2] - g.p[2]}, 0, 0};
          valid_range(t.off[2], g.s[2], g.in[2], g.out[2], &t.lo2, &t.hi2);
          f(c, r, t);
        }
}

// Column matrix of `channels` image planes: row (c, a, b, e) holds, for every window position,
// the image value under tap (a, b, e) or 0 in the padding. Rows are out_size() long and `ld`
// apart (several images side by side share one matrix).
template <class T>
void im2col(const T* img, const ConvGeom& g, int64_t channels, T* col, int64_t ld) {
  const int64_t isz = g.in_size();
  const int64_t o1n = g.out[1], o2n = g.out[2];
  for_each_tap(g, channels, [&](int64_t c, int64_t r, const Tap& t) {
    const T* plane = img + c * isz;
    T* row = col + r * ld;
    const int64_t off0 = t.off[0], off1 = t.off[1], off2 = t.off[2], lo2 = t.lo2, hi2 = t.hi2;
    for (int64_t o0 = 0; o0 < g.out[0]; ++o0) {
      const int64_t z = o0 * g.s[0] + off0;
      T* dst0 = row + o0 * o1n * o2n;
      if (z < 0 || z >= g.in[0]) {
        std::fill(dst0, dst0 + o1n * o2n, T(0));
        continue;
      }
      for (int64_t o1 = 0; o1 < o1n; ++o1) {
        const int64_t y = o1 * g.s[1] + off1;
        T* dst = dst0 + o1 * o2n;
        if (y < 0 || y >= g.in[1]) {
          std::fill(dst, dst + o2n, T(0));
          continue;
        }
        const T* line = plane + (z * g.in[1] + y) * g.in[2] + off2;
        std::fill(dst, dst + lo2, T(0));
        if (g.s[2] == 1) {
          std::memcpy(dst + lo2, line + lo2, (hi2 - lo2) * sizeof(T));
        } else {
          const int64_t s2 = g.s[2];
          for (int64_t o2 = lo2; o2 < hi2; ++o2) dst[o2] = line[o2 * s2];
        }
        std::fill(dst + hi2, dst + o2n, T(0));
      }
    }
  });
}

// Adds each column-matrix entry back onto the image position it was read from (the adjoint of
// im2col); padding entries are dropped.
template <class T>
void col2im_add(const T* col, const ConvGeom& g, int64_t channels, T* img, int64_t ld) {
  const int64_t isz = g.in_size();
  const int64_t o1n = g.out[1], o2n = g.out[2];
  for_each_tap(g, channels, [&](int64_t c, int64_t r, const Tap& t) {
    T* plane = img + c * isz;
    const T* row = col + r * ld;
    const int64_t off0 = t.off[0], off1 = t.off[1], off2 = t.off[2], lo2 = t.lo2, hi2 = t.hi2;
    const int64_t s2 = g.s[2];
    for (int64_t o0 = 0; o0 < g.out[0]; ++o0) {
      const int64_t z = o0 * g.s[0] + off0;
      if (z < 0 || z >= g.in[0]) continue;
      for (int64_t o1 = 0; o1 < o1n; ++o1) {
        const int64_t y = o1 * g.s[1] + off1;
        if (y < 0 || y >= g.in[1]) continue;
        const T* src = row + (o0 * o1n + o1) * o2n;
        T* line = plane + (z * g.in[1] + y) * g.in[2] + off2;
        if (s2 == 1) {
          for (int64_t o2 = lo2; o2 < hi2; ++o2) line[o2] += src[o2];
        } else {
          for (int64_t o2 = lo2; o2 < hi2; ++o2) line[o2 * s2] += src[o2];
        }
      }
    }
  });
}

// im2col / col2im of `images` images (image j at img + j * img_stride, its columns at
// col + j * out_size()), one channel of one image per task.
template <class T>
void im2col_images(const T* img, int64_t img_stride, int64_t images, const ConvGeom& g,
                   int64_t channels, T* col, int64_t ld) {
  const int64_t isz = g.in_size(), osz = g.out_size(), taps = g.k_size();
  parallel_for(images * channels, images * channels * taps * osz, [&](int64_t u) {
    const int64_t j = u / channels, c = u % channels;
    im2col(img + j * img_stride + c * isz, g, 1, col + j * osz + c * taps * ld, ld);
  });
}

template <class T>
void col2im_images(const T* col, int64_t ld, int64_t images, const ConvGeom& g, int64_t channels,
                   T* img, int64_t img_stride) {
  const int64_t isz = g.in_size(), osz = g.out_size(), taps = g.k_size();
  parallel_for(images * channels, images * channels * taps * osz, [&](int64_t u) {
    const int64_t j = u / channels, c = u % channels;
    col2im_add(col + j * osz + c * taps * ld, g, 1, img + j * img_stride + c * isz, ld);
  });
}

std::vector<int64_t> dims_of(const Shape& s) {
  return std::vector<int64_t>(s.dims().begin(), s.dims().end());
}

void require_channel_first(const std::optional<std::string>& layout, const char* op) {
  if (layout && !is_channel_first(*layout))
    fail(op, ": layout ", *layout, " is not supported on CPU (use NCW, NCHW or NCDHW)");
}

// y[n, m, :] += b[m]
template <class T>
void add_bias(const T* b, int64_t batch, int64_t channels, int64_t plane, T* y) {
  for (int64_t n = 0; n < batch; ++n)
    for (int64_t m = 0; m < channels; ++m) {
      T* dst = y + (n * channels + m) * plane;
      const T v = b[m];
      for (int64_t i = 0; i < plane; ++i) dst[i] += v;
    }
}

// db[m] (=|+=) sum over n and the plane of dy[n, m, :]
template <class T>
void bias_grad(const T* dy, int64_t batch, int64_t channels, int64_t plane, OpReq req, T* db) {
  if (req == kNullOp) return;
  for (int64_t m = 0; m < channels; ++m) {
    T acc = 0;
    for (int64_t n = 0; n < batch; ++n) {
      const T* src = dy + (n * channels + m) * plane;
      for (int64_t i = 0; i < plane; ++i) acc += src[i];
    }
    assign(db + m, req, acc);
  }
}

template <class T>
void zero(T* p, int64_t n) {
  std::fill(p, p + n, T(0));
}

// ---- Convolution -------------------------------------------------------------------------

struct ConvDims {
  int64_t batch, channels, filters, groups, cg, mg, kg;
  ConvGeom g;
};

ConvDims conv_dims(const ConvolutionParam& p, const Shape& x, const Shape& y) {
  ConvDims d;
  d.g =
      ConvGeom::make(dims_of(p.kernel), dims_of(p.stride), dims_of(p.dilate), dims_of(p.pad), x, y);
  d.batch = x[0];
  d.channels = x[1];
  d.filters = p.num_filter;
  d.groups = p.num_group;
  d.cg = d.channels / d.groups;
  d.mg = d.filters / d.groups;
  d.kg = d.cg * d.g.k_size();
  return d;
}

// Images whose column matrices sit side by side in one GEMM: enough columns for OpenBLAS to run
// well when the output plane is small (late layers), within a bounded column matrix.
int64_t images_per_gemm(int64_t batch, int64_t plane, int64_t rows, size_t elem) {
  const int64_t budget = (int64_t{64} << 20) / static_cast<int64_t>(elem);
  int64_t nb = std::max<int64_t>(1, (1024 + plane - 1) / plane);
  nb = std::min(nb, std::max<int64_t>(1, budget / std::max<int64_t>(1, rows * plane)));
  return std::min(nb, batch);
}

template <class T>
void conv_forward(const ConvolutionParam& p, const std::vector<TBlob>& in, OpReq req,
                  const TBlob& out) {
  ConvDims d = conv_dims(p, in[0].shape, out.shape);
  const int64_t isz = d.g.in_size(), osz = d.g.out_size();
  const int64_t nb = images_per_gemm(d.batch, osz, d.kg, sizeof(T)), ld = nb * osz;
  const bool direct = d.g.trivial() && nb == 1;  // the image is the column matrix
  const T* x = in[0].ptr<T>();
  const T* w = in[1].ptr<T>();
  T* y = out.ptr<T>();
  T* col = direct ? nullptr : scratch<T>(static_cast<size_t>(d.kg * ld), 0);
  T* tmp = nb > 1 ? scratch<T>(static_cast<size_t>(d.mg * ld), 1) : nullptr;
  const T beta = req == kAddTo ? 1 : 0;
  for (int64_t n0 = 0; n0 < d.batch; n0 += nb) {
    const int64_t cnt = std::min(nb, d.batch - n0);
    for (int64_t gi = 0; gi < d.groups; ++gi) {
      const T* wg = w + gi * d.mg * d.kg;
      const T* x0 = x + (n0 * d.channels + gi * d.cg) * isz;
      if (!direct) im2col_images(x0, d.channels * isz, cnt, d.g, d.cg, col, ld);
      if (nb == 1) {
        gemm(false, false, d.mg, osz, d.kg, wg, d.kg, direct ? x0 : col, osz, beta,
             y + (n0 * d.filters + gi * d.mg) * osz, osz);
        continue;
      }
      gemm(false, false, d.mg, cnt * osz, d.kg, wg, d.kg, col, ld, T(0), tmp, ld);
      for (int64_t j = 0; j < cnt; ++j)
        for (int64_t m = 0; m < d.mg; ++m) {
          const T* src = tmp + m * ld + j * osz;
          T* dst = y + ((n0 + j) * d.filters + gi * d.mg + m) * osz;
          if (req == kAddTo) {
            for (int64_t i = 0; i < osz; ++i) dst[i] += src[i];
          } else {
            std::memcpy(dst, src, osz * sizeof(T));
          }
        }
    }
  }
  if (!p.no_bias) add_bias(in[2].ptr<T>(), d.batch, d.filters, osz, y);
}

// inputs (out_grad, data, weight) -> (d data, d weight, d bias)
template <class T>
void conv_backward(const ConvolutionParam& p, const std::vector<TBlob>& in,
                   const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
  ConvDims d = conv_dims(p, in[1].shape, in[0].shape);
  const int64_t isz = d.g.in_size(), osz = d.g.out_size();
  const int64_t nb = images_per_gemm(d.batch, osz, std::max(d.kg, d.mg), sizeof(T)), ld = nb * osz;
  const bool direct = d.g.trivial() && nb == 1;
  const T* dy = in[0].ptr<T>();
  const T* x = in[1].ptr<T>();
  const T* w = in[2].ptr<T>();
  const bool want_dx = req[0] != kNullOp, want_dw = req[1] != kNullOp;
  T* col = direct ? nullptr : scratch<T>(static_cast<size_t>(d.kg * ld), 0);
  T* dyt = nb > 1 ? scratch<T>(static_cast<size_t>(d.mg * ld), 1) : nullptr;
  T* dx = want_dx ? out[0].ptr<T>() : nullptr;
  T* dw = want_dw ? out[1].ptr<T>() : nullptr;
  if (want_dx && !direct && req[0] != kAddTo) zero(dx, d.batch * d.channels * isz);
  if (want_dx || want_dw)
    for (int64_t n0 = 0; n0 < d.batch; n0 += nb) {
      const int64_t cnt = std::min(nb, d.batch - n0), cols = cnt * osz;
      for (int64_t gi = 0; gi < d.groups; ++gi) {
        const T* wg = w + gi * d.mg * d.kg;
        const T* dyg = dy + (n0 * d.filters + gi * d.mg) * osz;
        if (nb > 1) {  // the images' output gradients side by side, as the columns are
          for (int64_t m = 0; m < d.mg; ++m)
            for (int64_t j = 0; j < cnt; ++j)
              std::memcpy(dyt + m * ld + j * osz, dyg + (j * d.filters + m) * osz, osz * sizeof(T));
          dyg = dyt;
        }
        const T* x0 = x + (n0 * d.channels + gi * d.cg) * isz;
        if (want_dw) {
          if (!direct) im2col_images(x0, d.channels * isz, cnt, d.g, d.cg, col, ld);
          const T beta = (n0 > 0 || req[1] == kAddTo) ? 1 : 0;
          gemm(false, true, d.mg, d.kg, cols, dyg, ld, direct ? x0 : col, ld, beta,
               dw + gi * d.mg * d.kg, d.kg);
        }
        if (want_dx) {
          T* dx0 = dx + (n0 * d.channels + gi * d.cg) * isz;
          if (direct) {
            gemm(true, false, d.kg, osz, d.mg, wg, d.kg, dyg, osz, req[0] == kAddTo ? 1 : 0, dx0,
                 osz);
          } else {
            gemm(true, false, d.kg, cols, d.mg, wg, d.kg, dyg, ld, T(0), col, ld);
            col2im_images(col, ld, cnt, d.g, d.cg, dx0, d.channels * isz);
          }
        }
      }
    }
  if (!p.no_bias) bias_grad(dy, d.batch, d.filters, osz, req[2], out[2].ptr<T>());
}

void convolution_forward(const OpContext&, const Attrs& attrs, const std::vector<TBlob>& in,
                         const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
  const auto& p = attrs.get<ConvolutionParam>();
  if (req[0] == kNullOp) return;
  require_channel_first(p.layout, "Convolution");
  real_types(in[0].dtype, "Convolution",
             [&](auto t) { conv_forward<decltype(t)>(p, in, req[0], out[0]); });
}

void convolution_backward(const OpContext&, const Attrs& attrs, const std::vector<TBlob>& in,
                          const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
  const auto& p = attrs.get<ConvolutionParam>();
  require_channel_first(p.layout, "Convolution");
  real_types(in[0].dtype, "_backward_Convolution",
             [&](auto t) { conv_backward<decltype(t)>(p, in, req, out); });
}

// ---- Deconvolution -----------------------------------------------------------------------

DeconvSpec deconv_spec(const DeconvolutionParam& p, const Shape& x) {
  DeconvSpec s;
  s.kernel = dims_of(p.kernel);
  s.stride = dims_of(p.stride);
  s.dilate = dims_of(p.dilate);
  s.groups = p.num_group;
  for (int i = 0; i < p.kernel.ndim(); ++i) {
    int64_t pad, adj;
    p.pad_and_adj(i, x[2 + i], &pad, &adj);
    s.pad.push_back(pad);
  }
  return s;
}

void deconvolution_forward(const OpContext&, const Attrs& attrs, const std::vector<TBlob>& in,
                           const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
  const auto& p = attrs.get<DeconvolutionParam>();
  if (req[0] == kNullOp) return;
  require_channel_first(p.layout, "Deconvolution");
  DeconvSpec s = deconv_spec(p, in[0].shape);
  real_types(in[0].dtype, "Deconvolution", [&](auto t) {
    deconv_forward<decltype(t)>(s, in[0], in[1], p.no_bias ? nullptr : &in[2], req[0], out[0]);
  });
}

// inputs (out_grad, data, weight) -> (d data, d weight, d bias)
void deconvolution_backward(const OpContext&, const Attrs& attrs, const std::vector<TBlob>& in,
                            const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
  const auto& p = attrs.get<DeconvolutionParam>();
  require_channel_first(p.layout, "Deconvolution");
  DeconvSpec s = deconv_spec(p, in[1].shape);
  real_types(in[0].dtype, "_backward_Deconvolution", [&](auto t) {
    deconv_backward<decltype(t)>(s, in[0], in[1], in[2], &out[0], req[0], &out[1], req[1],
                                 p.no_bias ? nullptr : &out[2], p.no_bias ? kNullOp : req[2]);
  });
}

LOOM_KERNEL(Convolution, kCPU, convolution_forward);
LOOM_KERNEL(_backward_Convolution, kCPU, convolution_backward);
LOOM_KERNEL(Deconvolution, kCPU, deconvolution_forward);
LOOM_KERNEL(_backward_Deconvolution, kCPU, deconvolution_backward);

}  // namespace

ConvGeom ConvGeom::make(const std::vector<int64_t>& kernel, const std::vector<int64_t>& stride,
                        const std::vector<int64_t>& dilate, const std::vector<int64_t>& pad,
                        const Shape& image, const Shape& windows) {
  ConvGeom g;
  const int r = static_cast<int>(kernel.size());
  for (int i = 0; i < r; ++i) {
    const int j = 3 - r + i;
    g.k[j] = kernel[i];
    g.s[j] = stride[i];
    g.d[j] = dilate[i];
    g.p[j] = pad[i];
    g.in[j] = image[2 + i];
    g.out[j] = windows[2 + i];
  }
  return g;
}

bool ConvGeom::trivial() const {
  for (int i = 0; i < 3; ++i)
    if (k[i] != 1 || s[i] != 1 || p[i] != 0 || in[i] != out[i]) return false;
  return true;
}

// Deconvolution's image side is its output y (F/groups channels per group); its window
// positions are the input x's spatial positions.
template <class T>
void deconv_forward(const DeconvSpec& s, const TBlob& x, const TBlob& w, const TBlob* bias,
                    OpReq req, const TBlob& y) {
  ConvGeom g = ConvGeom::make(s.kernel, s.stride, s.dilate, s.pad, y.shape, x.shape);
  const int64_t batch = x.shape[0], cin = x.shape[1], filters = y.shape[1];
  const int64_t cg = cin / s.groups, fg = filters / s.groups, kg = fg * g.k_size();
  const int64_t isz = g.in_size(), osz = g.out_size();
  const bool trivial = g.trivial();
  const T* xp = x.ptr<T>();
  const T* wp = w.ptr<T>();
  T* yp = y.ptr<T>();
  T* col = trivial ? nullptr : scratch<T>(static_cast<size_t>(kg * osz), 0);
  if (!trivial && req != kAddTo) zero(yp, batch * filters * isz);
  for (int64_t n = 0; n < batch; ++n)
    for (int64_t gi = 0; gi < s.groups; ++gi) {
      const T* xg = xp + (n * cin + gi * cg) * osz;
      const T* wg = wp + gi * cg * kg;
      T* yg = yp + (n * filters + gi * fg) * isz;
      if (trivial) {
        gemm(true, false, kg, osz, cg, wg, kg, xg, osz, req == kAddTo ? 1 : 0, yg, osz);
      } else {
        gemm(true, false, kg, osz, cg, wg, kg, xg, osz, T(0), col, osz);
        col2im_images(col, osz, 1, g, fg, yg, 0);
      }
    }
  if (bias) add_bias(bias->ptr<T>(), batch, filters, isz, yp);
}

template <class T>
void deconv_backward(const DeconvSpec& s, const TBlob& dy, const TBlob& x, const TBlob& w,
                     const TBlob* dx, OpReq req_dx, const TBlob* dw, OpReq req_dw, const TBlob* db,
                     OpReq req_db) {
  ConvGeom g = ConvGeom::make(s.kernel, s.stride, s.dilate, s.pad, dy.shape, x.shape);
  const int64_t batch = x.shape[0], cin = x.shape[1], filters = dy.shape[1];
  const int64_t cg = cin / s.groups, fg = filters / s.groups, kg = fg * g.k_size();
  const int64_t isz = g.in_size(), osz = g.out_size();
  const bool trivial = g.trivial();
  const bool want_dx = dx && req_dx != kNullOp, want_dw = dw && req_dw != kNullOp;
  const T* dyp = dy.ptr<T>();
  const T* xp = x.ptr<T>();
  const T* wp = w.ptr<T>();
  T* col = trivial ? nullptr : scratch<T>(static_cast<size_t>(kg * osz), 0);
  if (want_dx || want_dw)
    for (int64_t n = 0; n < batch; ++n)
      for (int64_t gi = 0; gi < s.groups; ++gi) {
        const T* dyg = dyp + (n * filters + gi * fg) * isz;
        if (!trivial) im2col_images(dyg, 0, 1, g, fg, col, osz);
        const T* c = trivial ? dyg : col;
        if (want_dx)
          gemm(false, false, cg, osz, kg, wp + gi * cg * kg, kg, c, osz, req_dx == kAddTo ? 1 : 0,
               dx->ptr<T>() + (n * cin + gi * cg) * osz, osz);
        if (want_dw)
          gemm(false, true, cg, kg, osz, xp + (n * cin + gi * cg) * osz, osz, c, osz,
               (n > 0 || req_dw == kAddTo) ? 1 : 0, dw->ptr<T>() + gi * cg * kg, kg);
      }
  if (db) bias_grad(dyp, batch, filters, isz, req_db, db->ptr<T>());
}

template void deconv_forward<float>(const DeconvSpec&, const TBlob&, const TBlob&, const TBlob*,
                                    OpReq, const TBlob&);
template void deconv_forward<double>(const DeconvSpec&, const TBlob&, const TBlob&, const TBlob*,
                                     OpReq, const TBlob&);
template void deconv_backward<float>(const DeconvSpec&, const TBlob&, const TBlob&, const TBlob&,
                                     const TBlob*, OpReq, const TBlob*, OpReq, const TBlob*, OpReq);
template void deconv_backward<double>(const DeconvSpec&, const TBlob&, const TBlob&, const TBlob&,
                                      const TBlob*, OpReq, const TBlob*, OpReq, const TBlob*,
                                      OpReq);

}  // namespace loom::cpu
