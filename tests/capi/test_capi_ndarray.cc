// The NDArray and imperative parts of the C ABI as a C client uses them: MXImperativeInvoke
// (allocated and given outputs), views (Slice/At/Reshape64), Save/Load/LoadFromBuffer and raw
// bytes (round trips, byte layout, corrupt input), DLPack export/import, and NULL handling.
#if __has_include(<catch2/catch_test_macros.hpp>)
#include <catch2/catch_test_macros.hpp>
#else
#include <catch2/catch.hpp>
#endif

#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "loom/c_api.h"

namespace {

NDArrayHandle make(const std::vector<float>& v, std::vector<mx_uint> shape) {
  NDArrayHandle h = nullptr;
  REQUIRE(MXNDArrayCreateEx(shape.data(), static_cast<mx_uint>(shape.size()), 1, 0, 0, 0, &h) == 0);
  REQUIRE(MXNDArraySyncCopyFromCPU(h, v.data(), v.size()) == 0);
  return h;
}

std::vector<float> read(NDArrayHandle h, size_t n) {
  std::vector<float> out(n);
  REQUIRE(MXNDArraySyncCopyToCPU(h, out.data(), n) == 0);
  return out;
}

AtomicSymbolCreator op(const char* name) {
  OpHandle o = nullptr;
  REQUIRE(NNGetOpHandle(name, &o) == 0);
  return o;
}

std::string temp_path(const char* name) {
  return std::string("/tmp/loom_capi_nd_") + std::to_string(::getpid()) + "_" + name;
}

}  // namespace

TEST_CASE("MXImperativeInvoke allocates or writes outputs", "[capi][ndarray]") {
  NDArrayHandle a = make({1, 2, 3}, {3});
  NDArrayHandle b = make({10, 20, 30}, {3});
  NDArrayHandle in[2] = {a, b};
  int n_out = 0;
  NDArrayHandle* outs = nullptr;
  REQUIRE(MXImperativeInvoke(op("elemwise_add"), 2, in, &n_out, &outs, 0, nullptr, nullptr) == 0);
  REQUIRE(n_out == 1);
  NDArrayHandle sum = outs[0];
  CHECK(read(sum, 3) == std::vector<float>{11, 22, 33});

  // Given output, with a parameter.
  const char* keys[] = {"scalar"};
  const char* vals[] = {"2"};
  NDArrayHandle given[1] = {sum};
  NDArrayHandle* given_ptr = given;
  n_out = 1;
  REQUIRE(MXImperativeInvoke(op("_mul_scalar"), 1, &a, &n_out, &given_ptr, 1, keys, vals) == 0);
  CHECK(given_ptr == given);
  CHECK(read(sum, 3) == std::vector<float>{2, 4, 6});

  // Ex reports storage types.
  const int* stypes = nullptr;
  outs = nullptr;
  REQUIRE(MXImperativeInvokeEx(op("negative"), 1, &a, &n_out, &outs, 0, nullptr, nullptr,
                               &stypes) == 0);
  CHECK(stypes[0] == 0);
  NDArrayHandle neg = outs[0];
  CHECK(read(neg, 3) == std::vector<float>{-1, -2, -3});

  // Errors: shape mismatch, bad parameter, wrong input count, NULL handles.
  NDArrayHandle c = make({1, 2}, {2});
  NDArrayHandle bad[2] = {a, c};
  outs = nullptr;
  CHECK(MXImperativeInvoke(op("elemwise_add"), 2, bad, &n_out, &outs, 0, nullptr, nullptr) == -1);
  CHECK(std::string(MXGetLastError()).find("elemwise_add") != std::string::npos);
  const char* bk[] = {"no_such_param"};
  CHECK(MXImperativeInvoke(op("_mul_scalar"), 1, &a, &n_out, &outs, 1, bk, vals) == -1);
  CHECK(MXImperativeInvoke(op("elemwise_add"), 1, &a, &n_out, &outs, 0, nullptr, nullptr) == -1);
  CHECK(MXImperativeInvoke(nullptr, 1, &a, &n_out, &outs, 0, nullptr, nullptr) == -1);
  NDArrayHandle null_in[1] = {nullptr};
  CHECK(MXImperativeInvoke(op("negative"), 1, null_in, &n_out, &outs, 0, nullptr, nullptr) == -1);
  CHECK(outs == nullptr);
  for (NDArrayHandle h : {a, b, c, sum, neg}) MXNDArrayFree(h);
}

TEST_CASE("Slice, At and Reshape64 are views sharing memory", "[capi][ndarray]") {
  NDArrayHandle x = make({0, 1, 2, 3, 4, 5}, {3, 2});
  NDArrayHandle s = nullptr, row = nullptr, r = nullptr;
  REQUIRE(MXNDArraySlice(x, 1, 3, &s) == 0);
  int ndim = 0;
  const int* dims = nullptr;
  REQUIRE(MXNDArrayGetShapeEx(s, &ndim, &dims) == 0);
  CHECK((ndim == 2 && dims[0] == 2 && dims[1] == 2));
  float twos[4] = {9, 9, 9, 9};
  REQUIRE(MXNDArraySyncCopyFromCPU(s, twos, 4) == 0);
  CHECK(read(x, 6) == std::vector<float>{0, 1, 9, 9, 9, 9});
  REQUIRE(MXNDArrayAt(x, 0, &row) == 0);
  CHECK(read(row, 2) == std::vector<float>{0, 1});
  dim_t shape[2] = {-1, 3};
  REQUIRE(MXNDArrayReshape64(x, 2, shape, false, &r) == 0);
  const int64_t* d64 = nullptr;
  REQUIRE(MXNDArrayGetShapeEx64(r, &ndim, &d64) == 0);
  CHECK((ndim == 2 && d64[0] == 2 && d64[1] == 3));
  int bad_dims[1] = {5};
  NDArrayHandle bad = nullptr;
  CHECK(MXNDArrayReshape(x, 1, bad_dims, &bad) == -1);
  CHECK(MXNDArraySlice(x, 2, 4, &bad) == -1);
  CHECK(MXNDArrayAt(x, 3, &bad) == -1);
  CHECK(MXNDArraySlice(nullptr, 0, 1, &bad) == -1);
  CHECK(bad == nullptr);
  MXNDArrayFree(x);  // views keep the storage alive
  CHECK(read(r, 6) == std::vector<float>{0, 1, 9, 9, 9, 9});
  for (NDArrayHandle h : {s, row, r}) MXNDArrayFree(h);
}

TEST_CASE("MXNDArraySave/Load round trip with names and the spec's byte layout",
          "[capi][ndarray][params]") {
  NDArrayHandle b = make({1, 2}, {2});
  std::string path = temp_path("a.params");
  const char* keys[] = {"arg:fc1_bias"};
  REQUIRE(MXNDArraySave(path.c_str(), 1, &b, keys) == 0);
  std::ifstream f(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  REQUIRE(bytes.size() == 92);
  const unsigned char head[] = {0x12, 0x01, 0, 0, 0, 0, 0, 0};
  CHECK(std::memcmp(bytes.data(), head, 8) == 0);
  const unsigned char magic[] = {0xc9, 0xfa, 0x93, 0xf9};
  CHECK(std::memcmp(bytes.data() + 24, magic, 4) == 0);
  CHECK(bytes.substr(80) == "arg:fc1_bias");

  mx_uint n = 0, n_names = 0;
  NDArrayHandle* arrs = nullptr;
  const char** names = nullptr;
  REQUIRE(MXNDArrayLoad(path.c_str(), &n, &arrs, &n_names, &names) == 0);
  REQUIRE((n == 1 && n_names == 1));
  CHECK(std::string(names[0]) == "arg:fc1_bias");
  NDArrayHandle loaded = arrs[0];
  CHECK(read(loaded, 2) == std::vector<float>{1, 2});

  REQUIRE(MXNDArrayLoadFromBuffer(bytes.data(), bytes.size(), &n, &arrs, &n_names, &names) == 0);
  CHECK(n == 1);
  MXNDArrayFree(arrs[0]);

  // Every truncation fails cleanly; so do a missing file and NULL arguments.
  for (size_t cut = 0; cut < bytes.size(); cut += 7)
    CHECK(MXNDArrayLoadFromBuffer(bytes.data(), cut, &n, &arrs, &n_names, &names) == -1);
  CHECK(std::string(MXGetLastError()).find("Invalid NDArray file format") != std::string::npos);
  CHECK(MXNDArrayLoad("/nonexistent/x.params", &n, &arrs, &n_names, &names) == -1);
  CHECK(MXNDArrayLoad(nullptr, &n, &arrs, &n_names, &names) == -1);
  CHECK(MXNDArraySave(nullptr, 1, &b, keys) == -1);
  NDArrayHandle null_arr[1] = {nullptr};
  CHECK(MXNDArraySave(path.c_str(), 1, null_arr, nullptr) == -1);
  NDArrayHandle none = nullptr;
  REQUIRE(MXNDArrayCreateNone(&none) == 0);
  CHECK(MXNDArraySave(path.c_str(), 1, &none, nullptr) == -1);

  // Raw bytes: one record.
  size_t size = 0;
  const char* buf = nullptr;
  REQUIRE(MXNDArraySaveRawBytes(b, &size, &buf) == 0);
  CHECK(size == 92 - 24 - 8 - 8 - 12);
  std::string raw(buf, size);
  NDArrayHandle back = nullptr;
  REQUIRE(MXNDArrayLoadFromRawBytes(raw.data(), raw.size(), &back) == 0);
  CHECK(read(back, 2) == std::vector<float>{1, 2});
  CHECK(MXNDArrayLoadFromRawBytes(raw.data(), raw.size() - 1, &none) == -1);
  for (NDArrayHandle h : {b, loaded, back, none}) MXNDArrayFree(h);
  std::remove(path.c_str());
}

TEST_CASE("DLPack export and import share memory", "[capi][ndarray][dlpack]") {
  NDArrayHandle a = make({1, 2, 3, 4}, {2, 2});
  DLManagedTensorHandle t = nullptr;
  REQUIRE(MXNDArrayToDLPack(a, &t) == 0);
  MXNDArrayFree(a);  // the tensor keeps the memory
  NDArrayHandle b = nullptr;
  REQUIRE(MXNDArrayFromDLPack(t, &b) == 0);  // b owns the tensor now
  CHECK(read(b, 4) == std::vector<float>{1, 2, 3, 4});
  int dtype = -1;
  REQUIRE(MXNDArrayGetDType(b, &dtype) == 0);
  CHECK(dtype == 0);
  MXNDArrayFree(b);
  CHECK(MXNDArrayCallDLPackDeleter(nullptr) == 0);
  CHECK(MXNDArrayFromDLPack(nullptr, &b) == -1);
  CHECK(MXNDArrayToDLPack(nullptr, &t) == -1);

  NDArrayHandle c = make({5, 6}, {2});
  REQUIRE(MXNDArrayToDLPack(c, &t) == 0);
  CHECK(MXNDArrayCallDLPackDeleter(t) == 0);
  MXNDArrayFree(c);
}

TEST_CASE("MXImperativeInvoke hides hidden outputs and accepts none output arrays",
          "[capi][ndarray]") {
  NDArrayHandle x = make({1, 2, 3, 4}, {2, 2});
  const char* keys[] = {"p"};
  const char* vals[] = {"0.5"};
  int n_out = 0;
  NDArrayHandle* outs = nullptr;
  REQUIRE(MXImperativeInvoke(op("Dropout"), 1, &x, &n_out, &outs, 1, keys, vals) == 0);
  CHECK(n_out == 1);  // the mask output of Dropout stays hidden
  NDArrayHandle y = outs[0];
  CHECK(read(y, 4) == std::vector<float>{1, 2, 3, 4});  // inference: identity

  NDArrayHandle none = nullptr;
  REQUIRE(MXNDArrayCreateNone(&none) == 0);
  NDArrayHandle given[1] = {none};
  NDArrayHandle* given_ptr = given;
  n_out = 1;
  REQUIRE(MXImperativeInvoke(op("negative"), 1, &x, &n_out, &given_ptr, 0, nullptr, nullptr) == 0);
  CHECK(read(none, 4) == std::vector<float>{-1, -2, -3, -4});  // allocated into the none array
  for (NDArrayHandle h : {x, y, none}) MXNDArrayFree(h);
}
