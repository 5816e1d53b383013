// Parameter parsing and printing: the string forms MXNet's frontends write into a node's dict
// ("True", "(3, 3)", "10L", "None", "2e-05") must parse as dmlc does, floats must print as
// Python's repr so that JSON written by Loom matches MXNet's byte for byte, and a bad
// parameter must be reported naming the key, the value and the operator.
#if __has_include(<catch2/catch_test_macros.hpp>)
#include <catch2/catch_test_macros.hpp>
#else
#include <catch2/catch.hpp>  // Catch2 2.x, as Debian bookworm ships it
#endif

#include <cmath>
#include <limits>
#include <string>

#include "core/base/error.h"
#include "core/base/params.h"
#include "core/base/types.h"

using namespace loom;

namespace {

template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "<no error>";
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

// A parameter struct exercising each declaration feature the operators use.
struct DemoParam {
  int num_hidden = 0;
  bool no_bias = false;
  double eps = 0;
  float alpha = 0;
  float momentum = 0;
  std::string mode;
  Shape kernel;
  static void declare(ParamDecl<DemoParam>& d) {
    d.field("num_hidden", &DemoParam::num_hidden).lower_bound(1).describe("hidden units");
    d.field("no_bias", &DemoParam::no_bias).set_default(false).describe("no bias");
    d.field("eps", &DemoParam::eps).set_default(1e-3).describe("epsilon");
    d.field("alpha", &DemoParam::alpha).set_default(0.0f).set_range(0, 1).describe("alpha");
    d.field("momentum", &DemoParam::momentum).set_default(0.9f).describe("momentum");
    d.field("mode", &DemoParam::mode)
        .choices({"avg", "max"})
        .set_default(std::string("max"))
        .describe("pooling mode");
    d.field("kernel", &DemoParam::kernel).set_default(Shape({})).describe("kernel");
  }
};

const ParamSchema& demo_schema() {
  static auto s = make_schema<DemoParam>();
  return *s;
}

const DemoParam& parsed(const std::any& a) {
  return *std::any_cast<const std::shared_ptr<const DemoParam>&>(a);
}

}  // namespace

TEST_CASE("parse_bool accepts dmlc's spellings and nothing else", "[params]") {
  CHECK(parse_bool("True"));
  CHECK(parse_bool("true"));
  CHECK(parse_bool("TRUE"));
  CHECK(parse_bool("1"));
  CHECK(parse_bool(" True "));
  CHECK_FALSE(parse_bool("False"));
  CHECK_FALSE(parse_bool("false"));
  CHECK_FALSE(parse_bool("0"));
  CHECK_THROWS_AS(parse_bool("abc"), Error);
  CHECK_THROWS_AS(parse_bool("2"), Error);
  CHECK_THROWS_AS(parse_bool(""), Error);
  CHECK_THROWS_AS(parse_bool("yes"), Error);
}

TEST_CASE("parse_int follows istream >> int with nothing but whitespace after", "[params]") {
  CHECK(parse_int("10") == 10);
  CHECK(parse_int("-3") == -3);
  CHECK(parse_int(" 7 ") == 7);
  // Python 2 wrote longs with an L suffix
  CHECK(parse_int("10L") == 10);
  CHECK(parse_int("4294967296") == 4294967296LL);
  CHECK_THROWS_AS(parse_int("10.0"), Error);
  CHECK_THROWS_AS(parse_int("abc"), Error);
  CHECK_THROWS_AS(parse_int(""), Error);
  CHECK_THROWS_AS(parse_int("1e3"), Error);
  CHECK_THROWS_AS(parse_int("0x10"), Error);
  CHECK_THROWS_AS(parse_int("3 4"), Error);
  CHECK_THROWS_AS(parse_int("99999999999999999999"), Error);
  CHECK(contains(error_of([] { parse_int("10.0"); }), "10.0"));
}

TEST_CASE("parse_float accepts Python's float strings, inf and nan", "[params]") {
  CHECK(parse_float("0.5") == 0.5);
  CHECK(parse_float("2e-05") == 2e-05);
  CHECK(parse_float("-1.0") == -1.0);
  CHECK(parse_float("1") == 1.0);
  CHECK(parse_float(" 3.25 ") == 3.25);
  CHECK(std::isinf(parse_float("inf")));
  CHECK(std::isnan(parse_float("nan")));
  CHECK_THROWS_AS(parse_float("abc"), Error);
  CHECK_THROWS_AS(parse_float(""), Error);
  CHECK_THROWS_AS(parse_float("1.0x"), Error);
}

TEST_CASE("parse_shape accepts every tuple form MXNet frontends write", "[params]") {
  CHECK(parse_shape("(3, 3)") == Shape({3, 3}));
  CHECK(parse_shape("[3,3]") == Shape({3, 3}));
  CHECK(parse_shape("[3, 3]") == Shape({3, 3}));
  CHECK(parse_shape("(1, 3, 224, 224)") == Shape({1, 3, 224, 224}));
  CHECK(parse_shape("(3,)") == Shape({3}));
  CHECK(parse_shape("3") == Shape({3}));
  CHECK(parse_shape("(10L, 2L)") == Shape({10, 2}));

  Shape empty = parse_shape("()");
  CHECK(empty.ndim_known());
  CHECK(empty.ndim() == 0);
  CHECK(parse_shape("[]").ndim() == 0);

  Shape none = parse_shape("None");
  CHECK_FALSE(none.ndim_known());
  CHECK(none.ndim() == -1);

  CHECK_THROWS_AS(parse_shape("(3, 3"), Error);
  CHECK_THROWS_AS(parse_shape("(3, 3]"), Error);
  CHECK_THROWS_AS(parse_shape("(a, b)"), Error);
  CHECK_THROWS_AS(parse_shape("(,)"), Error);
  CHECK_THROWS_AS(parse_shape("(,3)"), Error);
  CHECK_THROWS_AS(parse_shape("(3,,)"), Error);
  CHECK_THROWS_AS(parse_shape("(3.5, 2)"), Error);
  CHECK_THROWS_AS(parse_shape("abc"), Error);
}

TEST_CASE("format_float prints Python's repr", "[params]") {
  CHECK(format_float(1.0) == "1.0");
  CHECK(format_float(2e-05) == "2e-05");
  CHECK(format_float(1e-05) == "1e-05");
  CHECK(format_float(0.0001) == "0.0001");
  CHECK(format_float(0.00012) == "0.00012");
  CHECK(format_float(1e16) == "1e+16");
  CHECK(format_float(1.5e16) == "1.5e+16");
  CHECK(format_float(1e15) == "1000000000000000.0");
  CHECK(format_float(9999999999999998.0) == "9999999999999998.0");
  CHECK(format_float(-1.0) == "-1.0");
  CHECK(format_float(0.1) == "0.1");
  CHECK(format_float(0.5) == "0.5");
  CHECK(format_float(0.9) == "0.9");
  CHECK(format_float(100.0) == "100.0");
  CHECK(format_float(123456.0) == "123456.0");
  CHECK(format_float(2.5) == "2.5");
  CHECK(format_float(0.1 + 0.2) == "0.30000000000000004");
  CHECK(format_float(1.2345e-5) == "1.2345e-05");
  CHECK(format_float(1e100) == "1e+100");
  CHECK(format_float(1e22) == "1e+22");
  CHECK(format_float(-2.5e-7) == "-2.5e-07");
  CHECK(format_float(0.0) == "0.0");
  CHECK(format_float(-0.0) == "-0.0");
  CHECK(format_float(std::numeric_limits<double>::infinity()) == "inf");
  CHECK(format_float(-std::numeric_limits<double>::infinity()) == "-inf");
  CHECK(format_float(std::nan("")) == "nan");
  // a float32 value widened to double keeps all its digits, as Python's repr would
  CHECK(format_float(static_cast<double>(0.9f)) == "0.8999999761581421");
}

TEST_CASE("format_float output parses back to the same double", "[params]") {
  const double values[] = {1.0 / 3, 2.0 / 3,       1e-300,        5e-324, 1.7976931348623157e308,
                           123.456, 6.02214076e23, 0.000123456789};
  for (double v : values) {
    std::string s = format_float(v);
    INFO(s);
    CHECK(parse_float(s) == v);
  }
}

TEST_CASE("Shape basics: unknown dims, sizes and printing", "[params]") {
  Shape s({2, -1, 4});
  CHECK(s.ndim() == 3);
  CHECK(s.ndim_known());
  CHECK_FALSE(s.known());
  CHECK(s.unknown_count() == 1);
  CHECK(Shape().unknown_count() == 1);
  CHECK(Shape({2, 3, 4}).size() == 24);
  CHECK(Shape({2, 3, 4}).prod(1, 3) == 12);
  CHECK(Shape({1, 100}).str() == "(1,100)");
  CHECK(Shape({5}).str() == "(5,)");
  CHECK(Shape().str() == "None");
  CHECK(Shape::unknown_of_ndim(2) == Shape({-1, -1}));
}

TEST_CASE("dtype flags and names follow mshadow", "[params]") {
  CHECK(dtype_size(kFloat32) == 4);
  CHECK(dtype_size(kFloat64) == 8);
  CHECK(dtype_size(kFloat16) == 2);
  CHECK(dtype_size(kUint8) == 1);
  CHECK(dtype_size(kInt64) == 8);
  CHECK(dtype_name(kFloat64) == "float64");
  CHECK(dtype_name(kBfloat16) == "bfloat16");
  CHECK(dtype_from_name("int32") == kInt32);
  CHECK(dtype_from_name("bool") == kBool);
  CHECK(kFloat16 == 2);
  CHECK(kBfloat16 == 12);
  CHECK_THROWS_AS(dtype_size(99), Error);
  CHECK_THROWS_AS(dtype_from_name("float128"), Error);
}

TEST_CASE("is_hidden_key recognises __x__ only", "[params]") {
  CHECK(is_hidden_key("__lr_mult__"));
  CHECK(is_hidden_key("__a__"));
  CHECK_FALSE(is_hidden_key("____"));  // length must exceed 4
  CHECK_FALSE(is_hidden_key("__x"));
  CHECK_FALSE(is_hidden_key("x__"));
  CHECK_FALSE(is_hidden_key("lr_mult"));
}

TEST_CASE("ParamSchema fills defaults and parses given values", "[params]") {
  auto a = demo_schema().parse({{"num_hidden", "10"}}, "Demo", "d0");
  const DemoParam& p = parsed(a);
  CHECK(p.num_hidden == 10);
  CHECK_FALSE(p.no_bias);
  CHECK(p.eps == 1e-3);
  CHECK(p.alpha == 0.0f);
  CHECK(p.mode == "max");
  CHECK(p.kernel == Shape({}));

  auto b = demo_schema().parse({{"num_hidden", "3L"},
                                {"no_bias", "True"},
                                {"eps", "2e-05"},
                                {"alpha", "0.25"},
                                {"mode", "avg"},
                                {"kernel", "(3, 3)"}},
                               "Demo", "d0");
  const DemoParam& q = parsed(b);
  CHECK(q.num_hidden == 3);
  CHECK(q.no_bias);
  CHECK(q.eps == 2e-05);
  CHECK(q.alpha == 0.25f);
  CHECK(q.mode == "avg");
  CHECK(q.kernel == Shape({3, 3}));
}

TEST_CASE("ParamSchema ignores __x__ keys", "[params]") {
  AttrDict d = {{"num_hidden", "4"},
                {"__lr_mult__", "2.0"},
                {"__ctx_group__", "dev1"},
                {"__custom__", "anything"}};
  CHECK(parsed(demo_schema().parse(d, "Demo", "d0")).num_hidden == 4);
  // only the __x__ form is hidden: the bare hidden names are unknown parameters
  CHECK_THROWS_AS(demo_schema().parse({{"num_hidden", "4"}, {"lr_mult", "2"}}, "Demo", "d0"),
                  Error);
  CHECK_THROWS_AS(demo_schema().parse({{"num_hidden", "4"}, {"____", "2"}}, "Demo", "d0"), Error);
}

TEST_CASE("ParamSchema: an unknown key lists the possible arguments", "[params]") {
  std::string msg = error_of([] {
    demo_schema().parse({{"num_hidden", "4"}, {"foo", "1"}}, "Demo", "d0");
  });
  INFO(msg);
  CHECK(contains(msg, "Cannot find argument 'foo'"));
  CHECK(contains(msg, "num_hidden : int, required"));
  CHECK(contains(msg, "no_bias : boolean, optional, default=0"));
  CHECK(contains(msg, "mode : {'avg', 'max'}"));
  CHECK(contains(msg, "Demo(name=\"d0\""));
}

TEST_CASE("ParamSchema: a missing required parameter is named", "[params]") {
  std::string msg = error_of([] { demo_schema().parse({{"eps", "0.1"}}, "Demo", "fc7"); });
  INFO(msg);
  CHECK(contains(msg, "Required parameter num_hidden"));
  CHECK(contains(msg, "is not presented"));
  CHECK(contains(msg, "Demo(name=\"fc7\""));
}

TEST_CASE("ParamSchema: a badly formed value names key, type and value", "[params]") {
  std::string msg = error_of([] { demo_schema().parse({{"num_hidden", "10.0"}}, "Demo", "d0"); });
  INFO(msg);
  CHECK(contains(msg, "num_hidden"));
  CHECK(contains(msg, "int"));
  CHECK(contains(msg, "value='10.0'"));

  msg = error_of([] {
    demo_schema().parse({{"num_hidden", "1"}, {"no_bias", "maybe"}}, "Demo", "d0");
  });
  INFO(msg);
  CHECK(contains(msg, "no_bias"));
  CHECK(contains(msg, "'maybe'"));

  msg = error_of([] {
    demo_schema().parse({{"num_hidden", "1"}, {"kernel", "(3, x)"}}, "Demo", "d0");
  });
  CHECK(contains(msg, "kernel"));
}

TEST_CASE("ParamSchema: bounds are checked", "[params]") {
  std::string msg = error_of([] { demo_schema().parse({{"num_hidden", "0"}}, "Demo", "d0"); });
  INFO(msg);
  CHECK(contains(msg, "num_hidden"));
  CHECK(contains(msg, "greater equal to 1"));
  CHECK_NOTHROW(demo_schema().parse({{"num_hidden", "1"}}, "Demo", "d0"));

  msg = error_of([] {
    demo_schema().parse({{"num_hidden", "1"}, {"alpha", "1.5"}}, "Demo", "d0");
  });
  INFO(msg);
  CHECK(contains(msg, "alpha"));
  CHECK(contains(msg, "range [0, 1]"));
  msg = error_of([] {
    demo_schema().parse({{"num_hidden", "1"}, {"alpha", "-0.5"}}, "Demo", "d0");
  });
  CHECK(contains(msg, "alpha"));
  CHECK_NOTHROW(demo_schema().parse({{"num_hidden", "1"}, {"alpha", "1"}}, "Demo", "d0"));
}

TEST_CASE("ParamSchema: enum values must be among the choices", "[params]") {
  std::string msg = error_of([] {
    demo_schema().parse({{"num_hidden", "1"}, {"mode", "sum"}}, "Demo", "d0");
  });
  INFO(msg);
  CHECK(contains(msg, "mode"));
  CHECK(contains(msg, "'sum'"));
  CHECK(contains(msg, "{'avg', 'max'}"));
  // numbers are not accepted in place of enum names
  CHECK_THROWS_AS(demo_schema().parse({{"num_hidden", "1"}, {"mode", "0"}}, "Demo", "d0"), Error);
}

TEST_CASE("ParamField type strings follow dmlc's docs", "[params]") {
  const ParamSchema& s = demo_schema();
  CHECK(s.find("num_hidden")->type_info() == "int, required");
  CHECK(s.find("no_bias")->type_info() == "boolean, optional, default=0");
  CHECK(s.find("kernel")->type_info() == "Shape(tuple), optional, default=[]");
  CHECK(s.find("eps")->type_info() == "double, optional, default=0.001");
  CHECK(s.find("eps")->doc == "epsilon");
  CHECK(s.find("missing") == nullptr);
}

TEST_CASE("ParamSchema: an int field rejects values outside int's range", "[params]") {
  // dmlc reads int fields with istream >> int, which fails on overflow; a silent wrap to a
  // negative number would turn num_hidden=3000000000 into a nonsense shape later on.
  // 4294967306 = 2^32 + 10 would wrap to a plausible 10
  CHECK_THROWS_AS(demo_schema().parse({{"num_hidden", "4294967306"}}, "Demo", "d0"), Error);
  CHECK_THROWS_AS(demo_schema().parse({{"num_hidden", "3000000000"}}, "Demo", "d0"), Error);
}

TEST_CASE("ParamField type strings: enum and float defaults as MXNet prints them",
          "[params]") {
  // MXNet 1.9.1 prints an enum's optional part without a space ("{'avg', 'max'},optional,
  // default='max'", spec 5.2) and float defaults with 9 significant digits: 0.0f -> "0",
  // 0.9f -> "0.899999976" (as BatchNorm's momentum reads in the reference's op info).
  const ParamSchema& s = demo_schema();
  CHECK(s.find("mode")->type_info() == "{'avg', 'max'},optional, default='max'");
  CHECK(s.find("alpha")->type_info() == "float, optional, default=0");
  CHECK(s.find("momentum")->type_info() == "float, optional, default=0.899999976");
}
