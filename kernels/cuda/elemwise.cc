// Registers the GPU kernels of the element-wise family (core/ops/elemwise.cc): binary and
// scalar arithmetic, add_n, _copy and zeros_like, all enqueued on the executor's stream.
#include "core/ops/elemwise.h"

#include <vector>

#include "core/op/op.h"
#include "kernels/cuda/cuda_util.h"
#include "kernels/cuda/launch.h"

namespace loom::cuda {
namespace {

Kernel binary(const char* name, BinaryOp op) {
  return [name, op](const OpContext& octx, const Attrs&, const std::vector<TBlob>& in,
                    const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
    if (req[0] == kNullOp) return;
    real_types(in[0].dtype, name, [&](auto t) {
      using T = decltype(t);
      DeviceGuard guard(octx.ctx);
      check_launch(launch_binary<T>(op, in[0].ptr<T>(), in[1].ptr<T>(), out[0].ptr<T>(),
                                    out[0].size(), add_to(req[0]), stream_of(octx)),
                   name);
    });
  };
}

Kernel scalar(const char* name, ScalarOp op) {
  return [name, op](const OpContext& octx, const Attrs& attrs, const std::vector<TBlob>& in,
                    const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
    if (req[0] == kNullOp) return;
    double s = attrs.get<ScalarParam>().scalar;
    real_types(in[0].dtype, name, [&](auto t) {
      using T = decltype(t);
      DeviceGuard guard(octx.ctx);
      check_launch(launch_scalar<T>(op, in[0].ptr<T>(), static_cast<T>(s), out[0].ptr<T>(),
                                    out[0].size(), add_to(req[0]), stream_of(octx)),
                   name);
    });
  };
}

void add_n(const OpContext& octx, const Attrs&, const std::vector<TBlob>& in,
           const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
  if (req[0] == kNullOp) return;
  real_types(in[0].dtype, "add_n", [&](auto t) {
    using T = decltype(t);
    std::vector<const T*> ptrs;
    for (const auto& x : in) ptrs.push_back(x.ptr<T>());
    DeviceGuard guard(octx.ctx);
    check_launch(launch_add_n<T>(ptrs.data(), static_cast<int>(ptrs.size()), out[0].ptr<T>(),
                                 out[0].size(), add_to(req[0]), stream_of(octx)),
                 "add_n");
  });
}

void copy(const OpContext& octx, const Attrs&, const std::vector<TBlob>& in,
          const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
  if (req[0] == kNullOp) return;
  real_types(in[0].dtype, "_copy", [&](auto t) {
    using T = decltype(t);
    DeviceGuard guard(octx.ctx);
    if (add_to(req[0])) {
      check_launch(launch_scalar<T>(ScalarOp::kCopy, in[0].ptr<T>(), T(0), out[0].ptr<T>(),
                                    out[0].size(), true, stream_of(octx)),
                   "_copy");
    } else if (out[0].data != in[0].data && out[0].size() > 0) {  // in-place copies are free
      LOOM_CUDA_CHECK(cudaMemcpyAsync(out[0].data, in[0].data, out[0].size() * sizeof(T),
                                      cudaMemcpyDeviceToDevice, stream_of(octx)));
    }
  });
}

void zeros_like(const OpContext& octx, const Attrs&, const std::vector<TBlob>&,
                const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
  // Adding zeros changes nothing, so only a plain write does any work.
  if (req[0] == kNullOp || add_to(req[0])) return;
  real_types(out[0].dtype, "zeros_like", [&](auto t) {
    using T = decltype(t);
    if (out[0].size() == 0) return;
    DeviceGuard guard(octx.ctx);
    LOOM_CUDA_CHECK(cudaMemsetAsync(out[0].data, 0, out[0].size() * sizeof(T), stream_of(octx)));
  });
}

struct Registrations {
  Registrations() {
    register_kernel("elemwise_add", kGPU, binary("elemwise_add", BinaryOp::kAdd));
    register_kernel("elemwise_sub", kGPU, binary("elemwise_sub", BinaryOp::kSub));
    register_kernel("elemwise_mul", kGPU, binary("elemwise_mul", BinaryOp::kMul));
    register_kernel("elemwise_div", kGPU, binary("elemwise_div", BinaryOp::kDiv));
    register_kernel("_plus_scalar", kGPU, scalar("_plus_scalar", ScalarOp::kPlus));
    register_kernel("_minus_scalar", kGPU, scalar("_minus_scalar", ScalarOp::kMinus));
    register_kernel("_rminus_scalar", kGPU, scalar("_rminus_scalar", ScalarOp::kRMinus));
    register_kernel("_mul_scalar", kGPU, scalar("_mul_scalar", ScalarOp::kMul));
    register_kernel("_div_scalar", kGPU, scalar("_div_scalar", ScalarOp::kDiv));
    register_kernel("_rdiv_scalar", kGPU, scalar("_rdiv_scalar", ScalarOp::kRDiv));
    register_kernel("add_n", kGPU, add_n);
    register_kernel("_copy", kGPU, copy);
    register_kernel("zeros_like", kGPU, zeros_like);
  }
} registrations;

}  // namespace
}  // namespace loom::cuda
