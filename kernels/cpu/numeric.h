// Dtype-generic pieces of the CPU kernels that handle every numeric dtype, not only the real
// ones of cpu_util.h: the dispatch over them, reading or writing one element as a double
// (indices, which MXNet front ends may pass in any dtype), and Python's modulo.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <utility>

#include "kernels/cpu/cpu_util.h"

namespace loom::cpu {

// Calls f(T{}) for the dtypes MXNet's element-wise, reduction and layout operators compute in:
// float32, float64, int32, int64, uint8, int8 (not bool).
template <class F>
void number_types(int dtype, const char* what, F&& f) {
  switch (dtype) {
    case kFloat32:
      f(float{});
      return;
    case kFloat64:
      f(double{});
      return;
    case kInt32:
      f(int32_t{});
      return;
    case kInt64:
      f(int64_t{});
      return;
    case kUint8:
      f(uint8_t{});
      return;
    case kInt8:
      f(int8_t{});
      return;
  }
  fail(what, ": dtype ", dtype_name(dtype),
       " is not supported on CPU (float32, float64, int32, int64, uint8, int8)");
}

// Calls f(T{}) for the blob dtype's C++ type: any of number_types' or bool. `what` names the
// caller in the error on any other dtype.
template <class F>
void numeric_types(int dtype, const char* what, F&& f) {
  if (dtype == kBool) {
    f(bool{});
    return;
  }
  number_types(dtype, what, std::forward<F>(f));
}

// A double converted to T as MXNet's C++ casts do on x86-64: integers narrower than 64 bits
// go through int32 (truncation toward zero; NaN or out of int32 range gives INT32_MIN) and
// keep the low bits (so 300 -> uint8 44, 1e10 -> int8 0); int64 gives INT64_MIN when NaN or
// out of range. Never undefined behaviour.
template <class T>
T to_dtype(double v) {
  if constexpr (std::is_floating_point_v<T>) {
    return static_cast<T>(v);
  } else if constexpr (sizeof(T) == 8) {
    if (!(v >= -9223372036854775808.0 && v < 9223372036854775808.0))
      return std::numeric_limits<int64_t>::min();
    return static_cast<T>(static_cast<int64_t>(v));
  } else {
    int32_t i = (v >= -2147483648.0 && v < 2147483648.0) ? static_cast<int32_t>(v)
                                                         : std::numeric_limits<int32_t>::min();
    return static_cast<T>(static_cast<uint32_t>(i));
  }
}

// Integer arithmetic wraps around as in MXNet (two's complement, no undefined behaviour);
// integer division truncates toward zero and gives 0 for a zero divisor (MXNet crashes).
template <class T>
T add_wrap(T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    using U = std::make_unsigned_t<T>;
    return static_cast<T>(static_cast<U>(static_cast<U>(a) + static_cast<U>(b)));
  } else {
    return a + b;
  }
}
template <class T>
T sub_wrap(T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    using U = std::make_unsigned_t<T>;
    return static_cast<T>(static_cast<U>(static_cast<U>(a) - static_cast<U>(b)));
  } else {
    return a - b;
  }
}
template <class T>
T mul_wrap(T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    using U = std::conditional_t<(sizeof(T) < 4), uint32_t, std::make_unsigned_t<T>>;
    return static_cast<T>(static_cast<U>(static_cast<U>(a) * static_cast<U>(b)));
  } else {
    return a * b;
  }
}
template <class T>
T neg_wrap(T a) {
  return sub_wrap(T(0), a);
}
template <class T>
T div_trunc(T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    if (b == T(0)) return T(0);
    if constexpr (std::is_signed_v<T>)
      if (b == T(-1)) return neg_wrap(a);
    return static_cast<T>(a / b);
  } else {
    return a / b;
  }
}

// x ** y; integers go through float32 powf as MXNet's integer kernels do (2 ** -1 -> 0).
template <class T>
T pow_num(T a, T b) {
  if constexpr (std::is_integral_v<T>)
    return to_dtype<T>(static_cast<double>(std::pow(static_cast<float>(a), static_cast<float>(b))));
  else
    return std::pow(a, b);
}

// Element i of a numeric blob, as a double.
inline double read_number(const TBlob& b, dim_t i, const char* what) {
  double v = 0;
  numeric_types(b.dtype, what, [&](auto t) {
    using T = decltype(t);
    v = static_cast<double>(b.ptr<T>()[i]);
  });
  return v;
}

// Writes v into element i of a numeric blob, converted to its dtype, under req.
inline void write_number(const TBlob& b, dim_t i, double v, OpReq req, const char* what) {
  numeric_types(b.dtype, what, [&](auto t) {
    using T = decltype(t);
    T* p = b.ptr<T>();
    if (req == kAddTo)
      p[i] = static_cast<T>(p[i] + v);
    else
      p[i] = static_cast<T>(v);
  });
}

// Python-style modulo (the result takes the divisor's sign); 0 for a zero divisor, as MXNet.
// Integers are taken through double as MXNet does (exact below 2^53).
template <class T>
T py_mod(T a, T b) {
  if (b == T(0)) return T(0);
  if constexpr (std::is_integral_v<T>) {
    double x = static_cast<double>(a), y = static_cast<double>(b);
    double r = std::fmod(x, y);
    if (r != 0 && ((r < 0) != (y < 0))) r += y;
    return to_dtype<T>(r);
  } else {
    T r = std::fmod(a, b);
    if (r != T(0) && ((r < T(0)) != (b < T(0)))) r += b;
    return r;
  }
}

}  // namespace loom::cpu
