// Helpers shared by the tests that run CPU kernels through the executor (test_ops.cc,
// test_conv_kernels.cc, test_nn_kernels.cc, test_tensor_kernels.cc): float64 arrays and their
// values, an elementwise closeness check that prints both sides on failure, random inputs,
// binding a symbol with every argument (and auxiliary state) filled, and the float64
// central-difference gradient check.
#pragma once

#if __has_include(<catch2/catch_test_macros.hpp>)
#include <catch2/catch_test_macros.hpp>
#else
#include <catch2/catch.hpp>  // Catch2 2.x, as Debian bookworm ships it
#endif

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "core/base/error.h"
#include "core/exec/executor.h"
#include "core/graph/symbol.h"
#include "core/ndarray/ndarray.h"
#include "core/op/op.h"
#include "core/pass/passes.h"
#include "tests/ops/op_test_util.h"

namespace kernel_test {

using Vec = std::vector<double>;
using Strings = std::vector<std::string>;

inline const loom::Context kCpu{loom::kCPU, 0};

inline loom::NDArray array64(const loom::Shape& shape, const Vec& v) {
  loom::NDArray a(shape, kCpu, loom::kFloat64);
  a.copy_from_host(v.data(), v.size());
  return a;
}

// The elements of a float32 or float64 array as doubles.
inline Vec values(const loom::NDArray& a) {
  if (a.dtype() == loom::kFloat32) {
    std::vector<float> f(a.size());
    a.copy_to_host(f.data(), f.size());
    return Vec(f.begin(), f.end());
  }
  Vec v(a.size());
  a.copy_to_host(v.data(), v.size());
  return v;
}

inline double* ptr(const loom::NDArray& a) { return static_cast<double*>(a.data()); }

// How NaNs compare: a NaN must face a NaN (and then agrees), or pairs with a NaN on either side
// are not compared at all (kept only where a reference has no value, see test_conv_kernels.cc).
enum class NanRule { must_match, skip };

// Largest |a-b| / max(1, |b|) over the elements; sizes must agree.
inline double max_rel_err(const Vec& a, const Vec& b, NanRule nan = NanRule::must_match) {
  if (a.size() != b.size()) return INFINITY;
  double worst = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::isnan(a[i]) || std::isnan(b[i])) {
      if (nan == NanRule::must_match && std::isnan(a[i]) != std::isnan(b[i])) return INFINITY;
      continue;
    }
    worst = std::max(worst, std::abs(a[i] - b[i]) / std::max(1.0, std::abs(b[i])));
  }
  return worst;
}

inline std::string show(const Vec& v) {
  std::string s = "[";
  char buf[32];
  for (size_t i = 0; i < v.size() && i < 30; ++i) {
    std::snprintf(buf, sizeof buf, "%.15g", v[i]);  // enough digits to see a 1e-12 mismatch
    s += (i ? ", " : "") + std::string(buf);
  }
  return s + (v.size() > 30 ? ", ...]" : "]");
}

// CHECK that max_rel_err(actual, expected, nan_rule) <= tol, printing both on failure.
#define CHECK_CLOSE_NAN(actual, expected, tol, nan_rule)                                        \
  do {                                                                                          \
    ::kernel_test::Vec a_ = (actual), e_ = (expected);                                          \
    INFO("actual:   " << ::kernel_test::show(a_) << "\nexpected: " << ::kernel_test::show(e_)); \
    CHECK(::kernel_test::max_rel_err(a_, e_, (nan_rule)) <= (tol));                             \
  } while (0)
#define CHECK_CLOSE(actual, expected, tol) \
  CHECK_CLOSE_NAN(actual, expected, tol, ::kernel_test::NanRule::must_match)

inline Vec uniform(size_t n, std::mt19937& rng, double lo = -1, double hi = 1) {
  std::uniform_real_distribution<double> d(lo, hi);
  Vec v(n);
  for (auto& x : v) x = d(rng);
  return v;
}

// Magnitudes in [lo, hi] with random signs: keeps inputs away from kinks and poles at 0.
inline Vec away_from_zero(size_t n, std::mt19937& rng, double lo = 0.1, double hi = 1.5) {
  Vec v = uniform(n, rng, lo, hi);
  std::bernoulli_distribution sign(0.5);
  for (auto& x : v)
    if (sign(rng)) x = -x;
  return v;
}

// Values for an argument or auxiliary state, by name and element count.
using Fill = std::function<Vec(const std::string& name, size_t n)>;

// Every value uniform in [-1, 1).
inline Fill uniform_fill(std::mt19937& rng) {
  return [&rng](const std::string&, size_t n) { return uniform(n, rng); };
}

// A symbol bound to arrays: arguments and auxiliary states by name, gradients where requested.
struct Bound {
  Strings names, aux_names;
  std::vector<loom::NDArray> args, grads, aux;
  std::unique_ptr<loom::Executor> exec;

  size_t index(const std::string& name) const {
    auto it = std::find(names.begin(), names.end(), name);
    if (it == names.end()) throw loom::Error("no argument " + name);
    return it - names.begin();
  }
  loom::NDArray& arg(const std::string& name) { return args[index(name)]; }
  loom::NDArray& grad(const std::string& name) { return grads[index(name)]; }
  loom::NDArray& aux_of(const std::string& name) {
    auto it = std::find(aux_names.begin(), aux_names.end(), name);
    if (it == aux_names.end()) throw loom::Error("no auxiliary state " + name);
    return aux[it - aux_names.begin()];
  }
  Vec out(size_t i = 0) const { return values(exec->outputs().at(i)); }
  loom::Shape out_shape() const { return exec->outputs()[0].shape(); }
};

// Infers every shape from `given`, fills arguments and auxiliary states with `fixed` or else
// `fill`, and binds in `dtype`. Arguments in `no_grad` get grad_req null; the rest get `req`.
inline Bound bind(const loom::Symbol& sym, const std::map<std::string, loom::Shape>& given,
                  const Fill& fill, const std::map<std::string, Vec>& fixed = {},
                  const std::set<std::string>& no_grad = {}, loom::OpReq req = loom::kWriteTo,
                  int dtype = loom::kFloat64) {
  using namespace loom;
  Bound b;
  b.names = sym.list_arguments();
  b.aux_names = sym.list_auxiliary_states();
  Strings keys;
  std::vector<Shape> shapes;
  for (const auto& [k, s] : given) {
    keys.push_back(k);
    shapes.push_back(s);
  }
  SymbolShapes inferred = infer_symbol_shapes(sym, keys, shapes);
  REQUIRE(inferred.complete);
  auto array = [&](const std::string& n, const Shape& s) {
    Vec v = fixed.count(n) ? fixed.at(n) : fill(n, static_cast<size_t>(s.size()));
    REQUIRE(v.size() == static_cast<size_t>(s.size()));
    NDArray a(s, kCpu, dtype);
    if (dtype == kFloat64) {
      a.copy_from_host(v.data(), v.size());
    } else {
      std::vector<float> f(v.begin(), v.end());
      a.copy_from_host(f.data(), f.size());
    }
    return a;
  };
  std::vector<OpReq> reqs;
  for (size_t i = 0; i < b.names.size(); ++i) {
    const std::string& n = b.names[i];
    const Shape& s = inferred.args[i];
    b.args.push_back(array(n, s));
    bool wants = req != kNullOp && !no_grad.count(n);
    b.grads.push_back(wants ? NDArray::zeros(s, kCpu, dtype) : NDArray());
    reqs.push_back(wants ? req : kNullOp);
  }
  for (size_t i = 0; i < b.aux_names.size(); ++i)
    b.aux.push_back(array(b.aux_names[i], inferred.aux[i]));
  b.exec = std::make_unique<Executor>(sym, kCpu, b.args, b.grads, reqs, b.aux);
  return b;
}

// backward(w) against central differences of f = sum_k <out_k, w_k> for a fixed random w, for
// every argument that has a gradient array; every forward and backward runs with is_train =
// `train`, and the auxiliary states are put back after backward so they do not drift.
inline void check_numeric_gradient(Bound& b, std::mt19937& rng, double tol = 1e-6,
                                   bool train = true, NanRule nan = NanRule::must_match) {
  const double eps = 1e-6;
  b.exec->forward(train);
  std::vector<loom::NDArray> heads;
  std::vector<Vec> w;
  for (const auto& o : b.exec->outputs()) {
    w.push_back(uniform(static_cast<size_t>(o.size()), rng, -1, 1));
    heads.push_back(array64(o.shape(), w.back()));
  }
  std::vector<Vec> aux_before;
  for (const auto& a : b.aux) aux_before.push_back(values(a));
  b.exec->backward(heads, train);
  for (size_t i = 0; i < b.aux.size(); ++i)
    b.aux[i].copy_from_host(aux_before[i].data(), aux_before[i].size());
  auto objective = [&] {
    b.exec->forward(train);
    double f = 0;
    for (size_t k = 0; k < w.size(); ++k) {
      Vec o = b.out(k);
      for (size_t j = 0; j < o.size(); ++j) f += o[j] * w[k][j];
    }
    return f;
  };
  for (size_t i = 0; i < b.args.size(); ++i) {
    if (b.grads[i].is_none()) continue;
    Vec analytic = values(b.grads[i]);
    Vec numeric(analytic.size());
    double* x = ptr(b.args[i]);
    for (size_t j = 0; j < numeric.size(); ++j) {
      double keep = x[j];
      x[j] = keep + eps;
      double fp = objective();
      x[j] = keep - eps;
      double fm = objective();
      x[j] = keep;
      numeric[j] = (fp - fm) / (2 * eps);
    }
    INFO("gradient of " << b.names[i]);
    CHECK_CLOSE_NAN(analytic, numeric, tol, nan);
  }
}

}  // namespace kernel_test
