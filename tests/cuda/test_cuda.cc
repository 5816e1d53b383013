// The CUDA suite: every operator with a GPU kernel is run on cpu(0) and gpu(0) over the same
// graph and inputs, and the outputs and all gradients must agree; the reference MLP must match
// its golden file on the GPU; NDArray copies between host and GPUs must round-trip. Without a
// GPU only the [nogpu] checks run (asking for a GPU must fail cleanly, never crash) and the
// program exits with 77, which meson reports as SKIP.
#if __has_include(<catch2/catch_all.hpp>)
#include <catch2/catch_all.hpp>
#else
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>
#endif

#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "core/base/error.h"
#include "core/exec/executor.h"
#include "core/graph/symbol.h"
#include "core/ndarray/ndarray.h"
#include "core/op/op.h"
#include "core/pass/passes.h"
#include "loom/c_api.h"

using namespace loom;

namespace {

int gpu_count() {
  int n = 0;
  return MXGetGPUCount(&n) == 0 ? n : 0;
}

const Context kCpu{kCPU, 0};
const Context kGpu{kGPU, 0};

Symbol var(const std::string& name) { return Symbol::variable(name); }

Symbol op(const std::string& op_name, const std::string& node_name,
          const std::vector<Symbol>& inputs, const AttrDict& params = {}) {
  Symbol s = Symbol::atomic(OpRegistry::get().require(op_name), params);
  s.compose(inputs, {}, node_name);
  return s;
}

// Host values travel as double and are converted to the array's dtype at the boundary.
NDArray to_device(const std::vector<double>& v, const Shape& shape, int dtype, const Context& ctx) {
  NDArray a(shape, ctx, dtype);
  if (dtype == kFloat64) {
    a.copy_from_host(v.data(), v.size());
  } else {
    std::vector<float> f(v.begin(), v.end());
    a.copy_from_host(f.data(), f.size());
  }
  return a;
}

std::vector<double> to_host(const NDArray& a) {
  std::vector<double> v(static_cast<size_t>(a.size()));
  if (a.dtype() == kFloat64) {
    a.copy_to_host(v.data(), v.size());
  } else {
    std::vector<float> f(v.size());
    a.copy_to_host(f.data(), f.size());
    v.assign(f.begin(), f.end());
  }
  return v;
}

std::vector<double> uniform(size_t n, double lo, double hi, unsigned seed) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<double> d(lo, hi);
  std::vector<double> v(n);
  for (auto& x : v) x = d(gen);
  return v;
}

// One comparison case: a graph, the shapes of some inputs (the rest are inferred), values for
// chosen arguments (labels) and a uniform range for all others.
struct Case {
  Case(Symbol s, std::map<std::string, Shape> given,
       std::map<std::string, std::vector<double>> fixed = {})
      : sym(std::move(s)), shapes(std::move(given)), values(std::move(fixed)) {}
  Symbol sym;
  std::map<std::string, Shape> shapes;
  std::map<std::string, std::vector<double>> values;
  int dtype = kFloat32;
  OpReq grad_req = kWriteTo;
  double lo = -1, hi = 1;
};

struct Result {
  std::vector<std::string> names;  // output names, then "grad:<argument>"
  std::vector<std::vector<double>> values;
};

Result run_on(const Case& c, const Context& ctx) {
  std::vector<std::string> keys;
  std::vector<Shape> given;
  for (const auto& [k, s] : c.shapes) keys.push_back(k), given.push_back(s);
  SymbolShapes shapes = infer_symbol_shapes(c.sym, keys, given);
  REQUIRE(shapes.complete);
  auto arg_names = c.sym.list_arguments();
  std::vector<NDArray> args, grads;
  std::vector<OpReq> reqs;
  for (size_t i = 0; i < arg_names.size(); ++i) {
    const Shape& s = shapes.args[i];
    auto it = c.values.find(arg_names[i]);
    std::vector<double> v = it != c.values.end()
                                ? it->second
                                : uniform(static_cast<size_t>(s.size()), c.lo, c.hi, 17 + i);
    REQUIRE(v.size() == static_cast<size_t>(s.size()));
    args.push_back(to_device(v, s, c.dtype, ctx));
    // Accumulating gradients start from known non-zero values.
    std::vector<double> g0 = c.grad_req == kAddTo
                                 ? uniform(static_cast<size_t>(s.size()), -1, 1, 101 + i)
                                 : std::vector<double>(static_cast<size_t>(s.size()), 0.0);
    grads.push_back(to_device(g0, s, c.dtype, ctx));
    reqs.push_back(c.grad_req);
  }
  Executor ex(c.sym, ctx, args, grads, reqs, {});
  std::vector<NDArray> head_grads;
  for (size_t o = 0; o < shapes.outputs.size(); ++o)
    head_grads.push_back(
        to_device(uniform(static_cast<size_t>(shapes.outputs[o].size()), -1, 1, 301 + o),
                  shapes.outputs[o], c.dtype, ctx));
  // Twice, so that kAddTo accumulates and kWriteTo proves it overwrites.
  for (int pass = 0; pass < 2; ++pass) {
    ex.forward(true);
    ex.backward(head_grads, true);
  }
  Result r;
  auto out_names = c.sym.list_outputs();
  for (size_t o = 0; o < ex.outputs().size(); ++o) {
    r.names.push_back(out_names[o]);
    r.values.push_back(to_host(ex.outputs()[o]));
  }
  for (size_t i = 0; i < arg_names.size(); ++i) {
    r.names.push_back("grad:" + arg_names[i]);
    r.values.push_back(to_host(ex.grad_arrays()[i]));
  }
  return r;
}

bool close(double a, double b, double tol) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  return std::fabs(a - b) <= tol * (1 + std::fabs(b));
}

void check_gpu_matches_cpu(const Case& c) {
  Result cpu = run_on(c, kCpu);
  Result gpu = run_on(c, kGpu);
  REQUIRE(cpu.names == gpu.names);
  const double tol = c.dtype == kFloat64 ? 1e-10 : 2e-5;
  for (size_t k = 0; k < cpu.names.size(); ++k) {
    INFO(cpu.names[k] << " (" << dtype_name(c.dtype) << ")");
    REQUIRE(cpu.values[k].size() == gpu.values[k].size());
    size_t bad = 0, first = 0;
    for (size_t i = 0; i < cpu.values[k].size(); ++i)
      if (!close(gpu.values[k][i], cpu.values[k][i], tol) && bad++ == 0) first = i;
    if (bad) {
      INFO("element " << first << ": gpu " << gpu.values[k][first] << " cpu "
                      << cpu.values[k][first] << " (" << bad << " elements differ)");
      CHECK(bad == 0);
    }
  }
}

// main() already keeps [gpu] tests from running without a GPU; this keeps each one honest when
// it is run some other way.
#ifdef SKIP
#define NEED_GPU() \
  if (gpu_count() == 0) SKIP("no GPU")
#else
#define NEED_GPU()           \
  if (gpu_count() == 0) {    \
    WARN("no GPU: not run"); \
    return;                  \
  }
#endif

std::vector<double> labels(std::vector<int> v) { return std::vector<double>(v.begin(), v.end()); }

}  // namespace

TEST_CASE("asking for a GPU that does not exist fails cleanly", "[nogpu]") {
  const int n = gpu_count();
  REQUIRE(n == device_api(kGPU).device_count());

  // C ABI: -1 and a message naming the device, never a crash.
  const mx_uint shape[2] = {2, 3};
  NDArrayHandle h = nullptr;
  REQUIRE(MXNDArrayCreateEx(shape, 2, 2, n, 0, 0, &h) == -1);
  CHECK(h == nullptr);
  std::string msg = MXGetLastError();
  INFO(msg);
  CHECK(msg.find("gpu(" + std::to_string(n) + ")") != std::string::npos);
  CHECK(msg.find("not available") != std::string::npos);

  // The C++ engine throws loom::Error for allocations on it.
  const Context missing{kGPU, n};
  CHECK_THROWS_AS(NDArray(Shape({2, 3}), missing), Error);
  CHECK_THROWS_AS(device_api(kGPU).stream(missing), Error);

  // Binding on it is refused with a message, not a crash.
  SymbolHandle data = nullptr;
  REQUIRE(MXSymbolCreateVariable("data", &data) == 0);
  NDArrayHandle arg = nullptr;
  REQUIRE(MXNDArrayCreateEx(shape, 2, 1, 0, 0, 0, &arg) == 0);
  mx_uint req = 0;
  NDArrayHandle grad = nullptr;
  ExecutorHandle ex = nullptr;
  CHECK(MXExecutorBindEX(data, 2, n, 0, nullptr, nullptr, nullptr, 1, &arg, &grad, &req, 0, nullptr,
                         nullptr, &ex) == -1);
  CHECK(ex == nullptr);
  CHECK(std::string(MXGetLastError()).find("gpu(") != std::string::npos);
  MXNDArrayFree(arg);
  MXSymbolFree(data);

  // Waiting on every device works with none.
  CHECK(MXNDArrayWaitAll() == 0);
}

TEST_CASE("NDArray copies between host and GPU", "[gpu]") {
  NEED_GPU();
  for (int dtype : {kFloat32, kFloat64}) {
    INFO(dtype_name(dtype));
    std::vector<double> v = uniform(1000, -5, 5, 3);
    Shape s({10, 100});
    NDArray g = to_device(v, s, dtype, kGpu);
    CHECK(to_host(g) == to_host(to_device(v, s, dtype, kCpu)));

    NDArray g2(s, kGpu, dtype);
    g2.copy_from(g);  // gpu -> gpu
    NDArray c(s, kCpu, dtype);
    c.copy_from(g2);  // gpu -> cpu
    NDArray g3(s, kGpu, dtype);
    g3.copy_from(c);  // cpu -> gpu
    CHECK(to_host(c) == to_host(g));
    CHECK(to_host(g3) == to_host(g));

    g3.fill_zero();
    CHECK(to_host(g3) == std::vector<double>(1000, 0.0));
    CHECK(to_host(NDArray::zeros(s, kGpu, dtype)) == std::vector<double>(1000, 0.0));

    // A view at an offset reads and writes the right bytes.
    size_t esize = dtype_size(dtype);
    NDArray view(g.storage(), 100 * esize, Shape({5, 10}), dtype);
    std::vector<double> expect(v.begin() + 100, v.begin() + 150);
    CHECK(to_host(view) == to_host(to_device(expect, Shape({5, 10}), dtype, kCpu)));
    view.copy_from(to_device(std::vector<double>(50, 1.5), Shape({5, 10}), dtype, kCpu));
    std::vector<double> all = to_host(g);
    CHECK(all[99] == to_host(to_device({v[99]}, Shape({1}), dtype, kCpu))[0]);
    CHECK(all[100] == 1.5);
    CHECK(all[149] == 1.5);
    CHECK(all[150] == to_host(to_device({v[150]}, Shape({1}), dtype, kCpu))[0]);
    g.wait_to_read();
  }
  if (gpu_count() >= 2) {  // peer copies
    std::vector<double> v = uniform(257, -1, 1, 4);
    NDArray a = to_device(v, Shape({257}), kFloat64, kGpu);
    NDArray b(Shape({257}), Context{kGPU, 1}, kFloat64);
    b.copy_from(a);
    CHECK(to_host(b) == v);
    NDArray c(Shape({257}), kGpu, kFloat64);
    c.copy_from(b);
    CHECK(to_host(c) == v);
  }
}

TEST_CASE("C ABI arrays on the GPU", "[gpu]") {
  NEED_GPU();
  const mx_uint shape[2] = {3, 4};
  NDArrayHandle h = nullptr;
  REQUIRE(MXNDArrayCreateEx(shape, 2, 2, 0, 0, 0, &h) == 0);
  float in[12], out[12] = {};
  for (int i = 0; i < 12; ++i) in[i] = 0.25f * static_cast<float>(i) - 1;
  REQUIRE(MXNDArraySyncCopyFromCPU(h, in, 12) == 0);
  REQUIRE(MXNDArraySyncCopyToCPU(h, out, 12) == 0);
  CHECK(std::memcmp(in, out, sizeof in) == 0);
  CHECK(MXNDArrayWaitAll() == 0);
  CHECK(MXNDArrayFree(h) == 0);
}

TEST_CASE("binding CPU arrays to a GPU executor is refused", "[gpu]") {
  NEED_GPU();
  Symbol net = op("FullyConnected", "fc", {var("data")}, {{"num_hidden", "2"}});
  std::vector<NDArray> args = {NDArray(Shape({3, 4}), kCpu), NDArray(Shape({2, 4}), kCpu),
                               NDArray(Shape({2}), kCpu)};
  try {
    Executor ex(net, kGpu, args, {}, {}, {});
    FAIL("bind succeeded");
  } catch (const Error& e) {
    std::string msg = e.what();
    INFO(msg);
    CHECK(msg.find("cpu(0)") != std::string::npos);
    CHECK(msg.find("gpu(0)") != std::string::npos);
  }
}

TEST_CASE("FullyConnected on GPU matches CPU", "[gpu]") {
  NEED_GPU();
  for (int dtype : {kFloat32, kFloat64})
    for (bool no_bias : {false, true}) {
      INFO("no_bias " << no_bias);
      AttrDict p{{"num_hidden", "5"}, {"no_bias", no_bias ? "True" : "False"}};
      Case flat{op("FullyConnected", "fc", {var("data")}, p), {{"data", Shape({4, 3, 2, 2})}}};
      flat.dtype = dtype;
      check_gpu_matches_cpu(flat);
      p["flatten"] = "False";
      Case last{op("FullyConnected", "fc", {var("data")}, p), {{"data", Shape({2, 3, 7})}}};
      last.dtype = dtype;
      check_gpu_matches_cpu(last);
    }
  // Wide enough that the bias gradient spans several column tiles and row strides.
  Case wide{op("FullyConnected", "fc", {var("data")}, {{"num_hidden", "70"}}),
            {{"data", Shape({123, 33})}}};
  check_gpu_matches_cpu(wide);
}

TEST_CASE("Activation on GPU matches CPU", "[gpu]") {
  NEED_GPU();
  for (const char* act : {"relu", "sigmoid", "tanh", "softrelu", "softsign"})
    for (int dtype : {kFloat32, kFloat64}) {
      INFO(act);
      Case c{op("Activation", "act", {var("data")}, {{"act_type", act}}),
             {{"data", Shape({3, 7, 5})}}};
      c.dtype = dtype;
      c.lo = -4, c.hi = 4;
      check_gpu_matches_cpu(c);
    }
  // softrelu's large-input branch
  Case big{op("Activation", "act", {var("data")}, {{"act_type", "softrelu"}}),
           {{"data", Shape({50})}}};
  big.lo = -30, big.hi = 30;
  check_gpu_matches_cpu(big);
}

TEST_CASE("element-wise operators on GPU match CPU", "[gpu]") {
  NEED_GPU();
  for (int dtype : {kFloat32, kFloat64}) {
    for (const char* name : {"elemwise_add", "elemwise_sub", "elemwise_mul", "elemwise_div"}) {
      INFO(name);
      Case c{op(name, "op", {var("a"), var("b")}), {{"a", Shape({4, 5})}}};
      c.dtype = dtype;
      c.lo = 0.5, c.hi = 1.5;  // keep divisors away from 0
      check_gpu_matches_cpu(c);
    }
    for (const char* name : {"_plus_scalar", "_minus_scalar", "_rminus_scalar", "_mul_scalar",
                             "_div_scalar", "_rdiv_scalar"}) {
      INFO(name);
      Case c{op(name, "op", {var("x")}, {{"scalar", "2.5"}}), {{"x", Shape({6, 7})}}};
      c.dtype = dtype;
      c.lo = 0.5, c.hi = 1.5;
      check_gpu_matches_cpu(c);
    }
    for (int n : {3, 10}) {  // 10 inputs take two rounds of the GPU kernel
      INFO("add_n of " << n);
      std::vector<Symbol> in;
      for (int i = 0; i < n; ++i) in.push_back(var("x" + std::to_string(i)));
      Case c{op("add_n", "sum", in, {{"num_args", std::to_string(n)}}), {{"x0", Shape({9, 4})}}};
      c.dtype = dtype;
      check_gpu_matches_cpu(c);
    }
    Case copy{op("_copy", "copy", {var("x")}), {{"x", Shape({5, 5})}}};
    copy.dtype = dtype;
    check_gpu_matches_cpu(copy);
    Case zeros{op("zeros_like", "zeros", {var("x")}), {{"x", Shape({5, 5})}}};
    zeros.dtype = dtype;
    check_gpu_matches_cpu(zeros);
  }
}

TEST_CASE("graphs that reuse an entry and run in place agree", "[gpu]") {
  NEED_GPU();
  // a*a + 3a - a/b: a feeds four nodes, so its gradient is an add_n of partial gradients, and
  // the planner gets chances to run element-wise nodes in place.
  Symbol a = var("a"), b = var("b");
  Symbol sq = op("elemwise_mul", "sq", {a, a});
  Symbol lin = op("_mul_scalar", "lin", {a}, {{"scalar", "3"}});
  Symbol q = op("elemwise_div", "q", {a, b});
  Symbol s = op("elemwise_sub", "s", {op("elemwise_add", "sum", {sq, lin}), q});
  Symbol net = op("Activation", "act", {op("_plus_scalar", "shift", {s}, {{"scalar", "-1"}})},
                  {{"act_type", "tanh"}});
  for (int dtype : {kFloat32, kFloat64})
    for (OpReq req : {kWriteTo, kAddTo}) {
      Case c{net, {{"a", Shape({8, 3})}}};
      c.dtype = dtype;
      c.grad_req = req;
      c.lo = 0.5, c.hi = 1.5;
      check_gpu_matches_cpu(c);
    }
}

TEST_CASE("SoftmaxOutput on GPU matches CPU", "[gpu]") {
  NEED_GPU();
  std::vector<double> lab = labels({0, 5, 2, 1, 1, 3, 4, 0, 2});
  struct Variant {
    const char* what;
    AttrDict params;
  };
  std::vector<Variant> variants = {
      {"default", {}},
      {"batch normalization, grad_scale", {{"normalization", "batch"}, {"grad_scale", "2"}}},
      {"valid with ignored labels",
       {{"normalization", "valid"}, {"use_ignore", "True"}, {"ignore_label", "1"}}},
      {"valid without use_ignore", {{"normalization", "valid"}}},
      {"null with ignored labels", {{"use_ignore", "True"}, {"ignore_label", "2"}}},
      {"label smoothing", {{"smooth_alpha", "0.1"}}},
  };
  for (int dtype : {kFloat32, kFloat64}) {
    for (const auto& v : variants) {
      INFO(v.what);
      Case c{op("SoftmaxOutput", "softmax", {var("data")}, v.params),
             {{"data", Shape({9, 6})}},
             {{"softmax_label", lab}}};
      c.dtype = dtype;
      c.lo = -3, c.hi = 3;
      check_gpu_matches_cpu(c);
    }
    // Many classes: every lane of a warp holds several of them.
    std::vector<double> wide_lab = labels({70, 3, 99, 0});
    Case wide{op("SoftmaxOutput", "softmax", {var("data")}),
              {{"data", Shape({4, 100})}},
              {{"softmax_label", wide_lab}}};
    wide.dtype = dtype;
    check_gpu_matches_cpu(wide);
    for (const char* norm : {"null", "batch", "valid"}) {
      INFO("multi_output, normalization " << norm);
      Case multi{op("SoftmaxOutput", "softmax", {var("data")},
                    {{"multi_output", "True"},
                     {"normalization", norm},
                     {"use_ignore", "True"},
                     {"ignore_label", "0"}}),
                 {{"data", Shape({2, 3, 2, 2})}},
                 {{"softmax_label", labels({0, 1, 2, 1, 2, 2, 0, 1})}}};
      multi.dtype = dtype;
      check_gpu_matches_cpu(multi);
    }
    Case keep{op("SoftmaxOutput", "softmax", {var("data")}, {{"preserve_shape", "True"}}),
              {{"data", Shape({2, 3, 4})}},
              {{"softmax_label", labels({0, 3, 2, 1, 1, 0})}}};
    keep.dtype = dtype;
    check_gpu_matches_cpu(keep);
    Case prob{op("SoftmaxOutput", "softmax", {var("data")}, {{"grad_scale", "0.5"}}),
              {{"data", Shape({3, 4})}, {"softmax_label", Shape({3, 4})}}};
    prob.dtype = dtype;
    check_gpu_matches_cpu(prob);
  }
}

TEST_CASE("regression outputs on GPU match CPU", "[gpu]") {
  NEED_GPU();
  for (const char* name :
       {"LinearRegressionOutput", "LogisticRegressionOutput", "MAERegressionOutput"})
    for (int dtype : {kFloat32, kFloat64}) {
      INFO(name);
      Case c{op(name, "reg", {var("data")}, {{"grad_scale", "1.5"}}),
             {{"data", Shape({4, 3})}, {"reg_label", Shape({4, 3})}}};
      c.dtype = dtype;
      check_gpu_matches_cpu(c);
      Case col{op(name, "reg", {var("data")}), {{"data", Shape({5, 1})}}};
      col.dtype = dtype;
      check_gpu_matches_cpu(col);
    }
}

TEST_CASE("an MLP with grad_req add agrees", "[gpu]") {
  NEED_GPU();
  Symbol fc1 = op("FullyConnected", "fc1", {var("data")}, {{"num_hidden", "16"}});
  Symbol act = op("Activation", "relu1", {fc1}, {{"act_type", "relu"}});
  Symbol fc2 = op("FullyConnected", "fc2", {act}, {{"num_hidden", "4"}});
  Symbol net = op("SoftmaxOutput", "softmax", {fc2}, {{"normalization", "batch"}});
  for (int dtype : {kFloat32, kFloat64}) {
    Case c{net, {{"data", Shape({8, 10})}}, {{"softmax_label", labels({0, 1, 2, 3, 3, 2, 1, 0})}}};
    c.dtype = dtype;
    c.grad_req = kAddTo;
    check_gpu_matches_cpu(c);
  }
}

namespace {

// Block `name` of tests/golden/mlp.txt: a line "name d0 d1 ..." then one line of values.
std::vector<double> golden(const std::string& name) {
  std::ifstream f(std::string(LOOM_GOLDEN_DIR) + "/mlp.txt");
  REQUIRE(f.good());
  std::string line;
  while (std::getline(f, line)) {
    std::istringstream head(line);
    std::string key;
    head >> key;
    if (key != name) continue;
    REQUIRE(std::getline(f, line));
    std::istringstream vals(line);
    std::vector<double> v;
    for (double x; vals >> x;) v.push_back(x);
    return v;
  }
  FAIL("no block " << name << " in mlp.txt");
  return {};
}

}  // namespace

TEST_CASE("the reference MLP matches its golden file on every GPU", "[gpu]") {
  NEED_GPU();
  // tools/gen_mlp_golden.py: element k of the array with seed s is ((7k + s) % 11 - 5) / 10.
  Symbol fc1 = op("FullyConnected", "fc1", {var("data")}, {{"num_hidden", "5"}});
  Symbol act = op("Activation", "relu1", {fc1}, {{"act_type", "relu"}});
  Symbol fc2 = op("FullyConnected", "fc2", {act}, {{"num_hidden", "3"}});
  Symbol net = op("SoftmaxOutput", "softmax", {fc2});
  auto names = net.list_arguments();
  REQUIRE(names.size() == 6);
  const std::vector<Shape> shapes = {Shape({4, 6}), Shape({5, 6}), Shape({5}),
                                     Shape({3, 5}), Shape({3}),    Shape({4})};
  for (int dev = 0; dev < gpu_count() && dev < 2; ++dev) {
    Context ctx{kGPU, dev};
    INFO(ctx.str());
    std::vector<NDArray> args, grads;
    for (size_t i = 0; i < 6; ++i) {
      std::vector<double> v(static_cast<size_t>(shapes[i].size()));
      for (size_t k = 0; k < v.size(); ++k)
        v[k] = ((7 * static_cast<int>(k) + static_cast<int>(i) + 1) % 11 - 5) / 10.0;
      if (i == 5) v = labels({0, 1, 2, 1});
      args.push_back(to_device(v, shapes[i], kFloat32, ctx));
      grads.push_back(NDArray::zeros(shapes[i], ctx));
    }
    std::vector<OpReq> reqs(6, kWriteTo);
    reqs[5] = kNullOp;
    Executor ex(net, ctx, args, grads, reqs, {});
    ex.forward(true);
    ex.backward({}, true);
    auto check_block = [](const std::string& block, const std::vector<double>& got) {
      std::vector<double> expect = golden(block);
      INFO(block);
      REQUIRE(got.size() == expect.size());
      for (size_t i = 0; i < got.size(); ++i) {
        INFO("element " << i << ": got " << got[i] << " expected " << expect[i]);
        CHECK(close(got[i], expect[i], 1e-5));
      }
    };
    check_block("output", to_host(ex.outputs()[0]));
    for (size_t i = 0; i < 5; ++i) check_block("grad:" + names[i], to_host(grads[i]));
  }
}

int main(int argc, char** argv) {
  Catch::Session session;
  if (int rc = session.applyCommandLine(argc, argv); rc != 0) return rc;
  if (gpu_count() == 0) {
    std::printf("no GPU: running the [nogpu] checks only, then reporting SKIP (exit 77)\n");
    session.configData().testsOrTags = {"[nogpu]"};
    return session.run() == 0 ? 77 : 1;
  }
  return session.run();
}
