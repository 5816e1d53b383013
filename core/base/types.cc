#include "core/base/types.h"

#include "core/base/error.h"

namespace loom {

bool Shape::known() const {
  if (!known_) return false;
  for (dim_t d : dims_)
    if (d < 0) return false;
  return true;
}

dim_t Shape::size() const { return prod(0, ndim()); }

dim_t Shape::prod(int begin, int end) const {
  dim_t p = 1;
  for (int i = begin; i < end; ++i) p *= dims_[i];
  return p;
}

int Shape::unknown_count() const {
  if (!known_) return 1;
  int n = 0;
  for (dim_t d : dims_) n += d < 0;
  return n;
}

std::string Shape::str() const {
  if (!known_) return "None";
  std::string s = "(";
  for (size_t i = 0; i < dims_.size(); ++i) {
    if (i) s += ",";
    s += dims_[i] < 0 ? std::string("None") : std::to_string(dims_[i]);
  }
  if (dims_.size() == 1) s += ",";
  return s + ")";
}

size_t dtype_size(int dtype) {
  switch (dtype) {
    case kFloat32: case kInt32: return 4;
    case kFloat64: case kInt64: return 8;
    case kFloat16: case kBfloat16: return 2;
    case kUint8: case kInt8: case kBool: return 1;
  }
  fail_value("unknown dtype flag ", dtype);
}

namespace {
struct DTypeName {
  int flag;
  const char* name;
};
constexpr DTypeName kDTypeNames[] = {
    {kFloat32, "float32"}, {kFloat64, "float64"}, {kFloat16, "float16"}, {kUint8, "uint8"},
    {kInt32, "int32"},     {kInt8, "int8"},       {kInt64, "int64"},     {kBool, "bool"},
    {kBfloat16, "bfloat16"}};
}  // namespace

std::string dtype_name(int dtype) {
  for (const auto& d : kDTypeNames)
    if (d.flag == dtype) return d.name;
  fail_value("unknown dtype flag ", dtype);
}

int dtype_from_name(const std::string& name) {
  for (const auto& d : kDTypeNames)
    if (name == d.name) return d.flag;
  fail_value("unknown dtype '", name, "'");
}

std::string Context::str() const {
  const char* kind = dev_type == kGPU ? "gpu" : dev_type == kCPUPinned ? "cpu_pinned" : "cpu";
  return cat(kind, "(", dev_id, ")");
}

}  // namespace loom
