// Operator parameters: every op declares a plain struct and, next to it, the fields' names,
// types, defaults, bounds and docs. Parsing a node's string dict fills the struct, with
// MXNet's string forms ("True", "(3, 3)", "None", "2e-05") and MXNet-style error messages;
// the same declaration produces the type strings that code generators read through the C ABI.
#pragma once

#include <any>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/base/error.h"
#include "core/base/types.h"

namespace loom {

using AttrDict = std::map<std::string, std::string>;

// String -> value parsers (MXNet/dmlc rules); throw loom::Error with a short reason.
bool parse_bool(const std::string& s);
int64_t parse_int(const std::string& s);
double parse_float(const std::string& s);
// Tuple/shape: "(a, b)", "[a,b]", "(3,)", "()", "3", "None" (-> unknown shape).
Shape parse_shape(const std::string& s);
// Python's str(float): "1.0", "2e-05", "0.5".
std::string format_float(double v);
// A default value as MXNet's parameter docs print it: `digits` significant digits, no
// trailing zeros ("1", "0.899999976").
std::string format_default(double v, int digits);

// One declared field, type-erased.
struct ParamField {
  std::string name;
  std::string type_name;  // "int", "boolean", "float", "Shape(tuple)", "{'a', 'b'}", ...
  std::string doc;
  bool required = false;
  std::string default_text;  // as shown in type strings
  std::function<void(void* obj, const std::string& value)> parse;  // throws on bad value
  std::function<void(void* obj)> reset;  // writes the default
  // "int, required" / "boolean, optional, default=1"
  std::string type_info() const;
};

template <class T> struct ParamTraits;
template <> struct ParamTraits<int> {
  static const char* name() { return "int"; }
  static int parse(const std::string& s) {
    int64_t v = parse_int(s);
    if (v < INT32_MIN || v > INT32_MAX) fail("Invalid integer '", s, "': out of the int range");
    return static_cast<int>(v);
  }
  static std::string show(int v) { return "'" + std::to_string(v) + "'"; }
};
template <> struct ParamTraits<int64_t> {
  static const char* name() { return "long"; }
  static int64_t parse(const std::string& s) { return parse_int(s); }
  static std::string show(int64_t v) { return "'" + std::to_string(v) + "'"; }
};
template <> struct ParamTraits<bool> {
  static const char* name() { return "boolean"; }
  static bool parse(const std::string& s) { return parse_bool(s); }
  static std::string show(bool v) { return v ? "1" : "0"; }
};
template <> struct ParamTraits<float> {
  static const char* name() { return "float"; }
  static float parse(const std::string& s) { return static_cast<float>(parse_float(s)); }
  static std::string show(float v) { return format_default(v, 9); }
};
template <> struct ParamTraits<double> {
  static const char* name() { return "double"; }
  static double parse(const std::string& s) { return parse_float(s); }
  static std::string show(double v) { return format_default(v, 17); }
};
template <> struct ParamTraits<std::string> {
  static const char* name() { return "string"; }
  static std::string parse(const std::string& s) { return s; }
  static std::string show(const std::string& v) { return "'" + v + "'"; }
};
template <> struct ParamTraits<Shape> {
  static const char* name() { return "Shape(tuple)"; }
  static Shape parse(const std::string& s) { return parse_shape(s); }
  static std::string show(const Shape& v);
};
template <class T> struct ParamTraits<std::optional<T>> {
  static std::string name_str() { return std::string(ParamTraits<T>::name()) + " or None"; }
  static const char* name() {
    static const std::string n = name_str();
    return n.c_str();
  }
  static std::optional<T> parse(const std::string& s) {
    if (s == "None" || s == "none") return std::nullopt;
    return ParamTraits<T>::parse(s);
  }
  static std::string show(const std::optional<T>& v) {
    return v ? ParamTraits<T>::show(*v) : std::string("None");
  }
};

// Fluent access to one field while declaring it.
template <class P, class T>
class FieldDecl {
 public:
  FieldDecl(ParamField* f, T P::*member) : f_(f), member_(member) {
    f_->required = true;
    f_->reset = [member](void*) {};
    bind_parse();
  }
  FieldDecl& set_default(T v) {
    f_->required = false;
    f_->default_text = ParamTraits<T>::show(v);
    auto member = member_;
    f_->reset = [member, v](void* obj) { static_cast<P*>(obj)->*member = v; };
    return *this;
  }
  FieldDecl& describe(const std::string& doc) {
    f_->doc = doc;
    return *this;
  }
  // Numeric lower bound (inclusive).
  FieldDecl& lower_bound(double lo) {
    lo_ = lo;
    bind_parse();
    return *this;
  }
  FieldDecl& set_range(double lo, double hi) {
    lo_ = lo;
    hi_ = hi;
    bind_parse();
    return *this;
  }
  // Enumerated string values.
  FieldDecl& choices(std::vector<std::string> names) {
    std::string t = "{";
    for (size_t i = 0; i < names.size(); ++i) t += (i ? ", '" : "'") + names[i] + "'";
    f_->type_name = t + "}";
    choices_ = std::move(names);
    bind_parse();
    return *this;
  }

 private:
  void bind_parse() {
    auto member = member_;
    auto lo = lo_, hi = hi_;
    auto choices = choices_;
    std::string fname = f_->name;
    f_->parse = [=](void* obj, const std::string& s) {
      if (!choices.empty()) {
        bool ok = false;
        for (const auto& c : choices) ok |= (c == s);
        if (!ok) {
          std::string all;
          for (const auto& c : choices) all += (all.empty() ? "'" : ", '") + c + "'";
          fail("Invalid Input: '", s, "', valid values are: {", all, "}");
        }
      }
      T v = ParamTraits<T>::parse(s);
      if constexpr (std::is_arithmetic_v<T>) {
        if (lo && static_cast<double>(v) < *lo)
          fail("value ", s, " for parameter ", fname, " should be greater equal to ", *lo);
        if (hi && static_cast<double>(v) > *hi)
          fail("value ", s, " for parameter ", fname, " should be in range [", *lo, ", ", *hi,
               "]");
      }
      static_cast<P*>(obj)->*member = std::move(v);
    };
  }
  ParamField* f_;
  T P::*member_;
  std::optional<double> lo_, hi_;
  std::vector<std::string> choices_;
};

// The declared fields of one parameter struct plus how to make and parse it.
class ParamSchema {
 public:
  std::deque<ParamField> fields;  // deque: declarations keep pointers to fields
  std::function<std::shared_ptr<void>()> make;
  std::function<std::any(std::shared_ptr<void>)> wrap;

  // Parses `dict` (keys of the form __x__ are ignored) into a fresh struct held in an any.
  // `op` and `node` name the operator in error messages.
  std::any parse(const AttrDict& dict, const std::string& op, const std::string& node) const;
  const ParamField* find(const std::string& name) const;
};

template <class P>
class ParamDecl {
 public:
  explicit ParamDecl(ParamSchema* s) : s_(s) {}
  template <class T>
  FieldDecl<P, T> field(const std::string& name, T P::*member) {
    s_->fields.push_back(ParamField{});
    ParamField& f = s_->fields.back();
    f.name = name;
    f.type_name = ParamTraits<T>::name();
    return FieldDecl<P, T>(&f, member);
  }

 private:
  ParamSchema* s_;
};

// Builds the schema of struct P from its static `declare(ParamDecl<P>&)`. A struct may also
// have `void validate()`, run after every parse: MXNet's own param parsers check field
// combinations and fill defaults that depend on other fields (Convolution's stride from its
// kernel), and their errors come when the symbol is created, not at inference.
template <class P>
std::shared_ptr<ParamSchema> make_schema() {
  auto s = std::make_shared<ParamSchema>();
  ParamDecl<P> d(s.get());
  P::declare(d);
  s->make = [] { return std::shared_ptr<void>(std::make_shared<P>()); };
  s->wrap = [](std::shared_ptr<void> p) {
    auto typed = std::static_pointer_cast<P>(p);
    if constexpr (requires(P& x) { x.validate(); }) typed->validate();
    return std::any(std::shared_ptr<const P>(typed));
  };
  return s;
}

// Hidden attribute keys (ctx_group, lr_mult, ...) and the __x__ test.
bool is_hidden_key(const std::string& key);  // "__x__"

}  // namespace loom
