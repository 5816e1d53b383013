#include "capi/common.h"

namespace loom::capi {

namespace {
thread_local std::string last_error;
}

void set_last_error(const std::string& msg) { last_error = msg; }
const char* last_error_cstr() { return last_error.c_str(); }

HandleTable<Symbol>& symbols() {
  static auto* t = new HandleTable<Symbol>();
  return *t;
}
HandleTable<NDArray>& ndarrays() {
  static auto* t = new HandleTable<NDArray>();
  return *t;
}
HandleTable<Executor>& executors() {
  static auto* t = new HandleTable<Executor>();
  return *t;
}

ThreadReturn& ret() {
  thread_local ThreadReturn r;
  return r;
}

const char** return_strings(const std::vector<std::string>& v) {
  auto& r = ret();
  r.strings = v;
  r.cstrings.clear();
  for (const auto& s : r.strings) r.cstrings.push_back(s.c_str());
  return r.cstrings.data();
}

}  // namespace loom::capi

using namespace loom::capi;

extern "C" const char* MXGetLastError(void) { return last_error_cstr(); }
