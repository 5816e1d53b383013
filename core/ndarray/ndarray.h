// NDArray: a shape, a dtype and a device over reference-counted storage. Copies of an NDArray
// share storage (like MXNet's handles); views share it with an offset. Storage comes from the
// device's DeviceAPI and returns to it when the last user lets go.
#pragma once

#include <functional>
#include <memory>

#include "core/base/types.h"
#include "kernels/kernel.h"

namespace loom {

struct Storage {
  void* ptr = nullptr;
  size_t bytes = 0;
  Context ctx;
  // Set for memory Loom does not own (DLPack imports): called instead of the device's free.
  std::function<void()> release;
  Storage(const Context& c, size_t n);
  // Wraps foreign memory; `release` runs when the last user lets go.
  Storage(void* p, size_t n, const Context& c, std::function<void()> release);
  ~Storage();
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;
};

class NDArray {
 public:
  NDArray() = default;  // "none": no storage
  NDArray(const Shape& shape, const Context& ctx, int dtype = kFloat32);
  static NDArray zeros(const Shape& shape, const Context& ctx, int dtype = kFloat32);
  // A view of `storage` at byte `offset`.
  NDArray(std::shared_ptr<Storage> storage, size_t offset, const Shape& shape, int dtype);

  bool is_none() const { return storage_ == nullptr; }
  const Shape& shape() const { return shape_; }
  int dtype() const { return dtype_; }
  Context ctx() const;
  dim_t size() const { return shape_.size(); }
  size_t bytes() const { return static_cast<size_t>(size()) * dtype_size(dtype_); }
  void* data() const;
  TBlob blob() const { return TBlob{data(), shape_, dtype_, ctx()}; }
  const std::shared_ptr<Storage>& storage() const { return storage_; }
  size_t offset() const { return offset_; }

  // Views sharing this array's storage (MXNet's Slice/At/Reshape): rows [begin, end) of axis 0;
  // row `index` (shape[1:], or (1,) for a 1-D array); the same elements under another shape.
  NDArray slice(dim_t begin, dim_t end) const;
  NDArray at(dim_t index) const;
  NDArray reshape(const Shape& shape) const;
  // True when the byte ranges of the two arrays intersect.
  bool overlaps(const NDArray& other) const;

  // `elements` must equal size(); copies raw bytes of this array's dtype.
  void copy_from_host(const void* src, size_t elements);
  void copy_to_host(void* dst, size_t elements) const;
  // Copies values from an array of the same shape and dtype, on any device.
  void copy_from(const NDArray& src);
  void fill_zero();
  void wait_to_read() const;

 private:
  std::shared_ptr<Storage> storage_;
  size_t offset_ = 0;
  Shape shape_;
  int dtype_ = kFloat32;
};

}  // namespace loom
