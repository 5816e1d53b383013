// The C ABI exercised from C++ through loom/c_api.h alone, as a C client would: the 0/-1 plus
// MXGetLastError convention for every function (NULL and freed handles, NULL out-pointers,
// untouched outputs on failure), thread-local messages and return buffers, operator
// introspection for code generators, symbol queries and JSON, shape/type inference in the
// legacy and Ex encodings, and binding/running executors.
#if __has_include(<catch2/catch_test_macros.hpp>)
#include <catch2/catch_test_macros.hpp>
#else
#include <catch2/catch.hpp>  // Catch2 2.x, as Debian bookworm ships it
#endif

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "loom/c_api.h"

namespace {

using Strings = std::vector<std::string>;

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

std::string last_error() { return MXGetLastError(); }

// The call must succeed; on failure the message is shown.
#define MX_OK(call)                                       \
  do {                                                    \
    int rc_ = (call);                                     \
    INFO(#call << " -> " << rc_ << ": " << last_error()); \
    REQUIRE(rc_ == 0);                                    \
  } while (0)

// The call must fail with a message containing `part`.
#define MX_FAILS(call, part)                      \
  do {                                            \
    int rc_ = (call);                             \
    std::string msg_ = last_error();              \
    INFO(#call << " -> " << rc_ << ": " << msg_); \
    CHECK(rc_ == -1);                             \
    CHECK(contains(msg_, part));                  \
  } while (0)

Strings to_strings(mx_uint n, const char** a) { return Strings(a, a + n); }

AtomicSymbolCreator creator(const char* name) {
  OpHandle op = nullptr;
  MX_OK(NNGetOpHandle(name, &op));
  return op;
}

SymbolHandle var(const char* name) {
  SymbolHandle s = nullptr;
  MX_OK(MXSymbolCreateVariable(name, &s));
  return s;
}

// op(**params)(**inputs, name=name); the inputs stay owned by the caller.
SymbolHandle op(const char* name, const std::map<std::string, std::string>& params,
                const char* node_name,
                const std::vector<std::pair<const char*, SymbolHandle>>& in) {
  std::vector<const char*> keys, vals, in_keys;
  std::vector<SymbolHandle> args;
  for (const auto& [k, v] : params) {
    keys.push_back(k.c_str());
    vals.push_back(v.c_str());
  }
  for (const auto& [k, s] : in) {
    in_keys.push_back(k);
    args.push_back(s);
  }
  SymbolHandle s = nullptr;
  MX_OK(MXSymbolCreateAtomicSymbol(creator(name), static_cast<mx_uint>(keys.size()), keys.data(),
                                   vals.data(), &s));
  MX_OK(MXSymbolCompose(s, node_name, static_cast<mx_uint>(args.size()), in_keys.data(),
                        args.data()));
  return s;
}

// Owns the handles a test creates so that REQUIRE failures do not leak them.
struct Handles {
  std::vector<SymbolHandle> symbols;
  std::vector<NDArrayHandle> arrays;
  std::vector<ExecutorHandle> executors;
  SymbolHandle sym(SymbolHandle s) { return symbols.push_back(s), s; }
  NDArrayHandle arr(NDArrayHandle a) { return arrays.push_back(a), a; }
  ExecutorHandle exec(ExecutorHandle e) { return executors.push_back(e), e; }
  ~Handles() {
    for (auto e : executors) MXExecutorFree(e);
    for (auto a : arrays) MXNDArrayFree(a);
    for (auto s : symbols) MXSymbolFree(s);
  }
};

// Spec 1.8's network: data -> fc1 (num_hidden 10) -> softmax.
SymbolHandle worked_example(Handles& h) {
  SymbolHandle data = h.sym(var("data"));
  SymbolHandle fc = h.sym(op("FullyConnected", {{"num_hidden", "10"}}, "fc1", {{"data", data}}));
  return h.sym(op("SoftmaxOutput", {}, "softmax", {{"data", fc}}));
}

Strings arguments(SymbolHandle s) {
  mx_uint n = 0;
  const char** names = nullptr;
  MX_OK(MXSymbolListArguments(s, &n, &names));
  return to_strings(n, names);
}

Strings outputs(SymbolHandle s) {
  mx_uint n = 0;
  const char** names = nullptr;
  MX_OK(MXSymbolListOutputs(s, &n, &names));
  return to_strings(n, names);
}

NDArrayHandle array(const std::vector<mx_uint>& shape, int dtype = 0) {
  NDArrayHandle a = nullptr;
  MX_OK(MXNDArrayCreateEx(shape.data(), static_cast<mx_uint>(shape.size()), 1, 0, 0, dtype, &a));
  return a;
}

NDArrayHandle array_of(const std::vector<mx_uint>& shape, const std::vector<float>& v) {
  NDArrayHandle a = array(shape);
  MX_OK(MXNDArraySyncCopyFromCPU(a, v.data(), v.size()));
  return a;
}

std::vector<float> read(NDArrayHandle a) {
  mx_uint ndim = 0;
  const mx_uint* dims = nullptr;
  MX_OK(MXNDArrayGetShape(a, &ndim, &dims));
  size_t n = 1;
  for (mx_uint i = 0; i < ndim; ++i) n *= dims[i];
  std::vector<float> v(n);
  MX_OK(MXNDArraySyncCopyToCPU(a, v.data(), n));
  return v;
}

std::vector<mx_uint> shape_of(NDArrayHandle a) {
  mx_uint ndim = 0;
  const mx_uint* dims = nullptr;
  MX_OK(MXNDArrayGetShape(a, &ndim, &dims));
  return std::vector<mx_uint>(dims, dims + ndim);
}

bool close(const std::vector<float>& a, const std::vector<float>& b, float tol = 1e-5f) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::abs(a[i] - b[i]) > tol * std::max(1.0f, std::abs(b[i]))) return false;
  return true;
}

// Results of MXExecutorSimpleBindEx, copied out of the thread-local arrays.
struct SimpleBound {
  ExecutorHandle exec = nullptr;
  std::vector<NDArrayHandle> args, grads, aux;
};

int simple_bind(SymbolHandle sym, mx_uint req_len, const char** req_names, const char** req_types,
                const std::vector<std::pair<const char*, std::vector<int>>>& shapes,
                SimpleBound* out, mx_uint n_dtypes = 0, const char** dtype_names = nullptr,
                const int* dtypes = nullptr) {
  std::vector<const char*> names;
  std::vector<int> data;
  std::vector<mx_uint> idx = {0};
  for (const auto& [n, s] : shapes) {
    names.push_back(n);
    data.insert(data.end(), s.begin(), s.end());
    idx.push_back(static_cast<mx_uint>(data.size()));
  }
  int shared_len = -1;
  mx_uint n_in = 0, n_aux = 0;
  NDArrayHandle *in = nullptr, *grads = nullptr, *aux = nullptr;
  ExecutorHandle ex = nullptr;
  int rc = MXExecutorSimpleBindEx(sym, 1, 0, 0, nullptr, nullptr, nullptr, req_len, req_names,
                                  req_types, static_cast<mx_uint>(names.size()), names.data(),
                                  data.data(), idx.data(), n_dtypes, dtype_names, dtypes, 0,
                                  nullptr, nullptr, 0, nullptr, &shared_len, nullptr, nullptr,
                                  nullptr, nullptr, &n_in, &in, &grads, &n_aux, &aux, nullptr, &ex);
  if (rc != 0) return rc;
  out->exec = ex;
  out->args.assign(in, in + n_in);
  out->grads.assign(grads, grads + n_in);
  out->aux.assign(aux, aux + n_aux);
  return 0;
}

// Runs `call` in a child process, so that a crash fails the check instead of the suite.
// Returns the child's exit code: 0 when the call returned 0, 1 when it returned -1, or -1 when
// the child died (a signal: the call crashed).
int rc_in_child(const std::function<int()>& call) {
  std::fflush(nullptr);
  pid_t pid = fork();
  if (pid == 0) {
    // the test framework's crash handlers would report from the child as well
    for (int sig : {SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL}) std::signal(sig, SIG_DFL);
    std::freopen("/dev/null", "w", stdout);
    std::freopen("/dev/null", "w", stderr);
    int rc = call();
    _exit(rc == 0 ? 0 : rc == -1 ? 1 : 2);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void release(SimpleBound& b) {
  for (auto a : b.args) MXNDArrayFree(a);
  for (auto a : b.grads) MXNDArrayFree(a);
  for (auto a : b.aux) MXNDArrayFree(a);
  MXExecutorFree(b.exec);
}

}  // namespace

// ------------------------------------------------------------------------ error convention

TEST_CASE("version, GPU count and seeding", "[capi]") {
  int v = 0;
  MX_OK(MXGetVersion(&v));
  CHECK(v == 10901);
  int gpus = -1;
  MX_OK(MXGetGPUCount(&gpus));
  CHECK(gpus >= 0);
  MX_OK(MXRandomSeed(42));
  MX_OK(MXNDArrayWaitAll());
}

TEST_CASE("every function rejects NULL handles and NULL out-pointers, naming them",
          "[capi][errors]") {
  Handles h;
  SymbolHandle s = worked_example(h);
  NDArrayHandle a = h.arr(array({2, 3}));
  AtomicSymbolCreator fc = creator("FullyConnected");
  SymbolHandle fc_sym = h.sym(op("FullyConnected", {{"num_hidden", "2"}}, "fcx", {}));
  std::vector<NDArrayHandle> fc_args;
  for (auto shape : std::vector<std::vector<mx_uint>>{{1, 3}, {2, 3}, {2}})
    fc_args.push_back(h.arr(array(shape)));
  ExecutorHandle ex = nullptr;
  MX_OK(MXExecutorBindEX(fc_sym, 1, 0, 0, nullptr, nullptr, nullptr, 3, fc_args.data(), nullptr,
                         nullptr, 0, nullptr, nullptr, &ex));
  h.exec(ex);

  mx_uint n = 0, u = 0;
  int i = 0, i2 = 0;
  const char* str = nullptr;
  const char** strs = nullptr;
  SymbolHandle out_sym = nullptr;
  NDArrayHandle out_arr = nullptr, *arrs = nullptr;
  AtomicSymbolCreator* creators = nullptr;
  OpHandle oh = nullptr;
  void* p = nullptr;
  float buf[6] = {};
  const char* key = "data";
  const char* keys1[] = {"num_hidden"};
  const char* vals1[] = {"2"};
  const char* null_key[] = {nullptr};
  SymbolHandle null_sym[] = {nullptr};
  NDArrayHandle null_arr[] = {nullptr, nullptr, nullptr};
  const mx_uint ind[] = {0, 2};
  const mx_uint udata[] = {1, 3};
  const int idata[] = {1, 3};
  const mx_uint *undim = nullptr, **udims = nullptr;
  const int *indim = nullptr, **idims = nullptr, *types = nullptr;
  mx_uint req_write[] = {1, 1, 1};
  const char* write[] = {"write"};
  int shared = -1;

  const std::vector<std::tuple<const char*, std::function<int()>, const char*>> cases = {
      {"MXGetVersion out", [&] { return MXGetVersion(nullptr); }, "out"},
      {"MXGetGPUCount out", [&] { return MXGetGPUCount(nullptr); }, "out"},
      {"MXListAllOpNames size", [&] { return MXListAllOpNames(nullptr, &strs); }, "out_size"},
      {"MXListAllOpNames array", [&] { return MXListAllOpNames(&n, nullptr); }, "out_array"},
      {"ListAtomicSymbolCreators size",
       [&] { return MXSymbolListAtomicSymbolCreators(nullptr, &creators); }, "out_size"},
      {"ListAtomicSymbolCreators array",
       [&] { return MXSymbolListAtomicSymbolCreators(&n, nullptr); }, "out_array"},
      {"NNGetOpHandle name", [&] { return NNGetOpHandle(nullptr, &oh); }, "op_name is NULL"},
      {"NNGetOpHandle out", [&] { return NNGetOpHandle("FullyConnected", nullptr); }, "op_out"},
      {"GetAtomicSymbolName creator", [&] { return MXSymbolGetAtomicSymbolName(nullptr, &str); },
       "creator is NULL"},
      {"GetAtomicSymbolName out", [&] { return MXSymbolGetAtomicSymbolName(fc, nullptr); }, "name"},
      {"GetAtomicSymbolInfo creator",
       [&] {
         return MXSymbolGetAtomicSymbolInfo(nullptr, &str, &str, &n, &strs, &strs, &strs, &str,
                                            nullptr);
       },
       "creator is NULL"},
      {"GetAtomicSymbolInfo description",
       [&] {
         return MXSymbolGetAtomicSymbolInfo(fc, &str, nullptr, &n, &strs, &strs, &strs, &str,
                                            nullptr);
       },
       "description"},
      {"GetAtomicSymbolInfo arg_type_infos",
       [&] {
         return MXSymbolGetAtomicSymbolInfo(fc, &str, &str, &n, &strs, nullptr, &strs, &str,
                                            nullptr);
       },
       "arg_type_infos"},
      {"CreateVariable name", [&] { return MXSymbolCreateVariable(nullptr, &out_sym); },
       "name is NULL"},
      {"CreateVariable out", [&] { return MXSymbolCreateVariable("x", nullptr); }, "out"},
      {"CreateAtomicSymbol creator",
       [&] { return MXSymbolCreateAtomicSymbol(nullptr, 1, keys1, vals1, &out_sym); },
       "creator is NULL"},
      {"CreateAtomicSymbol keys",
       [&] { return MXSymbolCreateAtomicSymbol(fc, 1, nullptr, vals1, &out_sym); },
       "keys or vals is NULL"},
      {"CreateAtomicSymbol key[0]",
       [&] { return MXSymbolCreateAtomicSymbol(fc, 1, null_key, vals1, &out_sym); },
       "parameter 0 is NULL"},
      {"CreateAtomicSymbol out",
       [&] { return MXSymbolCreateAtomicSymbol(fc, 1, keys1, vals1, nullptr); }, "out"},
      {"CreateGroup symbols", [&] { return MXSymbolCreateGroup(2, nullptr, &out_sym); },
       "symbols is NULL"},
      {"CreateGroup symbols[0]", [&] { return MXSymbolCreateGroup(1, null_sym, &out_sym); },
       "symbols[i] is NULL"},
      {"CreateGroup out", [&] { return MXSymbolCreateGroup(1, &s, nullptr); }, "out"},
      {"CreateFromJSON json", [&] { return MXSymbolCreateFromJSON(nullptr, &out_sym); },
       "json is NULL"},
      {"CreateFromJSON out", [&] { return MXSymbolCreateFromJSON("{}", nullptr); }, "out"},
      {"CreateFromFile fname", [&] { return MXSymbolCreateFromFile(nullptr, &out_sym); },
       "fname is NULL"},
      {"CreateFromFile out", [&] { return MXSymbolCreateFromFile("x.json", nullptr); }, "out"},
      {"SaveToJSON symbol", [&] { return MXSymbolSaveToJSON(nullptr, &str); }, "symbol is NULL"},
      {"SaveToJSON out", [&] { return MXSymbolSaveToJSON(s, nullptr); }, "out_json"},
      {"SaveToFile symbol", [&] { return MXSymbolSaveToFile(nullptr, "/tmp/x.json"); },
       "symbol is NULL"},
      {"SaveToFile fname", [&] { return MXSymbolSaveToFile(s, nullptr); }, "fname is NULL"},
      {"Copy symbol", [&] { return MXSymbolCopy(nullptr, &out_sym); }, "symbol is NULL"},
      {"Copy out", [&] { return MXSymbolCopy(s, nullptr); }, "out"},
      {"Print symbol", [&] { return MXSymbolPrint(nullptr, &str); }, "symbol is NULL"},
      {"Print out", [&] { return MXSymbolPrint(s, nullptr); }, "out_str"},
      {"GetName symbol", [&] { return MXSymbolGetName(nullptr, &str, &i); }, "symbol is NULL"},
      {"GetName out", [&] { return MXSymbolGetName(s, nullptr, &i); }, "out"},
      {"GetName success", [&] { return MXSymbolGetName(s, &str, nullptr); }, "success"},
      {"GetAttr symbol", [&] { return MXSymbolGetAttr(nullptr, "k", &str, &i); }, "symbol is NULL"},
      {"GetAttr key", [&] { return MXSymbolGetAttr(s, nullptr, &str, &i); }, "key is NULL"},
      {"GetAttr out", [&] { return MXSymbolGetAttr(s, "k", nullptr, &i); }, "out"},
      {"GetAttr success", [&] { return MXSymbolGetAttr(s, "k", &str, nullptr); }, "success"},
      {"SetAttr symbol", [&] { return MXSymbolSetAttr(nullptr, "k", "v"); }, "symbol is NULL"},
      {"SetAttr key", [&] { return MXSymbolSetAttr(s, nullptr, "v"); }, "key or value is NULL"},
      {"SetAttr value", [&] { return MXSymbolSetAttr(s, "k", nullptr); }, "key or value is NULL"},
      {"ListAttr symbol", [&] { return MXSymbolListAttr(nullptr, &n, &strs); }, "symbol is NULL"},
      {"ListAttr size", [&] { return MXSymbolListAttr(s, nullptr, &strs); }, "out_size"},
      {"ListAttr out", [&] { return MXSymbolListAttr(s, &n, nullptr); }, "out"},
      {"ListAttrShallow symbol", [&] { return MXSymbolListAttrShallow(nullptr, &n, &strs); },
       "symbol is NULL"},
      {"ListAttrShallow size", [&] { return MXSymbolListAttrShallow(s, nullptr, &strs); },
       "out_size"},
      {"ListArguments symbol", [&] { return MXSymbolListArguments(nullptr, &n, &strs); },
       "symbol is NULL"},
      {"ListArguments size", [&] { return MXSymbolListArguments(s, nullptr, &strs); }, "out_size"},
      {"ListArguments array", [&] { return MXSymbolListArguments(s, &n, nullptr); },
       "out_str_array"},
      {"ListOutputs symbol", [&] { return MXSymbolListOutputs(nullptr, &n, &strs); },
       "symbol is NULL"},
      {"ListOutputs array", [&] { return MXSymbolListOutputs(s, &n, nullptr); }, "out_str_array"},
      {"ListAuxiliaryStates symbol",
       [&] { return MXSymbolListAuxiliaryStates(nullptr, &n, &strs); }, "symbol is NULL"},
      {"ListAuxiliaryStates size", [&] { return MXSymbolListAuxiliaryStates(s, nullptr, &strs); },
       "out_size"},
      {"GetNumOutputs symbol", [&] { return MXSymbolGetNumOutputs(nullptr, &n); },
       "symbol is NULL"},
      {"GetNumOutputs out", [&] { return MXSymbolGetNumOutputs(s, nullptr); }, "output_count"},
      {"GetOutput symbol", [&] { return MXSymbolGetOutput(nullptr, 0, &out_sym); },
       "symbol is NULL"},
      {"GetOutput out", [&] { return MXSymbolGetOutput(s, 0, nullptr); }, "out"},
      {"GetInternals symbol", [&] { return MXSymbolGetInternals(nullptr, &out_sym); },
       "symbol is NULL"},
      {"GetInternals out", [&] { return MXSymbolGetInternals(s, nullptr); }, "out"},
      {"GetChildren symbol", [&] { return MXSymbolGetChildren(nullptr, &out_sym); },
       "symbol is NULL"},
      {"GetChildren out", [&] { return MXSymbolGetChildren(s, nullptr); }, "out"},
      {"Compose symbol", [&] { return MXSymbolCompose(nullptr, "n", 0, nullptr, nullptr); },
       "symbol is NULL"},
      {"Compose args", [&] { return MXSymbolCompose(s, "n", 1, &key, nullptr); }, "args is NULL"},
      {"Compose args[0]", [&] { return MXSymbolCompose(s, "n", 1, &key, null_sym); },
       "args[i] is NULL"},
      {"Compose keys[0]", [&] { return MXSymbolCompose(s, "n", 1, null_key, &s); },
       "keys[0] is NULL"},
      {"InferShape symbol",
       [&] {
         return MXSymbolInferShape(nullptr, 1, &key, ind, udata, &n, &undim, &udims, &n, &undim,
                                   &udims, &n, &undim, &udims, &i);
       },
       "symbol is NULL"},
      {"InferShape complete",
       [&] {
         return MXSymbolInferShape(s, 1, &key, ind, udata, &n, &undim, &udims, &n, &undim, &udims,
                                   &n, &undim, &udims, nullptr);
       },
       "an inference output"},
      {"InferShape arg_ind_ptr",
       [&] {
         return MXSymbolInferShape(s, 1, &key, nullptr, udata, &n, &undim, &udims, &n, &undim,
                                   &udims, &n, &undim, &udims, &i);
       },
       "arg_ind_ptr is NULL"},
      {"InferShape arg_shape_data",
       [&] {
         return MXSymbolInferShape(s, 1, &key, ind, nullptr, &n, &undim, &udims, &n, &undim, &udims,
                                   &n, &undim, &udims, &i);
       },
       "arg_shape_data is NULL"},
      {"InferShapePartial symbol",
       [&] {
         return MXSymbolInferShapePartial(nullptr, 1, &key, ind, udata, &n, &undim, &udims, &n,
                                          &undim, &udims, &n, &undim, &udims, &i);
       },
       "symbol is NULL"},
      {"InferShapeEx symbol",
       [&] {
         return MXSymbolInferShapeEx(nullptr, 1, &key, ind, idata, &n, &indim, &idims, &n, &indim,
                                     &idims, &n, &indim, &idims, &i);
       },
       "symbol is NULL"},
      {"InferShapeEx in_shape_size",
       [&] {
         return MXSymbolInferShapeEx(s, 1, &key, ind, idata, nullptr, &indim, &idims, &n, &indim,
                                     &idims, &n, &indim, &idims, &i);
       },
       "an inference output"},
      {"InferType symbol",
       [&] {
         return MXSymbolInferType(nullptr, 1, &key, &i2, &n, &types, &n, &types, &n, &types, &i);
       },
       "symbol is NULL"},
      {"InferType arg_type_data",
       [&] {
         return MXSymbolInferType(s, 1, &key, nullptr, &n, &types, &n, &types, &n, &types, &i);
       },
       "arg_type_data is NULL"},
      {"InferType complete",
       [&] {
         return MXSymbolInferType(s, 1, &key, &i2, &n, &types, &n, &types, &n, &types, nullptr);
       },
       "an inference output"},
      {"NDArrayCreateNone out", [&] { return MXNDArrayCreateNone(nullptr); }, "out"},
      {"NDArrayCreate shape", [&] { return MXNDArrayCreate(nullptr, 2, 1, 0, 0, &out_arr); },
       "shape is NULL"},
      {"NDArrayCreate out", [&] { return MXNDArrayCreate(udata, 2, 1, 0, 0, nullptr); }, "out"},
      {"NDArrayCreateEx shape", [&] { return MXNDArrayCreateEx(nullptr, 2, 1, 0, 0, 0, &out_arr); },
       "shape is NULL"},
      {"NDArrayCreateEx out", [&] { return MXNDArrayCreateEx(udata, 2, 1, 0, 0, 0, nullptr); },
       "out"},
      {"SyncCopyFromCPU handle", [&] { return MXNDArraySyncCopyFromCPU(nullptr, buf, 6); },
       "handle is NULL"},
      {"SyncCopyFromCPU data", [&] { return MXNDArraySyncCopyFromCPU(a, nullptr, 6); },
       "data is NULL"},
      {"SyncCopyToCPU handle", [&] { return MXNDArraySyncCopyToCPU(nullptr, buf, 6); },
       "handle is NULL"},
      {"SyncCopyToCPU data", [&] { return MXNDArraySyncCopyToCPU(a, nullptr, 6); }, "data is NULL"},
      {"GetShape handle", [&] { return MXNDArrayGetShape(nullptr, &u, &undim); }, "handle is NULL"},
      {"GetShape out_dim", [&] { return MXNDArrayGetShape(a, nullptr, &undim); }, "out_dim"},
      {"GetShape out_pdata", [&] { return MXNDArrayGetShape(a, &u, nullptr); }, "out_pdata"},
      {"GetShapeEx handle", [&] { return MXNDArrayGetShapeEx(nullptr, &i, &indim); },
       "handle is NULL"},
      {"GetShapeEx out_dim", [&] { return MXNDArrayGetShapeEx(a, nullptr, &indim); }, "out_dim"},
      {"GetDType handle", [&] { return MXNDArrayGetDType(nullptr, &i); }, "handle is NULL"},
      {"GetDType out", [&] { return MXNDArrayGetDType(a, nullptr); }, "out_dtype"},
      {"GetContext handle", [&] { return MXNDArrayGetContext(nullptr, &i, &i2); },
       "handle is NULL"},
      {"GetContext dev_type", [&] { return MXNDArrayGetContext(a, nullptr, &i2); }, "out_dev_type"},
      {"GetContext dev_id", [&] { return MXNDArrayGetContext(a, &i, nullptr); }, "out_dev_id"},
      {"GetData handle", [&] { return MXNDArrayGetData(nullptr, &p); }, "handle is NULL"},
      {"GetData out", [&] { return MXNDArrayGetData(a, nullptr); }, "out_pdata"},
      {"WaitToRead handle", [&] { return MXNDArrayWaitToRead(nullptr); }, "handle is NULL"},
      {"BindEX symbol",
       [&] {
         return MXExecutorBindEX(nullptr, 1, 0, 0, nullptr, nullptr, nullptr, 3, fc_args.data(),
                                 nullptr, nullptr, 0, nullptr, nullptr, &ex);
       },
       "symbol handle is NULL"},
      {"BindEX out",
       [&] {
         return MXExecutorBindEX(fc_sym, 1, 0, 0, nullptr, nullptr, nullptr, 3, fc_args.data(),
                                 nullptr, nullptr, 0, nullptr, nullptr, nullptr);
       },
       "out"},
      {"BindEX in_args",
       [&] {
         return MXExecutorBindEX(fc_sym, 1, 0, 0, nullptr, nullptr, nullptr, 3, nullptr, nullptr,
                                 nullptr, 0, nullptr, nullptr, &ex);
       },
       "in_args is NULL"},
      {"BindEX in_args[0]",
       [&] {
         return MXExecutorBindEX(fc_sym, 1, 0, 0, nullptr, nullptr, nullptr, 3, null_arr, nullptr,
                                 nullptr, 0, nullptr, nullptr, &ex);
       },
       "in_args[i] is NULL"},
      {"BindEX aux_states",
       [&] {
         return MXExecutorBindEX(fc_sym, 1, 0, 0, nullptr, nullptr, nullptr, 3, fc_args.data(),
                                 nullptr, req_write, 1, nullptr, nullptr, &ex);
       },
       "aux_states is NULL"},
      {"SimpleBindEx symbol",
       [&] {
         return MXExecutorSimpleBindEx(nullptr, 1, 0, 0, nullptr, nullptr, nullptr, 0, nullptr,
                                       write, 0, nullptr, nullptr, nullptr, 0, nullptr, nullptr, 0,
                                       nullptr, nullptr, 0, nullptr, &shared, nullptr, nullptr,
                                       nullptr, nullptr, &n, &arrs, &arrs, &u, &arrs, nullptr, &ex);
       },
       "symbol handle is NULL"},
      {"SimpleBindEx out",
       [&] {
         return MXExecutorSimpleBindEx(s, 1, 0, 0, nullptr, nullptr, nullptr, 0, nullptr, write, 0,
                                       nullptr, nullptr, nullptr, 0, nullptr, nullptr, 0, nullptr,
                                       nullptr, 0, nullptr, &shared, nullptr, nullptr, nullptr,
                                       nullptr, &n, &arrs, &arrs, &u, &arrs, nullptr, nullptr);
       },
       "out"},
      {"SimpleBindEx num_in_args",
       [&] {
         return MXExecutorSimpleBindEx(s, 1, 0, 0, nullptr, nullptr, nullptr, 0, nullptr, write, 0,
                                       nullptr, nullptr, nullptr, 0, nullptr, nullptr, 0, nullptr,
                                       nullptr, 0, nullptr, &shared, nullptr, nullptr, nullptr,
                                       nullptr, nullptr, &arrs, &arrs, &u, &arrs, nullptr, &ex);
       },
       "num_in_args"},
      {"SimpleBindEx arg_grads",
       [&] {
         return MXExecutorSimpleBindEx(s, 1, 0, 0, nullptr, nullptr, nullptr, 0, nullptr, write, 0,
                                       nullptr, nullptr, nullptr, 0, nullptr, nullptr, 0, nullptr,
                                       nullptr, 0, nullptr, &shared, nullptr, nullptr, nullptr,
                                       nullptr, &n, &arrs, nullptr, &u, &arrs, nullptr, &ex);
       },
       "arg_grads"},
      {"Forward executor", [&] { return MXExecutorForward(nullptr, 0); },
       "executor handle is NULL"},
      {"Backward executor", [&] { return MXExecutorBackward(nullptr, 0, nullptr); },
       "executor handle is NULL"},
      {"BackwardEx executor", [&] { return MXExecutorBackwardEx(nullptr, 0, nullptr, 1); },
       "executor handle is NULL"},
      {"BackwardEx head_grads", [&] { return MXExecutorBackwardEx(ex, 1, nullptr, 1); },
       "head_grads is NULL"},
      {"Outputs executor", [&] { return MXExecutorOutputs(nullptr, &n, &arrs); },
       "executor handle is NULL"},
      {"Outputs size", [&] { return MXExecutorOutputs(ex, nullptr, &arrs); }, "out_size"},
      {"Outputs out", [&] { return MXExecutorOutputs(ex, &n, nullptr); }, "out"},
      {"Print executor", [&] { return MXExecutorPrint(nullptr, &str); }, "executor handle is NULL"},
      {"Print out", [&] { return MXExecutorPrint(ex, nullptr); }, "out_str"},
  };
  for (const auto& [what, call, part] : cases) {
    out_sym = reinterpret_cast<SymbolHandle>(0x1234);
    int rc = call();
    std::string msg = last_error();
    INFO(what << " -> " << rc << ": " << msg);
    CHECK(rc == -1);
    CHECK(contains(msg, part));
    CHECK(out_sym == reinterpret_cast<SymbolHandle>(0x1234));
  }
  // the library keeps working after all that
  CHECK(arguments(s) == Strings{"data", "fc1_weight", "fc1_bias", "softmax_label"});
}

TEST_CASE("every Free accepts NULL", "[capi][errors]") {
  CHECK(MXSymbolFree(nullptr) == 0);
  CHECK(MXNDArrayFree(nullptr) == 0);
  CHECK(MXExecutorFree(nullptr) == 0);
}

TEST_CASE("freed and foreign handles are detected, not dereferenced", "[capi][errors]") {
  SymbolHandle s = var("x");
  MX_OK(MXSymbolFree(s));
  mx_uint n = 0;
  const char** names = nullptr;
  MX_FAILS(MXSymbolListArguments(s, &n, &names), "not a live handle");
  MX_FAILS(MXSymbolFree(s), "not a live handle");

  NDArrayHandle a = array({2});
  MX_OK(MXNDArrayFree(a));
  int dtype = -7;
  MX_FAILS(MXNDArrayGetDType(a, &dtype), "not a live handle");
  CHECK(dtype == -7);
  MX_FAILS(MXNDArrayFree(a), "not a live handle");

  Handles h;
  SymbolHandle fc = h.sym(op("FullyConnected", {{"num_hidden", "2"}}, "fc", {}));
  std::vector<NDArrayHandle> args = {h.arr(array({1, 3})), h.arr(array({2, 3})), h.arr(array({2}))};
  ExecutorHandle ex = nullptr;
  MX_OK(MXExecutorBindEX(fc, 1, 0, 0, nullptr, nullptr, nullptr, 3, args.data(), nullptr, nullptr,
                         0, nullptr, nullptr, &ex));
  MX_OK(MXExecutorFree(ex));
  MX_FAILS(MXExecutorForward(ex, 0), "not a live handle");
  MX_FAILS(MXExecutorFree(ex), "not a live handle");

  // a handle of one kind passed as another
  int local = 0;
  MX_FAILS(MXSymbolListArguments(args[0], &n, &names), "not a live handle");
  MX_FAILS(MXNDArrayGetDType(fc, &dtype), "not a live handle");
  const char* op_name = nullptr;
  MX_FAILS(MXSymbolGetAtomicSymbolName(&local, &op_name), "not a registered operator");
  CHECK(op_name == nullptr);
  SymbolHandle out = nullptr;
  MX_FAILS(MXSymbolCreateAtomicSymbol(&local, 0, nullptr, nullptr, &out),
           "not a registered operator");
  CHECK(out == nullptr);
}

TEST_CASE("on failure out-parameters are left untouched", "[capi][errors]") {
  Handles h;
  SymbolHandle sentinel = reinterpret_cast<SymbolHandle>(0x5eed);
  SymbolHandle out = sentinel;
  MX_FAILS(MXSymbolCreateFromJSON("{", &out), "Invalid symbol JSON");
  CHECK(out == sentinel);
  const char* keys[] = {"num_hidden", "foo"};
  const char* vals[] = {"2", "1"};
  MX_FAILS(MXSymbolCreateAtomicSymbol(creator("FullyConnected"), 2, keys, vals, &out), "foo");
  CHECK(out == sentinel);

  SymbolHandle s = worked_example(h);
  MX_FAILS(MXSymbolGetOutput(s, 1, &out), "out of range");
  CHECK(out == sentinel);

  mx_uint in_n = 77, out_n = 77, aux_n = 77;
  const mx_uint *nd = nullptr, **dd = nullptr;
  int complete = 77;
  const char* dkey[] = {"data", "fc1_weight"};
  const mx_uint ind2[] = {0, 2, 4}, data2[] = {2, 4, 10, 5};
  MX_FAILS(MXSymbolInferShape(s, 2, dkey, ind2, data2, &in_n, &nd, &dd, &out_n, &nd, &dd, &aux_n,
                              &nd, &dd, &complete),
           "Shape inconsistent");
  CHECK(in_n == 77);
  CHECK(complete == 77);

  ExecutorHandle ex = reinterpret_cast<ExecutorHandle>(0x5eed);
  std::vector<NDArrayHandle> args = {h.arr(array({2, 4})), h.arr(array({10, 5})),
                                     h.arr(array({10})), h.arr(array({2}))};
  MX_FAILS(MXExecutorBindEX(s, 1, 0, 0, nullptr, nullptr, nullptr, 4, args.data(), nullptr, nullptr,
                            0, nullptr, nullptr, &ex),
           "Shape inconsistent");
  CHECK(ex == reinterpret_cast<ExecutorHandle>(0x5eed));
}

TEST_CASE("MXGetLastError is per thread", "[capi][errors][threads]") {
  MX_FAILS(MXSymbolCreateFromJSON("{\"nodes\": 1}", nullptr), "out");
  const std::string main_msg = last_error();

  std::string fresh, other;
  int rc = 0;
  std::thread t([&] {
    fresh = MXGetLastError();
    SymbolHandle s = nullptr;
    rc = MXSymbolCreateVariable(nullptr, &s);
    other = MXGetLastError();
  });
  t.join();
  CHECK(fresh.empty());  // a new thread has seen no failure yet
  CHECK(rc == -1);
  CHECK(contains(other, "name is NULL"));
  CHECK(last_error() == main_msg);
}

TEST_CASE("returned arrays are per thread", "[capi][threads]") {
  Handles h;
  SymbolHandle s = worked_example(h);
  mx_uint n = 0;
  const char** names = nullptr;
  MX_OK(MXSymbolListArguments(s, &n, &names));
  std::thread t([&] {
    SymbolHandle v = nullptr;
    MXSymbolCreateVariable("other_thread_variable", &v);
    mx_uint m = 0;
    const char** mine = nullptr;
    MXSymbolListArguments(v, &m, &mine);
    MXSymbolFree(v);
  });
  t.join();
  CHECK(to_strings(n, names) == Strings{"data", "fc1_weight", "fc1_bias", "softmax_label"});
}

TEST_CASE("distinct handles work from distinct threads at once", "[capi][threads]") {
  std::vector<std::thread> threads;
  std::vector<int> ok(4, 0);
  for (int k = 0; k < 4; ++k)
    threads.emplace_back([k, &ok] {
      int good = 1;
      for (int rep = 0; rep < 20; ++rep) {
        std::string name = std::string("t").append(std::to_string(k));
        SymbolHandle v = nullptr, fc = nullptr;
        good &= MXSymbolCreateVariable(name.c_str(), &v) == 0;
        const char* keys[] = {"num_hidden"};
        const char* vals[] = {"3"};
        OpHandle c = nullptr;
        good &= NNGetOpHandle("FullyConnected", &c) == 0;
        good &= MXSymbolCreateAtomicSymbol(c, 1, keys, vals, &fc) == 0;
        const char* in[] = {"data"};
        good &= MXSymbolCompose(fc, "fc", 1, in, &v) == 0;
        mx_uint n = 0;
        const char** names = nullptr;
        good &= MXSymbolListArguments(fc, &n, &names) == 0;
        good &= n == 3 && name == names[0];
        MXSymbolFree(fc);
        MXSymbolFree(v);
      }
      ok[k] = good;
    });
  for (auto& t : threads) t.join();
  CHECK(ok == std::vector<int>(4, 1));
}

// -------------------------------------------------------------------------- the registry

TEST_CASE("MXListAllOpNames includes aliases; creators do not repeat them", "[capi][registry]") {
  mx_uint n = 0;
  const char** names = nullptr;
  MX_OK(MXListAllOpNames(&n, &names));
  std::set<std::string> all(names, names + n);
  CHECK(all.size() == n);
  for (const char* alias : {"_plus", "_Plus", "identity", "Softmax", "ElementWiseSum", "_mul",
                            "elemwise_add", "FullyConnected", "_copy"})
    CHECK(all.count(alias) == 1);

  mx_uint nc = 0;
  AtomicSymbolCreator* creators = nullptr;
  MX_OK(MXSymbolListAtomicSymbolCreators(&nc, &creators));
  std::vector<AtomicSymbolCreator> list(creators, creators + nc);
  Strings canonical;
  for (auto c : list) {
    const char* name = nullptr;
    MX_OK(MXSymbolGetAtomicSymbolName(c, &name));
    canonical.push_back(name);
  }
  std::sort(canonical.begin(), canonical.end());
  CHECK(std::adjacent_find(canonical.begin(), canonical.end()) == canonical.end());
  for (const char* alias : {"_plus", "identity", "Softmax"})
    CHECK(std::count(canonical.begin(), canonical.end(), alias) == 0);
  CHECK(nc < n);

  std::ifstream f(std::string(LOOM_GOLDEN_DIR) + "/registered_ops.txt");
  Strings golden;
  for (std::string line; std::getline(f, line);)
    if (!line.empty()) golden.push_back(line);
  CHECK(canonical == golden);

  // an alias and its canonical name are one operator
  CHECK(creator("_plus") == creator("elemwise_add"));
  CHECK(creator("Softmax") == creator("SoftmaxOutput"));
  OpHandle none = nullptr;
  MX_FAILS(NNGetOpHandle("NoSuchOp", &none), "NoSuchOp");
  CHECK(none == nullptr);
}

namespace {

struct OpInfo {
  std::string name, description, key_var_num_args;
  Strings arg_names, arg_types, arg_descs;
};

OpInfo op_info(const char* op_name) {
  const char *name = nullptr, *desc = nullptr, *kv = nullptr, *ret = nullptr;
  mx_uint n = 0;
  const char **names = nullptr, **types = nullptr, **descs = nullptr;
  MX_OK(MXSymbolGetAtomicSymbolInfo(creator(op_name), &name, &desc, &n, &names, &types, &descs, &kv,
                                    &ret));
  CHECK(std::string(ret) == "NDArray-or-Symbol");
  return OpInfo{name, desc, kv, to_strings(n, names), to_strings(n, types), to_strings(n, descs)};
}

}  // namespace

TEST_CASE("MXSymbolGetAtomicSymbolInfo describes operators for code generators",
          "[capi][registry]") {
  OpInfo fc = op_info("FullyConnected");
  CHECK(fc.name == "FullyConnected");
  CHECK_FALSE(fc.description.empty());
  CHECK(fc.key_var_num_args.empty());
  CHECK(fc.arg_names == Strings{"data", "weight", "bias", "num_hidden", "no_bias", "flatten"});
  CHECK(fc.arg_types == Strings{"NDArray-or-Symbol", "NDArray-or-Symbol", "NDArray-or-Symbol",
                                "int, required", "boolean, optional, default=0",
                                "boolean, optional, default=1"});
  CHECK(fc.arg_descs.size() == 6);
  CHECK(fc.arg_descs[3] == "Number of hidden nodes of the output.");

  OpInfo sum = op_info("add_n");
  CHECK(sum.key_var_num_args == "num_args");
  CHECK(sum.arg_names == Strings{"args", "num_args"});
  CHECK(sum.arg_types == Strings{"NDArray-or-Symbol[]", "int, required"});

  OpInfo act = op_info("Activation");
  CHECK(act.arg_names == Strings{"data", "act_type"});
  CHECK(act.arg_types[1] == "{'relu', 'sigmoid', 'softrelu', 'softsign', 'tanh'}, required");

  OpInfo sm = op_info("Softmax");  // the alias reaches the same operator
  CHECK(sm.name == "SoftmaxOutput");
  CHECK(sm.arg_names == Strings{"data", "label", "grad_scale", "ignore_label", "multi_output",
                                "use_ignore", "preserve_shape", "normalization", "out_grad",
                                "smooth_alpha"});
  CHECK(sm.arg_types[4] == "boolean, optional, default=0");

  OpInfo sc = op_info("_plus_scalar");
  CHECK(sc.arg_names == Strings{"data", "scalar", "is_int"});
  CHECK(sc.arg_types[2] == "boolean, optional, default=1");

  // return_type may be NULL; the strings are static and survive later calls
  const char *name = nullptr, *desc = nullptr, *kv = nullptr;
  mx_uint n = 0;
  const char **names = nullptr, **types = nullptr, **descs = nullptr;
  MX_OK(MXSymbolGetAtomicSymbolInfo(creator("FullyConnected"), &name, &desc, &n, &names, &types,
                                    &descs, &kv, nullptr));
  mx_uint all_n = 0;
  const char** all = nullptr;
  MX_OK(MXListAllOpNames(&all_n, &all));
  CHECK(std::string(types[3]) == "int, required");
  CHECK(std::string(name) == "FullyConnected");
}

TEST_CASE("MXSymbolGetAtomicSymbolInfo: enum and float type strings as MXNet prints them",
          "[capi][registry]") {
  // spec 5.2: "{'max', 'avg', ...},optional, default='max'" (no space before optional, as
  // dmlc's enum field writes it); dmlc prints float defaults with ostream: 1.0f -> "1".
  OpInfo sm = op_info("SoftmaxOutput");
  CHECK(sm.arg_types[7] == "{'batch', 'null', 'valid'},optional, default='null'");
  CHECK(sm.arg_types[2] == "float, optional, default=1");
  CHECK(sm.arg_types[3] == "float, optional, default=-1");
  CHECK(op_info("_plus_scalar").arg_types[1] == "double, optional, default=1");
}

TEST_CASE("MXExecutorSimpleBindEx: NULL input arrays are errors, not crashes",
          "[capi][errors]") {
  // house rule 2: nothing aborts across the ABI. Each call names a count > 0 with the matching
  // array NULL; MXNet dereferences these too, but Loom promises -1 and a message.
  Handles h;
  SymbolHandle net = worked_example(h);
  const char* names[] = {"data"};
  const int data[] = {4, 6};
  const mx_uint idx[] = {0, 2};
  const char* write_all[] = {"write"};
  const char** write = write_all;
  const int f32[] = {0};
  auto call = [&](const char** shape_names, const int* shape_data, const mx_uint* shape_idx,
                  mx_uint n_dtypes, const char** dtype_names, const int* dtypes, mx_uint n_stypes,
                  const char** stype_names, const int* stypes) {
    return [=] {
      int shared = -1;
      mx_uint n_in = 0, n_aux = 0;
      NDArrayHandle *in = nullptr, *grads = nullptr, *aux = nullptr;
      ExecutorHandle ex = nullptr;
      return MXExecutorSimpleBindEx(net, 1, 0, 0, nullptr, nullptr, nullptr, 0, nullptr, write, 1,
                                    shape_names, shape_data, shape_idx, n_dtypes, dtype_names,
                                    dtypes, n_stypes, stype_names, stypes, 0, nullptr, &shared,
                                    nullptr, nullptr, nullptr, nullptr, &n_in, &in, &grads, &n_aux,
                                    &aux, nullptr, &ex);
    };
  };
  REQUIRE(rc_in_child(call(names, data, idx, 0, nullptr, nullptr, 0, nullptr, nullptr)) == 0);
  const std::vector<std::pair<const char*, std::function<int()>>> cases = {
      {"provided_arg_shape_names",
       call(nullptr, data, idx, 0, nullptr, nullptr, 0, nullptr, nullptr)},
      {"provided_arg_shape_idx",
       call(names, data, nullptr, 0, nullptr, nullptr, 0, nullptr, nullptr)},
      {"provided_arg_shape_data",
       call(names, nullptr, idx, 0, nullptr, nullptr, 0, nullptr, nullptr)},
      {"provided_arg_dtype_names", call(names, data, idx, 1, nullptr, f32, 0, nullptr, nullptr)},
      {"provided_arg_dtypes", call(names, data, idx, 1, names, nullptr, 0, nullptr, nullptr)},
      {"provided_arg_stypes", call(names, data, idx, 0, nullptr, nullptr, 1, names, nullptr)}};
  for (const auto& [what, c] : cases) {
    INFO(what << " NULL (exit code 1: returned -1; -1: the call crashed)");
    CHECK(rc_in_child(c) == 1);
  }
}

TEST_CASE("MXNDArrayCreateEx: a shape whose size overflows is an error",
          "[capi][ndarray]") {
  // 65536^4 elements wrap to 0 in 64 bits: the array must not be created with a tiny buffer
  // behind a huge shape (kernels would index past it)
  const mx_uint huge[] = {65536, 65536, 65536, 65536};
  NDArrayHandle a = nullptr;
  int rc = MXNDArrayCreateEx(huge, 4, 1, 0, 0, 0, &a);
  CHECK(rc == -1);
  if (rc == 0) MXNDArrayFree(a);
  const mx_uint wraps[] = {1u << 31, 1u << 31, 8};
  rc = MXNDArrayCreateEx(wraps, 3, 1, 0, 0, 0, &a);
  CHECK(rc == -1);
  if (rc == 0) MXNDArrayFree(a);
}

// ----------------------------------------------------------------------------- symbols

TEST_CASE("MXSymbolCreateAtomicSymbol parses parameters and hidden keys", "[capi][symbol]") {
  Handles h;
  AtomicSymbolCreator fc = creator("FullyConnected");
  SymbolHandle out = nullptr;
  const char* k1[] = {"num_hidden", "foo"};
  const char* v1[] = {"2", "1"};
  MX_FAILS(MXSymbolCreateAtomicSymbol(fc, 2, k1, v1, &out), "Cannot find argument 'foo'");
  const char* k2[] = {"no_bias"};
  const char* v2[] = {"True"};
  MX_FAILS(MXSymbolCreateAtomicSymbol(fc, 1, k2, v2, &out), "Required parameter num_hidden");
  const char* k3[] = {"num_hidden"};
  const char* v3[] = {"abc"};
  MX_FAILS(MXSymbolCreateAtomicSymbol(fc, 1, k3, v3, &out), "num_hidden");
  const char* k4[] = {"num_hidden", "weight_lr_mult"};
  const char* v4[] = {"2", "1"};
  MX_FAILS(MXSymbolCreateAtomicSymbol(fc, 2, k4, v4, &out), "deprecated");
  CHECK(out == nullptr);

  const char* k5[] = {"num_hidden", "lr_mult", "ctx_group"};
  const char* v5[] = {"2", "0.5", "dev1"};
  MX_OK(MXSymbolCreateAtomicSymbol(fc, 3, k5, v5, &out));
  h.sym(out);
  mx_uint n = 0;
  const char** kv = nullptr;
  MX_OK(MXSymbolListAttrShallow(out, &n, &kv));
  std::map<std::string, std::string> attrs;
  for (mx_uint i = 0; i < n; ++i) attrs[kv[2 * i]] = kv[2 * i + 1];
  CHECK(attrs == std::map<std::string, std::string>{{"__ctx_group__", "dev1"},
                                                    {"ctx_group", "dev1"},
                                                    {"__lr_mult__", "0.5"},
                                                    {"lr_mult", "0.5"},
                                                    {"num_hidden", "2"}});
  const char* p = nullptr;
  MX_OK(MXSymbolPrint(out, &p));
  CHECK(contains(p, "FullyConnected"));
}

TEST_CASE("names, attributes, outputs, internals and children", "[capi][symbol]") {
  Handles h;
  SymbolHandle net = worked_example(h);
  CHECK(arguments(net) == Strings{"data", "fc1_weight", "fc1_bias", "softmax_label"});
  CHECK(outputs(net) == Strings{"softmax_output"});
  mx_uint n = 9;
  const char** names = nullptr;
  MX_OK(MXSymbolListAuxiliaryStates(net, &n, &names));
  CHECK(n == 0);
  MX_OK(MXSymbolGetNumOutputs(net, &n));
  CHECK(n == 1);

  const char* name = nullptr;
  int ok = -1;
  MX_OK(MXSymbolGetName(net, &name, &ok));
  CHECK(ok == 1);
  CHECK(std::string(name) == "softmax");

  SymbolHandle internals = nullptr;
  MX_OK(MXSymbolGetInternals(net, &internals));
  h.sym(internals);
  CHECK(outputs(internals) ==
        Strings{"data", "fc1_weight", "fc1_bias", "fc1_output", "softmax_label", "softmax_output"});
  MX_OK(MXSymbolGetName(internals, &name, &ok));
  CHECK(ok == 0);
  CHECK(name == nullptr);

  SymbolHandle fc1 = nullptr;
  MX_OK(MXSymbolGetOutput(internals, 3, &fc1));
  h.sym(fc1);
  CHECK(outputs(fc1) == Strings{"fc1_output"});
  CHECK(arguments(fc1) == Strings{"data", "fc1_weight", "fc1_bias"});
  SymbolHandle bad = nullptr;
  MX_FAILS(MXSymbolGetOutput(internals, 6, &bad), "IndexError");

  SymbolHandle children = nullptr;
  MX_OK(MXSymbolGetChildren(net, &children));
  h.sym(children);
  CHECK(outputs(children) == Strings{"fc1_output", "softmax_label"});

  const char* value = nullptr;
  MX_OK(MXSymbolGetAttr(fc1, "num_hidden", &value, &ok));
  CHECK(ok == 1);
  CHECK(std::string(value) == "10");
  MX_OK(MXSymbolGetAttr(fc1, "missing", &value, &ok));
  CHECK(ok == 0);
  MX_OK(MXSymbolGetAttr(internals, "num_hidden", &value, &ok));
  CHECK(ok == 0);  // a group of several nodes has no attributes

  MX_OK(MXSymbolSetAttr(fc1, "lr_mult", "0.1"));
  MX_OK(MXSymbolGetAttr(fc1, "lr_mult", &value, &ok));
  CHECK(std::string(value) == "0.1");
  MX_FAILS(MXSymbolSetAttr(fc1, "weight_lr_mult", "0.1"), "deprecated");
  MX_FAILS(MXSymbolSetAttr(fc1, "bogus", "1"), "bogus");

  MX_OK(MXSymbolListAttr(net, &n, &names));
  std::map<std::string, std::string> attrs;
  for (mx_uint i = 0; i < n; ++i) attrs[names[2 * i]] = names[2 * i + 1];
  CHECK(attrs.at("fc1$num_hidden") == "10");
  CHECK(attrs.at("fc1_weight$num_hidden") == "10");
  CHECK(attrs.at("fc1$__lr_mult__") == "0.1");
  CHECK(attrs.at("fc1$lr_mult") == "0.1");

  SymbolHandle group = nullptr;
  SymbolHandle members[] = {fc1, net};
  MX_OK(MXSymbolCreateGroup(2, members, &group));
  h.sym(group);
  CHECK(outputs(group) == Strings{"fc1_output", "softmax_output"});
}

TEST_CASE("MXSymbolGetAttr: the special keys op_name and _value_index", "[capi][symbol]") {
  // spec 1.5: op_name is the operator ("null" for a variable); _value_index lists the output
  // indices of the heads
  Handles h;
  SymbolHandle data = h.sym(var("data"));
  SymbolHandle fc = h.sym(op("FullyConnected", {{"num_hidden", "2"}}, "fc1", {{"data", data}}));
  const char* value = nullptr;
  int ok = 0;
  MX_OK(MXSymbolGetAttr(fc, "op_name", &value, &ok));
  CHECK(ok == 1);
  CHECK(std::string(ok ? value : "") == "FullyConnected");
  MX_OK(MXSymbolGetAttr(data, "op_name", &value, &ok));
  CHECK(ok == 1);
  CHECK(std::string(ok ? value : "") == "null");
  MX_OK(MXSymbolGetAttr(fc, "_value_index", &value, &ok));
  CHECK(ok == 1);
  CHECK(std::string(ok ? value : "") == "0");
}

TEST_CASE("MXSymbolCompose: keyword replacement and its errors", "[capi][symbol]") {
  Handles h;
  SymbolHandle net = worked_example(h);
  SymbolHandle x = h.sym(var("x"));
  SymbolHandle act = h.sym(op("Activation", {{"act_type", "relu"}}, "relu0", {{"data", x}}));
  MX_FAILS(MXSymbolCompose(net, "", 1, nullptr, &act), "General composition only support kwargs");
  const char* bad_key[] = {"foo"};
  MX_FAILS(MXSymbolCompose(net, "", 1, bad_key, &act), "Keyword argument name foo not found");
  const char* key[] = {"data"};
  MX_OK(MXSymbolCompose(net, "", 1, key, &act));
  CHECK(arguments(net) == Strings{"x", "fc1_weight", "fc1_bias", "softmax_label"});

  SymbolHandle copy = nullptr;
  MX_OK(MXSymbolCopy(net, &copy));
  h.sym(copy);
  SymbolHandle y = h.sym(var("y"));
  const char* xkey[] = {"x"};
  MX_OK(MXSymbolCompose(copy, "", 1, xkey, &y));
  CHECK(arguments(copy)[0] == "y");
  CHECK(arguments(net)[0] == "x");
  // a symbol handle freed while another symbol uses its graph: the graph stays alive
  SymbolHandle z = var("z");
  SymbolHandle act2 = h.sym(op("Activation", {{"act_type", "tanh"}}, "tanh0", {{"data", z}}));
  MX_OK(MXSymbolFree(z));
  CHECK(arguments(act2) == Strings{"z"});
}

TEST_CASE("JSON through the C API: round trip, files, errors", "[capi][json]") {
  Handles h;
  SymbolHandle net = worked_example(h);
  const char* json = nullptr;
  MX_OK(MXSymbolSaveToJSON(net, &json));
  std::string text = json;
  CHECK(contains(text, "\"attrs\": {\"mxnet_version\": [\"int\", 10901]}"));
  CHECK(text.back() == '}');

  SymbolHandle back = nullptr;
  MX_OK(MXSymbolCreateFromJSON(text.c_str(), &back));
  h.sym(back);
  MX_OK(MXSymbolSaveToJSON(back, &json));
  CHECK(std::string(json) == text);

  std::string path = "/tmp/loom_capi_test_" + std::to_string(getpid()) + "-symbol.json";
  MX_OK(MXSymbolSaveToFile(net, path.c_str()));
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  CHECK(ss.str() == text);  // the file holds exactly tojson's text
  SymbolHandle loaded = nullptr;
  MX_OK(MXSymbolCreateFromFile(path.c_str(), &loaded));
  h.sym(loaded);
  CHECK(arguments(loaded) == arguments(net));
  std::remove(path.c_str());

  SymbolHandle none = nullptr;
  MX_FAILS(MXSymbolCreateFromFile("/nonexistent/loom.json", &none), "/nonexistent/loom.json");
  MX_FAILS(MXSymbolSaveToFile(net, "/nonexistent/dir/loom.json"), "/nonexistent/dir/loom.json");
  MX_FAILS(
      MXSymbolCreateFromJSON("{\"nodes\": [], \"arg_nodes\": [], \"heads\": [], \"x\": 1}", &none),
      "Unknown field");
  std::string unknown_op = text;
  unknown_op.replace(unknown_op.find("\"FullyConnected\""), 16, "\"Convolution9\"");
  MX_FAILS(MXSymbolCreateFromJSON(unknown_op.c_str(), &none),
           "Failed loading Op fc1 of type Convolution9");
  CHECK(none == nullptr);
}

// ------------------------------------------------------------------------------ inference

TEST_CASE("MXSymbolInferShape: legacy encoding, 0 = unknown", "[capi][infer]") {
  Handles h;
  SymbolHandle net = worked_example(h);
  const char* keys[] = {"data"};
  mx_uint in_n, out_n, aux_n;
  const mx_uint *in_nd, *out_nd, *aux_nd, **in_d, **out_d, **aux_d;
  int complete = -1;
  auto infer = [&](mx_uint num, const char** k, const std::vector<mx_uint>& ind,
                   const std::vector<mx_uint>& data) {
    return MXSymbolInferShape(net, num, k, ind.data(), data.data(), &in_n, &in_nd, &in_d, &out_n,
                              &out_nd, &out_d, &aux_n, &aux_nd, &aux_d, &complete);
  };
  auto dims = [](const mx_uint* nd, const mx_uint** d, mx_uint i) {
    return std::vector<mx_uint>(d[i], d[i] + nd[i]);
  };

  MX_OK(infer(1, keys, {0, 2}, {5, 20}));
  CHECK(complete == 1);
  REQUIRE(in_n == 4);
  CHECK(dims(in_nd, in_d, 0) == std::vector<mx_uint>{5, 20});
  CHECK(dims(in_nd, in_d, 1) == std::vector<mx_uint>{10, 20});
  CHECK(dims(in_nd, in_d, 2) == std::vector<mx_uint>{10});
  CHECK(dims(in_nd, in_d, 3) == std::vector<mx_uint>{5});
  REQUIRE(out_n == 1);
  CHECK(dims(out_nd, out_d, 0) == std::vector<mx_uint>{5, 10});
  CHECK(aux_n == 0);

  // positional over list_arguments
  MX_OK(infer(1, nullptr, {0, 2}, {5, 20}));
  CHECK(complete == 1);

  MX_OK(infer(1, keys, {0, 2}, {0, 20}));
  CHECK(complete == 0);
  CHECK(dims(in_nd, in_d, 0) == std::vector<mx_uint>{0, 20});
  CHECK(dims(in_nd, in_d, 1) == std::vector<mx_uint>{10, 20});
  CHECK(dims(in_nd, in_d, 3) == std::vector<mx_uint>{0});
  CHECK(dims(out_nd, out_d, 0) == std::vector<mx_uint>{0, 10});

  MX_OK(infer(0, nullptr, {0}, {}));
  CHECK(complete == 0);
  for (mx_uint i = 0; i < in_n; ++i) CHECK(in_nd[i] == 0);

  // the partial variant reports the same
  MX_OK(MXSymbolInferShapePartial(net, 1, keys, std::vector<mx_uint>{0, 2}.data(),
                                  std::vector<mx_uint>{0, 20}.data(), &in_n, &in_nd, &in_d, &out_n,
                                  &out_nd, &out_d, &aux_n, &aux_nd, &aux_d, &complete));
  CHECK(complete == 0);
  CHECK(dims(in_nd, in_d, 1) == std::vector<mx_uint>{10, 20});

  const char* bad[] = {"foo"};
  MX_FAILS(infer(1, bad, {0, 2}, {5, 20}), "Keyword argument name foo not found");
}

TEST_CASE("MXSymbolInferShape: the inconsistency message", "[capi][infer]") {
  Handles h;
  SymbolHandle data = h.sym(var("data"));
  SymbolHandle fc = h.sym(op("FullyConnected", {{"num_hidden", "1000"}}, "fc1", {{"data", data}}));
  const char* keys[] = {"data", "fc1_weight"};
  const mx_uint ind[] = {0, 2, 4}, shapes[] = {1, 100, 1, 100};
  mx_uint in_n, out_n, aux_n;
  const mx_uint *in_nd, *out_nd, *aux_nd, **in_d, **out_d, **aux_d;
  int complete;
  MX_FAILS(
      MXSymbolInferShape(fc, 2, keys, ind, shapes, &in_n, &in_nd, &in_d, &out_n, &out_nd, &out_d,
                         &aux_n, &aux_nd, &aux_d, &complete),
      "Error in operator fc1: Shape inconsistent, Provided=(1,100), inferred shape=(1000,100)");
}

TEST_CASE("MXSymbolInferShapeEx: -1 = unknown", "[capi][infer]") {
  Handles h;
  SymbolHandle net = worked_example(h);
  const char* keys[] = {"data"};
  mx_uint in_n, out_n, aux_n;
  const int *in_nd, *out_nd, *aux_nd, **in_d, **out_d, **aux_d;
  int complete = -1;
  const mx_uint ind[] = {0, 2};
  const int partial[] = {-1, 20};
  MX_OK(MXSymbolInferShapeEx(net, 1, keys, ind, partial, &in_n, &in_nd, &in_d, &out_n, &out_nd,
                             &out_d, &aux_n, &aux_nd, &aux_d, &complete));
  CHECK(complete == 0);
  CHECK(std::vector<int>(in_d[0], in_d[0] + in_nd[0]) == std::vector<int>{-1, 20});
  CHECK(std::vector<int>(in_d[1], in_d[1] + in_nd[1]) == std::vector<int>{10, 20});
  CHECK(std::vector<int>(out_d[0], out_d[0] + out_nd[0]) == std::vector<int>{-1, 10});

  MX_OK(MXSymbolInferShapeEx(net, 0, nullptr, ind, nullptr, &in_n, &in_nd, &in_d, &out_n, &out_nd,
                             &out_d, &aux_n, &aux_nd, &aux_d, &complete));
  CHECK(complete == 0);
  REQUIRE(in_n == 4);
  for (mx_uint i = 0; i < in_n; ++i) CHECK(in_nd[i] == -1);
  CHECK(out_nd[0] == -1);

  const int full[] = {3, 4};
  MX_OK(MXSymbolInferShapeEx(net, 1, keys, ind, full, &in_n, &in_nd, &in_d, &out_n, &out_nd, &out_d,
                             &aux_n, &aux_nd, &aux_d, &complete));
  CHECK(complete == 1);
  CHECK(std::vector<int>(in_d[3], in_d[3] + in_nd[3]) == std::vector<int>{3});
}

TEST_CASE("MXSymbolInferType propagates dtype flags", "[capi][infer]") {
  Handles h;
  SymbolHandle net = worked_example(h);
  const char* keys[] = {"data"};
  const int f64[] = {1};
  mx_uint in_n, out_n, aux_n;
  const int *in_t, *out_t, *aux_t;
  int complete = -1;
  MX_OK(MXSymbolInferType(net, 1, keys, f64, &in_n, &in_t, &out_n, &out_t, &aux_n, &aux_t,
                          &complete));
  CHECK(complete == 1);
  CHECK(std::vector<int>(in_t, in_t + in_n) == std::vector<int>{1, 1, 1, 1});
  CHECK(std::vector<int>(out_t, out_t + out_n) == std::vector<int>{1});
  CHECK(aux_n == 0);

  MX_OK(MXSymbolInferType(net, 0, nullptr, nullptr, &in_n, &in_t, &out_n, &out_t, &aux_n, &aux_t,
                          &complete));
  CHECK(complete == 0);
  CHECK(std::vector<int>(in_t, in_t + in_n) == std::vector<int>{-1, -1, -1, -1});

  const int positional[] = {-1, 0};
  MX_OK(MXSymbolInferType(net, 2, nullptr, positional, &in_n, &in_t, &out_n, &out_t, &aux_n, &aux_t,
                          &complete));
  CHECK(complete == 1);
  CHECK(out_t[0] == 0);

  const char* two[] = {"data", "fc1_weight"};
  const int clash[] = {1, 0};
  MX_FAILS(MXSymbolInferType(net, 2, two, clash, &in_n, &in_t, &out_n, &out_t, &aux_n, &aux_t,
                             &complete),
           "Type inconsistent");
}

// ------------------------------------------------------------------------------ ndarrays

TEST_CASE("NDArrays: dtype flags, contexts, copies and size checks", "[capi][ndarray]") {
  Handles h;
  NDArrayHandle a = h.arr(array({2, 3}));
  int dtype = -1, dev_type = -1, dev_id = -1;
  MX_OK(MXNDArrayGetDType(a, &dtype));
  CHECK(dtype == 0);
  MX_OK(MXNDArrayGetContext(a, &dev_type, &dev_id));
  CHECK(dev_type == 1);
  CHECK(dev_id == 0);
  CHECK(shape_of(a) == std::vector<mx_uint>{2, 3});
  int ndim = 0;
  const int* dims = nullptr;
  MX_OK(MXNDArrayGetShapeEx(a, &ndim, &dims));
  CHECK(std::vector<int>(dims, dims + ndim) == std::vector<int>{2, 3});

  std::vector<float> v = {1, 2, 3, 4, 5, 6};
  MX_OK(MXNDArraySyncCopyFromCPU(a, v.data(), 6));
  CHECK(read(a) == v);
  void* p = nullptr;
  MX_OK(MXNDArrayGetData(a, &p));
  REQUIRE(p != nullptr);
  CHECK(static_cast<float*>(p)[4] == 5.0f);
  MX_OK(MXNDArrayWaitToRead(a));

  MX_FAILS(MXNDArraySyncCopyFromCPU(a, v.data(), 5), "size mismatch");
  MX_FAILS(MXNDArraySyncCopyToCPU(a, v.data(), 7), "6 elements");
  CHECK(read(a) == v);

  for (int flag : {1, 2, 3, 4, 5, 6, 7, 12}) {
    NDArrayHandle t = h.arr(array({4}, flag));
    MX_OK(MXNDArrayGetDType(t, &dtype));
    CHECK(dtype == flag);
  }
  NDArrayHandle d = h.arr(array({3}, 1));
  std::vector<double> dv = {0.5, -1.25, 1e300};
  MX_OK(MXNDArraySyncCopyFromCPU(d, dv.data(), 3));
  std::vector<double> back(3);
  MX_OK(MXNDArraySyncCopyToCPU(d, back.data(), 3));
  CHECK(back == dv);

  NDArrayHandle bad = nullptr;
  const mx_uint s[] = {2};
  MX_FAILS(MXNDArrayCreateEx(s, 1, 1, 0, 0, 99, &bad), "dtype");
  MX_FAILS(MXNDArrayCreateEx(s, 1, 7, 0, 0, 0, &bad), "device type 7");
  MX_FAILS(MXNDArrayCreateEx(s, 1, 1, -1, 0, 0, &bad), "device id");
  int gpus = 0;
  MX_OK(MXGetGPUCount(&gpus));
  if (gpus == 0) MX_FAILS(MXNDArrayCreateEx(s, 1, 2, 0, 0, 0, &bad), "GPU");
  CHECK(bad == nullptr);
  NDArrayHandle legacy = nullptr;
  MX_OK(MXNDArrayCreate(s, 1, 1, 0, 1, &legacy));
  h.arr(legacy);
  MX_OK(MXNDArrayGetDType(legacy, &dtype));
  CHECK(dtype == 0);

  NDArrayHandle none = nullptr;
  MX_OK(MXNDArrayCreateNone(&none));
  h.arr(none);
  MX_OK(MXNDArrayGetShapeEx(none, &ndim, &dims));
  CHECK(ndim == -1);
  MX_FAILS(MXNDArraySyncCopyToCPU(none, v.data(), 0), "none");
}

// ----------------------------------------------------------------------------- executors

TEST_CASE("MXExecutorSimpleBindEx: the three grad_req encodings and zero-filled arrays",
          "[capi][exec]") {
  Handles h;
  SymbolHandle net = worked_example(h);
  const std::vector<std::pair<const char*, std::vector<int>>> shapes = {{"data", {4, 6}}};
  auto non_null = [](const std::vector<NDArrayHandle>& v) {
    std::vector<bool> r;
    for (auto a : v) r.push_back(a != nullptr);
    return r;
  };

  SECTION("one string for all") {
    const char* types[] = {"write"};
    SimpleBound b;
    MX_OK(simple_bind(net, 0, nullptr, types, shapes, &b));
    CHECK(non_null(b.grads) == std::vector<bool>(4, true));
    CHECK(shape_of(b.args[0]) == std::vector<mx_uint>{4, 6});
    CHECK(shape_of(b.args[1]) == std::vector<mx_uint>{10, 6});
    CHECK(shape_of(b.args[2]) == std::vector<mx_uint>{10});
    CHECK(shape_of(b.args[3]) == std::vector<mx_uint>{4});
    CHECK(shape_of(b.grads[1]) == std::vector<mx_uint>{10, 6});
    for (auto a : b.args) CHECK(read(a) == std::vector<float>(read(a).size(), 0.0f));
    for (auto a : b.grads) CHECK(read(a) == std::vector<float>(read(a).size(), 0.0f));
    CHECK(b.aux.empty());
    release(b);
  }
  SECTION("a list, one per argument") {
    const char* types[] = {"null", "write", "add", "null"};
    SimpleBound b;
    MX_OK(simple_bind(net, 4, nullptr, types, shapes, &b));
    CHECK(non_null(b.grads) == std::vector<bool>{false, true, true, false});
    release(b);
    const char* short_list[] = {"write", "write"};
    MX_FAILS(simple_bind(net, 2, nullptr, short_list, shapes, &b), "expected 4, provided 2");
  }
  SECTION("a dict by name; the rest null") {
    const char* names[] = {"fc1_weight"};
    const char* types[] = {"write"};
    SimpleBound b;
    MX_OK(simple_bind(net, 1, names, types, shapes, &b));
    CHECK(non_null(b.grads) == std::vector<bool>{false, true, false, false});
    release(b);
    const char* unknown[] = {"fc9_weight"};
    MX_FAILS(simple_bind(net, 1, unknown, types, shapes, &b), "fc9_weight");
  }
  SECTION("no grad_req types: no gradients") {
    SimpleBound b;
    MX_OK(simple_bind(net, 0, nullptr, nullptr, shapes, &b));
    CHECK(non_null(b.grads) == std::vector<bool>(4, false));
    release(b);
  }
  SECTION("bad requests and unknown shapes are errors") {
    const char* typo[] = {"writ"};
    SimpleBound b;
    MX_FAILS(simple_bind(net, 0, nullptr, typo, shapes, &b), "writ");
    const char* write[] = {"write"};
    MX_FAILS(simple_bind(net, 0, nullptr, write, {}, &b), "cannot infer the shapes of");
    MX_FAILS(simple_bind(net, 0, nullptr, write, {{"dta", {4, 6}}}, &b), "dta");
    CHECK(b.exec == nullptr);
  }
  SECTION("dtypes given by name propagate") {
    const char* write[] = {"write"};
    const char* dnames[] = {"data"};
    const int dtypes[] = {1};
    SimpleBound b;
    MX_OK(simple_bind(net, 0, nullptr, write, shapes, &b, 1, dnames, dtypes));
    for (auto a : b.args) {
      int t = -1;
      MX_OK(MXNDArrayGetDType(a, &t));
      CHECK(t == 1);
    }
    release(b);
  }
}

TEST_CASE("a simple-bound network trains: loss backward needs no head gradient", "[capi][exec]") {
  Handles h;
  SymbolHandle net = worked_example(h);
  const char* types[] = {"null", "write", "write", "null"};
  SimpleBound b;
  MX_OK(simple_bind(net, 4, nullptr, types, {{"data", {2, 3}}}, &b));
  MX_OK(MXNDArraySyncCopyFromCPU(b.args[0], std::vector<float>{1, 2, 3, -1, 0, 1}.data(), 6));
  MX_OK(MXNDArraySyncCopyFromCPU(b.args[3], std::vector<float>{3, 7}.data(), 2));
  MX_OK(MXExecutorForward(b.exec, 1));
  mx_uint n = 0;
  NDArrayHandle* outs = nullptr;
  MX_OK(MXExecutorOutputs(b.exec, &n, &outs));
  REQUIRE(n == 1);
  NDArrayHandle out = outs[0];
  // zero weights and bias: a uniform softmax over 10 classes
  CHECK(close(read(out), std::vector<float>(20, 0.1f)));
  MX_OK(MXExecutorBackward(b.exec, 0, nullptr));
  // d bias = sum over rows of (p - onehot)
  std::vector<float> db(10, 0.2f);
  db[3] -= 1;
  db[7] -= 1;
  CHECK(close(read(b.grads[2]), db));
  MXNDArrayFree(out);
  release(b);
}

TEST_CASE("MXExecutorBindEX: NULL gradient stores mean no gradient; head gradients",
          "[capi][exec]") {
  Handles h;
  SymbolHandle data = h.sym(var("data"));
  SymbolHandle fc = h.sym(op("FullyConnected", {{"num_hidden", "2"}}, "fc1", {{"data", data}}));
  std::vector<float> x = {1, 2, 3, 4, 5, 6}, w = {1, 0, -1, 0.5, 0.5, 0.5}, bias = {0.25, -0.5};
  std::vector<NDArrayHandle> args = {h.arr(array_of({2, 3}, x)), h.arr(array_of({2, 3}, w)),
                                     h.arr(array_of({2}, bias))};
  std::vector<NDArrayHandle> grads = {h.arr(array_of({2, 3}, std::vector<float>(6, 9))),
                                      h.arr(array_of({2, 3}, std::vector<float>(6, 9))), nullptr};
  NDArrayHandle head = h.arr(array_of({2, 2}, {1, 2, -1, 0.5}));

  SECTION("arg_grad_store NULL: no gradient at all, whatever grad_req says") {
    mx_uint reqs[] = {1, 1, 1};
    ExecutorHandle ex = nullptr;
    MX_OK(MXExecutorBindEX(fc, 1, 0, 0, nullptr, nullptr, nullptr, 3, args.data(), nullptr, reqs, 0,
                           nullptr, nullptr, &ex));
    h.exec(ex);
    MX_OK(MXExecutorForward(ex, 1));
    MX_OK(MXExecutorBackward(ex, 1, &head));
    MX_OK(MXExecutorBackward(ex, 0, nullptr));
    const char* text = nullptr;
    MX_OK(MXExecutorPrint(ex, &text));
    CHECK(contains(text, "Op:FullyConnected"));
    CHECK_FALSE(contains(text, "_backward_"));  // no backward graph was built
  }
  SECTION("per-argument stores and requests") {
    mx_uint reqs[] = {1, 0, 1};  // data write, weight null, bias has no array
    ExecutorHandle ex = nullptr;
    MX_OK(MXExecutorBindEX(fc, 1, 0, 0, nullptr, nullptr, nullptr, 3, args.data(), grads.data(),
                           reqs, 0, nullptr, nullptr, &ex));
    h.exec(ex);
    MX_OK(MXExecutorForward(ex, 1));
    mx_uint n = 0;
    NDArrayHandle* outs = nullptr;
    MX_OK(MXExecutorOutputs(ex, &n, &outs));
    NDArrayHandle out = outs[0];
    // y = x W^T + b
    CHECK(close(read(out), {1 - 3 + 0.25f, 3 - 0.5f, 4 - 6 + 0.25f, 7.5f - 0.5f}));
    MXNDArrayFree(out);

    MX_FAILS(MXExecutorBackward(ex, 0, nullptr), "fc1_output");
    MX_OK(MXExecutorBackward(ex, 1, &head));
    // d data = head W
    CHECK(close(read(grads[0]), {1 + 1, 1, -1 + 1, -1 + 0.25f, 0.25f, 1 + 0.25f}));
    CHECK(read(grads[1]) == std::vector<float>(6, 9));  // grad_req null
    NDArrayHandle bad_head = h.arr(array({2, 3}));
    MX_FAILS(MXExecutorBackward(ex, 1, &bad_head), "(2,3)");
  }
  SECTION("grad_req add (3) accumulates") {
    mx_uint reqs[] = {3, 1, 0};
    NDArrayHandle g0 = h.arr(array_of({2, 3}, std::vector<float>(6, 0)));
    std::vector<NDArrayHandle> store = {g0, grads[1], nullptr};
    ExecutorHandle ex = nullptr;
    MX_OK(MXExecutorBindEX(fc, 1, 0, 0, nullptr, nullptr, nullptr, 3, args.data(), store.data(),
                           reqs, 0, nullptr, nullptr, &ex));
    h.exec(ex);
    MX_OK(MXExecutorForward(ex, 1));
    MX_OK(MXExecutorBackwardEx(ex, 1, &head, 1));
    MX_OK(MXExecutorBackwardEx(ex, 1, &head, 1));
    CHECK(close(read(g0), {4, 2, 0, -1.5f, 0.5f, 2.5f}));
    // d weight = head^T x, written (not added) each time
    CHECK(close(read(grads[1]), {1 - 4, 2 - 5, 3 - 6, 2 + 2, 4 + 2.5f, 6 + 3}));
  }
  SECTION("invalid grad_req codes are rejected") {
    mx_uint reqs[] = {5, 1, 1};
    ExecutorHandle ex = nullptr;
    MX_FAILS(MXExecutorBindEX(fc, 1, 0, 0, nullptr, nullptr, nullptr, 3, args.data(), grads.data(),
                              reqs, 0, nullptr, nullptr, &ex),
             "grad_req code 5");
    MX_FAILS(MXExecutorBindEX(fc, 1, 0, 1, nullptr, nullptr, nullptr, 3, args.data(), grads.data(),
                              reqs, 0, nullptr, nullptr, &ex),
             "group2ctx");
    CHECK(ex == nullptr);
  }
}

TEST_CASE("MXExecutorOutputs: new handles each call, aliasing the executor's outputs",
          "[capi][exec]") {
  Handles h;
  SymbolHandle x = h.sym(var("x"));
  SymbolHandle act = h.sym(op("Activation", {{"act_type", "relu"}}, "relu0", {{"data", x}}));
  NDArrayHandle in = h.arr(array_of({3}, {-1, 2, 3}));
  ExecutorHandle ex = nullptr;
  MX_OK(MXExecutorBindEX(act, 1, 0, 0, nullptr, nullptr, nullptr, 1, &in, nullptr, nullptr, 0,
                         nullptr, nullptr, &ex));
  h.exec(ex);
  MX_OK(MXExecutorForward(ex, 0));
  mx_uint n = 0;
  NDArrayHandle* outs = nullptr;
  MX_OK(MXExecutorOutputs(ex, &n, &outs));
  NDArrayHandle first = outs[0];
  MX_OK(MXExecutorOutputs(ex, &n, &outs));
  NDArrayHandle second = outs[0];
  CHECK(first != second);
  CHECK(read(first) == std::vector<float>{0, 2, 3});
  MX_OK(MXNDArrayFree(first));
  // freeing one handle leaves the executor and the other handle working
  MX_OK(MXNDArraySyncCopyFromCPU(in, std::vector<float>{4, -5, 6}.data(), 3));
  MX_OK(MXExecutorForward(ex, 0));
  CHECK(read(second) == std::vector<float>{4, 0, 6});
  MX_OK(MXNDArrayFree(second));
  MX_OK(MXExecutorOutputs(ex, &n, &outs));
  CHECK(read(outs[0]) == std::vector<float>{4, 0, 6});
  MX_OK(MXNDArrayFree(outs[0]));
  // an output handle keeps its memory alive after the executor is gone
  MX_OK(MXExecutorOutputs(ex, &n, &outs));
  NDArrayHandle kept = outs[0];
  h.executors.clear();
  MX_OK(MXExecutorFree(ex));
  CHECK(read(kept) == std::vector<float>{4, 0, 6});
  MX_OK(MXNDArrayFree(kept));
}

TEST_CASE("MXExecutorPrint shows the graph and the planned memory", "[capi][exec]") {
  Handles h;
  SymbolHandle net = worked_example(h);
  const char* write[] = {"write"};
  SimpleBound b;
  MX_OK(simple_bind(net, 0, nullptr, write, {{"data", {4, 6}}}, &b));
  const char* text = nullptr;
  MX_OK(MXExecutorPrint(b.exec, &text));
  std::string s = text;
  INFO(s);
  CHECK(contains(s, "Op:FullyConnected, Name=fc1"));
  CHECK(contains(s, "Total "));
  CHECK(contains(s, " MB allocated\n"));
  CHECK(contains(s, "Total 0 TempSpace resource requested\n"));
  release(b);
}
