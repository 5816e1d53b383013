// Shared pieces of the CPU kernels: dtype dispatch and writing a value under an OpReq.
#pragma once

#include "core/base/error.h"
#include "core/op/op.h"
#include "kernels/kernel.h"

namespace loom::cpu {

// Calls f(T{}) with T = float or double for the blob's dtype.
template <class F>
void real_types(int dtype, const char* op, F&& f) {
  switch (dtype) {
    case kFloat32: f(float{}); return;
    case kFloat64: f(double{}); return;
  }
  fail(op, ": dtype ", dtype_name(dtype), " is not supported on CPU (float32, float64)");
}

template <class T>
inline void assign(T* dst, OpReq req, T v) {
  if (req == kAddTo)
    *dst += v;
  else
    *dst = v;
}

// Applies out[i] = f(i) for every element under `req`.
template <class T, class F>
void map_out(const TBlob& out, OpReq req, F&& f) {
  if (req == kNullOp) return;
  T* o = out.ptr<T>();
  dim_t n = out.size();
  if (req == kAddTo) {
    for (dim_t i = 0; i < n; ++i) o[i] += f(i);
  } else {
    for (dim_t i = 0; i < n; ++i) o[i] = f(i);
  }
}

}  // namespace loom::cpu
