// Temporary memory for CPU kernels (im2col columns, per-channel statistics...). Each thread keeps
// a few growable slots that live across calls, so a kernel called every forward pass allocates
// only the first time. A kernel needing two buffers at once uses two slots.
#pragma once

#include <cstddef>
#include <vector>

namespace loom::cpu {

constexpr int kScratchSlots = 4;

// At least n elements of T in slot `slot` (0..kScratchSlots-1) of this thread; contents are
// unspecified and valid until the same slot is requested again on this thread.
template <class T>
T* scratch(size_t n, int slot = 0) {
  thread_local std::vector<std::max_align_t> slots[kScratchSlots];
  auto& v = slots[slot];
  size_t words = (n * sizeof(T) + sizeof(std::max_align_t) - 1) / sizeof(std::max_align_t);
  if (v.size() < words) v.resize(words);
  return reinterpret_cast<T*>(v.data());
}

}  // namespace loom::cpu
