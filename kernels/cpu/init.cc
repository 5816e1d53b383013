// CPU kernels of the array-creating ops: _zeros, _ones, _full, _arange, _eye, _linspace in any
// numeric dtype, and the random draws _random_uniform / _random_normal, which take a fresh
// generator from the engine's seeded state (kernels/random.h) so that the same seed gives the
// same numbers.
#include <cstdint>
#include <random>

#include "core/ops/init_ops.h"
#include "kernels/cpu/numeric.h"
#include "kernels/random.h"

namespace loom::cpu {
namespace {

// out[i] = value(i) (a double) converted to the output dtype.
template <class F>
void fill(const char* op, const TBlob& out, OpReq req, F&& value) {
  if (req == kNullOp) return;
  numeric_types(out.dtype, op, [&](auto t) {
    using T = decltype(t);
    map_out<T>(out, req, [&](dim_t i) { return static_cast<T>(value(i)); });
  });
}

using Blobs = std::vector<TBlob>;
using Reqs = std::vector<OpReq>;

void zeros(const OpContext&, const Attrs&, const Blobs&, const Reqs& req, const Blobs& out) {
  fill("_zeros", out[0], req[0], [](dim_t) { return 0.0; });
}

void ones(const OpContext&, const Attrs&, const Blobs&, const Reqs& req, const Blobs& out) {
  fill("_ones", out[0], req[0], [](dim_t) { return 1.0; });
}

void full(const OpContext&, const Attrs& a, const Blobs&, const Reqs& req, const Blobs& out) {
  double v = a.get<FullParam>().value;
  fill("_full", out[0], req[0], [v](dim_t) { return v; });
}

void arange(const OpContext&, const Attrs& a, const Blobs&, const Reqs& req, const Blobs& out) {
  const auto& p = a.get<RangeParam>();
  double start = arange_bounds(p).first;
  fill("_arange", out[0], req[0], [&](dim_t i) { return start + (i / p.repeat) * p.step; });
}

void eye(const OpContext&, const Attrs& a, const Blobs&, const Reqs& req, const Blobs& out) {
  const auto& p = a.get<EyeParam>();
  dim_t cols = out[0].shape[1];
  fill("_eye", out[0], req[0], [&](dim_t i) { return i % cols - i / cols == p.k ? 1.0 : 0.0; });
}

void linspace(const OpContext&, const Attrs& a, const Blobs&, const Reqs& req, const Blobs& out) {
  const auto& p = a.get<LinspaceParam>();
  int steps = p.endpoint ? p.num - 1 : p.num;
  double step = steps > 0 ? (p.stop - p.start) / steps : 0.0;
  fill("_linspace", out[0], req[0], [&](dim_t i) { return p.start + i * step; });
}

template <class Dist>
void draw(const char* op, const Dist& proto, const TBlob& out, OpReq req) {
  if (req == kNullOp) return;
  auto rng = call_generator();
  real_types(out.dtype, op, [&](auto t) {
    using T = decltype(t);
    Dist d = proto;
    map_out<T>(out, req, [&](dim_t) { return static_cast<T>(d(rng)); });
  });
}

void random_uniform(const OpContext&, const Attrs& a, const Blobs&, const Reqs& req,
                    const Blobs& out) {
  const auto& p = a.get<RandomUniformParam>();
  if (!(p.low <= p.high))
    fail("_random_uniform: low=", format_float(p.low),
         " must not exceed high=", format_float(p.high));
  draw("_random_uniform", std::uniform_real_distribution<double>(p.low, p.high), out[0], req[0]);
}

void random_normal(const OpContext&, const Attrs& a, const Blobs&, const Reqs& req,
                   const Blobs& out) {
  const auto& p = a.get<RandomNormalParam>();
  if (!(p.scale > 0)) fail("_random_normal: scale=", format_float(p.scale), " must be positive");
  draw("_random_normal", std::normal_distribution<double>(p.loc, p.scale), out[0], req[0]);
}

LOOM_KERNEL(_zeros, kCPU, zeros);
LOOM_KERNEL(_ones, kCPU, ones);
LOOM_KERNEL(_full, kCPU, full);
LOOM_KERNEL(_arange, kCPU, arange);
LOOM_KERNEL(_eye, kCPU, eye);
LOOM_KERNEL(_linspace, kCPU, linspace);
LOOM_KERNEL(_random_uniform, kCPU, random_uniform);
LOOM_KERNEL(_random_normal, kCPU, random_normal);

}  // namespace
}  // namespace loom::cpu
