// UpSampling on CPU. Nearest: every input is repeated to the output's height and width (each
// with its own integer factor, as MXNet does) and the results are concatenated along channels or
// summed; the gradient of an input sums its blocks of the output gradient. Bilinear: a grouped
// transposed convolution (kernel 2s - s%2, stride s, pad ceil((s-1)/2), one group per channel)
// with the weight input, sharing Deconvolution's kernels.
#include "core/ops/upsampling.h"

#include <algorithm>

#include "kernels/cpu/convolution.h"
#include "kernels/cpu/cpu_util.h"

namespace loom::cpu {
namespace {

DeconvSpec bilinear_spec(const UpSamplingParam& p, int64_t channels) {
  const int64_t k = p.kernel_size(), s = p.scale, pad = p.scale / 2;  // ceil((scale - 1) / 2)
  DeconvSpec spec;
  spec.kernel = {k, k};
  spec.stride = {s, s};
  spec.dilate = {1, 1};
  spec.pad = {pad, pad};
  spec.groups = static_cast<int>(channels);
  return spec;
}

template <class T>
void nearest_forward(const UpSamplingParam& p, const std::vector<TBlob>& in, OpReq req,
                     const TBlob& out) {
  const int64_t batch = out.shape[0], ctot = out.shape[1], oh = out.shape[2], ow = out.shape[3];
  const bool sum = p.multi_input_mode == "sum";
  T* y = out.ptr<T>();
  int64_t offset = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    const int64_t ci = in[i].shape[1], ih = in[i].shape[2], iw = in[i].shape[3];
    const int64_t sh = oh / ih, sw = ow / iw;
    const bool add = req == kAddTo || (sum && i > 0);
    const T* x = in[i].ptr<T>();
    for (int64_t n = 0; n < batch; ++n)
      for (int64_t c = 0; c < ci; ++c) {
        const T* src = x + (n * ci + c) * ih * iw;
        T* dst = y + (n * ctot + (sum ? c : offset + c)) * oh * ow;
        for (int64_t r = 0; r < oh; ++r) {
          const T* line = src + (r / sh) * iw;
          T* o = dst + r * ow;
          if (add) {
            for (int64_t q = 0; q < iw; ++q)
              for (int64_t b = 0; b < sw; ++b) o[q * sw + b] += line[q];
          } else {
            for (int64_t q = 0; q < iw; ++q)
              for (int64_t b = 0; b < sw; ++b) o[q * sw + b] = line[q];
          }
        }
      }
    if (!sum) offset += ci;
  }
}

template <class T>
void nearest_backward(const UpSamplingParam& p, const TBlob& dy, const std::vector<OpReq>& req,
                      const std::vector<TBlob>& out) {
  const int64_t batch = dy.shape[0], ctot = dy.shape[1], oh = dy.shape[2], ow = dy.shape[3];
  const bool sum = p.multi_input_mode == "sum";
  const T* g = dy.ptr<T>();
  int64_t offset = 0;
  for (size_t i = 0; i < out.size(); ++i) {
    const int64_t ci = out[i].shape[1], ih = out[i].shape[2], iw = out[i].shape[3];
    if (req[i] != kNullOp) {
      const int64_t sh = oh / ih, sw = ow / iw;
      T* dx = out[i].ptr<T>();
      for (int64_t n = 0; n < batch; ++n)
        for (int64_t c = 0; c < ci; ++c) {
          const T* src = g + (n * ctot + (sum ? c : offset + c)) * oh * ow;
          T* dst = dx + (n * ci + c) * ih * iw;
          if (req[i] != kAddTo) std::fill(dst, dst + ih * iw, T(0));
          for (int64_t r = 0; r < oh; ++r) {
            const T* line = src + r * ow;
            T* o = dst + (r / sh) * iw;
            for (int64_t q = 0; q < iw; ++q) {
              T acc = 0;
              for (int64_t b = 0; b < sw; ++b) acc += line[q * sw + b];
              o[q] += acc;
            }
          }
        }
    }
    if (!sum) offset += ci;
  }
}

void upsampling_forward(const OpContext&, const Attrs& attrs, const std::vector<TBlob>& in,
                        const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
  const auto& p = attrs.get<UpSamplingParam>();
  if (req[0] == kNullOp) return;
  real_types(in[0].dtype, "UpSampling", [&](auto t) {
    using T = decltype(t);
    if (p.bilinear())
      deconv_forward<T>(bilinear_spec(p, in[0].shape[1]), in[0], in[1], nullptr, req[0], out[0]);
    else
      nearest_forward<T>(p, in, req[0], out[0]);
  });
}

// bilinear: (out_grad, data, weight) -> (d data, d weight); nearest: (out_grad, arg0, ...) ->
// (d arg0, ...)
void upsampling_backward(const OpContext&, const Attrs& attrs, const std::vector<TBlob>& in,
                         const std::vector<OpReq>& req, const std::vector<TBlob>& out) {
  const auto& p = attrs.get<UpSamplingParam>();
  real_types(in[0].dtype, "_backward_UpSampling", [&](auto t) {
    using T = decltype(t);
    if (p.bilinear())
      deconv_backward<T>(bilinear_spec(p, in[1].shape[1]), in[0], in[1], in[2], &out[0], req[0],
                         &out[1], req[1], nullptr, kNullOp);
    else
      nearest_backward<T>(p, in[0], req, out);
  });
}

LOOM_KERNEL(UpSampling, kCPU, upsampling_forward);
LOOM_KERNEL(_backward_UpSampling, kCPU, upsampling_backward);

}  // namespace
}  // namespace loom::cpu
