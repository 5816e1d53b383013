// Executor plan properties: in-place reuse, lifetime sharing, in-place gradient sums, mirror,
// group2ctx copies, shared pools and reshape, checked through planned bytes and values.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <vector>

#include "core/exec/executor.h"
#include "core/pass/passes.h"
#include "tests/ops/op_test_util.h"

using namespace loom;
using op_test::make;
using op_test::var;

namespace {

NDArray filled(const Shape& s, float v, const Context& ctx = Context{}) {
  NDArray a = NDArray::zeros(s, ctx);
  std::vector<float> host(static_cast<size_t>(s.size()), v);
  a.copy_from_host(host.data(), host.size());
  return a;
}

std::vector<float> host(const NDArray& a) {
  std::vector<float> v(static_cast<size_t>(a.size()));
  a.copy_to_host(v.data(), v.size());
  return v;
}

// x -> n unary ops (tanh) in a chain.
Symbol tanh_chain(int n) {
  Symbol s = var("x");
  for (int i = 0; i < n; ++i) s = make("tanh", {}, "t" + std::to_string(i), {s});
  return s;
}

struct ScopedEnv {
  const char* name;
  ScopedEnv(const char* n, const char* v) : name(n) { setenv(n, v, 1); }
  ~ScopedEnv() { unsetenv(name); }
};

}  // namespace

TEST_CASE("inference chain runs in place in one buffer", "[executor]") {
  Symbol s = tanh_chain(10);
  Shape shape({64, 32});
  Executor ex(s, Context{}, {filled(shape, 0.5f)}, {}, {kNullOp}, {});
  // every tanh may overwrite its input except the first (its input is the user's array)
  CHECK(ex.planned_bytes() == 64 * 32 * 4);
  ex.forward(false);
  float want = 0.5f;
  for (int i = 0; i < 10; ++i) want = std::tanh(want);
  CHECK(host(ex.outputs()[0])[0] == Approx(want));
}

TEST_CASE("buffers are shared by lifetime when in-place is impossible", "[executor]") {
  // FullyConnected has no in-place option: a chain of 8 needs only two live buffers
  Symbol s = var("x");
  std::vector<NDArray> args{filled(Shape({16, 32}), 0.1f)};
  for (int i = 0; i < 8; ++i) {
    s = make("FullyConnected", {{"num_hidden", "32"}, {"no_bias", "True"}},
             "fc" + std::to_string(i), {s});
    args.push_back(filled(Shape({32, 32}), 0.01f));
  }
  Executor ex(s, Context{}, args, {}, {}, {});
  size_t one = 16 * 32 * 4;
  CHECK(ex.planned_bytes() <= 2 * one + 128);
  ex.forward(false);
  CHECK(ex.outputs()[0].shape() == Shape({16, 32}));
}

TEST_CASE("gradient sums accumulate in place", "[executor]") {
  // y = sum of four functions of h: h's gradient has four terms
  Symbol x = var("x");
  Symbol h = make("FullyConnected", {{"num_hidden", "64"}}, "fc", {x});
  Symbol a = make("sin", {}, "a", {h});
  Symbol b = make("cos", {}, "b", {h});
  Symbol c = make("exp", {}, "c", {h});
  Symbol d = make("tanh", {}, "d", {h});
  Symbol y = make("add_n", {{"num_args", "4"}}, "y", {a, b, c, d});
  Symbol loss = make("MakeLoss", {}, "loss", {y});
  auto bind = [&] {
    std::vector<NDArray> args{filled(Shape({32, 16}), 0.2f), filled(Shape({64, 16}), 0.05f),
                              filled(Shape({64}), 0.1f)};
    std::vector<NDArray> grads{NDArray::zeros(Shape({32, 16}), Context{}),
                               NDArray::zeros(Shape({64, 16}), Context{}),
                               NDArray::zeros(Shape({64}), Context{})};
    return std::make_unique<Executor>(loss, Context{}, args, grads,
                                      std::vector<OpReq>{kWriteTo, kWriteTo, kWriteTo},
                                      std::vector<NDArray>{});
  };
  auto fused = bind();
  std::unique_ptr<Executor> plain;
  {
    ScopedEnv off("LOOM_EXEC_INPLACE_GRAD_SUM", "0");
    plain = bind();
  }
  CHECK(fused->planned_bytes() < plain->planned_bytes());
  for (auto* e : {fused.get(), plain.get()}) {
    e->forward(true);
    e->backward({}, true);
  }
  // h = 0.2*16*0.05 + 0.1 = 0.26 everywhere; dy/dh = cos - sin + exp + (1 - tanh^2)
  double hv = 0.26;
  double dh = std::cos(hv) - std::sin(hv) + std::exp(hv) + (1 - std::tanh(hv) * std::tanh(hv));
  auto gb = host(fused->grad_arrays()[2]);
  CHECK(gb[0] == Approx(32 * dh).epsilon(1e-4));
  auto gx = host(fused->grad_arrays()[0]);
  auto gx_plain = host(plain->grad_arrays()[0]);
  for (size_t i = 0; i < gx.size(); ++i) CHECK(gx[i] == Approx(gx_plain[i]).epsilon(1e-5));
}

TEST_CASE("mirroring recomputes forward nodes and plans fewer bytes", "[executor]") {
  auto net = [](bool mirror) {
    Symbol s = var("data");
    // three cheap ops per layer: mirrored, only the FullyConnected output is kept
    for (int i = 0; i < 5; ++i) {
      s = make("FullyConnected", {{"num_hidden", "128"}}, "fc" + std::to_string(i), {s});
      for (int j = 0; j < 3; ++j) {
        AttrDict attrs;
        if (mirror) attrs["__force_mirroring__"] = "True";
        s = make(j == 1 ? "tanh" : "sigmoid", attrs, cat("sig", i, "_", j), {s});
      }
    }
    return make("MakeLoss", {}, "loss", {make("sum", {}, "total", {s})});
  };
  auto bind = [](const Symbol& s) {
    auto names = s.list_arguments();
    SymbolShapes shapes = infer_symbol_shapes(s, {"data"}, {Shape({32, 128})});
    std::vector<NDArray> args, grads;
    for (const auto& sh : shapes.args) {
      args.push_back(filled(sh, 0.01f));
      grads.push_back(NDArray::zeros(sh, Context{}));
    }
    return std::make_unique<Executor>(s, Context{}, args, grads,
                                      std::vector<OpReq>(names.size(), kWriteTo),
                                      std::vector<NDArray>{});
  };
  auto plain = bind(net(false));
  auto mirrored = bind(net(true));
  CHECK(mirrored->planned_bytes() < plain->planned_bytes());
  CHECK(mirrored->debug_str().find("sig2_1_mirror") != std::string::npos);
  for (auto* e : {plain.get(), mirrored.get()}) {
    e->forward(true);
    e->backward({}, true);
  }
  for (size_t k = 0; k < plain->grad_arrays().size(); ++k) {
    auto a = host(plain->grad_arrays()[k]);
    auto b = host(mirrored->grad_arrays()[k]);
    for (size_t i = 0; i < a.size(); ++i) CHECK(b[i] == Approx(a[i]).epsilon(1e-5).margin(1e-7));
  }
}

TEST_CASE("group2ctx inserts copies at device boundaries", "[executor]") {
  Symbol x = var("x");
  Symbol a = make("tanh", {{"__ctx_group__", "g1"}}, "a", {x});
  Symbol b = make("sigmoid", {{"__ctx_group__", "g2"}}, "b", {a});
  Symbol c = make("tanh", {{"__ctx_group__", "g1"}}, "c", {b});
  Context cpu0{kCPU, 0}, cpu1{kCPU, 1};
  BindOptions opt;
  opt.group2ctx = {{"g1", cpu0}, {"g2", cpu1}};
  Executor ex(c, cpu0, {filled(Shape({4}), 0.3f)}, {NDArray::zeros(Shape({4}), cpu0)}, {kWriteTo},
              {}, opt);
  std::string text = ex.debug_str();
  size_t copies = 0;
  for (size_t p = text.find("Op:_CrossDeviceCopy"); p != std::string::npos;
       p = text.find("Op:_CrossDeviceCopy", p + 1))
    ++copies;
  CHECK(copies == 4);  // a->b, b->c forward; and back across both boundaries in backward
  CHECK(ex.outputs()[0].ctx() == cpu0);
  ex.forward(true);
  ex.backward({filled(Shape({4}), 1.0f)}, true);
  double va = std::tanh(0.3), vb = 1 / (1 + std::exp(-va)), vc = std::tanh(vb);
  CHECK(host(ex.outputs()[0])[0] == Approx(vc));
  double g = (1 - vc * vc) * vb * (1 - vb) * (1 - va * va);
  CHECK(host(ex.grad_arrays()[0])[0] == Approx(g));
  // without group2ctx an array on another device is refused
  CHECK(op_test::contains(op_test::error_of([&] {
                            Executor bad(c, cpu0, {filled(Shape({4}), 0.3f, cpu1)}, {}, {kNullOp},
                                         {});
                          }),
                          "unless group2ctx is specified"));
}

TEST_CASE("a smaller executor reuses a shared executor's pool; reshape shares", "[executor]") {
  Symbol s = make("FullyConnected", {{"num_hidden", "64"}}, "fc", {tanh_chain(3)});
  auto bind = [&](dim_t batch, const Executor* shared) {
    std::vector<NDArray> args{filled(Shape({batch, 32}), 0.1f), filled(Shape({64, 32}), 0.1f),
                              filled(Shape({64}), 0.0f)};
    BindOptions opt;
    opt.shared_exec = shared;
    return std::make_unique<Executor>(s, Context{}, args, std::vector<NDArray>{},
                                      std::vector<OpReq>{}, std::vector<NDArray>{}, opt);
  };
  auto big = bind(64, nullptr);
  auto small = bind(8, big.get());
  CHECK(big->allocated_bytes() == big->planned_bytes());
  CHECK(small->allocated_bytes() == 0);
  CHECK(small->pool() == big->pool());
  auto r = big->reshape(false, false, {"x"}, {Shape({16, 32})});
  CHECK(r->allocated_bytes() == 0);
  CHECK(r->arg_arrays()[1].data() == big->arg_arrays()[1].data());
  r->forward(false);
  CHECK(r->outputs()[0].shape() == Shape({16, 64}));
  CHECK(op_test::contains(op_test::error_of([&] {
                            big->reshape(false, false, {"x"}, {Shape({128, 32})});
                          }),
                          "is larger than original"));
}

TEST_CASE("plan-only binding reports memory without kernels", "[executor]") {
  ScopedEnv plan_only("LOOM_EXEC_PLAN_ONLY", "1");
  Symbol s = tanh_chain(2);
  Executor ex(s, Context{}, {filled(Shape({8}), 0.5f)}, {}, {kNullOp}, {});
  CHECK(ex.planned_bytes() == 64);  // one buffer of 32 bytes, aligned to 64
  ex.forward(false);                // every kernel exists here, so it still runs
  CHECK(host(ex.outputs()[0])[0] == Approx(std::tanh(std::tanh(0.5))));
}
