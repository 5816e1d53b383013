// CPU kernels of the reductions (sum, mean, prod, nansum, nanprod, max, min, norm, argmax,
// argmin, argmax_channel) and of the broadcasts their gradients are built from: _backward_sum /
// _backward_mean (a reduced head gradient spread back over the input's shape) and
// _backward_broadcast (a head gradient summed down to a smaller broadcast operand's shape).
// Sums accumulate in double.
#include <cmath>
#include <limits>

#include "core/ops/reduce_ops.h"
#include "kernels/cpu/numeric.h"
#include "kernels/cpu/scratch.h"
#include "kernels/cpu/strided.h"

namespace loom::cpu {
namespace {

// The input's dims and the reduced output's dims with reduced axes kept as 1.
struct ReduceLayout {
  Dims big, small;
  dim_t count = 1;  // elements folded into each output
};

ReduceLayout reduce_layout(const Shape& in, const std::optional<Shape>& axis, bool exclude) {
  ReduceLayout l;
  l.big = in.dims();
  l.small = l.big;
  for (int a : reduced_axes(in.ndim(), axis, exclude)) {
    l.count *= l.big[a];
    l.small[a] = 1;
  }
  return l;
}

enum class Init { kZero, kOne, kLowest, kHighest };

// out[j] = fin(fold of comb over the input elements reduced into j, count). Floating inputs
// fold in double; integer inputs fold in their own dtype, wrapping around, and mean divides by
// the count converted to that dtype, as MXNet does (int8 mean of [100, 100, 100] is 14).
template <class Comb, class Fin>
Kernel reducer(const char* name, Init init, Comb comb, Fin fin) {
  return [=](const OpContext&, const Attrs& attrs, const std::vector<TBlob>& in,
             const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
    if (req[0] == kNullOp) return;
    const auto& p = attrs.get<ReduceAxesParam>();
    ReduceLayout l = reduce_layout(in[0].shape, p.axis, p.exclude);
    number_types(in[0].dtype, name, [&](auto t) {
      using T = decltype(t);
      using A = std::conditional_t<std::is_integral_v<T>, T, double>;
      A start = init == Init::kZero  ? A(0)
                : init == Init::kOne ? A(1)
                : init == Init::kLowest
                    ? (std::is_integral_v<A> ? std::numeric_limits<A>::lowest()
                                             : -std::numeric_limits<A>::infinity())
                    : (std::is_integral_v<A> ? std::numeric_limits<A>::max()
                                             : std::numeric_limits<A>::infinity());
      const T* x = in[0].ptr<T>();
      dim_t n = out[0].size();
      A* acc = scratch<A>(static_cast<size_t>(n));
      for (dim_t j = 0; j < n; ++j) acc[j] = start;
      walk(l.big, broadcast_strides(l.small), 0,
           [&](dim_t i, dim_t j) { acc[j] = comb(acc[j], static_cast<A>(x[i])); });
      A count = std::is_integral_v<A> ? to_dtype<A>(static_cast<double>(l.count))
                                      : static_cast<A>(l.count);
      map_out<T>(out[0], req[0], [&](dim_t j) { return static_cast<T>(fin(acc[j], count)); });
    });
  };
}

void norm(const OpContext&, const Attrs& attrs, const std::vector<TBlob>& in,
          const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
  if (req[0] == kNullOp) return;
  const auto& p = attrs.get<NormParam>();
  ReduceLayout l = reduce_layout(in[0].shape, p.axis, false);
  dim_t n = out[0].size();
  double* acc = scratch<double>(static_cast<size_t>(n));
  for (dim_t j = 0; j < n; ++j) acc[j] = 0;
  real_types(in[0].dtype, "norm", [&](auto t) {
    using T = decltype(t);
    const T* x = in[0].ptr<T>();
    walk(l.big, broadcast_strides(l.small), 0, [&](dim_t i, dim_t j) {
      double v = static_cast<double>(x[i]);
      acc[j] += p.ord == 1 ? std::abs(v) : v * v;
    });
  });
  real_types(out[0].dtype, "norm", [&](auto t) {
    using T = decltype(t);
    map_out<T>(out[0], req[0],
               [&](dim_t j) { return static_cast<T>(p.ord == 1 ? acc[j] : std::sqrt(acc[j])); });
  });
}

// argmax / argmin: the first index of the extreme along one axis (of the flattened input when
// axis is None), written in the output's (floating) dtype as MXNet 1.x does.
template <bool kMax>
void arg_extreme(const TBlob& x_blob, std::optional<int> axis, OpReq req, const TBlob& out,
                 const char* name) {
  if (req == kNullOp) return;
  const Shape& s = x_blob.shape;
  dim_t len = s.size(), inner = 1;
  if (axis && s.ndim() > 0) {
    int a = *axis < 0 ? *axis + s.ndim() : *axis;
    len = s[a];
    inner = s.prod(a + 1, s.ndim());
  }
  if (len == 0) fail(name, ": cannot reduce an empty axis of input ", s.str());
  number_types(x_blob.dtype, name, [&](auto t) {
    using T = decltype(t);
    const T* x = x_blob.ptr<T>();
    map_out<T>(out, req, [&](dim_t j) {
      dim_t o = j / inner, in = j % inner;
      const T* base = x + o * len * inner + in;
      dim_t best = 0;
      for (dim_t k = 1; k < len; ++k) {
        T v = base[k * inner], b = base[best * inner];
        if (kMax ? v > b : v < b) best = k;
      }
      return static_cast<T>(best);
    });
  });
}

// _backward_sum / _backward_mean: inputs (out_grad, data); out_grad (the reduced shape, with or
// without keepdims) is spread over data's shape, divided by the fold count for mean.
template <bool kMean>
void spread(const OpContext&, const Attrs& attrs, const std::vector<TBlob>& in,
            const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
  if (req[0] == kNullOp) return;
  const auto& p = attrs.get<ReduceAxesParam>();
  ReduceLayout l = reduce_layout(in[1].shape, p.axis, p.exclude);
  real_types(in[0].dtype, kMean ? "_backward_mean" : "_backward_sum", [&](auto t) {
    using T = decltype(t);
    const T* g = in[0].ptr<T>();
    T* o = out[0].ptr<T>();
    T scale = kMean ? T(1) / static_cast<T>(l.count) : T(1);
    Dims st = broadcast_strides(l.small);
    if (req[0] == kAddTo)
      walk(l.big, st, 0, [&](dim_t i, dim_t j) { o[i] += g[j] * scale; });
    else
      walk(l.big, st, 0, [&](dim_t i, dim_t j) { o[i] = g[j] * scale; });
  });
}

// _backward_broadcast: inputs (out_grad, like); sums out_grad over the axes along which an
// operand of like's shape was broadcast (numpy rules) to out_grad's shape.
void sum_to_like(const OpContext&, const Attrs&, const std::vector<TBlob>& in,
                 const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
  if (req[0] == kNullOp) return;
  const Shape& big = in[0].shape;
  Gather g{big.dims(), broadcast_strides(pad_dims(out[0].shape, big.ndim())), 0};
  real_types(in[0].dtype, "_backward_broadcast", [&](auto t) {
    using T = decltype(t);
    scatter_add(g, in[0].ptr<T>(), out[0].ptr<T>(), out[0].size(), req[0]);
  });
}

struct Registrations {
  Registrations() {
    auto same = [](auto a, auto) { return a; };
    auto add = [](auto a, auto x) { return add_wrap(a, x); };
    auto mul = [](auto a, auto x) { return mul_wrap(a, x); };
    auto is_nan = [](auto x) {
      if constexpr (std::is_integral_v<decltype(x)>)
        return false;
      else
        return std::isnan(x);
    };
    register_kernel("sum", kCPU, reducer("sum", Init::kZero, add, same));
    register_kernel("mean", kCPU, reducer("mean", Init::kZero, add, [](auto a, auto c) {
                      return div_trunc(a, c);
                    }));
    register_kernel("prod", kCPU, reducer("prod", Init::kOne, mul, same));
    register_kernel("nansum", kCPU,
                    reducer(
                        "nansum", Init::kZero,
                        [=](auto a, auto x) { return is_nan(x) ? a : add_wrap(a, x); }, same));
    register_kernel("nanprod", kCPU,
                    reducer(
                        "nanprod", Init::kOne,
                        [=](auto a, auto x) { return is_nan(x) ? a : mul_wrap(a, x); }, same));
    register_kernel("max", kCPU,
                    reducer(
                        "max", Init::kLowest,
                        [=](auto a, auto x) { return x > a || is_nan(x) ? x : a; }, same));
    register_kernel("min", kCPU,
                    reducer(
                        "min", Init::kHighest,
                        [=](auto a, auto x) { return x < a || is_nan(x) ? x : a; }, same));
    register_kernel("norm", kCPU, norm);
    register_kernel("argmax", kCPU,
                    [](const OpContext&, const Attrs& a, const std::vector<TBlob>& in,
                       const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
                      arg_extreme<true>(in[0], a.get<ReduceAxisParam>().axis, req[0], out[0],
                                        "argmax");
                    });
    register_kernel("argmin", kCPU,
                    [](const OpContext&, const Attrs& a, const std::vector<TBlob>& in,
                       const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
                      arg_extreme<false>(in[0], a.get<ReduceAxisParam>().axis, req[0], out[0],
                                         "argmin");
                    });
    register_kernel("argmax_channel", kCPU,
                    [](const OpContext&, const Attrs&, const std::vector<TBlob>& in,
                       const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
                      arg_extreme<true>(in[0], 1, req[0], out[0], "argmax_channel");
                    });
    register_kernel("_backward_sum", kCPU, spread<false>);
    register_kernel("_backward_mean", kCPU, spread<true>);
    register_kernel("_backward_broadcast", kCPU, sum_to_like);
  }
} registrations;

}  // namespace
}  // namespace loom::cpu
