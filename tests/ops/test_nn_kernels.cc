// CPU kernels of the neural-network layers ("[nnk]"): BatchNorm, Dropout, SoftmaxOutput's
// quirks, the softmax family, Concat/SliceChannel, LeakyReLU, LRN, Embedding and the gradient
// markers. Forward values are checked against references computed here; gradients in float64
// against central differences of f = sum <out, w>. MXNet 1.9.1's own numbers are compared in
// tests/python/test_nn_kernels.py.
#include "kernels/random.h"
#include "tests/ops/kernel_test_util.h"

using namespace loom;
using namespace kernel_test;

namespace {

using op_test::error_of;
using op_test::var;

Symbol make(const std::string& op, const AttrDict& params, const std::vector<Symbol>& args) {
  return op_test::make(op, params, "op", args);
}

Fill random_fill(std::mt19937& rng) {
  return [&rng](const std::string& name, size_t n) {
    if (name.find("moving_var") != std::string::npos || name.find("gamma") != std::string::npos)
      return uniform(n, rng, 0.5, 1.5);
    return uniform(n, rng, -1, 1);
  };
}

}  // namespace

// -------------------------------------------------------------------------------- BatchNorm

TEST_CASE("BatchNorm: training forward, hidden statistics, moving averages", "[nnk]") {
  std::mt19937 rng(1);
  Symbol s = make(
      "BatchNorm",
      {{"fix_gamma", "False"}, {"momentum", "0.75"}, {"eps", "0.01"}, {"output_mean_var", "True"}},
      {var("x")});
  Bound b = bind(s, {{"x", Shape({2, 3, 2})}}, random_fill(rng));
  Vec x = values(b.arg("x")), gamma = values(b.arg("op_gamma")), beta = values(b.arg("op_beta"));
  Vec mm = values(b.aux_of("op_moving_mean")), mv = values(b.aux_of("op_moving_var"));
  b.exec->forward(true);
  Vec out(12), mean(3), invstd(3), var(3);
  for (int c = 0; c < 3; ++c) {
    std::vector<int> idx;
    for (int n = 0; n < 2; ++n)
      for (int i = 0; i < 2; ++i) idx.push_back(n * 6 + c * 2 + i);
    for (int j : idx) mean[c] += x[j] / 4;
    for (int j : idx) var[c] += (x[j] - mean[c]) * (x[j] - mean[c]) / 4;  // biased
    invstd[c] = 1 / std::sqrt(var[c] + 0.01);
    for (int j : idx) out[j] = (x[j] - mean[c]) * invstd[c] * gamma[c] + beta[c];
  }
  CHECK_CLOSE(b.out(0), out, 1e-12);
  CHECK_CLOSE(b.out(1), mean, 1e-12);
  CHECK_CLOSE(b.out(2), invstd, 1e-12);  // MXNet's "var" output is the inverse std
  // forward alone leaves the moving statistics (MXNet updates them in backward on CPU)
  CHECK(values(b.aux_of("op_moving_mean")) == mm);
  b.exec->backward({array64(Shape({2, 3, 2}), Vec(12, 1.0)), NDArray(), NDArray()}, true);
  Vec emm(3), emv(3);
  for (int c = 0; c < 3; ++c) {
    emm[c] = mm[c] * 0.75 + mean[c] * 0.25;
    emv[c] = mv[c] * 0.75 + var[c] * 0.25;
  }
  CHECK_CLOSE(values(b.aux_of("op_moving_mean")), emm, 1e-12);
  CHECK_CLOSE(values(b.aux_of("op_moving_var")), emv, 1e-12);
  // d beta = sum of the head gradient; d gamma = sum dy * xhat = 0 for dy = 1
  CHECK_CLOSE(values(b.grad("op_beta")), Vec(3, 4.0), 1e-12);
  CHECK_CLOSE(values(b.grad("op_gamma")), Vec(3, 0.0), 1e-12);
}

TEST_CASE("BatchNorm: numeric gradients in training and inference, any axis", "[nnk]") {
  std::mt19937 rng(2);
  SECTION("training, axis 1") {
    Bound b = bind(make("BatchNorm", {{"fix_gamma", "False"}}, {var("x")}),
                   {{"x", Shape({3, 2, 2})}}, random_fill(rng));
    check_numeric_gradient(b, rng, 1e-5);
  }
  SECTION("training, axis -1") {
    Bound b = bind(make("BatchNorm", {{"fix_gamma", "False"}, {"axis", "-1"}}, {var("x")}),
                   {{"x", Shape({2, 2, 3})}}, random_fill(rng));
    check_numeric_gradient(b, rng, 1e-5);
  }
  SECTION("inference uses the moving statistics") {
    Bound b = bind(make("BatchNorm", {{"fix_gamma", "False"}}, {var("x")}), {{"x", Shape({2, 3})}},
                   random_fill(rng));
    b.exec->forward(false);
    Vec x = values(b.arg("x")), g = values(b.arg("op_gamma")), be = values(b.arg("op_beta"));
    Vec mm = values(b.aux_of("op_moving_mean")), mv = values(b.aux_of("op_moving_var"));
    Vec expect(6);
    for (int j = 0; j < 6; ++j) {
      int c = j % 3;
      expect[j] = (x[j] - mm[c]) / std::sqrt(mv[c] + 1e-3f) * g[c] + be[c];
    }
    CHECK_CLOSE(b.out(), expect, 1e-12);
    check_numeric_gradient(b, rng, 1e-6, false);
  }
  SECTION("use_global_stats while training") {
    Bound b =
        bind(make("BatchNorm", {{"fix_gamma", "False"}, {"use_global_stats", "True"}}, {var("x")}),
             {{"x", Shape({2, 3, 2})}}, random_fill(rng));
    Vec mm = values(b.aux_of("op_moving_mean"));
    check_numeric_gradient(b, rng, 1e-6);
    b.exec->forward(true);
    b.exec->backward({array64(Shape({2, 3, 2}), Vec(12, 1.0))}, true);
    CHECK(values(b.aux_of("op_moving_mean")) == mm);
  }
}

TEST_CASE("BatchNorm: fix_gamma sets gamma to 1 and gives it a zero gradient", "[nnk]") {
  std::mt19937 rng(3);
  Bound b = bind(make("BatchNorm", {}, {var("x")}), {{"x", Shape({4, 2})}}, random_fill(rng));
  b.exec->forward(true);
  CHECK(values(b.arg("op_gamma")) == Vec(2, 1.0));
  b.exec->backward({array64(Shape({4, 2}), uniform(8, rng, -1, 1))}, true);
  CHECK(values(b.grad("op_gamma")) == Vec(2, 0.0));
  check_numeric_gradient(b, rng, 1e-5);
}

// ---------------------------------------------------------------------------------- Dropout

TEST_CASE("Dropout: inverted mask, seeded, axes, identity at inference", "[nnk]") {
  auto fill = [](const std::string&, size_t n) { return Vec(n, 1.0); };
  auto run = [&](const AttrDict& p, bool train, const Shape& shape, uint64_t seed) {
    Bound b = bind(make("Dropout", p, {var("x")}), {{"x", shape}}, fill);
    seed_random(seed);
    b.exec->forward(train);
    b.exec->backward({array64(shape, Vec(shape.size(), 3.0))}, train);
    return std::make_pair(b.out(), values(b.grad("x")));
  };
  auto [out, grad] = run({{"p", "0.25"}}, true, Shape({40, 25}), 11);
  size_t zeros = 0;
  for (size_t i = 0; i < out.size(); ++i) {
    CHECK((out[i] == 0 || std::abs(out[i] - 1 / 0.75) < 1e-12));
    CHECK(grad[i] == out[i] * 3);
    zeros += out[i] == 0;
  }
  CHECK(zeros > 150);
  CHECK(zeros < 350);
  CHECK(run({{"p", "0.25"}}, true, Shape({40, 25}), 11).first == out);
  CHECK(run({{"p", "0.25"}}, true, Shape({40, 25}), 12).first != out);
  // inference: identity both ways; mode=always drops anyway
  auto [iout, igrad] = run({{"p", "0.5"}}, false, Shape({4, 5}), 1);
  CHECK(iout == Vec(20, 1.0));
  CHECK(igrad == Vec(20, 3.0));
  CHECK(run({{"p", "0.5"}, {"mode", "always"}}, false, Shape({40, 5}), 1).first != Vec(200, 1.0));
  // axes=(1,): one draw per row
  auto [aout, agrad] = run({{"p", "0.5"}, {"axes", "(1,)"}}, true, Shape({30, 4}), 5);
  for (size_t r = 0; r < 30; ++r)
    for (size_t c = 1; c < 4; ++c) CHECK(aout[r * 4 + c] == aout[r * 4]);
}

// ---------------------------------------------------------------------------- SoftmaxOutput

TEST_CASE("SoftmaxOutput: out_grad multiplies by the output (MXNet's wiring)", "[nnk]") {
  std::mt19937 rng(4);
  Vec x = uniform(8, rng, -1, 1), label = {1, 3};
  auto fill = [&](const std::string& n, size_t) { return n == "y" ? label : x; };
  Bound b = bind(make("SoftmaxOutput", {{"out_grad", "True"}}, {var("x"), var("y")}),
                 {{"x", Shape({2, 4})}}, fill, {}, {"y"});
  b.exec->forward(true);
  b.exec->backward({}, true);
  Vec y = b.out(), expect(8);
  for (int i = 0; i < 8; ++i) expect[i] = (y[i] - (i % 4 == label[i / 4] ? 1 : 0)) * y[i];
  CHECK_CLOSE(values(b.grad("x")), expect, 1e-14);
}

// --------------------------------------------------------------------------- softmax family

TEST_CASE("softmax, log_softmax, softmin, SoftmaxActivation: values and gradients", "[nnk]") {
  std::mt19937 rng(5);
  auto fill = random_fill(rng);
  SECTION("softmax over axis 1 with temperature") {
    Bound b = bind(make("softmax", {{"axis", "1"}, {"temperature", "2"}}, {var("x")}),
                   {{"x", Shape({2, 3, 2})}}, fill);
    b.exec->forward(false);
    Vec x = values(b.arg("x")), expect(12);
    for (int n = 0; n < 2; ++n)
      for (int i = 0; i < 2; ++i) {
        double sum = 0;
        for (int c = 0; c < 3; ++c) sum += std::exp(x[n * 6 + c * 2 + i] / 2);
        for (int c = 0; c < 3; ++c)
          expect[n * 6 + c * 2 + i] = std::exp(x[n * 6 + c * 2 + i] / 2) / sum;
      }
    CHECK_CLOSE(b.out(), expect, 1e-14);
    check_numeric_gradient(b, rng);
  }
  SECTION("log_softmax") {
    Bound b = bind(make("log_softmax", {}, {var("x")}), {{"x", Shape({3, 4})}}, fill);
    b.exec->forward(false);
    Vec x = values(b.arg("x")), o = b.out();
    for (int r = 0; r < 3; ++r) {
      double sum = 0;
      for (int c = 0; c < 4; ++c) sum += std::exp(o[r * 4 + c]);
      CHECK(std::abs(sum - 1) < 1e-12);
      CHECK(std::abs((o[r * 4 + 1] - o[r * 4]) - (x[r * 4 + 1] - x[r * 4])) < 1e-12);
    }
    check_numeric_gradient(b, rng);
  }
  SECTION("log_softmax with temperature over axis 0") {
    Bound b = bind(make("log_softmax", {{"axis", "0"}, {"temperature", "0.5"}}, {var("x")}),
                   {{"x", Shape({3, 2})}}, fill);
    check_numeric_gradient(b, rng);
  }
  SECTION("softmin") {
    Bound b = bind(make("softmin", {}, {var("x")}), {{"x", Shape({2, 3})}}, fill);
    b.exec->forward(false);
    Vec x = values(b.arg("x")), o = b.out();
    double sum = std::exp(-x[0]) + std::exp(-x[1]) + std::exp(-x[2]);
    CHECK(std::abs(o[1] - std::exp(-x[1]) / sum) < 1e-14);
    check_numeric_gradient(b, rng);
  }
  SECTION("SoftmaxActivation instance and channel") {
    Bound inst = bind(make("SoftmaxActivation", {}, {var("x")}), {{"x", Shape({2, 3, 2})}}, fill);
    inst.exec->forward(false);
    // instance mode normalises along the last axis, as MXNet's 2-D flattening does
    Vec o = inst.out();
    CHECK(std::abs(o[0] + o[1] - 1) < 1e-12);
    CHECK(std::abs(o[2] + o[3] - 1) < 1e-12);
    check_numeric_gradient(inst, rng);
    Bound ch = bind(make("SoftmaxActivation", {{"mode", "channel"}}, {var("x")}),
                    {{"x", Shape({2, 3, 2})}}, fill);
    ch.exec->forward(false);
    Vec oc = ch.out();
    CHECK(std::abs(oc[0] + oc[2] + oc[4] - 1) < 1e-12);
    check_numeric_gradient(ch, rng);
  }
}

// ---------------------------------------------------------------------- Concat, SliceChannel

TEST_CASE("Concat and SliceChannel: values and gradients", "[nnk]") {
  std::mt19937 rng(6);
  auto fill = random_fill(rng);
  SECTION("Concat along dim 1") {
    Bound b = bind(make("Concat", {{"dim", "1"}, {"num_args", "2"}}, {var("a"), var("b")}),
                   {{"a", Shape({2, 1, 2})}, {"b", Shape({2, 2, 2})}}, fill);
    b.exec->forward(false);
    Vec a = values(b.arg("a")), bb = values(b.arg("b"));
    Vec expect = {a[0], a[1], bb[0], bb[1], bb[2], bb[3], a[2], a[3], bb[4], bb[5], bb[6], bb[7]};
    CHECK(b.out() == expect);
    check_numeric_gradient(b, rng);
  }
  SECTION("Concat along the last axis") {
    Bound b =
        bind(make("Concat", {{"dim", "-1"}, {"num_args", "3"}}, {var("a"), var("b"), var("c")}),
             {{"a", Shape({2, 1})}, {"b", Shape({2, 2})}, {"c", Shape({2, 1})}}, fill);
    check_numeric_gradient(b, rng);
  }
  SECTION("SliceChannel into 3 along axis 1, only some outputs used") {
    Symbol s = make("SliceChannel", {{"num_outputs", "3"}}, {var("x")});
    Bound b = bind(s, {{"x", Shape({2, 3, 2})}}, fill);
    b.exec->forward(false);
    Vec x = values(b.arg("x"));
    CHECK(b.out(1) == Vec{x[2], x[3], x[8], x[9]});
    check_numeric_gradient(b, rng);
  }
  SECTION("split with squeeze_axis on the last axis") {
    Symbol s =
        make("split", {{"num_outputs", "2"}, {"axis", "-1"}, {"squeeze_axis", "1"}}, {var("x")});
    Bound b = bind(s, {{"x", Shape({3, 2})}}, fill);
    b.exec->forward(false);
    Vec x = values(b.arg("x"));
    CHECK(b.exec->outputs()[0].shape() == Shape({3}));
    CHECK(b.out(1) == Vec{x[1], x[3], x[5]});
    check_numeric_gradient(b, rng);
  }
}

// --------------------------------------------------------------------- LeakyReLU, LRN, ...

TEST_CASE("LeakyReLU: every act_type, values and gradients", "[nnk]") {
  std::mt19937 rng(7);
  auto fill = [&](const std::string& n, size_t k) {
    return n == "op_gamma" ? uniform(k, rng, 0.1, 0.5) : away_from_zero(k, rng);
  };
  for (std::string act : {"leaky", "elu", "selu", "gelu", "prelu"}) {
    DYNAMIC_SECTION(act) {
      Bound b = bind(make("LeakyReLU", {{"act_type", act}, {"slope", "0.3"}}, {var("x")}),
                     {{"x", Shape({2, 3, 2})}}, fill);
      b.exec->forward(true);
      Vec x = values(b.arg("x")), o = b.out();
      for (size_t i = 0; i < x.size(); ++i) {
        double v = x[i], e;
        if (act == "leaky") e = v > 0 ? v : 0.3f * v;
        if (act == "elu") e = v > 0 ? v : 0.3f * std::expm1(v);
        if (act == "selu")
          e = 1.0507009873554805 * (v > 0 ? v : 1.6732632423543772 * std::expm1(v));
        if (act == "gelu") e = 0.5 * v * (1 + std::erf(v / std::sqrt(2.0)));
        if (act == "prelu") e = v > 0 ? v : values(b.arg("op_gamma"))[(i / 2) % 3] * v;
        CHECK(std::abs(o[i] - e) < 1e-12);
      }
      check_numeric_gradient(b, rng);
    }
  }
  SECTION("rrelu: fixed mean slope at inference, random slopes in bounds while training") {
    Bound b = bind(make("LeakyReLU", {{"act_type", "rrelu"}}, {var("x")}), {{"x", Shape({50})}},
                   [](const std::string&, size_t n) { return Vec(n, -2.0); });
    b.exec->forward(false);
    CHECK_CLOSE(b.out(), Vec(50, -2 * (0.125f + 0.334f) / 2), 1e-7);
    seed_random(3);
    b.exec->forward(true);
    Vec o = b.out(), mask = b.out(1);
    for (size_t i = 0; i < 50; ++i) {
      CHECK(mask[i] >= 0.125f);
      CHECK(mask[i] <= 0.334f);
      CHECK(o[i] == -2 * mask[i]);
    }
    b.exec->backward({array64(Shape({50}), Vec(50, 1.0)), array64(Shape({50}), Vec(50, 0.0))},
                     true);
    CHECK_CLOSE(values(b.grad("x")), mask, 1e-15);
  }
}

TEST_CASE("LRN: values and gradients", "[nnk]") {
  std::mt19937 rng(8);
  Bound b = bind(make("LRN", {{"nsize", "3"}, {"alpha", "0.3"}, {"beta", "0.6"}, {"knorm", "1.5"}},
                      {var("x")}),
                 {{"x", Shape({2, 4, 2})}}, random_fill(rng));
  b.exec->forward(true);
  Vec x = values(b.arg("x")), o = b.out();
  for (int n = 0; n < 2; ++n)
    for (int c = 0; c < 4; ++c)
      for (int i = 0; i < 2; ++i) {
        double sum = 0;
        for (int k = std::max(0, c - 1); k <= std::min(3, c + 1); ++k)
          sum += x[n * 8 + k * 2 + i] * x[n * 8 + k * 2 + i];
        int j = n * 8 + c * 2 + i;
        CHECK(std::abs(o[j] - x[j] * std::pow(1.5 + double(0.3f) / 3 * sum, -0.6f)) < 1e-12);
      }
  check_numeric_gradient(b, rng, 1e-6);
  CHECK(op_test::contains(
      error_of([] {
        Bound e = bind(make("LRN", {{"nsize", "2"}}, {var("x")}), {{"x", Shape({1, 2, 2})}},
                       [](const std::string&, size_t n) { return Vec(n, 1.0); });
        e.exec->forward(false);
      }),
      "odd"));
}

TEST_CASE("Embedding: row lookup, clipped indices, accumulated weight gradient", "[nnk]") {
  std::mt19937 rng(9);
  Vec idx = {0, 2, 2, 7};  // 7 is clipped to the last row, as in MXNet
  auto fill = [&](const std::string& n, size_t k) {
    return n == "x" ? idx : uniform(k, rng, -1, 1);
  };
  Bound b = bind(make("Embedding", {{"input_dim", "4"}, {"output_dim", "3"}}, {var("x")}),
                 {{"x", Shape({2, 2})}}, fill, {}, {"x"});
  b.exec->forward(true);
  Vec w = values(b.arg("op_weight")), o = b.out();
  for (int i = 0; i < 4; ++i)
    for (int k = 0; k < 3; ++k) CHECK(o[i * 3 + k] == w[std::min(3, int(idx[i])) * 3 + k]);
  Vec head = uniform(12, rng, -1, 1);
  b.exec->backward({array64(Shape({2, 2, 3}), head)}, true);
  Vec expect(12, 0.0);
  for (int i = 0; i < 4; ++i)
    for (int k = 0; k < 3; ++k) expect[std::min(3, int(idx[i])) * 3 + k] += head[i * 3 + k];
  CHECK_CLOSE(values(b.grad("op_weight")), expect, 1e-14);
  check_numeric_gradient(b, rng);
}

TEST_CASE("BlockGrad, make_loss, MakeLoss: pass through; fixed gradients", "[nnk]") {
  std::mt19937 rng(10);
  Vec x = {0.5, -1, 0.05, 2, 0.2, -0.3};
  auto fill = [&](const std::string&, size_t) { return x; };
  auto grad_of = [&](const Symbol& s) {
    Bound b = bind(s, {{"x", Shape({2, 3})}}, fill);
    b.exec->forward(true);
    CHECK(b.out() == x);
    b.exec->backward({array64(Shape({2, 3}), Vec(6, 5.0))}, true);
    return values(b.grad("x"));
  };
  // BlockGrad feeds an elemwise_add so that x still gets a gradient through the other branch
  Symbol xs = var("x");  // one variable read twice
  Symbol blocked = make("elemwise_add", {}, {make("BlockGrad", {}, {xs}), xs});
  {
    Bound b = bind(blocked, {{"x", Shape({2, 3})}}, fill);
    b.exec->forward(true);
    b.exec->backward({array64(Shape({2, 3}), Vec(6, 5.0))}, true);
    CHECK(values(b.grad("x")) == Vec(6, 5.0));
  }
  CHECK(grad_of(make("stop_gradient", {}, {var("x")})) == Vec(6, 0.0));
  CHECK(grad_of(make("MakeLoss", {{"grad_scale", "3"}}, {var("x")})) == Vec(6, 3.0));
  CHECK_CLOSE(grad_of(make("MakeLoss", {{"normalization", "batch"}}, {var("x")})), Vec(6, 0.5),
              1e-15);
  // valid: x > 0.1 for 3 entries
  CHECK_CLOSE(
      grad_of(make("MakeLoss", {{"normalization", "valid"}, {"valid_thresh", "0.1"}}, {var("x")})),
      Vec(6, 1.0 / 3), 1e-15);
}

TEST_CASE("LayerNorm and L2Normalization: values and gradients", "[nnk]") {
  std::mt19937 rng(11);
  auto fill = random_fill(rng);
  SECTION("LayerNorm over the last axis") {
    Bound b = bind(make("LayerNorm", {}, {var("x")}), {{"x", Shape({2, 3})}}, fill);
    b.exec->forward(true);
    Vec x = values(b.arg("x")), g = values(b.arg("op_gamma")), be = values(b.arg("op_beta"));
    Vec o = b.out();
    for (int r = 0; r < 2; ++r) {
      double mean = (x[r * 3] + x[r * 3 + 1] + x[r * 3 + 2]) / 3, var = 0;
      for (int c = 0; c < 3; ++c) var += (x[r * 3 + c] - mean) * (x[r * 3 + c] - mean) / 3;
      for (int c = 0; c < 3; ++c)
        CHECK(std::abs(o[r * 3 + c] -
                       ((x[r * 3 + c] - mean) / std::sqrt(var + 1e-5f) * g[c] + be[c])) < 1e-12);
    }
    check_numeric_gradient(b, rng, 1e-5);
  }
  SECTION("LayerNorm over axis 1") {
    Bound b = bind(make("LayerNorm", {{"axis", "1"}, {"eps", "0.1"}}, {var("x")}),
                   {{"x", Shape({2, 3, 2})}}, fill);
    check_numeric_gradient(b, rng, 1e-5);
  }
  for (std::string mode : {"instance", "channel", "spatial"}) {
    DYNAMIC_SECTION("L2Normalization " << mode) {
      Bound b = bind(make("L2Normalization", {{"mode", mode}}, {var("x")}),
                     {{"x", Shape({2, 3, 2})}}, fill);
      b.exec->forward(true);
      Vec x = values(b.arg("x")), o = b.out();
      // channel mode: element (0, 1, 0) divided by the norm over channels at position 0
      if (mode == "channel") {
        double n = std::sqrt(x[0] * x[0] + x[2] * x[2] + x[4] * x[4] + 1e-10f);
        CHECK(std::abs(o[2] - x[2] / n) < 1e-12);
      }
      check_numeric_gradient(b, rng, 1e-6);
    }
  }
}

TEST_CASE("Cast: the gradient is the head gradient in the input's dtype", "[nnk]") {
  Symbol s = make("Cast", {{"dtype", "float64"}},
                  {op_test::make("Cast", {{"dtype", "float32"}}, "to32", {var("x")})});
  Bound b = bind(s, {{"x", Shape({4})}}, [](const std::string&, size_t) {
    return Vec{0.5, -1.25, 3, 1e-3};
  });
  b.exec->forward(true);
  CHECK(b.out() == Vec{0.5, -1.25, 3, static_cast<float>(1e-3)});
  b.exec->backward({array64(Shape({4}), Vec{2, -0.5, 0.25, 8})}, true);
  CHECK(values(b.grad("x")) == Vec{2, -0.5, 0.25, 8});
}

TEST_CASE("softmax: dtype parameter, and use_length is reported as unsupported", "[nnk]") {
  std::mt19937 rng(12);
  Bound b = bind(make("softmax", {{"dtype", "float32"}}, {var("x")}), {{"x", Shape({2, 3})}},
                 random_fill(rng));
  b.exec->forward(true);
  CHECK(b.exec->outputs()[0].dtype() == kFloat32);
  Vec x = values(b.arg("x")), o = b.out();
  double sum = std::exp(x[0]) + std::exp(x[1]) + std::exp(x[2]);
  CHECK(std::abs(o[0] - std::exp(x[0]) / sum) < 1e-7);
  NDArray head(Shape({2, 3}), kCpu, kFloat32);
  std::vector<float> h = {1, 0, 0, 0, 0, 1};
  head.copy_from_host(h.data(), h.size());
  b.exec->backward({head}, true);
  Vec g = values(b.grad("x"));  // float64, the data's dtype
  CHECK(std::abs(g[0] - o[0] * (1 - o[0])) < 1e-6);
  CHECK(std::abs(g[1] + o[0] * o[1]) < 1e-6);

  std::string err = error_of([&] {
    Bound l = bind(make("softmax", {{"use_length", "True"}}, {var("x"), var("len")}),
                   {{"x", Shape({2, 3})}}, random_fill(rng), {}, {"len"});
    l.exec->forward(false);
  });
  CHECK(op_test::contains(err, "use_length"));
}
