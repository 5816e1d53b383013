// CPU kernels for the element-wise math families (unary math, same-shape binary, scalar,
// comparison and logical ops), the layout-only ops whose output is a byte copy of their input
// (Reshape, Flatten, expand_dims, squeeze, reshape_like), clip and Cast. Comparisons write 1/0
// in the input's dtype, as MXNet 1.x's legacy operators do. All run on float32/float64 and on
// the integer dtypes with MXNet's integer semantics (see kernels/cpu/numeric.h).
#include <cmath>
#include <cstdint>
#include <cstring>

#include "core/ops/elemwise.h"
#include "core/ops/misc_nn.h"
#include "core/ops/unary_math.h"
#include "kernels/cpu/numeric.h"

namespace loom::cpu {
namespace {

// For the integer dtypes a math function is computed in double and converted back as MXNet's
// C++ casts do (to_dtype: sqrt(-1) -> INT32_MIN); `exact` ones (negative, sign...) compute in
// the integer type itself.
template <class Fn>
Kernel unary(const char* name, Fn fn, bool exact = false) {
  return [name, fn, exact](const OpContext&, const Attrs&, const std::vector<TBlob>& in,
                           const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
    number_types(in[0].dtype, name, [&](auto t) {
      using T = decltype(t);
      const T* x = in[0].ptr<T>();
      if constexpr (std::is_integral_v<T>) {
        if (!exact) {
          map_out<T>(out[0], req[0], [&](dim_t i) {
            return to_dtype<T>(static_cast<double>(fn(static_cast<double>(x[i]))));
          });
          return;
        }
      }
      map_out<T>(out[0], req[0], [&](dim_t i) { return static_cast<T>(fn(x[i])); });
    });
  };
}

template <class Fn>
Kernel binary(const char* name, Fn fn) {
  return [name, fn](const OpContext&, const Attrs&, const std::vector<TBlob>& in,
                    const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
    number_types(in[0].dtype, name, [&](auto t) {
      using T = decltype(t);
      const T* a = in[0].ptr<T>();
      const T* b = in[1].ptr<T>();
      map_out<T>(out[0], req[0], [&](dim_t i) { return static_cast<T>(fn(a[i], b[i])); });
    });
  };
}

// x op scalar; `reversed` computes scalar op x.
template <class Fn>
Kernel scalar(const char* name, Fn fn, bool reversed = false) {
  return [name, fn, reversed](const OpContext&, const Attrs& attrs, const std::vector<TBlob>& in,
                              const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
    double s = attrs.get<ScalarParam>().scalar;
    number_types(in[0].dtype, name, [&](auto t) {
      using T = decltype(t);
      const T* x = in[0].ptr<T>();
      T st = to_dtype<T>(s);
      map_out<T>(out[0], req[0], [&](dim_t i) {
        return static_cast<T>(reversed ? fn(st, x[i]) : fn(x[i], st));
      });
    });
  };
}

void byte_copy(const OpContext&, const Attrs&, const std::vector<TBlob>& in,
               const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
  if (req[0] == kNullOp) return;
  if (req[0] == kAddTo) {
    number_types(in[0].dtype, "reshape", [&](auto t) {
      using T = decltype(t);
      const T* x = in[0].ptr<T>();
      map_out<T>(out[0], req[0], [&](dim_t i) { return x[i]; });
    });
    return;
  }
  size_t bytes = static_cast<size_t>(out[0].size()) * dtype_size(out[0].dtype);
  if (out[0].data != in[0].data && bytes) std::memmove(out[0].data, in[0].data, bytes);
}

// As MXNet, x is compared with the float bounds and replaced by a bound converted to its dtype
// (an int32 array clipped to [-2.5, 4.5] lies in [-2, 4]).
void clip(const OpContext&, const Attrs& attrs, const std::vector<TBlob>& in,
          const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
  const auto& p = attrs.get<ClipParam>();
  number_types(in[0].dtype, "clip", [&](auto t) {
    using T = decltype(t);
    const T* x = in[0].ptr<T>();
    float lo_f = static_cast<float>(p.a_min), hi_f = static_cast<float>(p.a_max);
    T lo = to_dtype<T>(lo_f), hi = to_dtype<T>(hi_f);
    map_out<T>(out[0], req[0], [&](dim_t i) {
      float v = static_cast<float>(x[i]);
      return v > hi_f ? hi : (v < lo_f ? lo : x[i]);
    });
  });
}

void cast(const OpContext&, const Attrs&, const std::vector<TBlob>& in,
          const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
  if (req[0] == kNullOp) return;
  numeric_types(in[0].dtype, "Cast", [&](auto s) {
    using S = decltype(s);
    numeric_types(out[0].dtype, "Cast", [&](auto d) {
      using D = decltype(d);
      const S* x = in[0].ptr<S>();
      map_out<D>(out[0], req[0], [&](dim_t i) { return static_cast<D>(x[i]); });
    });
  });
}

struct Registrations {
  Registrations() {
    auto u = [](const char* n, auto fn) { register_kernel(n, kCPU, unary(n, fn)); };
    u("abs", [](auto x) { return std::abs(x); });
    auto e = [](const char* n, auto fn) { register_kernel(n, kCPU, unary(n, fn, true)); };
    e("sign", [](auto x) { return decltype(x)((x > 0) - (x < 0)); });
    u("round", [](auto x) { return std::round(x); });
    u("rint", [](auto x) { return std::nearbyint(x); });
    u("ceil", [](auto x) { return std::ceil(x); });
    u("floor", [](auto x) { return std::floor(x); });
    u("trunc", [](auto x) { return std::trunc(x); });
    u("fix", [](auto x) { return std::trunc(x); });
    e("square", [](auto x) {  // integers square in float32, as MXNet (overflow: INT_MIN)
      using T = decltype(x);
      if constexpr (std::is_integral_v<T>)
        return to_dtype<T>(static_cast<double>(static_cast<float>(x) * static_cast<float>(x)));
      else
        return x * x;
    });
    u("sqrt", [](auto x) { return std::sqrt(x); });
    u("rsqrt", [](auto x) { return decltype(x)(1) / std::sqrt(x); });
    u("cbrt", [](auto x) { return std::cbrt(x); });
    u("rcbrt", [](auto x) { return decltype(x)(1) / std::cbrt(x); });
    u("exp", [](auto x) { return std::exp(x); });
    u("log", [](auto x) { return std::log(x); });
    u("log10", [](auto x) { return std::log10(x); });
    u("log2", [](auto x) { return std::log2(x); });
    u("log1p", [](auto x) { return std::log1p(x); });
    u("expm1", [](auto x) { return std::expm1(x); });
    u("gamma", [](auto x) { return std::tgamma(x); });
    u("gammaln", [](auto x) { return std::lgamma(x); });
    u("erf", [](auto x) { return std::erf(x); });
    u("sin", [](auto x) { return std::sin(x); });
    u("cos", [](auto x) { return std::cos(x); });
    u("tan", [](auto x) { return std::tan(x); });
    u("arcsin", [](auto x) { return std::asin(x); });
    u("arccos", [](auto x) { return std::acos(x); });
    u("arctan", [](auto x) { return std::atan(x); });
    u("sinh", [](auto x) { return std::sinh(x); });
    u("cosh", [](auto x) { return std::cosh(x); });
    u("tanh", [](auto x) { return std::tanh(x); });
    u("arcsinh", [](auto x) { return std::asinh(x); });
    u("arccosh", [](auto x) { return std::acosh(x); });
    u("arctanh", [](auto x) { return std::atanh(x); });
    u("degrees", [](auto x) { return x * decltype(x)(180.0 / M_PI); });
    u("radians", [](auto x) { return x * decltype(x)(M_PI / 180.0); });
    u("reciprocal", [](auto x) { return decltype(x)(1) / x; });
    e("negative", [](auto x) { return neg_wrap(x); });
    e("relu", [](auto x) { return x > 0 ? x : decltype(x)(0); });
    u("sigmoid", [](auto x) { return decltype(x)(1) / (decltype(x)(1) + std::exp(-x)); });
    u("softsign", [](auto x) { return x / (decltype(x)(1) + std::abs(x)); });
    e("ones_like", [](auto x) { return decltype(x)(1); });
    e("logical_not", [](auto x) { return decltype(x)(x == 0); });

    auto b = [](const char* n, auto fn) {
      register_kernel(n, kCPU, binary(n, fn));
    };
    auto s = [](const char* n, auto fn, bool rev = false) {
      register_kernel(n, kCPU, scalar(n, fn, rev));
    };
    auto power = [](auto x, auto y) { return pow_num(x, y); };
    auto maximum = [](auto x, auto y) { return x > y ? x : y; };
    auto minimum = [](auto x, auto y) { return x < y ? x : y; };
    auto hypot = [](auto x, auto y) {
      using T = decltype(x);
      return to_dtype<T>(std::hypot(static_cast<double>(x), static_cast<double>(y)));
    };
    auto mod = [](auto x, auto y) { return py_mod(x, y); };
    auto eq = [](auto x, auto y) { return decltype(x)(x == y); };
    auto ne = [](auto x, auto y) { return decltype(x)(x != y); };
    auto gt = [](auto x, auto y) { return decltype(x)(x > y); };
    auto ge = [](auto x, auto y) { return decltype(x)(x >= y); };
    auto lt = [](auto x, auto y) { return decltype(x)(x < y); };
    auto le = [](auto x, auto y) { return decltype(x)(x <= y); };
    auto land = [](auto x, auto y) { return decltype(x)(x != 0 && y != 0); };
    auto lor = [](auto x, auto y) { return decltype(x)(x != 0 || y != 0); };
    auto lxor = [](auto x, auto y) { return decltype(x)((x != 0) != (y != 0)); };
    b("_power", power), s("_power_scalar", power), s("_rpower_scalar", power, true);
    b("_maximum", maximum), s("_maximum_scalar", maximum);
    b("_minimum", minimum), s("_minimum_scalar", minimum);
    b("_hypot", hypot), s("_hypot_scalar", hypot);
    b("_mod", mod), s("_mod_scalar", mod), s("_rmod_scalar", mod, true);
    b("_equal", eq), s("_equal_scalar", eq);
    b("_not_equal", ne), s("_not_equal_scalar", ne);
    b("_greater", gt), s("_greater_scalar", gt);
    b("_greater_equal", ge), s("_greater_equal_scalar", ge);
    b("_lesser", lt), s("_lesser_scalar", lt);
    b("_lesser_equal", le), s("_lesser_equal_scalar", le);
    b("_logical_and", land), s("_logical_and_scalar", land);
    b("_logical_or", lor), s("_logical_or_scalar", lor);
    b("_logical_xor", lxor), s("_logical_xor_scalar", lxor);

    for (const char* n : {"Reshape", "Flatten", "expand_dims", "squeeze", "reshape_like"})
      register_kernel(n, kCPU, byte_copy);
    register_kernel("clip", kCPU, clip);
    register_kernel("Cast", kCPU, cast);
  }
} registrations;

}  // namespace
}  // namespace loom::cpu
