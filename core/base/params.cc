#include "core/base/params.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace loom {

namespace {
std::string trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}
std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
}  // namespace

bool parse_bool(const std::string& s) {
  std::string v = lower(trim(s));
  if (v == "true" || v == "1") return true;
  if (v == "false" || v == "0") return false;
  fail("Invalid boolean '", s, "'");
}

int64_t parse_int(const std::string& s) {
  std::string v = trim(s);
  if (!v.empty() && (v.back() == 'L' || v.back() == 'l')) v.pop_back();
  char* end = nullptr;
  errno = 0;
  long long r = std::strtoll(v.c_str(), &end, 10);
  if (v.empty() || *end != '\0' || errno == ERANGE) fail("Invalid integer '", s, "'");
  return r;
}

double parse_float(const std::string& s) {
  std::string v = trim(s);
  char* end = nullptr;
  double r = std::strtod(v.c_str(), &end);
  if (v.empty() || *end != '\0') fail("Invalid float '", s, "'");
  return r;
}

Shape parse_shape(const std::string& s) {
  std::string v = trim(s);
  if (v == "None") return Shape();
  std::vector<dim_t> dims;
  if (!v.empty() && (v.front() == '(' || v.front() == '[')) {
    char close = v.front() == '(' ? ')' : ']';
    if (v.back() != close) fail("Invalid shape '", s, "'");
    v = v.substr(1, v.size() - 2);
    size_t pos = 0;
    while (pos < v.size()) {
      size_t comma = v.find(',', pos);
      std::string item = trim(v.substr(pos, comma == std::string::npos ? std::string::npos
                                                                        : comma - pos));
      if (item.empty()) {
        // only a trailing comma may leave an empty item: "(3,)"
        if (comma != std::string::npos || dims.empty()) fail("Invalid shape '", s, "'");
      } else if (item == "None") {
        dims.push_back(-1);
      } else {
        dims.push_back(parse_int(item));
      }
      if (comma == std::string::npos) break;
      pos = comma + 1;
    }
    return Shape(dims);
  }
  return Shape({parse_int(v)});
}

std::string format_float(double v) {
  // Python's repr of a float: the shortest digits that round-trip, positional for exponents in
  // [-4, 16), otherwise d.ddde+XX.
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  if (v == 0) return std::signbit(v) ? "-0.0" : "0.0";
  char buf[64];
  for (int prec = 0; prec <= 17; ++prec) {
    std::snprintf(buf, sizeof buf, "%.*e", prec, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  std::string s = buf;
  size_t e = s.find('e');
  int exp10 = std::atoi(s.c_str() + e + 1);
  std::string digits;
  for (size_t i = 0; i < e; ++i)
    if (std::isdigit(static_cast<unsigned char>(s[i]))) digits += s[i];
  std::string out;
  if (exp10 >= 16 || exp10 < -4) {
    out = digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    int a = std::abs(exp10);
    out += cat("e", exp10 < 0 ? "-" : "+", a < 10 ? "0" : "", a);
  } else if (exp10 >= 0) {
    size_t int_len = static_cast<size_t>(exp10) + 1;
    if (digits.size() < int_len) digits += std::string(int_len - digits.size(), '0');
    std::string frac = digits.size() > int_len ? digits.substr(int_len) : "0";
    out = digits.substr(0, int_len) + "." + frac;
  } else {
    out = "0." + std::string(-exp10 - 1, '0') + digits;
  }
  return (v < 0 ? "-" : "") + out;
}

std::string format_default(double v, int digits) {
  std::ostringstream os;
  os.precision(digits);
  os << v;
  return os.str();
}

std::string ParamTraits<Shape>::show(const Shape& v) {
  if (!v.ndim_known()) return "None";
  std::string s = "[";
  for (int i = 0; i < v.ndim(); ++i) s += (i ? "," : "") + std::to_string(v[i]);
  return s + "]";
}

std::string ParamField::type_info() const {
  if (required) return type_name + ", required";
  // MXNet writes enum types as "{'a', 'b'},optional" (no space)
  const char* sep = !type_name.empty() && type_name[0] == '{' ? ",optional" : ", optional";
  return type_name + sep + ", default=" + default_text;
}

bool is_hidden_key(const std::string& key) {
  return key.size() > 4 && key.rfind("__", 0) == 0 && key.compare(key.size() - 2, 2, "__") == 0;
}

const ParamField* ParamSchema::find(const std::string& name) const {
  for (const auto& f : fields)
    if (f.name == name) return &f;
  return nullptr;
}

std::any ParamSchema::parse(const AttrDict& dict, const std::string& op,
                            const std::string& node) const {
  auto where = [&] {
    std::string s = cat(", in operator ", op, "(name=\"", node, "\"");
    for (const auto& [k, v] : dict) s += cat(", ", k, "=\"", v, "\"");
    return s + ")";
  };
  auto obj = make();
  for (const auto& f : fields) f.reset(obj.get());
  for (const auto& [key, value] : dict) {
    if (is_hidden_key(key)) continue;
    const ParamField* f = find(key);
    if (!f) {
      std::string list;
      for (const auto& g : fields) list += cat(g.name, " : ", g.type_info(), "\n");
      fail("Cannot find argument '", key, "', Possible Arguments:\n----------------\n", list,
           where());
    }
    try {
      f->parse(obj.get(), value);
    } catch (const Error& e) {
      fail("Invalid Parameter format for ", key, " expect ", f->type_name, " but value='",
           value, "': ", e.what(), where());
    }
  }
  for (const auto& f : fields)
    if (f.required && !dict.count(f.name))
      fail("Required parameter ", f.name, " of ", f.type_name, " is not presented", where());
  return wrap(obj);
}

}  // namespace loom
