// CPU kernels of the broadcasting binary ops (broadcast_add ... broadcast_logical_xor, numpy
// rules) and of broadcast_to, broadcast_like and broadcast_axis, which are reads with stride 0
// on the stretched axes. Comparisons write 1/0 in the input's dtype, as the same-shape ones do.
// Integer dtypes follow MXNet's integer semantics as the same-shape ops (kernels/cpu/numeric.h).
#include <cmath>

#include "kernels/cpu/numeric.h"
#include "kernels/cpu/strided.h"

namespace loom::cpu {
namespace {

template <class Fn>
Kernel broadcast_binary(const char* name, Fn fn) {
  return [name, fn](const OpContext&, const Attrs&, const std::vector<TBlob>& in,
                    const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
    if (req[0] == kNullOp) return;
    const Shape& os = out[0].shape;
    int nd = os.ndim();
    Dims sa = broadcast_strides(pad_dims(in[0].shape, nd));
    Dims sb = broadcast_strides(pad_dims(in[1].shape, nd));
    number_types(in[0].dtype, name, [&](auto t) {
      using T = decltype(t);
      const T* a = in[0].ptr<T>();
      const T* b = in[1].ptr<T>();
      T* o = out[0].ptr<T>();
      if (req[0] == kAddTo)
        walk(os.dims(), sa, 0, sb, 0,
             [&](dim_t i, dim_t x, dim_t y) { o[i] += static_cast<T>(fn(a[x], b[y])); });
      else
        walk(os.dims(), sa, 0, sb, 0,
             [&](dim_t i, dim_t x, dim_t y) { o[i] = static_cast<T>(fn(a[x], b[y])); });
    });
  };
}

// broadcast_to / broadcast_like / broadcast_axis: the output reads input 0 with stride 0 on the
// axes where the input has size 1.
void broadcast_read(const OpContext&, const Attrs&, const std::vector<TBlob>& in,
                    const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
  const Shape& os = out[0].shape;
  Gather g{os.dims(), broadcast_strides(pad_dims(in[0].shape, os.ndim())), 0};
  number_types(in[0].dtype, "broadcast_to", [&](auto t) {
    using T = decltype(t);
    gather(g, in[0].ptr<T>(), out[0].ptr<T>(), req[0]);
  });
}

struct Registrations {
  Registrations() {
    auto b = [](const char* n, auto fn) { register_kernel(n, kCPU, broadcast_binary(n, fn)); };
    b("broadcast_add", [](auto x, auto y) { return add_wrap(x, y); });
    b("broadcast_sub", [](auto x, auto y) { return sub_wrap(x, y); });
    b("broadcast_mul", [](auto x, auto y) { return mul_wrap(x, y); });
    b("broadcast_div", [](auto x, auto y) { return div_trunc(x, y); });
    b("broadcast_mod", [](auto x, auto y) { return py_mod(x, y); });
    b("broadcast_power", [](auto x, auto y) { return pow_num(x, y); });
    b("broadcast_maximum", [](auto x, auto y) { return x > y ? x : y; });
    b("broadcast_minimum", [](auto x, auto y) { return x < y ? x : y; });
    b("broadcast_hypot", [](auto x, auto y) {
      using T = decltype(x);
      return to_dtype<T>(std::hypot(static_cast<double>(x), static_cast<double>(y)));
    });
    b("broadcast_equal", [](auto x, auto y) { return x == y; });
    b("broadcast_not_equal", [](auto x, auto y) { return x != y; });
    b("broadcast_greater", [](auto x, auto y) { return x > y; });
    b("broadcast_greater_equal", [](auto x, auto y) { return x >= y; });
    b("broadcast_lesser", [](auto x, auto y) { return x < y; });
    b("broadcast_lesser_equal", [](auto x, auto y) { return x <= y; });
    b("broadcast_logical_and", [](auto x, auto y) { return x != 0 && y != 0; });
    b("broadcast_logical_or", [](auto x, auto y) { return x != 0 || y != 0; });
    b("broadcast_logical_xor", [](auto x, auto y) { return (x != 0) != (y != 0); });
    for (const char* n : {"broadcast_to", "broadcast_like", "broadcast_axis"})
      register_kernel(n, kCPU, broadcast_read);
  }
} registrations;

}  // namespace
}  // namespace loom::cpu
