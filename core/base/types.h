// Shapes, dtypes and device contexts: the small value types every layer shares.
// A shape's ndim is -1 when unknown and a dim is -1 when unknown (MXNet's internal
// convention); the C ABI converts to and from MXNet's legacy 0-means-unknown form.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace loom {

using dim_t = int64_t;

class Shape {
 public:
  Shape() = default;  // unknown
  Shape(std::initializer_list<dim_t> dims) : known_(true), dims_(dims) {}
  explicit Shape(std::vector<dim_t> dims) : known_(true), dims_(std::move(dims)) {}
  static Shape unknown_of_ndim(int ndim) { return Shape(std::vector<dim_t>(ndim, -1)); }

  int ndim() const { return known_ ? static_cast<int>(dims_.size()) : -1; }
  bool ndim_known() const { return known_; }
  // Every dim known.
  bool known() const;
  dim_t operator[](int i) const { return dims_[i]; }
  dim_t& operator[](int i) { return dims_[i]; }
  const std::vector<dim_t>& dims() const { return dims_; }
  // Product of dims; only meaningful when known().
  dim_t size() const;
  // Product of dims [begin, end).
  dim_t prod(int begin, int end) const;
  // Number of unknown dims (an unknown ndim counts as 1).
  int unknown_count() const;
  bool operator==(const Shape& o) const { return known_ == o.known_ && dims_ == o.dims_; }
  bool operator!=(const Shape& o) const { return !(*this == o); }
  // "(1,100)"; "None" when unknown; unknown dims print as -1... except legacy printers.
  std::string str() const;

 private:
  bool known_ = false;
  std::vector<dim_t> dims_;
};

// mshadow type flags, as stored in .params files and __dtype__ attributes.
enum DType : int {
  kUnknownType = -1,
  kFloat32 = 0,
  kFloat64 = 1,
  kFloat16 = 2,
  kUint8 = 3,
  kInt32 = 4,
  kInt8 = 5,
  kInt64 = 6,
  kBool = 7,
  kBfloat16 = 12,
};
size_t dtype_size(int dtype);  // throws for unknown flags
std::string dtype_name(int dtype);  // "float32", ...
int dtype_from_name(const std::string& name);  // throws for unknown names

enum DeviceType : int { kCPU = 1, kGPU = 2, kCPUPinned = 3 };

struct Context {
  int dev_type = kCPU;
  int dev_id = 0;
  bool operator==(const Context& o) const { return dev_type == o.dev_type && dev_id == o.dev_id; }
  bool operator!=(const Context& o) const { return !(*this == o); }
  bool is_gpu() const { return dev_type == kGPU; }
  std::string str() const;  // "cpu(0)", "gpu(1)"
};

}  // namespace loom
