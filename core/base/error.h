// Errors inside Loom. Everything below the C ABI reports failure by throwing loom::Error; the
// C ABI turns it into -1 plus a message. The kind ("ValueError", ...) is what the Python
// binding maps to an exception class, as MXNet's error prefixes are.
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

namespace loom {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& msg, std::string kind = "")
      : std::runtime_error(msg), kind_(std::move(kind)) {}
  const std::string& kind() const { return kind_; }

 private:
  std::string kind_;
};

template <class... Args>
std::string cat(Args&&... args) {
  std::ostringstream os;
  (os << ... << std::forward<Args>(args));
  return os.str();
}

template <class... Args>
[[noreturn]] void fail(Args&&... args) {
  throw Error(cat(std::forward<Args>(args)...));
}

template <class... Args>
[[noreturn]] void fail_value(Args&&... args) {
  throw Error(cat(std::forward<Args>(args)...), "ValueError");
}

template <class... Args>
[[noreturn]] void fail_type(Args&&... args) {
  throw Error(cat(std::forward<Args>(args)...), "TypeError");
}

template <class... Args>
[[noreturn]] void fail_index(Args&&... args) {
  throw Error(cat(std::forward<Args>(args)...), "IndexError");
}

}  // namespace loom
