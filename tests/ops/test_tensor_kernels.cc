// CPU kernels of the tensor operators (transpose, reductions, pick, broadcasting, creation and
// random ops, dot/batch_dot, slicing, take, one_hot, where, tile, repeat, reverse), bound
// through the executor in float64: forward values against naive references computed here and
// gradients against central differences. Tag [tensork].
#include "kernels/random.h"
#include "tests/ops/kernel_test_util.h"

using namespace loom;
using namespace kernel_test;

namespace {

using op_test::contains;
using op_test::error_of;
using op_test::make;
using op_test::var;

// Distinct values (a shuffled ramp plus jitter) so max/min/sort have no ties.
Vec distinct(size_t n, std::mt19937& rng) {
  Vec v(n);
  for (size_t i = 0; i < n; ++i) v[i] = -1.0 + 2.0 * i / std::max<size_t>(1, n) + 0.01;
  std::shuffle(v.begin(), v.end(), rng);
  return v;
}

Vec ramp(size_t n, double start = 0, double step = 1) {
  Vec v(n);
  for (size_t i = 0; i < n; ++i) v[i] = start + step * i;
  return v;
}

// An argument given explicitly: its shape, its values, and whether it takes a gradient.
struct Arg {
  Shape shape;
  Vec v;
  bool grad = true;
};

// The symbol bound in float64 (or `dtype`) with every argument given explicitly.
Bound bind_args(const Symbol& sym, const std::map<std::string, Arg>& in, int dtype = kFloat64) {
  std::map<std::string, Shape> shapes;
  std::set<std::string> no_grad;
  for (const auto& [n, a] : in) {
    shapes[n] = a.shape;
    if (!a.grad) no_grad.insert(n);
  }
  auto fill = [&](const std::string& n, size_t) { return in.at(n).v; };
  return bind(sym, shapes, fill, {}, no_grad, kWriteTo, dtype);
}

Vec forward(const Symbol& sym, const std::map<std::string, Arg>& in) {
  Bound b = bind_args(sym, in);
  b.exec->forward(false);
  return b.out();
}

// Central differences of f = <out, w> for a random w against backward(w), for every argument
// bound with a gradient.
void check_gradient(const Symbol& sym, const std::map<std::string, Arg>& in, double tol = 1e-6) {
  std::mt19937 rng(7);
  Bound b = bind_args(sym, in);
  check_numeric_gradient(b, rng, tol);
}

Symbol op1(const std::string& op, const AttrDict& params) {
  return make(op, params, "op", {var("x")});
}
Symbol op2(const std::string& op, const AttrDict& params = {}) {
  return make(op, params, "op", {var("a"), var("b")});
}

// Row-major index helpers for the references.
std::vector<dim_t> unravel(dim_t i, const std::vector<dim_t>& dims) {
  std::vector<dim_t> idx(dims.size());
  for (int d = static_cast<int>(dims.size()) - 1; d >= 0; --d) {
    idx[d] = i % dims[d];
    i /= dims[d];
  }
  return idx;
}
dim_t ravel(const std::vector<dim_t>& idx, const std::vector<dim_t>& dims) {
  dim_t i = 0;
  for (size_t d = 0; d < dims.size(); ++d) i = i * dims[d] + idx[d];
  return i;
}

// Reduction of x (dims) over `axes` with init/fold, in the keepdims layout's row-major order.
Vec ref_reduce(const Vec& x, const std::vector<dim_t>& dims, const std::set<int>& axes, double init,
               const std::function<double(double, double)>& fold) {
  std::vector<dim_t> small = dims;
  for (int a : axes) small[a] = 1;
  dim_t n = 1;
  for (dim_t d : small) n *= d;
  Vec out(n, init);
  for (size_t i = 0; i < x.size(); ++i) {
    auto idx = unravel(i, dims);
    for (int a : axes) idx[a] = 0;
    dim_t j = ravel(idx, small);
    out[j] = fold(out[j], x[i]);
  }
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------------- transpose

TEST_CASE("transpose: default reverse and explicit axes, with gradient", "[tensork]") {
  std::mt19937 rng(1);
  Vec x = uniform(24, rng, -1, 1);
  std::vector<dim_t> dims{2, 3, 4};
  for (const std::string& axes :
       {std::string(""), std::string("(1, 2, 0)"), std::string("(0, 2, 1)")}) {
    INFO("axes=" << axes);
    std::vector<int> perm = axes.empty()          ? std::vector<int>{2, 1, 0}
                            : axes == "(1, 2, 0)" ? std::vector<int>{1, 2, 0}
                                                  : std::vector<int>{0, 2, 1};
    AttrDict p;
    if (!axes.empty()) p["axes"] = axes;
    Symbol s = op1("transpose", p);
    std::vector<dim_t> od{dims[perm[0]], dims[perm[1]], dims[perm[2]]};
    Vec ref(24);
    for (dim_t i = 0; i < 24; ++i) {
      auto oi = unravel(i, od);
      std::vector<dim_t> ii(3);
      for (int k = 0; k < 3; ++k) ii[perm[k]] = oi[k];
      ref[i] = x[ravel(ii, dims)];
    }
    CHECK_CLOSE(forward(s, {{"x", {Shape({2, 3, 4}), x}}}), ref, 0);
    check_gradient(s, {{"x", {Shape({2, 3, 4}), x}}});
  }
  // 2-D default is the matrix transpose; SwapAxis shares the kernel
  Vec m = ramp(6);
  CHECK_CLOSE(forward(op1("transpose", {}), {{"x", {Shape({2, 3}), m}}}), Vec({0, 3, 1, 4, 2, 5}),
              0);
  Symbol sw = op1("SwapAxis", {{"dim1", "0"}, {"dim2", "2"}});
  check_gradient(sw, {{"x", {Shape({2, 3, 4}), x}}});
  CHECK(contains(error_of([&] {
                   forward(op1("transpose", {{"axes", "(0, 0)"}}), {{"x", {Shape({2, 3}), m}}});
                 }),
                 "permutation"));
}

// ---------------------------------------------------------------------------------- reductions

TEST_CASE("sum/mean/prod/max/min/nansum/nanprod: axes, keepdims, exclude, gradients", "[tensork]") {
  std::mt19937 rng(2);
  std::vector<dim_t> dims{2, 3, 4};
  Shape shape({2, 3, 4});
  Vec x = distinct(24, rng);
  for (auto& v : x) v = v < 0 ? v - 0.5 : v + 0.5;  // away from 0 for prod's gradient
  struct Case {
    const char* axis;
    bool keepdims, exclude;
    std::set<int> axes;
  };
  std::vector<Case> cases = {{nullptr, false, false, {0, 1, 2}}, {"1", false, false, {1}},
                             {"(0, 2)", true, false, {0, 2}},    {"-1", false, false, {2}},
                             {"(1,)", false, true, {0, 2}},      {"()", true, false, {0, 1, 2}}};
  auto add = [](double a, double v) { return a + v; };
  auto mul = [](double a, double v) { return a * v; };
  auto mx = [](double a, double v) { return std::max(a, v); };
  auto mn = [](double a, double v) { return std::min(a, v); };
  for (const auto& c : cases) {
    AttrDict p;
    if (c.axis) p["axis"] = c.axis;
    if (c.keepdims) p["keepdims"] = "True";
    if (c.exclude) p["exclude"] = "True";
    INFO("axis=" << (c.axis ? c.axis : "None") << " keepdims=" << c.keepdims
                 << " exclude=" << c.exclude);
    std::map<std::string, Arg> in{{"x", {shape, x}}};
    Vec s = ref_reduce(x, dims, c.axes, 0, add);
    double count = 1;
    for (int a : c.axes) count *= dims[a];
    Vec mean = s;
    for (auto& v : mean) v /= count;
    CHECK_CLOSE(forward(op1("sum", p), in), s, 1e-12);
    CHECK_CLOSE(forward(op1("mean", p), in), mean, 1e-12);
    CHECK_CLOSE(forward(op1("prod", p), in), ref_reduce(x, dims, c.axes, 1, mul), 1e-12);
    CHECK_CLOSE(forward(op1("max", p), in), ref_reduce(x, dims, c.axes, -INFINITY, mx), 0);
    CHECK_CLOSE(forward(op1("min", p), in), ref_reduce(x, dims, c.axes, INFINITY, mn), 0);
    for (const char* op : {"sum", "mean", "prod", "max", "min", "nansum", "nanprod"}) {
      INFO(op);
      check_gradient(op1(op, p), in);
    }
  }
  // output shapes follow the legacy rules
  Bound b = bind_args(op1("sum", {{"axis", "(0, 2)"}, {"keepdims", "True"}}), {{"x", {shape, x}}});
  CHECK(b.exec->outputs()[0].shape() == Shape({1, 3, 1}));
  Bound full = bind_args(op1("sum", {}), {{"x", {shape, x}}});
  CHECK(full.exec->outputs()[0].shape() == Shape({1}));
}

TEST_CASE("nansum/nanprod skip NaN; max/min route the gradient to every tied maximum",
          "[tensork]") {
  Vec x{1, NAN, 3, 2, 2, NAN};
  std::map<std::string, Arg> in{{"x", {Shape({2, 3}), x}}};
  CHECK_CLOSE(forward(op1("nansum", {{"axis", "1"}}), in), Vec({4, 4}), 0);
  CHECK_CLOSE(forward(op1("nanprod", {{"axis", "1"}}), in), Vec({3, 4}), 0);
  // nansum's gradient is 0 at NaN inputs, the head gradient elsewhere
  Bound b = bind_args(op1("nansum", {{"axis", "1"}}), in);
  b.exec->forward(true);
  NDArray head(Shape({2}), kCpu, kFloat64);
  Vec hv{1, 2};
  head.copy_from_host(hv.data(), 2);
  b.exec->backward({head}, true);
  CHECK_CLOSE(values(b.grads[0]), Vec({1, 0, 1, 2, 2, 0}), 0);
  Bound np = bind_args(op1("nanprod", {{"axis", "1"}}), in);
  np.exec->forward(true);
  np.exec->backward({head}, true);
  CHECK_CLOSE(values(np.grads[0]), Vec({3, 0, 1, 4, 4, 0}), 0);
  // MXNet 1.9.1: max([[1,3,3],[2,2,1]], axis=1) with head (1,2) gives [[0,1,1],[2,2,0]]
  Bound m =
      bind_args(op1("max", {{"axis", "1"}}), {{"x", {Shape({2, 3}), Vec({1, 3, 3, 2, 2, 1})}}});
  m.exec->forward(true);
  m.exec->backward({head}, true);
  CHECK_CLOSE(values(m.grads[0]), Vec({0, 1, 1, 2, 2, 0}), 0);
}

TEST_CASE("norm (ord 1, 2; axis) and argmax/argmin/argmax_channel", "[tensork]") {
  std::mt19937 rng(3);
  Vec x = distinct(12, rng);
  std::map<std::string, Arg> in{{"x", {Shape({3, 4}), x}}};
  double l2 = 0;
  for (double v : x) l2 += v * v;
  CHECK_CLOSE(forward(op1("norm", {}), in), Vec({std::sqrt(l2)}), 1e-12);
  Vec l1rows(3, 0), l2cols(4, 0);
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 4; ++j) {
      l1rows[i] += std::abs(x[i * 4 + j]);
      l2cols[j] += x[i * 4 + j] * x[i * 4 + j];
    }
  for (auto& v : l2cols) v = std::sqrt(v);
  CHECK_CLOSE(forward(op1("norm", {{"ord", "1"}, {"axis", "1"}}), in), l1rows, 1e-12);
  CHECK_CLOSE(forward(op1("norm", {{"axis", "0"}}), in), l2cols, 1e-12);
  check_gradient(op1("norm", {}), in);
  check_gradient(op1("norm", {{"ord", "1"}, {"axis", "1"}}), in);
  check_gradient(op1("norm", {{"axis", "0"}, {"keepdims", "True"}}), in);

  Vec am(3), an(4), flat_max(1);
  for (int i = 0; i < 3; ++i)
    am[i] = std::max_element(x.begin() + i * 4, x.begin() + i * 4 + 4) - (x.begin() + i * 4);
  for (int j = 0; j < 4; ++j) {
    int best = 0;
    for (int i = 1; i < 3; ++i)
      if (x[i * 4 + j] < x[best * 4 + j]) best = i;
    an[j] = best;
  }
  flat_max[0] = std::max_element(x.begin(), x.end()) - x.begin();
  CHECK_CLOSE(forward(op1("argmax", {{"axis", "1"}}), in), am, 0);
  CHECK_CLOSE(forward(op1("argmin", {{"axis", "0"}}), in), an, 0);
  CHECK_CLOSE(forward(op1("argmax", {}), in), flat_max, 0);
  CHECK_CLOSE(forward(op1("argmax_channel", {}), in), am, 0);
  // first occurrence wins on ties, as in MXNet
  CHECK_CLOSE(forward(op1("argmax", {{"axis", "1"}}), {{"x", {Shape({1, 3}), Vec({1, 3, 3})}}}),
              Vec({1}), 0);
}

// ---------------------------------------------------------------------------------- pick

TEST_CASE("pick: clip and wrap modes, keepdims, gradient to data only", "[tensork]") {
  Vec data = ramp(6, 1);  // [[1,2,3],[4,5,6]]
  Symbol clip = make("pick", {{"axis", "1"}}, "op", {var("x"), var("i")});
  Symbol wrap = make("pick", {{"axis", "1"}, {"mode", "wrap"}}, "op", {var("x"), var("i")});
  // MXNet 1.9.1: index (5, -1) gives (3, 4) under clip and (3, 6) under wrap
  std::map<std::string, Arg> in{{"x", {Shape({2, 3}), data}},
                                {"i", {Shape({2}), Vec({5, -1}), false}}};
  CHECK_CLOSE(forward(clip, in), Vec({3, 4}), 0);
  CHECK_CLOSE(forward(wrap, in), Vec({3, 6}), 0);
  Symbol axis0 = make("pick", {{"axis", "0"}, {"keepdims", "True"}}, "op", {var("x"), var("i")});
  std::map<std::string, Arg> in0{{"x", {Shape({2, 3}), data}},
                                 {"i", {Shape({1, 3}), Vec({1, 0, 1}), false}}};
  Bound b = bind_args(axis0, in0);
  b.exec->forward(false);
  CHECK(b.exec->outputs()[0].shape() == Shape({1, 3}));
  CHECK_CLOSE(b.out(), Vec({4, 2, 6}), 0);
  std::mt19937 rng(4);
  Vec x = uniform(12, rng, -1, 1);
  check_gradient(clip, {{"x", {Shape({4, 3}), x}}, {"i", {Shape({4}), Vec({0, 2, 1, 7}), false}}});
  check_gradient(axis0, {{"x", {Shape({2, 3}), uniform(6, rng, -1, 1)}},
                         {"i", {Shape({1, 3}), Vec({1, 0, 1}), false}}});
  // the index gets a zero gradient when one is requested
  Bound g = bind_args(clip, {{"x", {Shape({2, 3}), data}}, {"i", {Shape({2}), Vec({0, 1})}}});
  g.exec->forward(true);
  NDArray head(Shape({2}), kCpu, kFloat64);
  Vec hv{1, 1};
  head.copy_from_host(hv.data(), 2);
  g.exec->backward({head}, true);
  CHECK_CLOSE(values(g.grad("x")), Vec({1, 0, 0, 0, 1, 0}), 0);
  CHECK_CLOSE(values(g.grad("i")), Vec({0, 0}), 0);
}

// ---------------------------------------------------------------------------------- broadcasting

TEST_CASE("broadcast binary ops: values against numpy rules and summed gradients", "[tensork]") {
  std::mt19937 rng(5);
  std::vector<dim_t> out_dims{2, 4, 3};
  Shape la({2, 1, 3}), rb({4, 1});
  Vec a = uniform(6, rng, 0.5, 2.0), b = uniform(4, rng, 0.5, 2.0);
  auto at = [&](const Vec& v, const std::vector<dim_t>& d, const std::vector<dim_t>& oi) {
    std::vector<dim_t> ii(d.size());
    size_t off = oi.size() - d.size();
    for (size_t k = 0; k < d.size(); ++k) ii[k] = d[k] == 1 ? 0 : oi[off + k];
    return v[ravel(ii, d)];
  };
  struct C {
    const char* op;
    std::function<double(double, double)> f;
    bool grad;
  };
  std::vector<C> cases = {
      {"broadcast_add", [](double x, double y) { return x + y; }, true},
      {"broadcast_sub", [](double x, double y) { return x - y; }, true},
      {"broadcast_mul", [](double x, double y) { return x * y; }, true},
      {"broadcast_div", [](double x, double y) { return x / y; }, true},
      {"broadcast_power", [](double x, double y) { return std::pow(x, y); }, true},
      {"broadcast_maximum", [](double x, double y) { return std::max(x, y); }, true},
      {"broadcast_minimum", [](double x, double y) { return std::min(x, y); }, true},
      {"broadcast_hypot", [](double x, double y) { return std::hypot(x, y); }, true},
      {"broadcast_mod", [](double x, double y) { return x - std::floor(x / y) * y; }, true},
      {"broadcast_greater", [](double x, double y) { return double(x > y); }, false},
      {"broadcast_equal", [](double x, double y) { return double(x == y); }, false},
      {"broadcast_lesser_equal", [](double x, double y) { return double(x <= y); }, false},
      {"broadcast_logical_xor", [](double x, double y) { return double((x != 0) != (y != 0)); },
       false},
  };
  for (const auto& c : cases) {
    INFO(c.op);
    Vec ref(24);
    Vec aa = a, bb = b;
    if (std::string(c.op) == "broadcast_logical_xor") {  // 0/1 inputs
      for (auto& v : aa) v = v > 1;
      for (auto& v : bb) v = v > 1;
    }
    for (dim_t i = 0; i < 24; ++i) {
      auto oi = unravel(i, out_dims);
      ref[i] = c.f(at(aa, {2, 1, 3}, oi), at(bb, {4, 1}, oi));
    }
    std::map<std::string, Arg> in{{"a", {la, aa}}, {"b", {rb, bb}}};
    CHECK_CLOSE(forward(op2(c.op), in), ref, 1e-12);
    if (c.grad) check_gradient(op2(c.op), in, 1e-5);
  }
  // same shapes and one scalar-like side
  check_gradient(op2("broadcast_mul"),
                 {{"a", {Shape({2, 3}), uniform(6, rng, -1, 1)}}, {"b", {Shape({1}), Vec({0.7})}}});
  CHECK(contains(error_of([&] {
                   forward(op2("broadcast_add"),
                           {{"a", {Shape({2, 3}), ramp(6)}}, {"b", {Shape({4}), ramp(4)}}});
                 }),
                 "could not be broadcast"));
}

TEST_CASE("broadcast_to, broadcast_like, broadcast_axis and their gradients", "[tensork]") {
  std::mt19937 rng(6);
  Vec x = uniform(3, rng, -1, 1);
  Vec ref;
  for (int i = 0; i < 2; ++i) ref.insert(ref.end(), x.begin(), x.end());
  std::map<std::string, Arg> in{{"x", {Shape({1, 3}), x}}};
  Symbol to = op1("broadcast_to", {{"shape", "(2, 0)"}});
  CHECK_CLOSE(forward(to, in), ref, 0);
  check_gradient(to, in);
  Symbol ax = op1("broadcast_axis", {{"axis", "(0,)"}, {"size", "(2,)"}});
  CHECK_CLOSE(forward(ax, in), ref, 0);
  check_gradient(ax, in);
  Symbol like = make("broadcast_like", {}, "op", {var("x"), var("y")});
  std::map<std::string, Arg> in2{{"x", {Shape({1, 3}), x}},
                                 {"y", {Shape({2, 3}), Vec(6, 0), false}}};
  CHECK_CLOSE(forward(like, in2), ref, 0);
  check_gradient(like, in2);
  // a column broadcast: (3, 1) -> (3, 4)
  Symbol col = op1("broadcast_to", {{"shape", "(3, 4)"}});
  Vec c = uniform(3, rng, -1, 1);
  Vec cref;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 4; ++j) cref.push_back(c[i]);
  CHECK_CLOSE(forward(col, {{"x", {Shape({3, 1}), c}}}), cref, 0);
  check_gradient(col, {{"x", {Shape({3, 1}), c}}});
}

// ---------------------------------------------------------------------------------- creation

TEST_CASE("creation ops: _zeros _ones _full _arange _eye _linspace", "[tensork]") {
  auto run = [](const std::string& op, const AttrDict& p) {
    Symbol s = make(op, p, "op");
    Bound b = bind_args(s, {});
    b.exec->forward(false);
    return std::make_pair(b.exec->outputs()[0].shape(), b.out());
  };
  CHECK(run("_zeros", {{"shape", "(2, 3)"}}).second == Vec(6, 0));
  CHECK(run("_ones", {{"shape", "(4,)"}}).second == Vec(4, 1));
  CHECK(run("_full", {{"shape", "(2, 2)"}, {"value", "2.5"}}).second == Vec(4, 2.5));
  // MXNet 1.9.1: arange(2, 8, 2, repeat=2) = [2 2 4 4 6 6]
  CHECK(run("_arange", {{"start", "2"}, {"stop", "8"}, {"step", "2"}, {"repeat", "2"}}).second ==
        Vec({2, 2, 4, 4, 6, 6}));
  CHECK(run("_arange", {{"start", "4"}}).second == Vec({0, 1, 2, 3}));
  CHECK(run("_arange", {{"start", "3"}, {"stop", "0"}, {"step", "-1.5"}}).second == Vec({3, 1.5}));
  auto eye = run("_eye", {{"N", "3"}, {"M", "4"}, {"k", "1"}});
  CHECK(eye.first == Shape({3, 4}));
  CHECK(eye.second == Vec({0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1}));
  CHECK(run("_eye", {{"N", "2"}}).second == Vec({1, 0, 0, 1}));
  CHECK_CLOSE(
      run("_linspace", {{"start", "0"}, {"stop", "1"}, {"num", "5"}, {"endpoint", "False"}}).second,
      Vec({0, 0.2, 0.4, 0.6, 0.8}), 1e-7);
  CHECK_CLOSE(run("_linspace", {{"start", "1"}, {"stop", "2"}, {"num", "3"}}).second,
              Vec({1, 1.5, 2}), 1e-7);
  // int dtypes are written as such
  Symbol s = make("_full", {{"shape", "(3,)"}, {"value", "7"}, {"dtype", "int32"}}, "op");
  std::unique_ptr<Executor> ex =
      std::make_unique<Executor>(s, kCpu, std::vector<NDArray>{}, std::vector<NDArray>{},
                                 std::vector<OpReq>{}, std::vector<NDArray>{});
  ex->forward(false);
  std::vector<int32_t> iv(3);
  REQUIRE(ex->outputs()[0].dtype() == kInt32);
  ex->outputs()[0].copy_to_host(iv.data(), 3);
  CHECK(iv == std::vector<int32_t>({7, 7, 7}));
}

TEST_CASE("random ops: ranges, moments, and the same seed gives the same numbers", "[tensork]") {
  auto draw = [](const std::string& op, const AttrDict& p) {
    Symbol s = make(op, p, "op");
    Bound b = bind_args(s, {});
    b.exec->forward(false);
    return b.out();
  };
  seed_random(42);
  Vec u = draw("_random_uniform", {{"low", "-2"}, {"high", "3"}, {"shape", "(100, 100)"}});
  REQUIRE(u.size() == 10000);
  double mean = 0;
  for (double v : u) {
    CHECK((v >= -2 && v < 3));
    mean += v / u.size();
  }
  CHECK(std::abs(mean - 0.5) < 0.05);
  Vec n = draw("random_normal", {{"loc", "1"}, {"scale", "2"}, {"shape", "(10000,)"}});
  double m = 0, var = 0;
  for (double v : n) m += v / n.size();
  for (double v : n) var += (v - m) * (v - m) / n.size();
  CHECK(std::abs(m - 1) < 0.1);
  CHECK(std::abs(std::sqrt(var) - 2) < 0.1);
  seed_random(42);
  Vec u2 = draw("uniform", {{"low", "-2"}, {"high", "3"}, {"shape", "(100, 100)"}});
  CHECK(u2 == u);
  Vec u3 = draw("uniform", {{"low", "-2"}, {"high", "3"}, {"shape", "(100, 100)"}});
  CHECK(u3 != u);
  seed_random(43);
  CHECK(draw("_random_uniform", {{"low", "-2"}, {"high", "3"}, {"shape", "(100, 100)"}}) != u);
  // dtype None is float32
  Bound f = bind_args(make("_random_normal", {{"shape", "(2,)"}}, "op"), {});
  CHECK(f.exec->outputs()[0].dtype() == kFloat32);
}

// ---------------------------------------------------------------------------------- dot

TEST_CASE("dot: 2-D with transposes, N-D and 1-D operands, gradients", "[tensork]") {
  std::mt19937 rng(8);
  auto matmul = [](const Vec& a, const Vec& b, int m, int k, int n) {
    Vec c(m * n, 0);
    for (int i = 0; i < m; ++i)
      for (int j = 0; j < n; ++j)
        for (int q = 0; q < k; ++q) c[i * n + j] += a[i * k + q] * b[q * n + j];
    return c;
  };
  auto transposed = [](const Vec& a, int r, int c) {
    Vec t(a.size());
    for (int i = 0; i < r; ++i)
      for (int j = 0; j < c; ++j) t[j * r + i] = a[i * c + j];
    return t;
  };
  Vec A = uniform(6, rng, -1, 1), B = uniform(12, rng, -1, 1);  // A (2,3), B (3,4)
  Vec ref = matmul(A, B, 2, 3, 4);
  for (int ta = 0; ta < 2; ++ta)
    for (int tb = 0; tb < 2; ++tb) {
      INFO("transpose_a=" << ta << " transpose_b=" << tb);
      AttrDict p{{"transpose_a", ta ? "True" : "False"}, {"transpose_b", tb ? "True" : "False"}};
      std::map<std::string, Arg> in{
          {"a", {ta ? Shape({3, 2}) : Shape({2, 3}), ta ? transposed(A, 2, 3) : A}},
          {"b", {tb ? Shape({4, 3}) : Shape({3, 4}), tb ? transposed(B, 3, 4) : B}}};
      CHECK_CLOSE(forward(op2("dot", p), in), ref, 1e-12);
      check_gradient(op2("dot", p), in);
    }
  // N-D: (2,2,3) . (3,2,2) contracts lhs' last with rhs' first axis
  Vec L = uniform(12, rng, -1, 1), R = uniform(12, rng, -1, 1);
  std::map<std::string, Arg> nd{{"a", {Shape({2, 2, 3}), L}}, {"b", {Shape({3, 2, 2}), R}}};
  Bound b = bind_args(op2("dot"), nd);
  b.exec->forward(false);
  CHECK(b.exec->outputs()[0].shape() == Shape({2, 2, 2, 2}));
  CHECK_CLOSE(b.out(), matmul(L, R, 4, 3, 4), 1e-12);
  check_gradient(op2("dot"), nd);
  check_gradient(op2("dot", {{"transpose_a", "True"}}),
                 {{"a", {Shape({3, 2, 2}), L}}, {"b", {Shape({3, 4}), B}}});
  // 1-D . 1-D is the inner product (shape (1,)); 1-D . 2-D a row times a matrix
  Vec u = uniform(3, rng, -1, 1), v = uniform(3, rng, -1, 1);
  std::map<std::string, Arg> vv{{"a", {Shape({3}), u}}, {"b", {Shape({3}), v}}};
  CHECK_CLOSE(forward(op2("dot"), vv), Vec({u[0] * v[0] + u[1] * v[1] + u[2] * v[2]}), 1e-12);
  check_gradient(op2("dot"), vv);
  std::map<std::string, Arg> vm{{"a", {Shape({3}), u}}, {"b", {Shape({3, 4}), B}}};
  CHECK_CLOSE(forward(op2("dot"), vm), matmul(u, B, 1, 3, 4), 1e-12);
  check_gradient(op2("dot"), vm);
}

TEST_CASE("batch_dot: batched products with transposes and gradients", "[tensork]") {
  std::mt19937 rng(9);
  Vec A = uniform(2 * 2 * 3, rng, -1, 1), B = uniform(2 * 3 * 4, rng, -1, 1);
  Vec ref;
  for (int b = 0; b < 2; ++b)
    for (int i = 0; i < 2; ++i)
      for (int j = 0; j < 4; ++j) {
        double s = 0;
        for (int q = 0; q < 3; ++q) s += A[b * 6 + i * 3 + q] * B[b * 12 + q * 4 + j];
        ref.push_back(s);
      }
  std::map<std::string, Arg> in{{"a", {Shape({2, 2, 3}), A}}, {"b", {Shape({2, 3, 4}), B}}};
  CHECK_CLOSE(forward(op2("batch_dot"), in), ref, 1e-12);
  check_gradient(op2("batch_dot"), in);
  // with both transposes: a (2,3,2), b (2,4,3)
  Vec At, Bt;
  for (int b = 0; b < 2; ++b)
    for (int q = 0; q < 3; ++q)
      for (int i = 0; i < 2; ++i) At.push_back(A[b * 6 + i * 3 + q]);
  for (int b = 0; b < 2; ++b)
    for (int j = 0; j < 4; ++j)
      for (int q = 0; q < 3; ++q) Bt.push_back(B[b * 12 + q * 4 + j]);
  Symbol tt = op2("batch_dot", {{"transpose_a", "True"}, {"transpose_b", "True"}});
  std::map<std::string, Arg> int_{{"a", {Shape({2, 3, 2}), At}}, {"b", {Shape({2, 4, 3}), Bt}}};
  CHECK_CLOSE(forward(tt, int_), ref, 1e-12);
  check_gradient(tt, int_);
}

// ---------------------------------------------------------------------------------- slicing & co.

TEST_CASE("slice, slice_axis, slice_like, reverse: values and gradients", "[tensork]") {
  std::mt19937 rng(10);
  Vec x = ramp(24);  // (2,3,4)
  std::map<std::string, Arg> in{{"x", {Shape({2, 3, 4}), x}}};
  // x[:, 2:0:-1, ::2]
  Symbol sl =
      op1("slice",
          {{"begin", "(None, 2, None)"}, {"end", "(None, 0, None)"}, {"step", "(None, -1, 2)"}});
  Vec ref;
  for (int i = 0; i < 2; ++i)
    for (int j : {2, 1})
      for (int k : {0, 2}) ref.push_back(i * 12 + j * 4 + k);
  CHECK_CLOSE(forward(sl, in), ref, 0);
  std::map<std::string, Arg> rin{{"x", {Shape({2, 3, 4}), uniform(24, rng, -1, 1)}}};
  check_gradient(sl, rin);
  Symbol sa = op1("slice_axis", {{"axis", "2"}, {"begin", "1"}, {"end", "-1"}});
  Vec sref;
  for (int i = 0; i < 6; ++i)
    for (int k : {1, 2}) sref.push_back(i * 4 + k);
  CHECK_CLOSE(forward(sa, in), sref, 0);
  check_gradient(sa, rin);
  Symbol like = make("slice_like", {{"axes", "(1,)"}}, "op", {var("x"), var("y")});
  std::map<std::string, Arg> lin{{"x", {Shape({2, 3, 4}), x}},
                                 {"y", {Shape({1, 2}), Vec(2, 0), false}}};
  Vec lref;
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 2; ++j)
      for (int k = 0; k < 4; ++k) lref.push_back(i * 12 + j * 4 + k);
  CHECK_CLOSE(forward(like, lin), lref, 0);
  lin["x"].v = rin["x"].v;
  check_gradient(like, lin);
  Symbol rev = op1("reverse", {{"axis", "(0, 2)"}});
  Vec rref;
  for (int i = 1; i >= 0; --i)
    for (int j = 0; j < 3; ++j)
      for (int k = 3; k >= 0; --k) rref.push_back(i * 12 + j * 4 + k);
  CHECK_CLOSE(forward(rev, in), rref, 0);
  check_gradient(rev, rin);
}

TEST_CASE("tile and repeat: values and summed gradients", "[tensork]") {
  std::mt19937 rng(11);
  Vec x = ramp(6);  // (2,3)
  std::map<std::string, Arg> in{{"x", {Shape({2, 3}), x}}};
  Symbol tile = op1("tile", {{"reps", "(2, 1, 2)"}});
  Bound b = bind_args(tile, in);
  b.exec->forward(false);
  CHECK(b.exec->outputs()[0].shape() == Shape({2, 2, 6}));
  Vec tref;
  for (int r = 0; r < 2; ++r)
    for (int i = 0; i < 2; ++i)
      for (int rr = 0; rr < 2; ++rr)
        for (int j = 0; j < 3; ++j) tref.push_back(i * 3 + j);
  CHECK_CLOSE(b.out(), tref, 0);
  std::map<std::string, Arg> rin{{"x", {Shape({2, 3}), uniform(6, rng, -1, 1)}}};
  check_gradient(tile, rin);
  check_gradient(op1("tile", {{"reps", "(3,)"}}), rin);
  Symbol rep = op1("repeat", {{"repeats", "2"}, {"axis", "1"}});
  CHECK_CLOSE(forward(rep, in), Vec({0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5}), 0);
  check_gradient(rep, rin);
  Symbol rep0 = op1("repeat", {{"repeats", "2"}, {"axis", "0"}});
  CHECK_CLOSE(forward(rep0, in), Vec({0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5}), 0);
  Symbol flat = op1("repeat", {{"repeats", "3"}});
  CHECK_CLOSE(forward(flat, {{"x", {Shape({2}), Vec({1, 2})}}}), Vec({1, 1, 1, 2, 2, 2}), 0);
  check_gradient(flat, rin);
}

TEST_CASE("take, one_hot and where", "[tensork]") {
  std::mt19937 rng(12);
  Vec a = ramp(12);  // (3,4)
  Symbol take0 = make("take", {}, "op", {var("x"), var("i")});
  std::map<std::string, Arg> in{{"x", {Shape({3, 4}), a}},
                                {"i", {Shape({2, 2}), Vec({2, 0, 5, -1}), false}}};
  Bound b = bind_args(take0, in);
  b.exec->forward(false);
  CHECK(b.exec->outputs()[0].shape() == Shape({2, 2, 4}));
  // clip: 5 -> 2, -1 -> 0
  CHECK_CLOSE(b.out(), Vec({8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11, 0, 1, 2, 3}), 0);
  Symbol take1 = make("take", {{"axis", "1"}, {"mode", "wrap"}}, "op", {var("x"), var("i")});
  std::map<std::string, Arg> in1{{"x", {Shape({3, 4}), a}},
                                 {"i", {Shape({2}), Vec({5, -1}), false}}};
  CHECK_CLOSE(forward(take1, in1), Vec({1, 3, 5, 7, 9, 11}), 0);
  in["x"].v = uniform(12, rng, -1, 1);
  check_gradient(take0, in);  // row 2 and row 0 are taken twice: their gradients add up
  in1["x"].v = in["x"].v;
  check_gradient(take1, in1);

  Symbol oh =
      make("one_hot", {{"depth", "3"}, {"on_value", "5"}, {"off_value", "-1"}}, "op", {var("i")});
  CHECK_CLOSE(forward(oh, {{"i", {Shape({3}), Vec({1, 0, 7}), false}}}),
              Vec({-1, 5, -1, 5, -1, -1, -1, -1, -1}), 0);

  Symbol wh = make("where", {}, "op", {var("c"), var("x"), var("y")});
  Vec xs = uniform(6, rng, -1, 1), ys = uniform(6, rng, -1, 1);
  std::map<std::string, Arg> win{{"c", {Shape({2, 3}), Vec({1, 0, 2, 0, 0, 1}), false}},
                                 {"x", {Shape({2, 3}), xs}},
                                 {"y", {Shape({2, 3}), ys}}};
  CHECK_CLOSE(forward(wh, win), Vec({xs[0], ys[1], xs[2], ys[3], ys[4], xs[5]}), 0);
  check_gradient(wh, win);
  std::map<std::string, Arg> rows{{"c", {Shape({2}), Vec({0, 1}), false}},
                                  {"x", {Shape({2, 3}), xs}},
                                  {"y", {Shape({2, 3}), ys}}};
  CHECK_CLOSE(forward(wh, rows), Vec({ys[0], ys[1], ys[2], xs[3], xs[4], xs[5]}), 0);
}

// ---------------------------------------------------------------------------------- second order

TEST_CASE("gradients of the tensor gradients are themselves differentiable", "[tensork]") {
  // d/dx of sum(x * sum(x, axis=1, keepdims)) runs through _backward_sum, whose own
  // gradient is sum; the executor differentiates the gradient graph as any other.
  std::mt19937 rng(13);
  Symbol x = var("x");
  Symbol s = make("sum", {{"axis", "1"}, {"keepdims", "True"}}, "s", {x});
  Symbol prod = make("broadcast_mul", {}, "m", {x, s});
  Symbol total = make("sum", {}, "t", {prod});
  check_gradient(total, {{"x", {Shape({2, 3}), uniform(6, rng, -1, 1)}}});
  Symbol tiled = make("tile", {{"reps", "(2, 2)"}}, "ti", {x});
  Symbol sliced = make("slice_axis", {{"axis", "1"}, {"begin", "1"}, {"end", "4"}}, "sa", {tiled});
  Symbol mean = make("mean", {{"axis", "0"}}, "me", {sliced});
  check_gradient(mean, {{"x", {Shape({2, 3}), uniform(6, rng, -1, 1)}}});
}

// ---------------------------------------------------------------------------------- ordering

TEST_CASE("sort, argsort and topk along an axis and flattened", "[tensork]") {
  Vec x{3, 1, 2, 0, 5, 4};  // (2,3)
  std::map<std::string, Arg> in{{"x", {Shape({2, 3}), x, false}}};
  CHECK_CLOSE(forward(op1("sort", {}), in), Vec({1, 2, 3, 0, 4, 5}), 0);
  CHECK_CLOSE(forward(op1("sort", {{"axis", "0"}, {"is_ascend", "False"}}), in),
              Vec({3, 5, 4, 0, 1, 2}), 0);
  CHECK_CLOSE(forward(op1("argsort", {}), in), Vec({1, 2, 0, 0, 2, 1}), 0);
  CHECK_CLOSE(forward(op1("argsort", {{"axis", "None"}}), in), Vec({3, 1, 2, 0, 5, 4}), 0);
  CHECK_CLOSE(forward(op1("topk", {{"k", "2"}}), in), Vec({0, 2, 1, 2}), 0);
  CHECK_CLOSE(forward(op1("topk", {{"k", "2"}, {"ret_typ", "value"}}), in), Vec({3, 2, 5, 4}), 0);
  CHECK_CLOSE(forward(op1("topk", {{"k", "1"}, {"ret_typ", "mask"}, {"is_ascend", "True"}}), in),
              Vec({0, 1, 0, 1, 0, 0}), 0);
  Bound b = bind_args(op1("topk", {{"k", "2"}, {"ret_typ", "both"}, {"axis", "0"}}), in);
  b.exec->forward(false);
  CHECK_CLOSE(b.out(0), Vec({3, 5, 4, 0, 1, 2}), 0);
  CHECK_CLOSE(b.out(1), Vec({0, 1, 1, 1, 0, 0}), 0);
}

TEST_CASE("sort and topk values: gradients go back to the sorted positions", "[tensork]") {
  std::mt19937 rng(14);
  std::map<std::string, Arg> in{{"x", {Shape({3, 4}), distinct(12, rng)}}};
  check_gradient(op1("sort", {}), in);
  check_gradient(op1("sort", {{"axis", "0"}, {"is_ascend", "False"}}), in);
  check_gradient(op1("topk", {{"k", "2"}, {"ret_typ", "value"}}), in);
  check_gradient(op1("topk", {{"k", "2"}, {"ret_typ", "value"}, {"axis", "None"}}), in);
  check_gradient(op1("topk", {{"k", "3"}, {"ret_typ", "mask"}}), in);  // zero
}
