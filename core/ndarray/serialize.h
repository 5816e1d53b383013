// MXNet's binary NDArray format (spec §2): single array records and the list/dict container
// used by `.params` files. Writing produces MXNet 1.9.1's bytes exactly (V2 records); reading
// accepts V2, V1, V3 (numpy-shape) and pre-V1 records. Every size read from input is checked
// against the bytes that remain before anything is allocated, so a corrupt or truncated file
// is an error, never a crash or a giant allocation.
#pragma once

#include <string>
#include <vector>

#include "core/ndarray/ndarray.h"

namespace loom {

// One record (§2.2), appended to `out`.
void save_ndarray_record(const NDArray& a, std::string* out);
// One record from [data, data+size); `consumed` (optional) gets the bytes used.
NDArray load_ndarray_record(const void* data, size_t size, size_t* consumed = nullptr);

// The list container (§2.1). `names` is empty (list form) or one name per array (dict form).
std::string save_ndarray_list(const std::vector<NDArray>& arrays,
                              const std::vector<std::string>& names);
void load_ndarray_list(const void* data, size_t size, std::vector<NDArray>* arrays,
                       std::vector<std::string>* names);

void save_ndarray_file(const std::string& path, const std::vector<NDArray>& arrays,
                       const std::vector<std::string>& names);
void load_ndarray_file(const std::string& path, std::vector<NDArray>* arrays,
                       std::vector<std::string>* names);

}  // namespace loom
