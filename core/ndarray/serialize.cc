#include "core/ndarray/serialize.h"

#include <bit>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>

#include "core/base/error.h"

namespace loom {

namespace {

constexpr uint64_t kListMagic = 0x112;
constexpr uint32_t kV1Magic = 0xF993FAC8;
constexpr uint32_t kV2Magic = 0xF993FAC9;
constexpr uint32_t kV3Magic = 0xF993FACA;

// Loom (like MXNet on every platform it shipped for) writes native little-endian values.
static_assert(std::endian::native == std::endian::little,
              "the .params writer assumes little-endian");

template <class T>
void put(std::string* out, T v) {
  out->append(reinterpret_cast<const char*>(&v), sizeof(T));
}

// Reads little-endian values from a byte range; every read is bounds-checked.
class Reader {
 public:
  Reader(const void* data, size_t size) : p_(static_cast<const char*>(data)), size_(size) {}
  size_t left() const { return size_ - pos_; }
  size_t pos() const { return pos_; }
  template <class T>
  T get(const char* what) {
    T v;
    bytes(&v, sizeof(T), what);
    return v;
  }
  void bytes(void* dst, size_t n, const char* what) {
    need(n, what);
    std::memcpy(dst, p_ + pos_, n);
    pos_ += n;
  }
  const char* skip(size_t n, const char* what) {
    need(n, what);
    const char* at = p_ + pos_;
    pos_ += n;
    return at;
  }
  void need(size_t n, const char* what) const {
    if (n > left())
      fail_value("Invalid NDArray file format: truncated data while reading ", what, " at byte ",
                 pos_, " (", n, " bytes needed, ", left(), " left)");
  }

 private:
  const char* p_;
  size_t size_;
  size_t pos_ = 0;
};

// TShape: int32 ndim, then ndim int64 dims (ndim -1: unknown).
Shape read_shape(Reader& r) {
  int32_t ndim = r.get<int32_t>("the shape's ndim");
  if (ndim < 0) return Shape();
  if (static_cast<size_t>(ndim) > r.left() / sizeof(int64_t))
    r.need(static_cast<size_t>(ndim) * sizeof(int64_t), "the shape's dims");
  std::vector<dim_t> dims(ndim);
  for (auto& d : dims) {
    d = r.get<int64_t>("a shape dim");
    if (d < 0) fail_value("Invalid NDArray file format: negative dimension ", d, " in a shape");
  }
  return Shape(std::move(dims));
}

// Pre-V1 shape: `ndim` was the first word, then ndim uint32 dims.
Shape read_legacy_shape(Reader& r, uint32_t ndim) {
  if (ndim > r.left() / sizeof(uint32_t))
    r.need(static_cast<size_t>(ndim) * sizeof(uint32_t), "a legacy shape's dims");
  std::vector<dim_t> dims(ndim);
  for (auto& d : dims) d = r.get<uint32_t>("a legacy shape dim");
  return Shape(std::move(dims));
}

Context loaded_context(int32_t dev_type, int32_t dev_id) {
  if (dev_type == kGPU) {
    int n = 0;
    try {
      n = device_api(kGPU).device_count();
    } catch (const Error&) {
      n = 0;
    }
    // MXNet leaves GPU-saved arrays on the CPU when the GPU is unavailable.
    if (dev_id >= 0 && dev_id < n) return Context{kGPU, dev_id};
    return Context{kCPU, 0};
  }
  if (dev_type == kCPU || dev_type == kCPUPinned || dev_type == 5) return Context{kCPU, 0};
  fail_value("Invalid NDArray file format: unknown device type ", dev_type);
}

// Context, dtype and data of a dense record whose shape was just read.
NDArray read_body(Reader& r, const Shape& shape) {
  int32_t dev_type = r.get<int32_t>("the device type");
  int32_t dev_id = r.get<int32_t>("the device id");
  int32_t type_flag = r.get<int32_t>("the dtype");
  size_t elem;
  try {
    elem = dtype_size(type_flag);
  } catch (const Error&) {
    fail_value("Invalid NDArray file format: unknown dtype flag ", type_flag);
  }
  // The byte count is checked against what is left before anything is allocated.
  size_t total = elem;
  for (dim_t d : shape.dims()) {
    if (d && total > r.left() / static_cast<size_t>(d)) {
      total = SIZE_MAX;
      break;
    }
    total *= static_cast<size_t>(d);
  }
  if (total == SIZE_MAX || total > r.left())
    fail_value("Invalid NDArray file format: truncated data: an array of shape ", shape.str(),
               " and dtype ", dtype_name(type_flag), " needs more than the ", r.left(),
               " bytes left");
  const char* src = r.skip(total, "array data");
  NDArray host(shape, Context{kCPU, 0}, type_flag);
  if (total) std::memcpy(host.data(), src, total);
  Context ctx = loaded_context(dev_type, dev_id);
  if (ctx.dev_type == kCPU) return host;
  NDArray dev(shape, ctx, type_flag);
  dev.copy_from(host);
  return dev;
}

NDArray read_record(Reader& r) {
  uint32_t magic = r.get<uint32_t>("an array record's magic");
  if (magic == kV2Magic || magic == kV3Magic) {
    int32_t stype = r.get<int32_t>("the storage type");
    if (stype == 1 || stype == 2)
      fail_value("cannot load a ", stype == 1 ? "row_sparse" : "csr",
                 " array: Loom supports only dense (default storage) arrays");
    if (stype != 0) fail_value("Invalid NDArray file format: unknown storage type ", stype);
    Shape shape = read_shape(r);
    // V2 (legacy shapes): ndim 0 means "none"; V3 (numpy shapes): unknown ndim does.
    if (!shape.ndim_known() || (magic == kV2Magic && shape.ndim() == 0)) return NDArray();
    return read_body(r, shape);
  }
  Shape shape = magic == kV1Magic ? read_shape(r) : read_legacy_shape(r, magic);
  if (!shape.ndim_known() || shape.ndim() == 0) return NDArray();
  return read_body(r, shape);
}

std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) fail_value("cannot open NDArray file '", path, "' for reading");
  std::string data((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  if (f.bad()) fail_value("error while reading NDArray file '", path, "'");
  return data;
}

}  // namespace

void save_ndarray_record(const NDArray& a, std::string* out) {
  if (a.is_none()) fail_value("cannot save an empty (none) array");
  if (a.shape().ndim() == 0)
    fail_value("cannot save a 0-d array: MXNet's V2 format reads ndim 0 as an empty array");
  put<uint32_t>(out, kV2Magic);
  put<int32_t>(out, 0);  // default storage
  put<int32_t>(out, a.shape().ndim());
  for (dim_t d : a.shape().dims()) put<int64_t>(out, d);
  Context c = a.ctx();
  put<int32_t>(out, c.dev_type);
  put<int32_t>(out, c.dev_id);
  put<int32_t>(out, a.dtype());
  size_t start = out->size();
  out->resize(start + a.bytes());
  a.copy_to_host(out->data() + start, static_cast<size_t>(a.size()));
}

NDArray load_ndarray_record(const void* data, size_t size, size_t* consumed) {
  if (!data && size) fail_value("NDArray buffer is NULL");
  Reader r(data, size);
  NDArray a = read_record(r);
  if (consumed) *consumed = r.pos();
  return a;
}

std::string save_ndarray_list(const std::vector<NDArray>& arrays,
                              const std::vector<std::string>& names) {
  if (!names.empty() && names.size() != arrays.size())
    fail_value("save: ", names.size(), " names given for ", arrays.size(), " arrays");
  std::string out;
  put<uint64_t>(&out, kListMagic);
  put<uint64_t>(&out, 0);
  put<uint64_t>(&out, arrays.size());
  for (size_t i = 0; i < arrays.size(); ++i) {
    try {
      save_ndarray_record(arrays[i], &out);
    } catch (const Error& e) {
      throw Error(cat("save: array ", names.empty() ? std::to_string(i) : "'" + names[i] + "'",
                      ": ", e.what()),
                  e.kind());
    }
  }
  put<uint64_t>(&out, names.size());
  for (const auto& n : names) {
    put<uint64_t>(&out, n.size());
    out += n;
  }
  return out;
}

void load_ndarray_list(const void* data, size_t size, std::vector<NDArray>* arrays,
                       std::vector<std::string>* names) {
  if (!data && size) fail_value("NDArray buffer is NULL");
  Reader r(data, size);
  if (r.left() < 8 || r.get<uint64_t>("the file magic") != kListMagic)
    fail_value(
        "Invalid NDArray file format: the data does not start with MXNet's NDArray list "
        "magic 0x112");
  r.get<uint64_t>("the reserved word");
  uint64_t n = r.get<uint64_t>("the array count");
  // Each record takes at least 4 bytes: a bogus count fails here, not in an allocation.
  if (n > r.left() / 4)
    fail_value("Invalid NDArray file format: ", n, " arrays announced but only ", r.left(),
               " bytes follow");
  std::vector<NDArray> out;
  for (uint64_t i = 0; i < n; ++i) {
    try {
      out.push_back(read_record(r));
    } catch (const Error& e) {
      throw Error(cat(e.what(), " (array ", i, " of ", n, ")"), e.kind());
    }
  }
  uint64_t k = r.get<uint64_t>("the name count");
  if (k != 0 && k != n) fail_value("Invalid NDArray file format: ", k, " names for ", n, " arrays");
  std::vector<std::string> keys;
  for (uint64_t i = 0; i < k; ++i) {
    uint64_t len = r.get<uint64_t>("a name's length");
    if (len > r.left())
      fail_value("Invalid NDArray file format: truncated data: a name of ", len,
                 " bytes announced but ", r.left(), " bytes left");
    const char* s = r.skip(static_cast<size_t>(len), "a name");
    keys.emplace_back(s, static_cast<size_t>(len));
  }
  *arrays = std::move(out);
  *names = std::move(keys);
}

void save_ndarray_file(const std::string& path, const std::vector<NDArray>& arrays,
                       const std::vector<std::string>& names) {
  std::string data = save_ndarray_list(arrays, names);
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) fail_value("cannot open '", path, "' for writing");
  f.write(data.data(), static_cast<std::streamsize>(data.size()));
  f.close();
  if (!f) fail_value("error while writing '", path, "'");
}

void load_ndarray_file(const std::string& path, std::vector<NDArray>* arrays,
                       std::vector<std::string>* names) {
  std::string data = read_file(path);
  try {
    load_ndarray_list(data.data(), data.size(), arrays, names);
  } catch (const Error& e) {
    throw Error(cat(e.what(), " in file '", path, "'"), e.kind());
  }
}

}  // namespace loom
