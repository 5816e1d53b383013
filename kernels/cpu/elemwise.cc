// Element-wise arithmetic on CPU: binary ops on equal shapes, scalar ops, add_n, _copy and
// zeros_like, for float32/float64 and the integer dtypes. As in MXNet, integer arithmetic wraps
// around, a scalar is first converted to the array's dtype (int32 array * 2.5 multiplies by 2)
// and integer division truncates. Outputs may alias inputs (in-place plans), so each element is
// read before written.
#include "core/ops/elemwise.h"
#include "kernels/cpu/numeric.h"

namespace loom::cpu {
namespace {

template <class Fn>
Kernel binary(const char* name, Fn fn) {
  return [name, fn](const OpContext&, const Attrs&, const std::vector<TBlob>& in,
                    const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
    number_types(in[0].dtype, name, [&](auto t) {
      using T = decltype(t);
      const T* a = in[0].ptr<T>();
      const T* b = in[1].ptr<T>();
      map_out<T>(out[0], req[0], [&](dim_t i) { return fn(a[i], b[i]); });
    });
  };
}

template <class Fn>
Kernel scalar(const char* name, Fn fn) {
  return [name, fn](const OpContext&, const Attrs& attrs, const std::vector<TBlob>& in,
                    const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
    double s = attrs.get<ScalarParam>().scalar;
    number_types(in[0].dtype, name, [&](auto t) {
      using T = decltype(t);
      const T* x = in[0].ptr<T>();
      T st = to_dtype<T>(s);
      map_out<T>(out[0], req[0], [&](dim_t i) { return fn(x[i], st); });
    });
  };
}

void add_n(const OpContext&, const Attrs&, const std::vector<TBlob>& in,
           const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
  number_types(in[0].dtype, "add_n", [&](auto t) {
    using T = decltype(t);
    map_out<T>(out[0], req[0], [&](dim_t i) {
      T s = 0;
      for (const auto& x : in) s = add_wrap(s, x.ptr<T>()[i]);
      return s;
    });
  });
}

void copy(const OpContext&, const Attrs&, const std::vector<TBlob>& in,
          const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
  number_types(in[0].dtype, "_copy", [&](auto t) {
    using T = decltype(t);
    const T* x = in[0].ptr<T>();
    map_out<T>(out[0], req[0], [&](dim_t i) { return x[i]; });
  });
}

void zeros_like(const OpContext&, const Attrs&, const std::vector<TBlob>&,
                const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
  number_types(out[0].dtype, "zeros_like", [&](auto t) {
    using T = decltype(t);
    map_out<T>(out[0], req[0], [](dim_t) { return T(0); });
  });
}

struct Registrations {
  Registrations() {
    register_kernel("elemwise_add", kCPU, binary("elemwise_add", [](auto a, auto b) { return add_wrap(a, b); }));
    register_kernel("elemwise_sub", kCPU, binary("elemwise_sub", [](auto a, auto b) { return sub_wrap(a, b); }));
    register_kernel("elemwise_mul", kCPU, binary("elemwise_mul", [](auto a, auto b) { return mul_wrap(a, b); }));
    register_kernel("elemwise_div", kCPU, binary("elemwise_div", [](auto a, auto b) { return div_trunc(a, b); }));
    register_kernel("_plus_scalar", kCPU, scalar("_plus_scalar", [](auto x, auto s) { return add_wrap(x, s); }));
    register_kernel("_minus_scalar", kCPU, scalar("_minus_scalar", [](auto x, auto s) { return sub_wrap(x, s); }));
    register_kernel("_rminus_scalar", kCPU, scalar("_rminus_scalar", [](auto x, auto s) { return sub_wrap(s, x); }));
    register_kernel("_mul_scalar", kCPU, scalar("_mul_scalar", [](auto x, auto s) { return mul_wrap(x, s); }));
    register_kernel("_div_scalar", kCPU, scalar("_div_scalar", [](auto x, auto s) { return div_trunc(x, s); }));
    register_kernel("_rdiv_scalar", kCPU, scalar("_rdiv_scalar", [](auto x, auto s) { return div_trunc(s, x); }));
    register_kernel("add_n", kCPU, add_n);
    register_kernel("_copy", kCPU, copy);
    register_kernel("zeros_like", kCPU, zeros_like);
  }
} registrations;

}  // namespace
}  // namespace loom::cpu
