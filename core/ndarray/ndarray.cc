#include "core/ndarray/ndarray.h"

#include "core/base/error.h"

namespace loom {

Storage::Storage(const Context& c, size_t n) : bytes(n), ctx(c) {
  ptr = device_api(ctx.dev_type).alloc(ctx, n);
}

Storage::Storage(void* p, size_t n, const Context& c, std::function<void()> r)
    : ptr(p), bytes(n), ctx(c), release(std::move(r)) {}

Storage::~Storage() {
  if (release) {
    release();
  } else if (ptr) {
    device_api(ctx.dev_type).free(ctx, ptr);
  }
}

NDArray::NDArray(const Shape& shape, const Context& ctx, int dtype) : shape_(shape), dtype_(dtype) {
  if (!shape.known()) fail_value("cannot allocate an array of unknown shape ", shape.str());
  // the byte count must not overflow: a wrapped size would put a tiny buffer behind a huge shape
  const size_t limit = size_t(1) << 62;
  size_t total = dtype_size(dtype);
  for (dim_t d : shape.dims()) {
    if (d < 0) fail_value("negative dimension in shape ", shape.str());
    if (d && total > limit / static_cast<size_t>(d))
      fail_value("array of shape ", shape.str(), " and dtype ", dtype_name(dtype), " is too large");
    total *= static_cast<size_t>(d);
  }
  storage_ = std::make_shared<Storage>(ctx, bytes());
}

NDArray::NDArray(std::shared_ptr<Storage> storage, size_t offset, const Shape& shape, int dtype)
    : storage_(std::move(storage)), offset_(offset), shape_(shape), dtype_(dtype) {
  if (offset_ + bytes() > storage_->bytes)
    fail("view of ", bytes(), " bytes at offset ", offset_, " exceeds its storage of ",
         storage_->bytes, " bytes");
}

NDArray NDArray::zeros(const Shape& shape, const Context& ctx, int dtype) {
  NDArray a(shape, ctx, dtype);
  a.fill_zero();
  return a;
}

NDArray NDArray::slice(dim_t begin, dim_t end) const {
  if (is_none()) fail_value("cannot slice an empty (none) array");
  if (shape_.ndim() < 1) fail_value("cannot slice a 0-d array");
  if (begin < 0 || end < begin || end > shape_[0])
    fail_index("slice [", begin, ", ", end, ") is out of range for axis 0 of an array of shape ",
               shape_.str());
  Shape s = shape_;
  s[0] = end - begin;
  size_t row = static_cast<size_t>(shape_.prod(1, shape_.ndim())) * dtype_size(dtype_);
  return NDArray(storage_, offset_ + static_cast<size_t>(begin) * row, s, dtype_);
}

NDArray NDArray::at(dim_t index) const {
  if (is_none()) fail_value("cannot index an empty (none) array");
  if (shape_.ndim() < 1) fail_value("cannot index a 0-d array");
  if (index < 0 || index >= shape_[0])
    fail_index("index ", index, " is out of bounds for axis 0 with size ", shape_[0]);
  NDArray row = slice(index, index + 1);
  if (shape_.ndim() == 1) return row;
  std::vector<dim_t> rest(shape_.dims().begin() + 1, shape_.dims().end());
  return row.reshape(Shape(std::move(rest)));
}

NDArray NDArray::reshape(const Shape& shape) const {
  if (is_none()) fail_value("cannot reshape an empty (none) array");
  if (!shape.known()) fail_value("reshape: target shape ", shape.str(), " is not fully known");
  if (shape.size() != size())
    fail_value("reshape: cannot reshape an array of shape ", shape_.str(), " (", size(),
               " elements) to ", shape.str(), " (", shape.size(), " elements)");
  return NDArray(storage_, offset_, shape, dtype_);
}

bool NDArray::overlaps(const NDArray& other) const {
  if (is_none() || other.is_none() || storage_ != other.storage_) return false;
  if (!bytes() || !other.bytes()) return false;
  return offset_ < other.offset_ + other.bytes() && other.offset_ < offset_ + bytes();
}

Context NDArray::ctx() const { return storage_ ? storage_->ctx : Context{}; }

void* NDArray::data() const {
  return storage_ ? static_cast<char*>(storage_->ptr) + offset_ : nullptr;
}

void NDArray::copy_from_host(const void* src, size_t elements) {
  if (is_none()) fail_value("cannot copy into an empty (none) array");
  if (elements != static_cast<size_t>(size()))
    fail_value("SyncCopyFromCPU: size mismatch: the array ", shape_.str(), " has ", size(),
               " elements, but ", elements, " were given");
  if (bytes()) device_api(ctx().dev_type).copy(data(), ctx(), src, Context{kCPU, 0}, bytes());
}

void NDArray::copy_to_host(void* dst, size_t elements) const {
  if (is_none()) fail_value("cannot copy from an empty (none) array");
  if (elements != static_cast<size_t>(size()))
    fail_value("SyncCopyToCPU: size mismatch: the array ", shape_.str(), " has ", size(),
               " elements, but ", elements, " were requested");
  if (bytes()) device_api(ctx().dev_type).copy(dst, Context{kCPU, 0}, data(), ctx(), bytes());
}

void NDArray::copy_from(const NDArray& src) {
  if (src.shape_ != shape_ || src.dtype_ != dtype_)
    fail_value("copy: source ", src.shape_.str(), " ", dtype_name(src.dtype_),
               " does not match destination ", shape_.str(), " ", dtype_name(dtype_));
  if (src.data() == data() || !bytes()) return;
  int dev = ctx().is_gpu() ? kGPU : src.ctx().is_gpu() ? kGPU : kCPU;
  device_api(dev).copy(data(), ctx(), src.data(), src.ctx(), bytes());
}

void NDArray::fill_zero() {
  if (bytes()) device_api(ctx().dev_type).memset_zero(ctx(), data(), bytes());
}

void NDArray::wait_to_read() const {
  if (!is_none()) device_api(ctx().dev_type).sync(ctx());
}

}  // namespace loom
