// Plumbing shared by the C ABI files: the try/catch wrapper that turns exceptions into -1 plus a
// per-thread message, live-handle tables that reject NULL and freed handles, and the per-thread
// buffers that returned strings and arrays point into.
#pragma once

#include <mutex>
#include <string>
#include <unordered_set>
#include <vector>

#include "capi/include/loom/c_api.h"
#include "core/base/error.h"
#include "core/exec/executor.h"
#include "core/graph/symbol.h"
#include "core/ndarray/ndarray.h"

namespace loom::capi {

void set_last_error(const std::string& msg);
const char* last_error_cstr();

// Runs `body`; returns 0, or -1 with the error recorded. Never lets anything escape.
template <class F>
int guarded(F&& body) {
  try {
    body();
    return 0;
  } catch (const Error& e) {
    set_last_error(e.kind().empty() ? std::string(e.what()) : e.kind() + ": " + e.what());
  } catch (const std::bad_alloc&) {
    set_last_error("MemoryError: out of memory");
  } catch (const std::exception& e) {
    set_last_error(std::string("InternalError: ") + e.what());
  } catch (...) {
    set_last_error("InternalError: unknown exception");
  }
  return -1;
}

// Handles are heap objects registered here while alive, so NULL and freed handles are errors,
// not crashes.
template <class T>
class HandleTable {
 public:
  void* add(T* obj) {
    std::lock_guard<std::mutex> lock(mu_);
    live_.insert(obj);
    return obj;
  }
  T* get(void* h, const char* what) {
    if (!h) fail_value(what, " is NULL");
    std::lock_guard<std::mutex> lock(mu_);
    if (!live_.count(h)) fail_value(what, " is not a live handle (already freed?)");
    return static_cast<T*>(h);
  }
  // Removes and deletes; NULL is fine; an unknown handle is an error.
  void free(void* h, const char* what) {
    if (!h) return;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!live_.erase(h)) fail_value(what, " is not a live handle (already freed?)");
    }
    delete static_cast<T*>(h);
  }

 private:
  std::mutex mu_;
  std::unordered_set<void*> live_;
};

HandleTable<Symbol>& symbols();
HandleTable<NDArray>& ndarrays();
HandleTable<Executor>& executors();

inline void* new_symbol(Symbol s) { return symbols().add(new Symbol(std::move(s))); }
inline void* new_ndarray(NDArray a) { return ndarrays().add(new NDArray(std::move(a))); }

template <class T>
void require_out(T* p, const char* what) {
  if (!p) fail_value(what, " (output pointer) is NULL");
}

// Per-thread return storage.
struct ThreadReturn {
  std::string str;
  std::vector<std::string> strings;
  std::vector<const char*> cstrings;
  std::vector<void*> handles, handles2, handles3;
  std::vector<mx_uint> u32[3];
  std::vector<int> i32[3];
  std::vector<std::vector<mx_uint>> u32_shapes[3];
  std::vector<std::vector<int>> i32_shapes[3];
  std::vector<const mx_uint*> u32_ptrs[3];
  std::vector<const int*> i32_ptrs[3];
};
ThreadReturn& ret();

// Copies `v` into the thread's string list and returns the C array.
const char** return_strings(const std::vector<std::string>& v);

// The operator behind an AtomicSymbolCreator/OpHandle; NULL or unknown pointers are errors.
const Op* op_of_creator(const void* creator, const char* what);

inline std::string str_or_empty(const char* s) { return s ? std::string(s) : std::string(); }

}  // namespace loom::capi
