// Every operator with a CPU kernel, bound through the executor: shape inference, forward
// values against a reference computed here, and the gradient checked in float64 against
// central differences (or, for loss outputs whose gradient ignores the head gradient, against
// the formulas of spec 4.4). Also the executor's gradient bookkeeping (grad_req add/null,
// summed contributions, gradients of gradients), in-place planning and memory sharing, and
// the registered-operator list checked in at tests/golden/registered_ops.txt.
#include <cstdlib>
#include <fstream>

#include "kernels/kernel.h"
#include "tests/ops/kernel_test_util.h"

using namespace loom;
using namespace kernel_test;

namespace {

using op_test::contains;
using op_test::error_of;
using op_test::KwArgs;
using op_test::var;

// The op composed under `name` from keyword inputs first (as most tests here give them).
Symbol make(const std::string& op, const AttrDict& params, const std::string& name,
            const KwArgs& kwargs = {}, const std::vector<Symbol>& args = {}) {
  return op_test::make(op, params, name, args, kwargs);
}

std::string show_names(const Strings& v) {
  std::string s;
  for (const auto& n : v) s += (s.empty() ? "" : ", ") + n;
  return s.empty() ? "(none)" : s;
}

Vec softmax_row(const Vec& x) {
  double mx = *std::max_element(x.begin(), x.end());
  Vec e(x.size());
  double sum = 0;
  for (size_t i = 0; i < x.size(); ++i) sum += e[i] = std::exp(x[i] - mx);
  for (auto& v : e) v /= sum;
  return e;
}

// Row-wise softmax of an (n, c) matrix.
Vec softmax_rows(const Vec& x, size_t n, size_t c) {
  Vec y;
  for (size_t r = 0; r < n; ++r) {
    Vec row = softmax_row(Vec(x.begin() + r * c, x.begin() + (r + 1) * c));
    y.insert(y.end(), row.begin(), row.end());
  }
  return y;
}

Vec scaled(Vec v, double s) {
  for (auto& x : v) x *= s;
  return v;
}

}  // namespace

// ------------------------------------------------------------------------ operator registry

TEST_CASE("the registered operators match tests/golden/registered_ops.txt", "[ops][registry]") {
  const std::string path = std::string(LOOM_GOLDEN_DIR) + "/registered_ops.txt";
  if (std::getenv("LOOM_UPDATE_GOLDEN")) {
    // LOOM_UPDATE_GOLDEN=1 loom_core_tests "[registry]" rewrites the list after adding an op
    Strings names;
    for (const Op* op : OpRegistry::get().ops()) names.push_back(op->name);
    std::sort(names.begin(), names.end());
    std::ofstream out(path);
    for (const auto& n : names) out << n << "\n";
  }
  std::ifstream f(path);
  REQUIRE(f.good());
  Strings expected;
  for (std::string line; std::getline(f, line);)
    if (!line.empty()) expected.push_back(line);
  REQUIRE(std::is_sorted(expected.begin(), expected.end()));
  Strings actual;
  for (const Op* op : OpRegistry::get().ops()) actual.push_back(op->name);
  std::sort(actual.begin(), actual.end());
  Strings added, missing;
  std::set_difference(actual.begin(), actual.end(), expected.begin(), expected.end(),
                      std::back_inserter(added));
  std::set_difference(expected.begin(), expected.end(), actual.begin(), actual.end(),
                      std::back_inserter(missing));
  INFO("registered but not listed: " << show_names(added));
  INFO("listed but no longer registered: " << show_names(missing));
  CHECK(actual == expected);
}

TEST_CASE("the operators tested here are registered with CPU kernels", "[ops][registry]") {
  // the forward operators of the families this file checks (activation, elemwise,
  // fully_connected, loss); their backward operators are checked through gradients
  const std::set<std::string> tested = {"Activation",
                                        "FullyConnected",
                                        "LinearRegressionOutput",
                                        "LogisticRegressionOutput",
                                        "MAERegressionOutput",
                                        "SoftmaxOutput",
                                        "_copy",
                                        "_div_scalar",
                                        "_minus_scalar",
                                        "_mul_scalar",
                                        "_plus_scalar",
                                        "_rdiv_scalar",
                                        "_rminus_scalar",
                                        "add_n",
                                        "elemwise_add",
                                        "elemwise_div",
                                        "elemwise_mul",
                                        "elemwise_sub",
                                        "zeros_like"};
  for (const auto& name : tested) {
    INFO(name);
    const Op* op = OpRegistry::get().find(name);
    REQUIRE(op != nullptr);
    CHECK(op->name == name);
    CHECK(find_kernel(name, kCPU) != nullptr);
    const Op* backward = OpRegistry::get().find("_backward_" + name);
    if (backward) CHECK(find_kernel(backward->name, kCPU) != nullptr);
  }
}

TEST_CASE("aliases resolve to their canonical operators", "[ops][registry]") {
  const std::map<std::string, std::string> aliases = {{"_plus", "elemwise_add"},
                                                      {"_Plus", "elemwise_add"},
                                                      {"_add", "elemwise_add"},
                                                      {"_minus", "elemwise_sub"},
                                                      {"_sub", "elemwise_sub"},
                                                      {"_Minus", "elemwise_sub"},
                                                      {"_mul", "elemwise_mul"},
                                                      {"_Mul", "elemwise_mul"},
                                                      {"_div", "elemwise_div"},
                                                      {"_Div", "elemwise_div"},
                                                      {"identity", "_copy"},
                                                      {"Softmax", "SoftmaxOutput"},
                                                      {"ElementWiseSum", "add_n"},
                                                      {"_PlusScalar", "_plus_scalar"},
                                                      {"_MinusScalar", "_minus_scalar"},
                                                      {"_RMinusScalar", "_rminus_scalar"},
                                                      {"_MulScalar", "_mul_scalar"},
                                                      {"_DivScalar", "_div_scalar"},
                                                      {"_RDivScalar", "_rdiv_scalar"}};
  for (const auto& [alias, name] : aliases) {
    INFO(alias);
    const Op* op = OpRegistry::get().find(alias);
    REQUIRE(op != nullptr);
    CHECK(op->name == name);
    CHECK(std::count(op->aliases.begin(), op->aliases.end(), alias) == 1);
  }
  Strings all = OpRegistry::get().all_names();
  CHECK(std::is_sorted(all.begin(), all.end()));
  CHECK(OpRegistry::get().find("NoSuchOp") == nullptr);
  CHECK(contains(error_of([] { OpRegistry::get().require("NoSuchOp"); }), "NoSuchOp"));
}

// --------------------------------------------------------------------------- FullyConnected

TEST_CASE("FullyConnected: shape inference", "[ops][fc]") {
  Symbol fc = make("FullyConnected", {{"num_hidden", "5"}}, "fc", {{"data", var("x")}});
  SymbolShapes s = infer_symbol_shapes(fc, {"x"}, {Shape({2, 3, 2, 2})});
  CHECK(s.args == std::vector<Shape>{Shape({2, 3, 2, 2}), Shape({5, 12}), Shape({5})});
  CHECK(s.outputs[0] == Shape({2, 5}));

  Symbol flat = make("FullyConnected", {{"num_hidden", "5"}, {"flatten", "False"}}, "fc",
                     {{"data", var("x")}});
  s = infer_symbol_shapes(flat, {"x"}, {Shape({2, 3, 4})});
  CHECK(s.args == std::vector<Shape>{Shape({2, 3, 4}), Shape({5, 4}), Shape({5})});
  CHECK(s.outputs[0] == Shape({2, 3, 5}));

  Symbol nb = make("FullyConnected", {{"num_hidden", "5"}, {"no_bias", "True"}}, "fc",
                   {{"data", var("x")}});
  s = infer_symbol_shapes(nb, {"x"}, {Shape({2, 7})});
  CHECK(s.args == std::vector<Shape>{Shape({2, 7}), Shape({5, 7})});

  // MXNet also accepts a (num_hidden, 1) bias
  s = infer_symbol_shapes(fc, {"x", "fc_bias"}, {Shape({2, 12}), Shape({5, 1})});
  CHECK(s.complete);
  CHECK(s.args[2] == Shape({5, 1}));

  CHECK(
      contains(error_of([&] {
                 infer_symbol_shapes(fc, {"x", "fc_weight"}, {Shape({2, 12}), Shape({5, 11})});
               }),
               "Error in operator fc: Shape inconsistent, Provided=(5,11), inferred shape=(5,12)"));
}

namespace {

// y[n][h] = sum_k x[n][k] w[h][k] + b[h], x viewed as (rows, k).
Vec fc_reference(const Vec& x, const Vec& w, const Vec* b, size_t rows, size_t k, size_t h) {
  Vec y(rows * h);
  for (size_t n = 0; n < rows; ++n)
    for (size_t j = 0; j < h; ++j) {
      double acc = b ? (*b)[j] : 0;
      for (size_t i = 0; i < k; ++i) acc += x[n * k + i] * w[j * k + i];
      y[n * h + j] = acc;
    }
  return y;
}

}  // namespace

TEST_CASE("FullyConnected: forward values and numeric gradient", "[ops][fc]") {
  std::mt19937 rng(1);
  Fill fill = [&](const std::string&, size_t n) { return uniform(n, rng, -1, 1); };

  SECTION("flatten=True on 4-D data") {
    Symbol fc = make("FullyConnected", {{"num_hidden", "5"}}, "fc", {{"data", var("x")}});
    Bound b = bind(fc, {{"x", Shape({2, 3, 1, 2})}}, fill);
    b.exec->forward(false);
    Vec bias = values(b.arg("fc_bias"));
    CHECK_CLOSE(b.out(),
                fc_reference(values(b.arg("x")), values(b.arg("fc_weight")), &bias, 2, 6, 5),
                1e-12);
    check_numeric_gradient(b, rng);
  }
  SECTION("no_bias=True") {
    Symbol fc = make("FullyConnected", {{"num_hidden", "3"}, {"no_bias", "True"}}, "fc",
                     {{"data", var("x")}});
    Bound b = bind(fc, {{"x", Shape({4, 5})}}, fill);
    b.exec->forward(false);
    CHECK_CLOSE(b.out(),
                fc_reference(values(b.arg("x")), values(b.arg("fc_weight")), nullptr, 4, 5, 3),
                1e-12);
    check_numeric_gradient(b, rng);
  }
  SECTION("flatten=False on 3-D data") {
    Symbol fc = make("FullyConnected", {{"num_hidden", "3"}, {"flatten", "False"}}, "fc",
                     {{"data", var("x")}});
    Bound b = bind(fc, {{"x", Shape({2, 3, 4})}}, fill);
    b.exec->forward(false);
    REQUIRE(b.exec->outputs()[0].shape() == Shape({2, 3, 3}));
    Vec bias = values(b.arg("fc_bias"));
    CHECK_CLOSE(b.out(),
                fc_reference(values(b.arg("x")), values(b.arg("fc_weight")), &bias, 6, 4, 3),
                1e-12);
    check_numeric_gradient(b, rng);
  }
  SECTION("float32 forward") {
    Symbol fc = make("FullyConnected", {{"num_hidden", "4"}}, "fc", {{"data", var("x")}});
    Bound b = bind(fc, {{"x", Shape({3, 6})}}, fill, {}, {}, kWriteTo, kFloat32);
    b.exec->forward(false);
    CHECK(b.exec->outputs()[0].dtype() == kFloat32);
    Vec bias = values(b.arg("fc_bias"));
    CHECK_CLOSE(b.out(),
                fc_reference(values(b.arg("x")), values(b.arg("fc_weight")), &bias, 3, 6, 4), 1e-5);
  }
}

// ------------------------------------------------------------------------------ Activation

TEST_CASE("Activation: every act_type, forward and numeric gradient", "[ops][activation]") {
  const std::map<std::string, std::function<double(double)>> refs = {
      {"relu", [](double x) { return x > 0 ? x : 0; }},
      {"sigmoid", [](double x) { return 1 / (1 + std::exp(-x)); }},
      {"tanh", [](double x) { return std::tanh(x); }},
      {"softrelu", [](double x) { return std::log(1 + std::exp(x)); }},
      {"softsign", [](double x) { return x / (1 + std::abs(x)); }}};
  std::mt19937 rng(2);
  for (const auto& [act, f] : refs) {
    INFO("act_type=" << act);
    Symbol s = make("Activation", {{"act_type", act}}, "act", {{"data", var("x")}});
    SymbolShapes shapes = infer_symbol_shapes(s, {"x"}, {Shape({3, 4})});
    CHECK(shapes.outputs[0] == Shape({3, 4}));
    // relu's kink at 0 is kept away from the finite differences
    Bound b = bind(s, {{"x", Shape({3, 4})}},
                   [&](const std::string&, size_t n) { return away_from_zero(n, rng, 0.1, 2.5); });
    b.exec->forward(false);
    Vec x = values(b.arg("x")), expected;
    for (double v : x) expected.push_back(f(v));
    CHECK_CLOSE(b.out(), expected, 1e-12);
    check_numeric_gradient(b, rng);
  }
}

TEST_CASE("Activation: softrelu does not overflow and rejects unknown act_type",
          "[ops][activation]") {
  Symbol s = make("Activation", {{"act_type", "softrelu"}}, "act", {{"data", var("x")}});
  Bound b = bind(s, {{"x", Shape({3})}}, [](const std::string&, size_t) {
    return Vec{800.0, -800.0, 0.0};
  });
  b.exec->forward(false);
  Vec y = b.out();
  CHECK(y[0] == 800.0);
  CHECK(y[1] >= 0);
  CHECK(y[1] < 1e-300);
  CHECK(std::abs(y[2] - std::log(2.0)) < 1e-15);
  std::string msg = error_of([] { make("Activation", {{"act_type", "gelu"}}, "a"); });
  CHECK(contains(msg, "act_type"));
  CHECK(contains(msg, "{'relu', 'sigmoid', 'softrelu', 'softsign', 'tanh'}"));
  CHECK(contains(error_of([] { make("Activation", {}, "a"); }), "Required parameter act_type"));
}

// -------------------------------------------------------------------- element-wise binary

TEST_CASE("elemwise binary ops: shapes, forward, numeric gradient", "[ops][elemwise]") {
  const std::map<std::string, std::function<double(double, double)>> refs = {
      {"elemwise_add", [](double a, double b) { return a + b; }},
      {"elemwise_sub", [](double a, double b) { return a - b; }},
      {"elemwise_mul", [](double a, double b) { return a * b; }},
      {"elemwise_div", [](double a, double b) { return a / b; }}};
  std::mt19937 rng(3);
  for (const auto& [op, f] : refs) {
    INFO(op);
    Symbol s = make(op, {}, "bin", {{"lhs", var("a")}, {"rhs", var("b")}});
    CHECK(s.list_arguments() == Strings{"a", "b"});
    SymbolShapes shapes = infer_symbol_shapes(s, {"a"}, {Shape({2, 3})});
    CHECK(shapes.complete);
    CHECK(shapes.args[1] == Shape({2, 3}));
    CHECK(shapes.outputs[0] == Shape({2, 3}));
    // mismatched inputs are an error naming the node
    CHECK(contains(error_of([&] {
                     infer_symbol_shapes(s, {"a", "b"}, {Shape({2, 3}), Shape({3, 2})});
                   }),
                   "Error in operator bin: Shape inconsistent"));

    Bound b = bind(s, {{"a", Shape({2, 3})}},
                   [&](const std::string&, size_t n) { return away_from_zero(n, rng, 0.5, 2); });
    b.exec->forward(false);
    Vec x = values(b.arg("a")), y = values(b.arg("b")), expected;
    for (size_t i = 0; i < x.size(); ++i) expected.push_back(f(x[i], y[i]));
    CHECK_CLOSE(b.out(), expected, 1e-15);
    check_numeric_gradient(b, rng);
  }
}

// ------------------------------------------------------------------------------ scalar ops

TEST_CASE("scalar ops: forward and numeric gradient", "[ops][scalar]") {
  const double s = 2.5;
  const std::map<std::string, std::function<double(double)>> refs = {
      {"_plus_scalar", [=](double x) { return x + s; }},
      {"_minus_scalar", [=](double x) { return x - s; }},
      {"_rminus_scalar", [=](double x) { return s - x; }},
      {"_mul_scalar", [=](double x) { return x * s; }},
      {"_div_scalar", [=](double x) { return x / s; }},
      {"_rdiv_scalar", [=](double x) { return s / x; }}};
  std::mt19937 rng(4);
  for (const auto& [op, f] : refs) {
    INFO(op);
    Symbol sym = make(op, {{"scalar", "2.5"}}, "sc", {{"data", var("x")}});
    CHECK(infer_symbol_shapes(sym, {"x"}, {Shape({2, 2, 3})}).outputs[0] == Shape({2, 2, 3}));
    Bound b = bind(sym, {{"x", Shape({2, 2, 3})}},
                   [&](const std::string&, size_t n) { return away_from_zero(n, rng, 0.5, 2); });
    b.exec->forward(false);
    Vec expected;
    for (double v : values(b.arg("x"))) expected.push_back(f(v));
    CHECK_CLOSE(b.out(), expected, 1e-15);
    check_numeric_gradient(b, rng);
  }
}

TEST_CASE("scalar ops: scalar defaults to 1 and is_int is accepted", "[ops][scalar]") {
  Symbol sym = make("_plus_scalar", {}, "sc", {{"data", var("x")}});
  Bound b = bind(sym, {{"x", Shape({2})}}, [](const std::string&, size_t) { return Vec{1, 2}; });
  b.exec->forward(false);
  CHECK(b.out() == Vec{2, 3});
  CHECK_NOTHROW(make("_mul_scalar", {{"scalar", "-1.0"}, {"is_int", "False"}}, "neg"));
  CHECK(contains(error_of([] { make("_mul_scalar", {{"scalar", "two"}}, "m"); }), "scalar"));
}

// ------------------------------------------------------------- add_n, _copy and zeros_like

TEST_CASE("add_n: forward and numeric gradient", "[ops][elemwise]") {
  std::mt19937 rng(5);
  Symbol s = make("add_n", {{"num_args", "3"}}, "sum", {}, {var("a"), var("b"), var("c")});
  SymbolShapes shapes = infer_symbol_shapes(s, {"b"}, {Shape({3, 2})});
  CHECK(shapes.args == std::vector<Shape>(3, Shape({3, 2})));
  Bound b = bind(s, {{"a", Shape({3, 2})}},
                 [&](const std::string&, size_t n) { return uniform(n, rng, -1, 1); });
  b.exec->forward(false);
  Vec x = values(b.arg("a")), y = values(b.arg("b")), z = values(b.arg("c")), expected;
  for (size_t i = 0; i < x.size(); ++i) expected.push_back(x[i] + y[i] + z[i]);
  CHECK_CLOSE(b.out(), expected, 1e-15);
  check_numeric_gradient(b, rng);
}

TEST_CASE("_copy (identity): forward and numeric gradient", "[ops][elemwise]") {
  std::mt19937 rng(6);
  Symbol s = make("identity", {}, "id", {{"data", var("x")}});
  CHECK(s.outputs[0].node->op()->name == "_copy");
  Bound b = bind(s, {{"x", Shape({2, 3})}},
                 [&](const std::string&, size_t n) { return uniform(n, rng, -1, 1); });
  b.exec->forward(false);
  CHECK(b.out() == values(b.arg("x")));
  check_numeric_gradient(b, rng);
}

TEST_CASE("zeros_like: forward zeros, zero gradient", "[ops][elemwise]") {
  std::mt19937 rng(7);
  Symbol s = make("zeros_like", {}, "z", {{"data", var("x")}});
  CHECK(infer_symbol_shapes(s, {"x"}, {Shape({4, 1})}).outputs[0] == Shape({4, 1}));
  Bound b = bind(s, {{"x", Shape({4, 1})}},
                 [&](const std::string&, size_t n) { return uniform(n, rng, 1, 2); });
  b.grad("x").copy_from(array64(Shape({4, 1}), Vec(4, 9.0)));
  b.exec->forward(false);
  CHECK(b.out() == Vec(4, 0.0));
  check_numeric_gradient(b, rng);
  CHECK(values(b.grad("x")) == Vec(4, 0.0));
}

// -------------------------------------------------------------------------- SoftmaxOutput

namespace {

Symbol softmax_output(const AttrDict& params) {
  return make("SoftmaxOutput", params, "sm", {{"data", var("x")}, {"label", var("y")}});
}

// Binds SoftmaxOutput (label without gradient), runs forward(train) and backward without head
// gradients, which a loss output must not need.
Bound run_loss(const Symbol& s, const Shape& data_shape, const Vec& x, const Vec& label,
               const Shape& label_shape = Shape()) {
  std::map<std::string, Shape> given = {{"x", data_shape}};
  if (label_shape.ndim_known()) given["y"] = label_shape;
  Bound b = bind(s, given, nullptr, {{"x", x}, {"y", label}}, {"y"});
  b.exec->forward(true);
  b.exec->backward({}, true);
  return b;
}

// grad = out - onehot(label) per row of an (n, c) matrix, with label smoothing alpha.
Vec onehot_grad(const Vec& out, const Vec& label, size_t n, size_t c, double alpha = 0) {
  Vec g(out);
  for (size_t r = 0; r < n; ++r)
    for (size_t k = 0; k < c; ++k)
      g[r * c + k] -= (k == static_cast<size_t>(label[r])) ? 1 - alpha : alpha / (c - 1);
  return g;
}

}  // namespace

TEST_CASE("SoftmaxOutput: shape inference", "[ops][softmax]") {
  CHECK(infer_symbol_shapes(softmax_output({}), {"x"}, {Shape({3, 5})}).args[1] == Shape({3}));
  CHECK(infer_symbol_shapes(softmax_output({{"multi_output", "True"}}), {"x"}, {Shape({2, 3, 4})})
            .args[1] == Shape({2, 4}));
  CHECK(
      infer_symbol_shapes(softmax_output({{"multi_output", "True"}}), {"x"}, {Shape({2, 3, 4, 5})})
          .args[1] == Shape({2, 4, 5}));
  // (N, spatial size) is accepted for multi_output too
  CHECK(infer_symbol_shapes(softmax_output({{"multi_output", "True"}}), {"x", "y"},
                            {Shape({2, 3, 4, 5}), Shape({2, 20})})
            .complete);
  CHECK(infer_symbol_shapes(softmax_output({{"preserve_shape", "True"}}), {"x"}, {Shape({2, 3, 4})})
            .args[1] == Shape({2, 3}));
  // a label of the data's shape holds probabilities
  SymbolShapes p =
      infer_symbol_shapes(softmax_output({}), {"x", "y"}, {Shape({3, 5}), Shape({3, 5})});
  CHECK(p.complete);
  CHECK(p.outputs[0] == Shape({3, 5}));
  CHECK(contains(error_of([] {
                   infer_symbol_shapes(softmax_output({}), {"x", "y"}, {Shape({3, 5}), Shape({4})});
                 }),
                 "Error in operator sm: Shape inconsistent"));
}

TEST_CASE("SoftmaxOutput: forward is a stable row softmax; default gradient is out - onehot",
          "[ops][softmax]") {
  // the middle row would overflow a naive exp
  Vec x = {0.1, -0.2, 0.3, 0.0, 0.5, 1000, 1001, 999, 1000.5, 998, -1, 2, 0.5, -0.5, 1};
  Vec label = {1, 0, 4};
  Bound b = run_loss(softmax_output({}), Shape({3, 5}), x, label);
  Vec out = softmax_rows(x, 3, 5);
  CHECK_CLOSE(b.out(), out, 1e-14);
  CHECK_CLOSE(values(b.grad("x")), onehot_grad(out, label, 3, 5), 1e-14);
  // backward leaves the output it read intact
  CHECK_CLOSE(b.out(), out, 1e-14);
}

TEST_CASE("SoftmaxOutput: gradient options of spec 4.4", "[ops][softmax]") {
  std::mt19937 rng(8);
  Vec x = uniform(15, rng, -2, 2);
  Vec label = {1, 0, 4};
  Vec out = softmax_rows(x, 3, 5);
  Vec plain = onehot_grad(out, label, 3, 5);

  SECTION("grad_scale and normalization=batch") {
    Bound b = run_loss(softmax_output({{"grad_scale", "2"}, {"normalization", "batch"}}),
                       Shape({3, 5}), x, label);
    CHECK_CLOSE(values(b.grad("x")), scaled(plain, 2.0 / 3), 1e-14);
  }
  SECTION("use_ignore zeroes the ignored rows") {
    Bound b = run_loss(softmax_output({{"use_ignore", "True"}, {"ignore_label", "0"}}),
                       Shape({3, 5}), x, label);
    Vec expected = plain;
    std::fill(expected.begin() + 5, expected.begin() + 10, 0.0);
    CHECK_CLOSE(values(b.grad("x")), expected, 1e-14);
  }
  SECTION("use_ignore with normalization=valid divides by the valid count") {
    Bound b = run_loss(
        softmax_output({{"use_ignore", "True"}, {"ignore_label", "0"}, {"normalization", "valid"}}),
        Shape({3, 5}), x, label);
    Vec expected = scaled(plain, 0.5);
    std::fill(expected.begin() + 5, expected.begin() + 10, 0.0);
    CHECK_CLOSE(values(b.grad("x")), expected, 1e-14);
  }
  SECTION("normalization=valid with every label ignored divides by 1") {
    Bound b = run_loss(
        softmax_output({{"use_ignore", "True"}, {"ignore_label", "2"}, {"normalization", "valid"}}),
        Shape({3, 5}), x, Vec{2, 2, 2});
    CHECK(values(b.grad("x")) == Vec(15, 0.0));
  }
  SECTION("smooth_alpha") {
    Bound b = run_loss(softmax_output({{"smooth_alpha", "0.1"}}), Shape({3, 5}), x, label);
    // smooth_alpha is a float parameter
    CHECK_CLOSE(values(b.grad("x")), onehot_grad(out, label, 3, 5, static_cast<float>(0.1)), 1e-14);
  }
  SECTION("probability labels: (out - label) * grad_scale") {
    Vec prob = softmax_rows(uniform(15, rng, -1, 1), 3, 5);
    Bound b =
        run_loss(softmax_output({{"grad_scale", "0.5"}}), Shape({3, 5}), x, prob, Shape({3, 5}));
    Vec expected(15);
    for (size_t i = 0; i < 15; ++i) expected[i] = (out[i] - prob[i]) * 0.5;
    CHECK_CLOSE(values(b.grad("x")), expected, 1e-14);
  }
  SECTION("smooth_alpha out of range is rejected") {
    CHECK(contains(error_of([] { softmax_output({{"smooth_alpha", "1.5"}}); }), "smooth_alpha"));
  }
}

TEST_CASE("SoftmaxOutput: normalization=valid counts labels != ignore_label without use_ignore",
          "[ops][softmax]") {
  // spec 4.4: valid_cnt = number of labels != ignore_label (min 1), whatever use_ignore says
  // (MXNet's softmax_output-inl.h counts them before normalising); rows are not zeroed.
  std::mt19937 rng(9);
  Vec x = uniform(15, rng, -2, 2);
  Vec label = {0, 2, 4};
  Bound b = run_loss(softmax_output({{"ignore_label", "2"}, {"normalization", "valid"}}),
                     Shape({3, 5}), x, label);
  CHECK_CLOSE(values(b.grad("x")), scaled(onehot_grad(softmax_rows(x, 3, 5), label, 3, 5), 0.5),
              1e-14);
}

namespace {

// Softmax over axis 1 of an (n, c, s) array, and out - onehot(label[n][s]).
void multi_output_reference(const Vec& x, const Vec& label, size_t n, size_t c, size_t s, Vec* out,
                            Vec* grad) {
  out->assign(x.size(), 0);
  grad->assign(x.size(), 0);
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j < s; ++j) {
      Vec col;
      for (size_t k = 0; k < c; ++k) col.push_back(x[(i * c + k) * s + j]);
      Vec p = softmax_row(col);
      for (size_t k = 0; k < c; ++k) {
        size_t at = (i * c + k) * s + j;
        (*out)[at] = p[k];
        (*grad)[at] = p[k] - (k == static_cast<size_t>(label[i * s + j]) ? 1 : 0);
      }
    }
}

}  // namespace

TEST_CASE("SoftmaxOutput: multi_output on (N, C, H)", "[ops][softmax]") {
  std::mt19937 rng(10);
  Vec x = uniform(24, rng, -2, 2);
  Vec label = {0, 2, 1, 1, 2, 0, 0, 1};  // (2, 4)
  Vec out, grad;
  multi_output_reference(x, label, 2, 3, 4, &out, &grad);

  SECTION("null normalization divides by the spatial size") {
    Bound b = run_loss(softmax_output({{"multi_output", "True"}}), Shape({2, 3, 4}), x, label);
    CHECK_CLOSE(b.out(), out, 1e-14);
    CHECK_CLOSE(values(b.grad("x")), scaled(grad, 1.0 / 4), 1e-14);
  }
  SECTION("batch normalization divides by N and the spatial size") {
    Bound b = run_loss(softmax_output({{"multi_output", "True"}, {"normalization", "batch"}}),
                       Shape({2, 3, 4}), x, label);
    CHECK_CLOSE(values(b.grad("x")), scaled(grad, 1.0 / 8), 1e-14);
  }
  SECTION("valid normalization divides by the valid labels only") {
    Bound b = run_loss(softmax_output({{"multi_output", "True"},
                                       {"normalization", "valid"},
                                       {"use_ignore", "True"},
                                       {"ignore_label", "1"}}),
                       Shape({2, 3, 4}), x, label);
    Vec expected = scaled(grad, 1.0 / 5);  // three of the eight labels are 1
    for (size_t i = 0; i < 2; ++i)
      for (size_t j = 0; j < 4; ++j)
        if (label[i * 4 + j] == 1)
          for (size_t k = 0; k < 3; ++k) expected[(i * 3 + k) * 4 + j] = 0;
    CHECK_CLOSE(values(b.grad("x")), expected, 1e-14);
  }
}

TEST_CASE("SoftmaxOutput: preserve_shape takes the softmax over the last axis", "[ops][softmax]") {
  std::mt19937 rng(11);
  Vec x = uniform(24, rng, -2, 2);
  Vec label = {0, 3, 1, 2, 2, 0};  // (2, 3)
  Bound b = run_loss(softmax_output({{"preserve_shape", "True"}}), Shape({2, 3, 4}), x, label);
  Vec out = softmax_rows(x, 6, 4);
  CHECK_CLOSE(b.out(), out, 1e-14);
  CHECK_CLOSE(values(b.grad("x")), onehot_grad(out, label, 6, 4), 1e-14);
}

TEST_CASE("SoftmaxOutput: the Softmax alias", "[ops][softmax]") {
  Symbol s = make("Softmax", {}, "sm", {{"data", var("x")}});
  CHECK(s.list_arguments() == Strings{"x", "sm_label"});
  CHECK(s.outputs[0].node->op()->name == "SoftmaxOutput");
}

// --------------------------------------------------------------------- regression outputs

TEST_CASE("regression outputs: shapes, forward, gradient formula", "[ops][regression]") {
  struct Case {
    std::string op;
    std::function<double(double)> forward;
    std::function<double(double, double)> grad;  // of (out, label), before scaling
  };
  const std::vector<Case> cases = {
      {"LinearRegressionOutput", [](double x) { return x; },
       [](double o, double l) { return o - l; }},
      {"LogisticRegressionOutput", [](double x) { return 1 / (1 + std::exp(-x)); },
       [](double o, double l) { return o - l; }},
      {"MAERegressionOutput", [](double x) { return x; },
       [](double o, double l) { return o > l   ? 1.0
                                       : o < l ? -1.0
                                               : 0.0; }}};
  std::mt19937 rng(12);
  for (const auto& c : cases) {
    INFO(c.op);
    Symbol s = make(c.op, {{"grad_scale", "2"}}, "reg", {{"data", var("x")}, {"label", var("y")}});
    CHECK(infer_symbol_shapes(s, {"x"}, {Shape({4, 3})}).args[1] == Shape({4, 3}));
    CHECK(infer_symbol_shapes(s, {"x"}, {Shape({4, 1})}).args[1] == Shape({4}));
    CHECK(contains(error_of([&] {
                     infer_symbol_shapes(s, {"x", "y"}, {Shape({4, 3}), Shape({5, 3})});
                   }),
                   "Error in operator reg"));
    CHECK(contains(error_of([&] {
                     infer_symbol_shapes(s, {"x", "y"}, {Shape({4, 3}), Shape({4, 2})});
                   }),
                   "Error in operator reg"));

    // (N, 3) labels: gradient divided by label.Size() / label.shape[0] = 3
    Vec x = uniform(12, rng, -2, 2), label = uniform(12, rng, -1, 1);
    Bound b = run_loss(s, Shape({4, 3}), x, label);
    Vec out, grad;
    for (size_t i = 0; i < x.size(); ++i) {
      out.push_back(c.forward(x[i]));
      grad.push_back(c.grad(out.back(), label[i]) * 2 / 3);
    }
    CHECK_CLOSE(b.out(), out, 1e-14);
    CHECK_CLOSE(values(b.grad("x")), grad, 1e-14);

    // (N, 1) data with (N,) labels: no division
    Vec x1 = uniform(4, rng, -2, 2), l1 = uniform(4, rng, -1, 1);
    Bound b1 = run_loss(s, Shape({4, 1}), x1, l1);
    Vec g1;
    for (size_t i = 0; i < 4; ++i) g1.push_back(c.grad(c.forward(x1[i]), l1[i]) * 2);
    CHECK_CLOSE(values(b1.grad("x")), g1, 1e-14);
  }
}

// ---------------------------------------------------------------- gradient bookkeeping

namespace {

Symbol small_mlp() {
  Symbol fc1 = make("FullyConnected", {{"num_hidden", "4"}}, "fc1", {{"data", var("data")}});
  Symbol act = make("Activation", {{"act_type", "tanh"}}, "act1", {{"data", fc1}});
  return make("FullyConnected", {{"num_hidden", "3"}}, "fc2", {{"data", act}});
}

}  // namespace

TEST_CASE("grad_req add accumulates across backward calls", "[ops][exec]") {
  std::mt19937 rng(13);
  Vec data = uniform(10, rng, -1, 1);
  auto fill = [&](const std::string&, size_t n) { return uniform(n, rng, -1, 1); };
  Bound once = bind(small_mlp(), {{"data", Shape({2, 5})}}, fill, {{"data", data}});
  std::map<std::string, Vec> same;
  for (size_t i = 0; i < once.names.size(); ++i) same[once.names[i]] = values(once.args[i]);
  Bound twice = bind(small_mlp(), {{"data", Shape({2, 5})}}, fill, same, {}, kAddTo);
  NDArray head = array64(Shape({2, 3}), uniform(6, rng, -1, 1));

  once.exec->forward(true);
  once.exec->backward({head}, true);
  twice.exec->forward(true);
  twice.exec->backward({head}, true);
  twice.exec->backward({head}, true);
  for (const auto& name : once.names) {
    INFO(name);
    CHECK_CLOSE(values(twice.grad(name)), scaled(values(once.grad(name)), 2), 1e-14);
  }
  // add also accumulates onto what the array held before
  twice.exec->backward({head}, true);
  CHECK_CLOSE(values(twice.grad("fc1_weight")), scaled(values(once.grad("fc1_weight")), 3), 1e-14);
}

TEST_CASE("grad_req null leaves the gradient array untouched", "[ops][exec]") {
  std::mt19937 rng(14);
  Symbol net = small_mlp();
  Strings names = net.list_arguments();
  SymbolShapes shapes = infer_symbol_shapes(net, {"data"}, {Shape({2, 5})});
  std::vector<NDArray> args, grads;
  std::vector<OpReq> reqs;
  for (size_t i = 0; i < names.size(); ++i) {
    size_t n = static_cast<size_t>(shapes.args[i].size());
    args.push_back(array64(shapes.args[i], uniform(n, rng, -1, 1)));
    grads.push_back(array64(shapes.args[i], Vec(n, 7.0)));
    reqs.push_back(names[i] == "fc1_weight" ? kNullOp : kWriteTo);
  }
  grads[2] = NDArray();  // fc1_bias: req write but no array, so no gradient either
  Executor ex(net, kCpu, args, grads, reqs, {});
  ex.forward(true);
  ex.backward({array64(Shape({2, 3}), Vec(6, 1.0))}, true);
  CHECK(values(grads[1]) == Vec(20, 7.0));
  CHECK(values(grads[0]) != Vec(10, 7.0));
  CHECK(values(grads[3]) != Vec(12, 7.0));
}

TEST_CASE("an argument used twice gets the sum of both contributions", "[ops][exec]") {
  std::mt19937 rng(15);
  Vec x = away_from_zero(6, rng, 0.2, 2), w = uniform(6, rng, -1, 1);

  Symbol xs = var("x");
  Symbol sq = make("elemwise_mul", {}, "sq", {}, {xs, xs});
  CHECK(sq.list_arguments() == Strings{"x"});
  Bound b = bind(sq, {{"x", Shape({2, 3})}}, nullptr, {{"x", x}});
  b.exec->forward(true);
  b.exec->backward({array64(Shape({2, 3}), w)}, true);
  Vec expected;
  for (size_t i = 0; i < 6; ++i) expected.push_back(2 * x[i] * w[i]);
  CHECK_CLOSE(values(b.grad("x")), expected, 1e-15);

  Symbol twice = make("elemwise_add", {}, "dbl", {}, {xs, xs});
  Bound c = bind(twice, {{"x", Shape({2, 3})}}, nullptr, {{"x", x}});
  c.exec->forward(true);
  c.exec->backward({array64(Shape({2, 3}), w)}, true);
  CHECK_CLOSE(values(c.grad("x")), scaled(w, 2), 1e-15);
  c.exec->forward(false);
  CHECK_CLOSE(c.out(), scaled(x, 2), 1e-15);

  // the same gradient entry feeding two arguments: each gets its own copy
  Symbol sum = make("elemwise_add", {}, "plus0", {{"lhs", var("a")}, {"rhs", var("b")}});
  Symbol relu = make("Activation", {{"act_type", "relu"}}, "relu0", {{"data", sum}});
  Bound d = bind(relu, {{"a", Shape({2, 3})}},
                 [&](const std::string&, size_t n) { return away_from_zero(n, rng, 0.2, 1); });
  check_numeric_gradient(d, rng);
  CHECK(values(d.grad("a")) == values(d.grad("b")));
}

TEST_CASE("symbolic gradients compose: d2(x*x)/dx2 = 2", "[ops][exec][gradient]") {
  Symbol x = var("x");
  Symbol sq = make("elemwise_mul", {}, "sq", {}, {x, x});
  NodeEntry h{Node::variable("h"), 0, 0};
  std::vector<NodeEntry> g = gradient(sq.outputs, {h}, {x.outputs[0]});
  REQUIRE(g.size() == 1);
  Symbol dx;
  dx.outputs = g;  // d/dx sum(h * x * x) = 2 h x
  REQUIRE(dx.list_arguments() == Strings{"h", "x"});

  Vec xv = {-1.5, 0.5, 2.0, 3.0}, ones(4, 1.0);
  Bound b = bind(dx, {{"x", Shape({4})}}, nullptr, {{"x", xv}, {"h", ones}});
  b.exec->forward(true);
  CHECK_CLOSE(b.out(), scaled(xv, 2), 1e-15);
  b.exec->backward({array64(Shape({4}), ones)}, true);
  CHECK(values(b.grad("x")) == Vec(4, 2.0));
  CHECK_CLOSE(values(b.grad("h")), scaled(xv, 2), 1e-15);

  // the gradient graph is an ordinary graph: differentiate it symbolically once more
  NodeEntry h2{Node::variable("h2"), 0, 0};
  std::vector<NodeEntry> g2 = gradient(dx.outputs, {h2}, {x.outputs[0]});
  Symbol d2;
  d2.outputs = g2;
  // d/dx sum(h2 * 2 h x) = 2 h h2: x itself has dropped out of the graph
  CHECK(d2.list_arguments() == Strings{"h2", "h"});
  Bound c = bind(d2, {{"h", Shape({4})}}, nullptr, {{"h", ones}, {"h2", ones}});
  c.exec->forward(false);
  CHECK(c.out() == Vec(4, 2.0));

  std::mt19937 rng(16);
  Bound n = bind(dx, {{"x", Shape({4})}},
                 [&](const std::string&, size_t k) { return uniform(k, rng, -1, 1); });
  check_numeric_gradient(n, rng);
}

TEST_CASE("gradient pass: unreachable inputs get zeros, bad arity and missing FGradient fail",
          "[ops][gradient]") {
  Symbol x = var("x"), y = var("y");
  Symbol act = make("Activation", {{"act_type", "tanh"}}, "act", {{"data", x}});
  NodeEntry h{Node::variable("h"), 0, 0};
  std::vector<NodeEntry> g = gradient(act.outputs, {h}, {x.outputs[0], y.outputs[0]});
  REQUIRE(g.size() == 2);
  CHECK(g[1].node->op()->name == "zeros_like");
  CHECK_THROWS_AS(gradient(act.outputs, {}, {x.outputs[0]}), Error);

  // _backward_Activation has no gradient of its own
  Symbol dx;
  dx.outputs = {g[0]};
  std::string msg = error_of([&] {
    gradient(dx.outputs, {NodeEntry{Node::variable("h2"), 0, 0}}, {x.outputs[0]});
  });
  INFO(msg);
  CHECK(contains(msg, "_backward_Activation"));
  CHECK(contains(msg, "non-differentiable"));
}

TEST_CASE("several outputs: loss and non-loss heads, a repeated head, a variable head",
          "[ops][exec]") {
  std::mt19937 rng(19);
  auto fill = [&](const std::string&, size_t n) { return uniform(n, rng, -1, 1); };
  Symbol fc = make("FullyConnected", {{"num_hidden", "4"}}, "fc1", {{"data", var("data")}});
  Symbol sm = make("SoftmaxOutput", {}, "softmax", {{"data", fc}});
  Symbol both = Symbol::group({fc, sm});
  Bound g = bind(both, {{"data", Shape({3, 5})}}, fill, {{"softmax_label", {0, 3, 1}}},
                 {"softmax_label"});
  std::map<std::string, Vec> same;
  for (size_t i = 0; i < g.names.size(); ++i) same[g.names[i]] = values(g.args[i]);
  Bound only_fc = bind(fc, {{"data", Shape({3, 5})}}, fill, same);
  Bound only_sm = bind(sm, {{"data", Shape({3, 5})}}, fill, same, {"softmax_label"});
  NDArray head = array64(Shape({3, 4}), uniform(12, rng, -1, 1));

  g.exec->forward(true);
  // the loss head reads no head gradient, so none is needed for it
  g.exec->backward({head, NDArray()}, true);
  only_fc.exec->forward(true);
  only_fc.exec->backward({head}, true);
  only_sm.exec->forward(true);
  only_sm.exec->backward({}, true);
  for (const std::string name : {"data", "fc1_weight", "fc1_bias"}) {
    INFO(name);
    Vec sum = values(only_fc.grad(name)), loss = values(only_sm.grad(name));
    for (size_t i = 0; i < sum.size(); ++i) sum[i] += loss[i];
    CHECK_CLOSE(values(g.grad(name)), sum, 1e-14);
  }
  CHECK(contains(error_of([&] { g.exec->backward({}, true); }), "fc1_output"));

  // the same head twice: both head gradients count
  Symbol y = make("_mul_scalar", {{"scalar", "2"}}, "y", {{"data", var("x")}});
  Bound twice = bind(Symbol::group({y, y}), {{"x", Shape({3})}}, fill);
  twice.exec->forward(true);
  twice.exec->backward({array64(Shape({3}), {1, 2, 3}), array64(Shape({3}), {10, 20, 30})}, true);
  CHECK_CLOSE(values(twice.grad("x")), (Vec{22, 44, 66}), 1e-15);

  // a variable as an output: forward passes it through, its gradient is the head gradient
  Bound v = bind(var("v"), {{"v", Shape({2})}}, nullptr, {{"v", {3, 4}}});
  v.exec->forward(false);
  CHECK(v.out() == Vec{3, 4});
  v.exec->backward({array64(Shape({2}), {0.5, -1})}, true);
  CHECK(values(v.grad("v")) == Vec{0.5, -1});
}

// ---------------------------------------------------------------- planning and memory

TEST_CASE("in-place planning keeps values right through a chain with backward",
          "[ops][exec][memory]") {
  // sigmoid's output feeds both the chain and the final product, and every Activation's
  // backward reads its output: an in-place plan that reused those buffers too early would
  // show up as wrong values or gradients.
  Symbol x = var("x");
  Symbol a1 = make("Activation", {{"act_type", "sigmoid"}}, "a1", {{"data", x}});
  Symbol s1 = make("_mul_scalar", {{"scalar", "3"}}, "s1", {{"data", a1}});
  Symbol a2 = make("Activation", {{"act_type", "tanh"}}, "a2", {{"data", s1}});
  Symbol s2 = make("_plus_scalar", {{"scalar", "0.5"}}, "s2", {{"data", a2}});
  Symbol a3 = make("Activation", {{"act_type", "softrelu"}}, "a3", {{"data", s2}});
  Symbol s3 = make("_rminus_scalar", {{"scalar", "1"}}, "s3", {{"data", a3}});
  Symbol a4 = make("Activation", {{"act_type", "softsign"}}, "a4", {{"data", s3}});
  Symbol net = make("elemwise_mul", {}, "prod", {}, {a4, a1});

  std::mt19937 rng(17);
  Vec xv = uniform(12, rng, -2, 2);
  Bound b = bind(net, {{"x", Shape({3, 4})}}, nullptr, {{"x", xv}});
  Vec expected;
  for (double v : xv) {
    double r1 = 1 / (1 + std::exp(-v));
    double r2 = std::tanh(3 * r1) + 0.5;
    double r3 = 1 - std::log1p(std::exp(r2));
    expected.push_back(r3 / (1 + std::abs(r3)) * r1);
  }
  b.exec->forward(true);
  CHECK_CLOSE(b.out(), expected, 1e-14);
  b.exec->forward(true);  // a second run sees the same inputs
  CHECK_CLOSE(b.out(), expected, 1e-14);
  check_numeric_gradient(b, rng);
  // the output survives backward
  b.exec->forward(true);
  b.exec->backward({array64(Shape({3, 4}), Vec(12, 1.0))}, true);
  CHECK_CLOSE(b.out(), expected, 1e-14);

  // inference: the chain needs far fewer bytes than one buffer per entry
  Bound inf = bind(net, {{"x", Shape({3, 4})}}, nullptr, {{"x", xv}}, {"x"});
  inf.exec->forward(false);
  CHECK_CLOSE(inf.out(), expected, 1e-14);
  const size_t entry = 12 * sizeof(double);
  CHECK(inf.exec->planned_bytes() < 8 * entry);
  CHECK(inf.exec->planned_bytes() <= 3 * entry);
}

namespace {

Symbol deep_mlp(int layers, int hidden, int classes) {
  Symbol h = var("data");
  for (int i = 0; i < layers; ++i) {
    std::string id = std::to_string(i + 1);
    h = make("FullyConnected", {{"num_hidden", std::to_string(i + 1 < layers ? hidden : classes)}},
             "fc" + id, {{"data", h}});
    if (i + 1 < layers) h = make("Activation", {{"act_type", "relu"}}, "relu" + id, {{"data", h}});
  }
  return make("SoftmaxOutput", {}, "softmax", {{"data", h}});
}

// Bytes of every op output in the graph of `heads` (variables excluded), float32.
size_t entry_bytes(const std::vector<NodeEntry>& heads, const Strings& keys,
                   const std::vector<Shape>& given) {
  IndexedGraph g(heads);
  std::vector<Shape> shapes(g.num_entries());
  Symbol s;
  s.outputs = heads;
  auto nodes = s.input_nodes(Symbol::InputKind::kAll);
  for (size_t k = 0; k < keys.size(); ++k)
    for (const auto& n : nodes)
      if (n->name() == keys[k]) shapes[g.entry_id(g.node_id(n.get()), 0)] = given[k];
  infer_shapes(g, &shapes);
  size_t total = 0;
  for (uint32_t nid = 0; nid < g.num_nodes(); ++nid) {
    if (g[nid].node->is_variable()) continue;
    for (int o = 0; o < g[nid].node->num_outputs(); ++o) {
      const Shape& sh = shapes[g.entry_id(nid, o)];
      REQUIRE(sh.known());
      total += static_cast<size_t>(sh.size()) * 4;
    }
  }
  return total;
}

}  // namespace

TEST_CASE("memory planning shares buffers in a 10-layer MLP", "[ops][exec][memory]") {
  const int batch = 16, hidden = 32, classes = 8;
  Symbol net = deep_mlp(10, hidden, classes);
  Strings names = net.list_arguments();
  SymbolShapes shapes = infer_symbol_shapes(net, {"data"}, {Shape({batch, 24})});
  REQUIRE(shapes.complete);
  std::vector<NDArray> args, grads;
  std::vector<OpReq> reqs;
  for (size_t i = 0; i < names.size(); ++i) {
    args.push_back(NDArray::zeros(shapes.args[i], kCpu));
    bool param = names[i] != "data" && names[i] != "softmax_label";
    grads.push_back(param ? NDArray::zeros(shapes.args[i], kCpu) : NDArray());
    reqs.push_back(param ? kWriteTo : kNullOp);
  }

  // inference: two activation-sized buffers suffice (each relu runs in place)
  Executor inference(net, kCpu, args, std::vector<NDArray>(names.size()), {}, {});
  const size_t forward_total = entry_bytes(net.outputs, {"data"}, {Shape({batch, 24})});
  const size_t act = batch * hidden * 4;
  INFO("inference planned " << inference.planned_bytes() << " of " << forward_total);
  CHECK(inference.planned_bytes() < forward_total);
  CHECK(inference.planned_bytes() <= 2 * act);

  // training: the same gradient graph the executor builds, summed entry by entry
  Executor training(net, kCpu, args, grads, reqs, {});
  std::vector<NodeEntry> heads = net.outputs, xs;
  auto arg_nodes = net.input_nodes(Symbol::InputKind::kArguments);
  for (size_t i = 0; i < names.size(); ++i)
    if (reqs[i] != kNullOp) xs.push_back(NodeEntry{arg_nodes[i], 0, 0});
  std::vector<NodeEntry> g = gradient(heads, {NodeEntry{Node::variable("_head_grad_0"), 0, 0}}, xs);
  heads.insert(heads.end(), g.begin(), g.end());
  const size_t full_total =
      entry_bytes(heads, {"data", "_head_grad_0"}, {Shape({batch, 24}), Shape({batch, classes})});
  INFO("training planned " << training.planned_bytes() << " of " << full_total);
  CHECK(training.planned_bytes() < full_total);
  CHECK(training.planned_bytes() < full_total / 2);

  // and it trains: the loss gradient reaches the first layer
  std::mt19937 rng(18);
  for (size_t i = 0; i < names.size(); ++i) {
    Vec v = names[i] == "softmax_label" ? Vec(batch, 1.0) : uniform(args[i].size(), rng, -0.5, 0.5);
    std::vector<float> f(v.begin(), v.end());
    args[i].copy_from_host(f.data(), f.size());
  }
  training.forward(true);
  training.backward({}, true);
  Vec gw = values(grads[1]);
  CHECK(std::any_of(gw.begin(), gw.end(), [](double v) { return v != 0; }));
}

// ------------------------------------------------------------------------- bind errors

TEST_CASE("bind and run report bad input clearly", "[ops][exec]") {
  Symbol fc = make("FullyConnected", {{"num_hidden", "3"}}, "fc1", {{"data", var("data")}});
  NDArray x = NDArray::zeros(Shape({2, 4}), kCpu), w = NDArray::zeros(Shape({3, 4}), kCpu),
          b = NDArray::zeros(Shape({3}), kCpu);

  CHECK(contains(error_of([&] {
                   Executor e(fc, kCpu, {x, w}, {}, {}, {});
                 }),
                 "3 arguments but 2 arrays"));
  CHECK(contains(error_of([&] {
                   Executor e(fc, kCpu, {x, w, b}, {}, {}, {b});
                 }),
                 "0 auxiliary states but 1"));
  std::string msg = error_of([&] {
    Executor e(fc, kCpu, {x, NDArray::zeros(Shape({3, 5}), kCpu), b}, {}, {}, {});
  });
  INFO(msg);
  CHECK(contains(
      msg, "Error in operator fc1: Shape inconsistent, Provided=(3,5), inferred shape=(3,4)"));
  msg = error_of([&] {
    Executor e(fc, kCpu, {x, w, b}, {NDArray(), NDArray::zeros(Shape({4, 3}), kCpu), NDArray()},
               {kNullOp, kWriteTo, kNullOp}, {});
  });
  CHECK(contains(msg, "gradient array of fc1_weight"));
  msg = error_of([&] {
    Executor e(fc, kCpu, {x, NDArray::zeros(Shape({3, 4}), kCpu, kFloat64), b}, {}, {}, {});
  });
  CHECK(contains(msg, "Type inconsistent"));

  // a non-loss output needs its head gradient
  Executor ex(fc, kCpu, {x, w, b}, {NDArray(), NDArray::zeros(Shape({3, 4}), kCpu), NDArray()},
              {kNullOp, kWriteTo, kNullOp}, {});
  ex.forward(true);
  msg = error_of([&] { ex.backward({}, true); });
  INFO(msg);
  CHECK(contains(msg, "head gradient of output fc1_output"));
  CHECK(contains(error_of([&] {
                   ex.backward({NDArray::zeros(Shape({2, 4}), kCpu)}, true);
                 }),
                 "has shape (2,4), expected (2,3)"));
  CHECK(contains(error_of([&] {
                   ex.backward({NDArray::zeros(Shape({2, 3}), kCpu, kFloat64)}, true);
                 }),
                 "float64"));
  CHECK(contains(error_of([&] {
                   ex.backward(
                       {NDArray::zeros(Shape({2, 3}), kCpu), NDArray::zeros(Shape({2, 3}), kCpu)},
                       true);
                 }),
                 "2 head gradients given for 1 outputs"));
  CHECK_NOTHROW(ex.backward({NDArray::zeros(Shape({2, 3}), kCpu)}, true));
}

TEST_CASE("debug_str ends as Module expects", "[ops][exec]") {
  Symbol net = deep_mlp(2, 8, 4);
  SymbolShapes s = infer_symbol_shapes(net, {"data"}, {Shape({4, 6})});
  std::vector<NDArray> args;
  for (const auto& sh : s.args) args.push_back(NDArray::zeros(sh, kCpu));
  Executor ex(net, kCpu, args, {}, {}, {});
  std::string d = ex.debug_str();
  INFO(d);
  CHECK(contains(d, "Op:FullyConnected, Name=fc1"));
  const std::string tail = "Total 0 TempSpace resource requested\n";
  REQUIRE(d.size() > tail.size());
  CHECK(d.substr(d.size() - tail.size()) == tail);
  // Module: int(debug_str().split('\n')[-3].split()[1])
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t nl; (nl = d.find('\n', start)) != std::string::npos; start = nl + 1)
    lines.push_back(d.substr(start, nl - start));
  lines.push_back(d.substr(start));
  REQUIRE(lines.size() >= 3);
  const std::string& total = lines[lines.size() - 3];
  CHECK(total.rfind("Total ", 0) == 0);
  CHECK(contains(total, " MB allocated"));
  CHECK(std::stoul(total.substr(6)) == ex.planned_bytes() >> 20);
}

// The math-family CPU kernels (kernels/cpu/math.cc): forward values against the C library in
// float64, and a numeric gradient wherever the op registers a symbolic gradient.
TEST_CASE("unary math kernels: forward values and numeric gradient", "[ops][math]") {
  const std::map<std::string, std::function<double(double)>> refs = {
      {"abs", [](double x) { return std::abs(x); }},
      {"square", [](double x) { return x * x; }},
      {"sqrt", [](double x) { return std::sqrt(x); }},
      {"rsqrt", [](double x) { return 1 / std::sqrt(x); }},
      {"cbrt", [](double x) { return std::cbrt(x); }},
      {"exp", [](double x) { return std::exp(x); }},
      {"log", [](double x) { return std::log(x); }},
      {"log10", [](double x) { return std::log10(x); }},
      {"log2", [](double x) { return std::log2(x); }},
      {"log1p", [](double x) { return std::log1p(x); }},
      {"expm1", [](double x) { return std::expm1(x); }},
      {"sin", [](double x) { return std::sin(x); }},
      {"cos", [](double x) { return std::cos(x); }},
      {"tan", [](double x) { return std::tan(x); }},
      {"arctan", [](double x) { return std::atan(x); }},
      {"sinh", [](double x) { return std::sinh(x); }},
      {"cosh", [](double x) { return std::cosh(x); }},
      {"tanh", [](double x) { return std::tanh(x); }},
      {"arcsinh", [](double x) { return std::asinh(x); }},
      {"reciprocal", [](double x) { return 1 / x; }},
      {"negative", [](double x) { return -x; }},
      {"sigmoid", [](double x) { return 1 / (1 + std::exp(-x)); }},
      {"softsign", [](double x) { return x / (1 + std::abs(x)); }},
      {"degrees", [](double x) { return x * 180 / M_PI; }},
      {"floor", [](double x) { return std::floor(x); }},
      {"ceil", [](double x) { return std::ceil(x); }},
      {"sign", [](double x) { return double((x > 0) - (x < 0)); }}};
  std::mt19937 rng(11);
  for (const auto& [op, f] : refs) {
    INFO(op);
    Symbol sym = make(op, {}, "u", {{"data", var("x")}});
    // positive inputs away from integers keep every function smooth and defined
    Bound b = bind(sym, {{"x", Shape({2, 3})}}, [&](const std::string&, size_t n) {
      Vec v = uniform(n, rng, 0.15, 0.85);
      for (size_t i = 0; i < n; ++i) v[i] += static_cast<double>(i % 3);
      return v;
    });
    b.exec->forward(false);
    Vec expected;
    for (double v : values(b.arg("x"))) expected.push_back(f(v));
    CHECK_CLOSE(b.out(), expected, 1e-14);
    if (OpRegistry::get().require(op).gradient) check_numeric_gradient(b, rng, 1e-5);
  }
}

TEST_CASE("binary and scalar math kernels: forward values and numeric gradient",
          "[ops][math]") {
  auto pymod = [](double a, double b) {
    double r = std::fmod(a, b);
    return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
  };
  const std::map<std::string, std::function<double(double, double)>> refs = {
      {"_power", [](double a, double b) { return std::pow(a, b); }},
      {"_maximum", [](double a, double b) { return std::max(a, b); }},
      {"_minimum", [](double a, double b) { return std::min(a, b); }},
      {"_hypot", [](double a, double b) { return std::hypot(a, b); }},
      {"_mod", pymod},
      {"_greater", [](double a, double b) { return double(a > b); }},
      {"_lesser_equal", [](double a, double b) { return double(a <= b); }},
      {"_equal", [](double a, double b) { return double(a == b); }}};
  std::mt19937 rng(12);
  for (const auto& [op, f] : refs) {
    INFO(op);
    Symbol sym = make(op, {}, "b", {{"lhs", var("a")}, {"rhs", var("c")}});
    Bound b = bind(sym, {{"a", Shape({2, 3})}, {"c", Shape({2, 3})}},
                   [&](const std::string&, size_t n) { return uniform(n, rng, 0.5, 2.5); });
    b.exec->forward(false);
    Vec x = values(b.arg("a")), y = values(b.arg("c")), expected;
    for (size_t i = 0; i < x.size(); ++i) expected.push_back(f(x[i], y[i]));
    CHECK_CLOSE(b.out(), expected, 1e-14);
    if (OpRegistry::get().require(op).gradient) check_numeric_gradient(b, rng, 1e-5);
  }
  // scalar and reversed-scalar forms, including Python-style modulo of negative values
  Symbol m = make("_mod_scalar", {{"scalar", "3"}}, "m", {{"data", var("x")}});
  Bound bm = bind(m, {{"x", Shape({4})}}, {}, {{"x", Vec{-7, -3, 4, 8.5}}}, {"x"});
  bm.exec->forward(false);
  CHECK_CLOSE(bm.out(), (Vec{2, 0, 1, 2.5}), 1e-15);
  Symbol rp = make("_rpower_scalar", {{"scalar", "2"}}, "p", {{"data", var("x")}});
  Bound bp = bind(rp, {{"x", Shape({3})}}, {}, {{"x", Vec{0, 1, 3}}}, {"x"});
  bp.exec->forward(false);
  CHECK_CLOSE(bp.out(), (Vec{1, 2, 8}), 1e-15);
}

TEST_CASE("Reshape, clip and Cast kernels", "[ops][math]") {
  Symbol r = make("Reshape", {{"shape", "(3, -1)"}}, "r", {{"data", var("x")}});
  Vec x = {0, 1, 2, 3, 4, 5};
  Bound br = bind(r, {{"x", Shape({2, 3})}}, {}, {{"x", x}}, {"x"});
  br.exec->forward(false);
  CHECK(br.exec->outputs()[0].shape() == Shape({3, 2}));
  CHECK_CLOSE(br.out(), x, 0);
  Symbol c = make("clip", {{"a_min", "1"}, {"a_max", "4"}}, "c", {{"data", var("x")}});
  Bound bc = bind(c, {{"x", Shape({6})}}, {}, {{"x", x}}, {"x"});
  bc.exec->forward(false);
  CHECK_CLOSE(bc.out(), (Vec{1, 1, 2, 3, 4, 4}), 0);
  Symbol cast = make("Cast", {{"dtype", "int32"}}, "cast", {{"data", var("x")}});
  Bound bi = bind(cast, {{"x", Shape({3})}}, {}, {{"x", Vec{-1.75, 0.5, 2.9}}}, {"x"});
  bi.exec->forward(false);
  const NDArray& out = bi.exec->outputs()[0];
  REQUIRE(out.dtype() == kInt32);
  std::vector<int32_t> got(3);
  out.copy_to_host(got.data(), 3);
  CHECK(got == std::vector<int32_t>{-1, 0, 2});
}
