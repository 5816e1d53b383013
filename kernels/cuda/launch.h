// The launchers of Loom's own CUDA kernels, implemented in kernels/cuda/*.cu for T = float and
// double. This header is deliberately free of engine headers so that nvcc only ever sees device
// code and this interface (nvcc parses heavy C++ headers slowly). Every launcher enqueues its
// work on `stream` without waiting and returns the launch status for the caller to check.
// `add` selects out += value (OpReq kAddTo) instead of out = value. Outputs may alias inputs
// element for element: each element is read before it is written.
#pragma once

#include <cuda_runtime_api.h>

#include <cstdint>

namespace loom::cuda {

// elemwise.cu
enum class BinaryOp : int { kAdd, kSub, kMul, kDiv };
enum class ScalarOp : int { kCopy, kPlus, kMinus, kRMinus, kMul, kDiv, kRDiv };

template <class T>
cudaError_t launch_binary(BinaryOp op, const T* a, const T* b, T* out, int64_t n, bool add,
                          cudaStream_t stream);
// out = op(x, s); kCopy ignores s.
template <class T>
cudaError_t launch_scalar(ScalarOp op, const T* x, T s, T* out, int64_t n, bool add,
                          cudaStream_t stream);
// out = sum of `count` arrays; `inputs` is a host array of device pointers.
template <class T>
cudaError_t launch_add_n(const T* const* inputs, int count, T* out, int64_t n, bool add,
                         cudaStream_t stream);

// activation.cu
enum class ActOp : int { kRelu, kSigmoid, kTanh, kSoftReLU, kSoftSign };

template <class T>
cudaError_t launch_activation(ActOp act, const T* x, T* y, int64_t n, bool add,
                              cudaStream_t stream);
// dx from the head gradient g and the forward output y.
template <class T>
cudaError_t launch_activation_backward(ActOp act, const T* g, const T* y, T* dx, int64_t n,
                                       bool add, cudaStream_t stream);

// fully_connected.cu
// y[r, c] += bias[c] for a row-major (rows, cols) matrix.
template <class T>
cudaError_t launch_add_bias(T* y, const T* bias, int64_t rows, int64_t cols, cudaStream_t stream);
// out[c] (+)= sum over r of x[r, c].
template <class T>
cudaError_t launch_column_sum(const T* x, int64_t rows, int64_t cols, T* out, bool add,
                              cudaStream_t stream);

// loss.cu
// `outer` independent softmax groups of `classes` values spaced `stride` apart; group g starts
// at (g / stride) * classes * stride + g % stride.
struct SoftmaxLayout {
  int64_t outer, classes, stride;
};

template <class T>
cudaError_t launch_softmax(const T* x, T* y, SoftmaxLayout layout, bool add, cudaStream_t stream);

struct SoftmaxGradArgs {
  SoftmaxLayout layout;
  // Gradient scale: grad_scale / normaliser, or just grad_scale when divide_by_valid is set,
  // in which case the kernel divides by the number of non-ignored labels (at least 1).
  double scale;
  bool divide_by_valid;
  bool use_ignore;
  int ignore_label;
  double smooth_alpha;
};
// dx from the softmax output y and class-index labels (one per group).
template <class T>
cudaError_t launch_softmax_backward(const T* y, const T* label, T* dx, const SoftmaxGradArgs& args,
                                    bool add, cudaStream_t stream);
// dx = (y - label) * factor, or sign(y - label) * factor when `sign` is set (MAE).
template <class T>
cudaError_t launch_regression_backward(bool sign, const T* y, const T* label, T* dx, int64_t n,
                                       T factor, bool add, cudaStream_t stream);

}  // namespace loom::cuda
