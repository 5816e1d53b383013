// CPU kernels of the convolution family (Convolution, Deconvolution, Pooling, UpSampling) bound
// through the executor: forward values against direct loops written here (and a few numbers
// taken from MXNet 1.9.1), gradients in float64 against central differences, and the grad_req
// add/null bookkeeping of the backward ops.
#include <array>
#include <limits>

#include "kernels/kernel.h"
#include "tests/ops/kernel_test_util.h"

using namespace loom;
using namespace kernel_test;

namespace {

using Ints = std::vector<int64_t>;
using op_test::make;
using op_test::var;

std::string tuple(const Ints& v) {
  std::string s = "(";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + std::to_string(v[i]);
  return s + (v.size() == 1 ? ",)" : ")");
}

// Window options of a test case, padded at the front to 3-D for the reference loops.
struct Window {
  Ints kernel, stride, pad, dilate;
  int rank() const { return static_cast<int>(kernel.size()); }
  int64_t at(const Ints& v, int j, int64_t dflt) const {
    int i = j - (3 - rank());
    return i < 0 || v.empty() ? dflt : v[i];
  }
  // Number of taps: the product of the kernel's extents.
  int64_t taps() const {
    int64_t n = 1;
    for (int64_t v : kernel) n *= v;
    return n;
  }
};

// Spatial extents of an (N, C, spatial...) shape padded at the front to 3.
std::array<int64_t, 3> spatial3(const Shape& s) {
  std::array<int64_t, 3> r = {1, 1, 1};
  int k = s.ndim() - 2;
  for (int i = 0; i < k; ++i) r[3 - k + i] = s[2 + i];
  return r;
}

// Calls visit(o, i, t) (flat indices) for every position o of a sweep over extents `sweep`,
// every tap t of the window, and the position i = o*s - p + t*d that the tap reaches when it
// lies inside extents `reach`. A convolution sweeps its output and reaches into its input; the
// transposed convolution sweeps its input and scatters into its output.
template <class Visit>
void for_each_tap(const std::array<int64_t, 3>& sweep, const std::array<int64_t, 3>& reach,
                  const Window& win, Visit&& visit) {
  int64_t k[3], s[3], p[3], d[3];
  for (int j = 0; j < 3; ++j) {
    k[j] = win.at(win.kernel, j, 1);
    s[j] = win.at(win.stride, j, 1);
    p[j] = win.at(win.pad, j, 0);
    d[j] = win.at(win.dilate, j, 1);
  }
  for (int64_t o0 = 0; o0 < sweep[0]; ++o0)
    for (int64_t o1 = 0; o1 < sweep[1]; ++o1)
      for (int64_t o2 = 0; o2 < sweep[2]; ++o2)
        for (int64_t a = 0; a < k[0]; ++a)
          for (int64_t bb = 0; bb < k[1]; ++bb)
            for (int64_t e = 0; e < k[2]; ++e) {
              int64_t i0 = o0 * s[0] - p[0] + a * d[0], i1 = o1 * s[1] - p[1] + bb * d[1],
                      i2 = o2 * s[2] - p[2] + e * d[2];
              if (i0 < 0 || i0 >= reach[0] || i1 < 0 || i1 >= reach[1] || i2 < 0 || i2 >= reach[2])
                continue;
              visit((o0 * sweep[1] + o1) * sweep[2] + o2, (i0 * reach[1] + i1) * reach[2] + i2,
                    (a * k[1] + bb) * k[2] + e);
            }
}

// y[n, f, o] = b[f] + sum_{c in group, taps} x[n, c, o*s - p + t*d] w[f, c, t]
Vec conv_reference(const Vec& x, const Shape& xs, const Vec& w, const Vec* b, int64_t filters,
                   int64_t groups, const Window& win, const Shape& ys) {
  auto in = spatial3(xs), out = spatial3(ys);
  const int64_t n_ = xs[0], c_ = xs[1], cg = c_ / groups, mg = filters / groups;
  const int64_t isz = in[0] * in[1] * in[2], osz = out[0] * out[1] * out[2], ksz = win.taps();
  Vec y(ys.size());
  for (int64_t n = 0; n < n_; ++n)
    for (int64_t f = 0; f < filters; ++f) {
      double* yf = &y[(n * filters + f) * osz];
      for (int64_t o = 0; o < osz; ++o) yf[o] = b ? (*b)[f] : 0;
      const int64_t g = f / mg;
      for (int64_t c = 0; c < cg; ++c) {
        const double* xc = &x[(n * c_ + g * cg + c) * isz];
        const double* wc = &w[(f * cg + c) * ksz];
        for_each_tap(out, in, win,
                     [&](int64_t o, int64_t i, int64_t t) { yf[o] += xc[i] * wc[t]; });
      }
    }
  return y;
}

// Transposed convolution by scattering: y[n, g*fg + f, i*s - p + t*d] += x[n, c, i] w[c, f, t].
Vec deconv_reference(const Vec& x, const Shape& xs, const Vec& w, const Vec* b, int64_t filters,
                     int64_t groups, const Window& win, const Shape& ys) {
  auto in = spatial3(xs), out = spatial3(ys);
  const int64_t n_ = xs[0], c_ = xs[1], cg = c_ / groups, fg = filters / groups;
  const int64_t isz = in[0] * in[1] * in[2], osz = out[0] * out[1] * out[2], ksz = win.taps();
  Vec y(ys.size(), 0.0);
  for (int64_t n = 0; n < n_; ++n)
    for (int64_t c = 0; c < c_; ++c) {
      const double* xc = &x[(n * c_ + c) * isz];
      for (int64_t f = 0; f < fg; ++f) {
        double* yo = &y[(n * filters + (c / cg) * fg + f) * osz];
        const double* wc = &w[(c * fg + f) * ksz];
        for_each_tap(in, out, win,
                     [&](int64_t i, int64_t o, int64_t t) { yo[o] += xc[i] * wc[t]; });
      }
    }
  if (b)
    for (int64_t n = 0; n < n_; ++n)
      for (int64_t f = 0; f < filters; ++f)
        for (int64_t i = 0; i < osz; ++i) y[(n * filters + f) * osz + i] += (*b)[f];
  return y;
}

AttrDict window_params(const Window& w, AttrDict extra) {
  extra["kernel"] = tuple(w.kernel);
  if (!w.stride.empty()) extra["stride"] = tuple(w.stride);
  if (!w.pad.empty()) extra["pad"] = tuple(w.pad);
  if (!w.dilate.empty()) extra["dilate"] = tuple(w.dilate);
  return extra;
}

struct ConvCase {
  const char* what;
  Shape data;
  Window win;
  int64_t filters, groups;
  bool no_bias;
};

const std::vector<ConvCase> kConvCases = {
    {"2-D, pad 1", Shape({2, 3, 5, 4}), {{3, 3}, {}, {1, 1}, {}}, 4, 1, false},
    {"2-D grouped, strided, dilated",
     Shape({2, 4, 7, 6}),
     {{3, 2}, {2, 1}, {1, 0}, {2, 1}},
     6,
     2,
     false},
    {"2-D 1x1 without bias", Shape({2, 4, 3, 3}), {{1, 1}, {}, {}, {}}, 3, 1, true},
    {"2-D depthwise 1x1 stride 2", Shape({1, 4, 5, 5}), {{1, 1}, {2, 2}, {}, {}}, 4, 4, false},
    {"1-D strided, dilated, padded", Shape({2, 3, 9}), {{3}, {2}, {1}, {2}}, 4, 1, false},
    {"3-D", Shape({1, 2, 4, 5, 3}), {{2, 3, 2}, {1, 2, 1}, {1, 0, 1}, {}}, 4, 2, false},
    // planes of >= 1024 outputs take one image per GEMM (smaller ones are batched)
    {"2-D 1x1, one image per GEMM", Shape({2, 2, 32, 32}), {{1, 1}, {}, {}, {}}, 2, 1, false},
    {"2-D 3x3, one image per GEMM", Shape({2, 1, 32, 33}), {{3, 3}, {}, {1, 1}, {}}, 2, 1, false},
};

}  // namespace

// ------------------------------------------------------------------------------ Convolution

TEST_CASE("Convolution: forward matches a direct loop (float64 and float32)", "[conv]") {
  std::mt19937 rng(7);
  for (const auto& c : kConvCases) {
    for (int dtype : {kFloat64, kFloat32}) {
      INFO(c.what << (dtype == kFloat32 ? " float32" : " float64"));
      AttrDict prm = window_params(c.win, {{"num_filter", std::to_string(c.filters)},
                                           {"num_group", std::to_string(c.groups)},
                                           {"no_bias", c.no_bias ? "True" : "False"}});
      Symbol s = make("Convolution", prm, "conv", {var("x")});
      Bound b = bind(s, {{"x", c.data}}, uniform_fill(rng), {}, {}, kNullOp, dtype);
      b.exec->forward(false);
      Vec bias = c.no_bias ? Vec{} : values(b.arg("conv_bias"));
      Vec expected =
          conv_reference(values(b.arg("x")), c.data, values(b.arg("conv_weight")),
                         c.no_bias ? nullptr : &bias, c.filters, c.groups, c.win, b.out_shape());
      CHECK_CLOSE(b.out(), expected, dtype == kFloat32 ? 1e-5 : 1e-12);
    }
  }
}

TEST_CASE("Convolution: numeric gradient of data, weight and bias", "[conv]") {
  std::mt19937 rng(11);
  for (const auto& c : kConvCases) {
    INFO(c.what);
    AttrDict prm = window_params(c.win, {{"num_filter", std::to_string(c.filters)},
                                         {"num_group", std::to_string(c.groups)},
                                         {"no_bias", c.no_bias ? "True" : "False"}});
    Bound b =
        bind(make("Convolution", prm, "conv", {var("x")}), {{"x", c.data}}, uniform_fill(rng));
    check_numeric_gradient(b, rng);
  }
}

TEST_CASE("Convolution: large planes (im2col split across threads) match direct loops", "[conv]") {
  // dx is the transposed convolution of the head gradient; dw correlates it with the data
  std::mt19937 rng(31);
  const Shape xs({2, 8, 48, 48});
  Window win{{3, 3}, {}, {1, 1}, {}};
  Symbol s = make("Convolution", window_params(win, {{"num_filter", "4"}}), "conv", {var("x")});
  Bound b = bind(s, {{"x", xs}}, uniform_fill(rng));
  b.exec->forward(true);
  const Shape ys = b.out_shape();
  Vec x = values(b.arg("x")), w = values(b.arg("conv_weight")), bias = values(b.arg("conv_bias"));
  CHECK_CLOSE(b.out(), conv_reference(x, xs, w, &bias, 4, 1, win, ys), 1e-12);
  Vec head = uniform(ys.size(), rng);
  b.exec->backward({array64(ys, head)}, true);
  CHECK_CLOSE(values(b.grad("x")), deconv_reference(head, ys, w, nullptr, 8, 1, win, xs), 1e-12);
  Vec dw(w.size(), 0.0), db(4, 0.0);
  const int64_t h = 48, wd = 48;
  for (int64_t n = 0; n < 2; ++n)
    for (int64_t f = 0; f < 4; ++f)
      for (int64_t oy = 0; oy < h; ++oy)
        for (int64_t ox = 0; ox < wd; ++ox) {
          double g = head[((n * 4 + f) * h + oy) * wd + ox];
          db[f] += g;
          for (int64_t c = 0; c < 8; ++c)
            for (int64_t a = 0; a < 3; ++a)
              for (int64_t e = 0; e < 3; ++e) {
                int64_t iy = oy - 1 + a, ix = ox - 1 + e;
                if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
                dw[((f * 8 + c) * 3 + a) * 3 + e] += g * x[((n * 8 + c) * h + iy) * wd + ix];
              }
        }
  CHECK_CLOSE(values(b.grad("conv_weight")), dw, 1e-10);
  CHECK_CLOSE(values(b.grad("conv_bias")), db, 1e-10);
}

TEST_CASE("Convolution: hand-computed values", "[conv]") {
  // 1x1x3x3 input 1..9, 2x2 kernel of ones, pad 1, stride 2 -> corners of the padded sums
  std::mt19937 rng(1);
  Symbol s = make("Convolution",
                  {{"kernel", "(2,2)"}, {"stride", "(2,2)"}, {"pad", "(1,1)"}, {"num_filter", "1"}},
                  "c", {var("x")});
  Bound b =
      bind(s, {{"x", Shape({1, 1, 3, 3})}}, uniform_fill(rng),
           {{"x", {1, 2, 3, 4, 5, 6, 7, 8, 9}}, {"c_weight", {1, 1, 1, 1}}, {"c_bias", {0.5}}});
  b.exec->forward(false);
  CHECK(b.out_shape() == Shape({1, 1, 2, 2}));
  CHECK_CLOSE(b.out(), (Vec{1.5, 5.5, 11.5, 28.5}), 1e-12);
}

TEST_CASE("Convolution: grad_req add accumulates and null leaves arrays alone", "[conv]") {
  std::mt19937 rng(3);
  const ConvCase& c = kConvCases[1];
  AttrDict prm = window_params(
      c.win, {{"num_filter", std::to_string(c.filters)}, {"num_group", std::to_string(c.groups)}});
  Symbol s = make("Convolution", prm, "conv", {var("x")});
  Bound b = bind(s, {{"x", c.data}}, uniform_fill(rng), {}, {"conv_weight"}, kAddTo);
  b.exec->forward(true);
  NDArray head = array64(b.out_shape(), uniform(b.exec->outputs()[0].size(), rng));
  b.exec->backward({head}, true);
  Vec dx1 = values(b.grad("x")), db1 = values(b.grad("conv_bias"));
  b.exec->backward({head}, true);
  Vec dx2 = values(b.grad("x")), db2 = values(b.grad("conv_bias"));
  for (auto& v : dx1) v *= 2;
  for (auto& v : db1) v *= 2;
  CHECK_CLOSE(dx2, dx1, 1e-12);
  CHECK_CLOSE(db2, db1, 1e-12);
  CHECK(b.grads[b.index("conv_weight")].is_none());
}

TEST_CASE("Convolution: unsupported layouts and dtypes fail clearly", "[conv]") {
  std::mt19937 rng(3);
  Symbol s = make("Convolution", {{"kernel", "(3,3)"}, {"num_filter", "2"}, {"layout", "NHWC"}},
                  "conv", {var("x")});
  std::string msg;
  try {
    Bound b = bind(s, {{"x", Shape({1, 5, 5, 3})}}, uniform_fill(rng), {}, {}, kNullOp);
    b.exec->forward(false);
  } catch (const Error& e) {
    msg = e.what();
  }
  CHECK(msg.find("layout NHWC") != std::string::npos);
}

// ---------------------------------------------------------------------------- Deconvolution

namespace {

struct DeconvCase {
  const char* what;
  Shape data;
  Window win;
  Ints adj, target;
  int64_t filters, groups;
  bool no_bias;
};

const std::vector<DeconvCase> kDeconvCases = {
    {"2-D stride 2 pad 1 with bias",
     Shape({2, 3, 3, 4}),
     {{3, 3}, {2, 2}, {1, 1}, {}},
     {},
     {},
     4,
     1,
     false},
    {"2-D grouped, dilated, adj",
     Shape({1, 4, 3, 3}),
     {{2, 3}, {2, 3}, {0, 1}, {2, 1}},
     {1, 2},
     {},
     6,
     2,
     true},
    {"2-D target_shape", Shape({1, 2, 3, 3}), {{4, 4}, {2, 2}, {}, {}}, {}, {7, 6}, 3, 1, false},
    {"2-D 1x1", Shape({2, 3, 2, 3}), {{1, 1}, {}, {}, {}}, {}, {}, 2, 1, false},
    {"1-D", Shape({2, 2, 5}), {{3}, {2}, {1}, {1}}, {1}, {}, 3, 1, false},
    {"3-D", Shape({1, 2, 2, 3, 2}), {{2, 2, 3}, {2, 1, 2}, {0, 1, 1}, {}}, {}, {}, 2, 2, true},
};

AttrDict deconv_params(const DeconvCase& c) {
  AttrDict prm = window_params(c.win, {{"num_filter", std::to_string(c.filters)},
                                       {"num_group", std::to_string(c.groups)},
                                       {"no_bias", c.no_bias ? "True" : "False"}});
  if (!c.adj.empty()) prm["adj"] = tuple(c.adj);
  if (!c.target.empty()) prm["target_shape"] = tuple(c.target);
  return prm;
}

}  // namespace

TEST_CASE("Deconvolution: forward matches scattering the kernel", "[conv]") {
  std::mt19937 rng(5);
  for (const auto& c : kDeconvCases) {
    INFO(c.what);
    Bound b = bind(make("Deconvolution", deconv_params(c), "dc", {var("x")}), {{"x", c.data}},
                   uniform_fill(rng), {}, {}, kNullOp);
    b.exec->forward(false);
    Shape ys = b.out_shape();
    Window win = c.win;
    if (!c.target.empty()) {
      // the padding that target_shape implies: the excess over the target, split evenly
      win.pad.clear();
      for (int i = 0; i < win.rank(); ++i) {
        int64_t full = win.stride[i] * (c.data[2 + i] - 1) + win.kernel[i];
        CHECK(ys[2 + i] == c.target[i]);
        win.pad.push_back((full - c.target[i] + 1) / 2);
      }
    }
    Vec bias = c.no_bias ? Vec{} : values(b.arg("dc_bias"));
    Vec expected = deconv_reference(values(b.arg("x")), c.data, values(b.arg("dc_weight")),
                                    c.no_bias ? nullptr : &bias, c.filters, c.groups, win, ys);
    CHECK_CLOSE(b.out(), expected, 1e-12);
  }
}

TEST_CASE("Deconvolution: numeric gradient", "[conv]") {
  std::mt19937 rng(9);
  for (const auto& c : kDeconvCases) {
    INFO(c.what);
    Bound b = bind(make("Deconvolution", deconv_params(c), "dc", {var("x")}), {{"x", c.data}},
                   uniform_fill(rng));
    check_numeric_gradient(b, rng);
  }
}

TEST_CASE("Deconvolution is the adjoint of Convolution with the same window", "[conv]") {
  // <conv(x), y> == <x, deconv(y)> for the shared weight (groups 1, no bias)
  std::mt19937 rng(13);
  Window win{{3, 2}, {2, 1}, {1, 0}, {1, 2}};
  AttrDict cp = window_params(win, {{"num_filter", "3"}, {"no_bias", "True"}});
  // adj restores the row the convolution's floor dropped: 2*(3-1) + 3 - 2 + 1 = 6
  AttrDict dp = window_params(win, {{"num_filter", "2"}, {"no_bias", "True"}, {"adj", "(1,0)"}});
  Bound conv = bind(make("Convolution", cp, "c", {var("x")}), {{"x", Shape({1, 2, 6, 5})}},
                    uniform_fill(rng), {}, {}, kNullOp);
  conv.exec->forward(false);
  Shape ys = conv.out_shape();
  Vec w = values(conv.arg("c_weight"));
  Bound dec = bind(make("Deconvolution", dp, "d", {var("y")}), {{"y", ys}}, uniform_fill(rng),
                   {{"d_weight", w}}, {}, kNullOp);
  dec.exec->forward(false);
  REQUIRE(dec.out_shape() == Shape({1, 2, 6, 5}));
  Vec cx = conv.out(), y = values(dec.arg("y")), x = values(conv.arg("x")), dy = dec.out();
  double lhs = 0, rhs = 0;
  for (size_t i = 0; i < cx.size(); ++i) lhs += cx[i] * y[i];
  for (size_t i = 0; i < x.size(); ++i) rhs += x[i] * dy[i];
  CHECK(std::abs(lhs - rhs) < 1e-10);
}

// ---------------------------------------------------------------------------------- Pooling

namespace {

// MXNet's windows: start o*s - p, cut at in + p (the count with padding), then at the input.
Vec pool_reference(const Vec& x, const Shape& xs, const Shape& ys, const std::string& type,
                   const Window& win, bool global, bool include_pad, int p_value) {
  auto in = spatial3(xs), out = spatial3(ys);
  int64_t k[3], s[3], p[3];
  for (int j = 0; j < 3; ++j) {
    k[j] = global ? in[j] : win.at(win.kernel, j, 1);
    s[j] = global ? 1 : win.at(win.stride, j, 1);
    p[j] = global ? 0 : win.at(win.pad, j, 0);
  }
  const int64_t planes = xs[0] * xs[1], isz = in[0] * in[1] * in[2];
  Vec y;
  for (int64_t pl = 0; pl < planes; ++pl)
    for (int64_t o0 = 0; o0 < out[0]; ++o0)
      for (int64_t o1 = 0; o1 < out[1]; ++o1)
        for (int64_t o2 = 0; o2 < out[2]; ++o2) {
          int64_t o[3] = {o0, o1, o2}, lo[3], hi[3], padded = 1, real = 1;
          for (int j = 0; j < 3; ++j) {
            int64_t st = o[j] * s[j] - p[j], en = std::min(st + k[j], in[j] + p[j]);
            padded *= en - st;
            lo[j] = std::max<int64_t>(st, 0);
            hi[j] = std::min(en, in[j]);
            real *= hi[j] - lo[j];
          }
          // a window wholly in the padding gives the lowest value (max) or 0, as MXNet does
          double acc = type == "max" ? std::numeric_limits<double>::lowest() : 0;
          for (int64_t a = lo[0]; a < hi[0]; ++a)
            for (int64_t b = lo[1]; b < hi[1]; ++b)
              for (int64_t c = lo[2]; c < hi[2]; ++c) {
                double v = x[pl * isz + (a * in[1] + b) * in[2] + c];
                if (type == "max")
                  acc = std::max(acc, v);
                else if (type == "lp")
                  acc += std::pow(v, p_value);
                else
                  acc += v;
              }
          if (type == "avg" && real > 0) acc /= include_pad ? padded : real;
          if (type == "lp") acc = p_value == 3 ? std::cbrt(acc) : std::pow(acc, 1.0 / p_value);
          y.push_back(acc);
        }
  return y;
}

struct PoolCase {
  const char* what;
  Shape data;
  Window win;  // dilate unused
  std::string convention;
  bool global = false;
};

const std::vector<PoolCase> kPoolCases = {
    {"2-D valid 2x2 stride 2", Shape({2, 2, 5, 6}), {{2, 2}, {2, 2}, {}, {}}, "valid"},
    {"2-D valid 3x3 stride 2 pad 1", Shape({1, 2, 5, 5}), {{3, 3}, {2, 2}, {1, 1}, {}}, "valid"},
    {"2-D full 3x3 stride 2", Shape({1, 2, 6, 6}), {{3, 3}, {2, 2}, {}, {}}, "full"},
    {"2-D full 3x2 stride 2x3 pad 1", Shape({1, 1, 6, 9}), {{3, 2}, {2, 3}, {1, 1}, {}}, "full"},
    {"1-D valid", Shape({2, 3, 8}), {{3}, {2}, {1}, {}}, "valid"},
    {"1-D full", Shape({1, 2, 8}), {{3}, {2}, {}, {}}, "full"},
    {"3-D full pad", Shape({1, 2, 3, 4, 5}), {{2, 2, 3}, {2, 1, 2}, {1, 0, 1}, {}}, "full"},
    {"2-D global", Shape({2, 3, 3, 4}), {{2, 2}, {}, {}, {}}, "valid", true},
    {"3-D global", Shape({1, 2, 2, 3, 2}), {{1, 1, 1}, {}, {}, {}}, "valid", true},
};

AttrDict pool_params(const PoolCase& c, const std::string& type, bool include_pad, int p) {
  AttrDict prm = window_params(c.win, {{"pool_type", type},
                                       {"pooling_convention", c.convention},
                                       {"count_include_pad", include_pad ? "True" : "False"}});
  if (c.global) prm["global_pool"] = "True";
  if (type == "lp") prm["p_value"] = std::to_string(p);
  return prm;
}

struct PoolVariant {
  std::string type;
  bool include_pad;
  int p;
};
const std::vector<PoolVariant> kPoolVariants = {
    {"max", true, 0}, {"avg", true, 0}, {"avg", false, 0}, {"sum", true, 0},
    {"lp", true, 1},  {"lp", true, 2},  {"lp", true, 3}};

// Runs test(case, variant, Pooling symbol on "x") for every case and variant, naming both in
// the failure report.
template <class Test>
void for_each_pool_case(Test&& test) {
  for (const auto& c : kPoolCases)
    for (const auto& v : kPoolVariants) {
      INFO(c.what << ", " << v.type << " count_include_pad=" << v.include_pad << " p=" << v.p);
      test(c, v, make("Pooling", pool_params(c, v.type, v.include_pad, v.p), "pool", {var("x")}));
    }
}

}  // namespace

TEST_CASE("Pooling: forward matches the window rules for every type and convention", "[conv]") {
  std::mt19937 rng(17);
  for_each_pool_case([&](const PoolCase& c, const PoolVariant& v, const Symbol& s) {
    Vec x = uniform(c.data.size(), rng, v.type == "lp" ? 0.1 : -1, 1);
    Bound b = bind(s, {{"x", c.data}}, uniform_fill(rng), {{"x", x}}, {}, kNullOp);
    b.exec->forward(false);
    CHECK_CLOSE(b.out(),
                pool_reference(x, c.data, b.out_shape(), v.type, c.win, c.global, v.include_pad,
                               v.p),
                1e-12);
  });
}

TEST_CASE("Pooling: numeric gradient for every type and convention", "[conv]") {
  std::mt19937 rng(19);
  for_each_pool_case([&](const PoolCase& c, const PoolVariant& v, const Symbol& s) {
    // distinct values (no ties for max) away from 0 (lp)
    Vec x = uniform(c.data.size(), rng, 0.2, 1);
    std::shuffle(x.begin(), x.end(), rng);
    Bound b = bind(s, {{"x", c.data}}, uniform_fill(rng), {{"x", x}});
    // A max window wholly in the padding outputs the lowest double, so the central differences
    // of the weighted output sum overflow to NaN: that one case (3-D full pad, max) is skipped
    // here; its forward values are checked above. Every other case must compare finite values.
    bool empty_max_window = v.type == "max" && std::string(c.what) == "3-D full pad";
    check_numeric_gradient(b, rng, 1e-5, true,
                           empty_max_window ? NanRule::skip : NanRule::must_match);
  });
}

TEST_CASE("Pooling: values and gradients from MXNet 1.9.1", "[conv]") {
  std::mt19937 rng(1);
  Vec x(36);
  for (int i = 0; i < 36; ++i) x[i] = i + 1;
  auto run = [&](const AttrDict& prm, const Shape& shape, const Vec& data, Vec* grad) {
    Bound b = bind(make("Pooling", prm, "p", {var("x")}), {{"x", shape}}, uniform_fill(rng),
                   {{"x", data}});
    b.exec->forward(true);
    b.exec->backward({array64(b.out_shape(), Vec(b.exec->outputs()[0].size(), 1.0))}, true);
    *grad = values(b.grad("x"));
    return b.out();
  };
  Vec g;
  // avg, full, pad 1, padding counted up to input + pad only
  Vec y = run({{"kernel", "(3,3)"},
               {"stride", "(2,2)"},
               {"pad", "(1,1)"},
               {"pool_type", "avg"},
               {"pooling_convention", "full"}},
              Shape({1, 1, 6, 6}), x, &g);
  CHECK_CLOSE(y, (Vec{2, 4, 16.0 / 3, 3, 9, 15, 17, 9, 17, 27, 29, 15, 10.5, 16.5, 17.5, 9}),
              1e-12);
  CHECK_CLOSE(Vec(g.begin(), g.begin() + 6), (Vec{1 / 9., 2 / 9., 1 / 9., 2 / 9., 1 / 9., 5 / 18.}),
              1e-12);
  // avg without padding in the count
  y = run({{"kernel", "(3,3)"},
           {"stride", "(2,2)"},
           {"pad", "(1,1)"},
           {"pool_type", "avg"},
           {"pooling_convention", "full"},
           {"count_include_pad", "False"}},
          Shape({1, 1, 6, 6}), x, &g);
  CHECK_CLOSE(y, (Vec{4.5, 6, 8, 9, 13.5, 15, 17, 18, 25.5, 27, 29, 30, 31.5, 33, 35, 36}), 1e-12);
  // max: ties go to the first maximum in scan order
  y = run({{"kernel", "(2,2)"}, {"stride", "(1,1)"}}, Shape({1, 1, 3, 3}),
          {1, 3, 3, 3, 2, 1, 0, 3, 3}, &g);
  CHECK_CLOSE(y, (Vec{3, 3, 3, 3}), 0);
  CHECK_CLOSE(g, (Vec{0, 2, 0, 1, 0, 0, 0, 1, 0}), 0);
  // lp: p=1 sums signed values, p=3 takes the real cube root
  y = run({{"kernel", "(2,)"}, {"stride", "(2,)"}, {"pool_type", "lp"}, {"p_value", "1"}},
          Shape({1, 1, 6}), {-1, 2, -3, 4, -0.5, 1.5}, &g);
  CHECK_CLOSE(y, (Vec{1, 1, 1}), 1e-12);
  y = run({{"kernel", "(2,)"}, {"stride", "(2,)"}, {"pool_type", "lp"}, {"p_value", "3"}},
          Shape({1, 1, 6}), {-1, 2, -3, 4, -0.5, 1.5}, &g);
  CHECK_CLOSE(y, (Vec{std::cbrt(7.0), std::cbrt(37.0), std::cbrt(3.25)}), 1e-12);
  // full convention: a window wholly in the padding gives the lowest value (max) or 0
  Vec x42(42);
  for (int i = 0; i < 42; ++i) x42[i] = i + 1;
  AttrDict full = {
      {"kernel", "(3,2)"}, {"stride", "(2,3)"}, {"pad", "(1,1)"}, {"pooling_convention", "full"}};
  y = run(full, Shape({1, 1, 6, 7}), x42, &g);
  CHECK_CLOSE(Vec(y.begin(), y.begin() + 3), (Vec{8, 11, 14}), 0);
  CHECK(y[3] == std::numeric_limits<double>::lowest());
  CHECK_CLOSE(Vec(g.end() - 2, g.end()), (Vec{0, 2}), 0);
  full["pool_type"] = "avg";
  y = run(full, Shape({1, 1, 6, 7}), x42, &g);
  CHECK_CLOSE(
      y,
      (Vec{1.5, 14 / 3., 20 / 3., 0, 7.5, 17.5, 20.5, 0, 14.5, 31.5, 34.5, 0, 9, 19.25, 20.75, 0}),
      1e-12);
  // global pooling ignores the pad
  y = run({{"kernel", "(3,3)"}, {"pad", "(1,1)"}, {"global_pool", "True"}, {"pool_type", "avg"}},
          Shape({1, 1, 6, 6}), x, &g);
  CHECK_CLOSE(y, (Vec{18.5}), 1e-12);
}

TEST_CASE("Pooling: lp rejects p_value other than 1-3", "[conv]") {
  std::mt19937 rng(1);
  std::string msg;
  try {
    Bound b = bind(make("Pooling", {{"kernel", "(2,)"}, {"pool_type", "lp"}, {"p_value", "4"}}, "p",
                        {var("x")}),
                   {{"x", Shape({1, 1, 4})}}, uniform_fill(rng), {}, {}, kNullOp);
    b.exec->forward(false);
  } catch (const Error& e) {
    msg = e.what();
  }
  CHECK(msg.find("p_value must be 1, 2 or 3") != std::string::npos);
}

// ------------------------------------------------------------------------------- UpSampling

TEST_CASE("UpSampling nearest: one and several inputs, concat and sum", "[conv]") {
  std::mt19937 rng(23);
  SECTION("one input, scale 2") {
    Symbol s = make("UpSampling", {{"scale", "2"}, {"sample_type", "nearest"}, {"num_args", "1"}},
                    "up", {var("a")});
    Bound b = bind(s, {{"a", Shape({1, 1, 2, 2})}}, uniform_fill(rng), {{"a", {1, 2, 3, 4}}});
    b.exec->forward(false);
    CHECK(b.out_shape() == Shape({1, 1, 4, 4}));
    CHECK_CLOSE(b.out(), (Vec{1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}), 0);
    check_numeric_gradient(b, rng);
  }
  for (const char* mode : {"concat", "sum"}) {
    SECTION(std::string("two inputs of different sizes, ") + mode) {
      Symbol s = make("UpSampling",
                      {{"scale", "2"},
                       {"sample_type", "nearest"},
                       {"num_args", "2"},
                       {"multi_input_mode", mode}},
                      "up", {var("a"), var("b")});
      Bound b =
          bind(s, {{"a", Shape({2, 2, 2, 3})}, {"b", Shape({2, 2, 4, 6})}}, uniform_fill(rng));
      b.exec->forward(false);
      bool sum = std::string(mode) == "sum";
      CHECK(b.out_shape() == Shape({2, sum ? 2 : 4, 4, 6}));
      Vec a = values(b.arg("a")), bb = values(b.arg("b")), y = b.out();
      Vec expected;
      for (int n = 0; n < 2; ++n) {
        Vec up_a, same_b;
        for (int c = 0; c < 2; ++c)
          for (int h = 0; h < 4; ++h)
            for (int w = 0; w < 6; ++w) {
              up_a.push_back(a[((n * 2 + c) * 2 + h / 2) * 3 + w / 2]);
              same_b.push_back(bb[((n * 2 + c) * 4 + h) * 6 + w]);
            }
        if (sum) {
          for (size_t i = 0; i < up_a.size(); ++i) expected.push_back(up_a[i] + same_b[i]);
        } else {
          expected.insert(expected.end(), up_a.begin(), up_a.end());
          expected.insert(expected.end(), same_b.begin(), same_b.end());
        }
      }
      CHECK_CLOSE(y, expected, 1e-12);
      check_numeric_gradient(b, rng);
    }
  }
}

TEST_CASE("UpSampling bilinear: a grouped deconvolution with the weight input", "[conv]") {
  std::mt19937 rng(29);
  for (int scale : {2, 3}) {
    INFO("scale " << scale);
    Symbol s = make("UpSampling",
                    {{"scale", std::to_string(scale)},
                     {"sample_type", "bilinear"},
                     {"num_filter", "3"},
                     {"num_args", "2"}},
                    "up", {var("x")});
    Bound b = bind(s, {{"x", Shape({2, 3, 3, 2})}}, uniform_fill(rng));
    b.exec->forward(false);
    CHECK(b.out_shape() == Shape({2, 3, 3 * scale, 2 * scale}));
    int64_t k = 2 * scale - scale % 2, pad = scale / 2;
    Window win{{k, k}, {scale, scale}, {pad, pad}, {}};
    Vec expected = deconv_reference(values(b.arg("x")), Shape({2, 3, 3, 2}),
                                    values(b.arg("up_weight")), nullptr, 3, 3, win, b.out_shape());
    CHECK_CLOSE(b.out(), expected, 1e-12);
    check_numeric_gradient(b, rng);
  }
}

TEST_CASE("conv family ops have CPU kernels for forward and backward", "[conv]") {
  for (const char* name : {"Convolution", "Deconvolution", "Pooling", "UpSampling"}) {
    INFO(name);
    CHECK(find_kernel(name, kCPU) != nullptr);
    CHECK(find_kernel(std::string("_backward_") + name, kCPU) != nullptr);
    CHECK(OpRegistry::get().require(name).gradient != nullptr);
  }
}
