// Symbols and their MXNet 1.9.1 JSON: composition (auto-created parameters carrying the op's
// dict), naming, grouping, copying, printing, hidden attribute keys, the JSON writer byte for
// byte (spec 1.8), the reader's strictness and legacy upgrades, and shape/type inference
// including MXNet's exact inconsistency message.
#if __has_include(<catch2/catch_test_macros.hpp>)
#include <catch2/catch_test_macros.hpp>
#else
#include <catch2/catch.hpp>  // Catch2 2.x, as Debian bookworm ships it
#endif

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/base/error.h"
#include "core/graph/graph.h"
#include "core/graph/symbol.h"
#include "core/op/op.h"
#include "core/ops/fully_connected.h"
#include "core/pass/passes.h"

using namespace loom;

namespace {

using Strings = std::vector<std::string>;
using KwArgs = std::vector<std::pair<std::string, Symbol>>;

template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "<no error>";
}

template <class F>
std::string error_kind_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.kind();
  }
  return "<no error>";
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

// op(**params)(*args, **kwargs, name=name), as the Python frontend does it.
Symbol make(const std::string& op, const AttrDict& params, const std::string& name,
            const KwArgs& kwargs = {}, const std::vector<Symbol>& args = {}) {
  Symbol s = Symbol::atomic(OpRegistry::get().require(op), params);
  s.compose(args, kwargs, name);
  return s;
}

// Spec 1.8: data -> FullyConnected(num_hidden=10, name='fc1') -> SoftmaxOutput(name='softmax').
Symbol worked_example() {
  Symbol data = Symbol::variable("data");
  Symbol fc = make("FullyConnected", {{"num_hidden", "10"}}, "fc1", {{"data", data}});
  return make("SoftmaxOutput", {}, "softmax", {{"data", fc}});
}

// Copied from spec 1.8: every line ending in a comma ends in ", " and there is no final newline.
const std::string kWorkedExampleJson = R"JSON({
  "nodes": [
    {
      "op": "null", 
      "name": "data", 
      "inputs": []
    }, 
    {
      "op": "null", 
      "name": "fc1_weight", 
      "attrs": {"num_hidden": "10"}, 
      "inputs": []
    }, 
    {
      "op": "null", 
      "name": "fc1_bias", 
      "attrs": {"num_hidden": "10"}, 
      "inputs": []
    }, 
    {
      "op": "FullyConnected", 
      "name": "fc1", 
      "attrs": {"num_hidden": "10"}, 
      "inputs": [[0, 0, 0], [1, 0, 0], [2, 0, 0]]
    }, 
    {
      "op": "null", 
      "name": "softmax_label", 
      "inputs": []
    }, 
    {
      "op": "SoftmaxOutput", 
      "name": "softmax", 
      "inputs": [[3, 0, 0], [4, 0, 0]]
    }
  ], 
  "arg_nodes": [0, 1, 2, 4], 
  "node_row_ptr": [0, 1, 2, 3, 4, 5, 6], 
  "heads": [[5, 0, 0]], 
  "attrs": {"mxnet_version": ["int", 10901]}
})JSON";

// The node of a grouped symbol's output named `out_name` (internals are a convenient index).
NodePtr node_named(const Symbol& s, const std::string& name) {
  NodePtr found;
  dfs_visit(s.outputs, [&](const NodePtr& n) {
    if (n->name() == name) found = n;
  });
  if (!found) FAIL("no node named " << name);
  return found;
}

std::string dict_text(const AttrDict& d) {
  std::string s = "{";
  for (const auto& [k, v] : d) s += (s.size() > 1 ? ", " : "") + k + ": " + v;
  return s + "}";
}

std::map<std::string, std::string> attr_map(
    const std::vector<std::pair<std::string, std::string>>& v) {
  return {v.begin(), v.end()};
}

// A JSON document with one FullyConnected node whose fields are patched per test.
std::string fc_json(const std::string& fc_node_extra, const std::string& top_extra = "",
                    const std::string& fc_inputs = "[[0, 0, 0], [1, 0, 0], [2, 0, 0]]") {
  return R"({"nodes": [
    {"op": "null", "name": "data", "inputs": []},
    {"op": "null", "name": "fc1_weight", "inputs": []},
    {"op": "null", "name": "fc1_bias", "inputs": []},
    {"op": "FullyConnected", "name": "fc1", "attrs": {"num_hidden": "10"}, "inputs": )" +
         fc_inputs + fc_node_extra + R"(}],
  "arg_nodes": [0, 1, 2], "heads": [[3, 0, 0]],
  "attrs": {"mxnet_version": ["int", 10901]})" +
         top_extra + "}";
}

}  // namespace

// ---------------------------------------------------------------------------------- compose

TEST_CASE("compose auto-creates parameters that carry the op's dict", "[graph][compose]") {
  Symbol net = worked_example();
  CHECK(net.list_arguments() == Strings{"data", "fc1_weight", "fc1_bias", "softmax_label"});
  CHECK(net.list_outputs() == Strings{"softmax_output"});
  CHECK(net.list_auxiliary_states().empty());
  CHECK(net.list_inputs(Symbol::InputKind::kAll) == net.list_arguments());
  CHECK(net.internals().list_outputs() ==
        Strings{"data", "fc1_weight", "fc1_bias", "fc1_output", "softmax_label", "softmax_output"});

  CHECK(node_named(net, "fc1_weight")->attrs.dict == AttrDict{{"num_hidden", "10"}});
  CHECK(node_named(net, "fc1_bias")->attrs.dict == AttrDict{{"num_hidden", "10"}});
  CHECK(node_named(net, "softmax_label")->attrs.dict.empty());
  CHECK(node_named(net, "data")->attrs.dict.empty());
  CHECK(node_named(net, "fc1_weight")->is_variable());
}

TEST_CASE("FullyConnected with no_bias=True has no bias input", "[graph][compose]") {
  Symbol fc = make("FullyConnected", {{"num_hidden", "4"}, {"no_bias", "True"}}, "fc1",
                   {{"data", Symbol::variable("x")}});
  CHECK(fc.list_arguments() == Strings{"x", "fc1_weight"});
  CHECK(node_named(fc, "fc1_weight")->attrs.dict ==
        AttrDict{{"no_bias", "True"}, {"num_hidden", "4"}});
  CHECK(fc.outputs[0].node->inputs.size() == 2);
}

TEST_CASE("compose names: <name>_<input>, bare <input> without a name, and missing data",
          "[graph][compose]") {
  Symbol anon =
      make("FullyConnected", {{"num_hidden", "2"}}, "", {{"data", Symbol::variable("x")}});
  CHECK(anon.list_arguments() == Strings{"x", "weight", "bias"});

  // FullyConnected(num_hidden=10, name='fc') with no data at all auto-creates fc_data
  Symbol nodata = make("FullyConnected", {{"num_hidden", "10"}}, "fc");
  CHECK(nodata.list_arguments() == Strings{"fc_data", "fc_weight", "fc_bias"});

  // positional arguments fill inputs in order; the rest are created
  Symbol pos = make("FullyConnected", {{"num_hidden", "3"}}, "fc2", {},
                    {Symbol::variable("a"), Symbol::variable("w")});
  CHECK(pos.list_arguments() == Strings{"a", "w", "fc2_bias"});
  CHECK(pos.list_outputs() == Strings{"fc2_output"});

  Symbol reg = make("LinearRegressionOutput", {}, "lro", {{"data", Symbol::variable("d")}});
  CHECK(reg.list_arguments() == Strings{"d", "lro_label"});
}

TEST_CASE("compose of an atomic symbol rejects bad arguments", "[graph][compose]") {
  Symbol x = Symbol::variable("x");
  std::string msg = error_of([&] {
    make("FullyConnected", {{"num_hidden", "2"}}, "fc1", {{"foo", x}});
  });
  INFO(msg);
  CHECK(contains(msg, "Keyword argument name foo not found"));
  CHECK(contains(msg, "data, weight, bias"));

  msg = error_of([&] {
    make("FullyConnected", {{"num_hidden", "2"}}, "fc1", {{"data", x}}, {Symbol::variable("y")});
  });
  CHECK(contains(msg, "data"));
  CHECK(contains(msg, "given twice"));

  msg = error_of([&] {
    make("Activation", {{"act_type", "relu"}}, "a", {}, {x, Symbol::variable("y")});
  });
  CHECK(contains(msg, "too many positional arguments"));

  // an input must be a single output
  Symbol two = Symbol::group({x, Symbol::variable("y")});
  msg = error_of([&] { make("Activation", {{"act_type", "relu"}}, "a", {{"data", two}}); });
  CHECK(contains(msg, "single output"));
}

TEST_CASE("variadic ops count their inputs and take no keywords", "[graph][compose]") {
  Symbol a = Symbol::variable("a"), b = Symbol::variable("b"), c = Symbol::variable("c");
  // num_args is a required parameter, checked when the atomic symbol is created (MXNet's
  // Python frontend fills it in before calling the C API)
  CHECK(contains(error_of([] { make("add_n", {}, "s"); }), "Required parameter num_args"));
  Symbol sum = make("add_n", {{"num_args", "3"}}, "sum", {}, {a, b, c});
  CHECK(sum.outputs[0].node->attrs.dict == AttrDict{{"num_args", "3"}});
  CHECK(sum.list_arguments() == Strings{"a", "b", "c"});
  CHECK(sum.list_outputs() == Strings{"sum_output"});

  std::string msg = error_of([&] { make("add_n", {{"num_args", "1"}}, "s", {{"arg0", a}}); });
  CHECK(contains(msg, "do not accept kwargs"));

  msg = error_of([&] { make("add_n", {{"num_args", "2"}}, "s", {}, {a, b, c}); });
  INFO(msg);
  CHECK(contains(msg, "expects 2 inputs"));

  // the alias resolves to the same op
  Symbol ews = make("ElementWiseSum", {{"num_args", "2"}}, "ews", {}, {a, b});
  CHECK(ews.outputs[0].node->op()->name == "add_n");
}

TEST_CASE("general composition replaces variables by keyword", "[graph][compose]") {
  Symbol x = Symbol::variable("x");
  Symbol act = make("Activation", {{"act_type", "relu"}}, "relu0", {{"data", x}});
  Symbol net = worked_example();
  net.compose({}, {{"data", act}}, "");
  CHECK(net.list_arguments() == Strings{"x", "fc1_weight", "fc1_bias", "softmax_label"});
  CHECK(net.internals().list_outputs() == Strings{"x", "relu0_output", "fc1_weight", "fc1_bias",
                                                  "fc1_output", "softmax_label", "softmax_output"});

  // a head that is itself a replaced variable is replaced too
  Symbol v = Symbol::variable("v");
  v.compose({}, {{"v", act}}, "");
  CHECK(v.list_outputs() == Strings{"relu0_output"});
}

TEST_CASE("general composition errors", "[graph][compose]") {
  Symbol net = worked_example();
  std::string msg = error_of([&] { net.compose({}, {{"foo", Symbol::variable("z")}}, ""); });
  INFO(msg);
  CHECK(contains(msg, "Keyword argument name foo not found"));
  CHECK(contains(msg, "data, fc1_weight, fc1_bias, softmax_label"));
  CHECK(error_kind_of([&] {
          net.compose({}, {{"foo", Symbol::variable("z")}}, "");
        }) == "ValueError");

  msg = error_of([&] { net.compose({Symbol::variable("z")}, {}, ""); });
  CHECK(contains(msg, "General composition only support kwargs"));
  // nothing was replaced by the failed calls
  CHECK(net.list_arguments() == Strings{"data", "fc1_weight", "fc1_bias", "softmax_label"});
}

TEST_CASE("general composition with two variables of one name fails", "[graph][compose]") {
  Symbol sum =
      make("elemwise_add", {}, "plus0", {}, {Symbol::variable("x"), Symbol::variable("x")});
  CHECK(sum.list_arguments() == Strings{"x", "x"});  // no dedup of distinct nodes
  CHECK_THROWS_AS(sum.compose({}, {{"x", Symbol::variable("y")}}, ""), Error);
}

TEST_CASE("general composition: the duplicate-name error names the key",
          "[graph][compose]") {
  // spec 5.3: an ambiguous key gives "Keyword argument name X not found" listing candidates
  Symbol sum =
      make("elemwise_add", {}, "plus0", {}, {Symbol::variable("x"), Symbol::variable("x")});
  std::string msg = error_of([&] { sum.compose({}, {{"x", Symbol::variable("y")}}, ""); });
  INFO(msg);
  CHECK(contains(msg, "Keyword argument name x not found"));
}

TEST_CASE("a failed general composition leaves the symbol unchanged",
          "[graph][compose]") {
  // house rule 6: bad input never corrupts. MXNet counts the matches before replacing.
  Symbol sum =
      make("elemwise_add", {}, "plus0", {}, {Symbol::variable("x"), Symbol::variable("x")});
  CHECK_THROWS_AS(sum.compose({}, {{"x", Symbol::variable("y")}}, ""), Error);
  CHECK(sum.list_arguments() == Strings{"x", "x"});

  Symbol net = worked_example();
  CHECK_THROWS_AS(
      net.compose({}, {{"data", Symbol::variable("z")}, {"foo", Symbol::variable("w")}}, ""),
      Error);
  CHECK(net.list_arguments() == Strings{"data", "fc1_weight", "fc1_bias", "softmax_label"});
}

// ------------------------------------------------------------------------- query and group

TEST_CASE("get_children lists the inputs of the head nodes once per node", "[graph]") {
  Symbol net = worked_example();
  CHECK(net.children().list_outputs() == Strings{"fc1_output", "softmax_label"});
  Symbol fc = net.children().output(0);
  CHECK(fc.children().list_outputs() == Strings{"data", "fc1_weight", "fc1_bias"});
  CHECK(Symbol::variable("v").children().outputs.empty());
  CHECK(Symbol::group({fc, fc}).children().list_outputs() ==
        Strings{"data", "fc1_weight", "fc1_bias"});
}

TEST_CASE("group concatenates outputs; arguments appear once", "[graph]") {
  Symbol net = worked_example();
  Symbol fc = net.children().output(0);
  Symbol g = Symbol::group({fc, net});
  CHECK(g.list_outputs() == Strings{"fc1_output", "softmax_output"});
  CHECK(g.list_arguments() == Strings{"data", "fc1_weight", "fc1_bias", "softmax_label"});
  CHECK_FALSE(g.name().has_value());
  CHECK(net.name() == std::optional<std::string>("softmax"));
  CHECK(g.output(1).list_outputs() == Strings{"softmax_output"});
  CHECK_THROWS_AS(g.output(2), Error);
  CHECK(error_kind_of([&] { g.output(2); }) == "IndexError");
}

TEST_CASE("internals expose every variable and op output in DFS order", "[graph]") {
  Symbol internals = worked_example().internals();
  REQUIRE(internals.outputs.size() == 6);
  Symbol fc1 = internals.output(3);
  CHECK(fc1.list_outputs() == Strings{"fc1_output"});
  CHECK(fc1.list_arguments() == Strings{"data", "fc1_weight", "fc1_bias"});
  CHECK(output_name(*fc1.outputs[0].node, 0) == "fc1_output");
  CHECK(output_name(*internals.outputs[0].node, 0) == "data");
}

TEST_CASE("copy is deep: changing the copy leaves the original alone", "[graph]") {
  Symbol net = worked_example();
  std::string before = net.to_json();
  Symbol c = net.copy();
  CHECK(c.to_json() == before);
  CHECK(c.outputs[0].node != net.outputs[0].node);

  c.compose({}, {{"data", Symbol::variable("other")}}, "");
  c.set_attr("name", "renamed");
  CHECK(c.list_arguments() == Strings{"other", "fc1_weight", "fc1_bias", "softmax_label"});
  CHECK(net.list_arguments() == Strings{"data", "fc1_weight", "fc1_bias", "softmax_label"});
  CHECK(net.to_json() == before);
  node_named(c, "fc1")->attrs.dict["__lr_mult__"] = "3";
  CHECK_FALSE(node_named(net, "fc1")->attrs.dict.count("__lr_mult__"));
}

TEST_CASE("print follows MXNet's Symbol::Print", "[graph]") {
  Symbol fc =
      make("FullyConnected", {{"num_hidden", "10"}}, "fc1", {{"data", Symbol::variable("data")}});
  CHECK(fc.print() ==
        "Symbol Outputs:\n"
        "\toutput[0]=fc1(0)\n"
        "Variable:data\n"
        "Variable:fc1_weight\n"
        "Variable:fc1_bias\n"
        "--------------------\n"
        "Op:FullyConnected, Name=fc1\n"
        "Inputs:\n"
        "\targ[0]=data(0) version=0\n"
        "\targ[1]=fc1_weight(0) version=0\n"
        "\targ[2]=fc1_bias(0) version=0\n"
        "Attrs:\n"
        "\tnum_hidden=10\n");

  Symbol net = worked_example();
  std::string p = net.print();
  CHECK(contains(p,
                 "Op:SoftmaxOutput, Name=softmax\nInputs:\n\targ[0]=fc1(0)\n"
                 "\targ[1]=softmax_label(0) version=0\n"));
}

TEST_CASE("print of a lone variable or an atomic symbol", "[graph]") {
  // spec 5.3: "a lone variable prints Variable:<name>, an atomic op AtomicFunctor  Op:<op>"
  CHECK(Symbol::variable("data").print() == "Variable:data\n");
  Symbol atomic =
      Symbol::atomic(OpRegistry::get().require("FullyConnected"), {{"num_hidden", "2"}});
  CHECK(atomic.print() == "AtomicFunctor  Op:FullyConnected\n");
}

// ------------------------------------------------------------------------------ attributes

TEST_CASE("set_attr stores hidden keys as __key__", "[graph][attr]") {
  Symbol v = Symbol::variable("w");
  v.set_attr("lr_mult", "2.0");
  v.set_attr("wd_mult", "0");
  v.set_attr("ctx_group", "dev1");
  v.set_attr("force_mirroring", "True");
  v.set_attr("mirror_stage", "1");
  v.set_attr("mood", "angry");
  v.set_attr("__init__", "[\"zero\", {}]");
  const AttrDict& d = v.outputs[0].node->attrs.dict;
  CHECK(d == AttrDict{{"__lr_mult__", "2.0"},
                      {"__wd_mult__", "0"},
                      {"__ctx_group__", "dev1"},
                      {"__force_mirroring__", "True"},
                      {"__mirror_stage__", "1"},
                      {"mood", "angry"},
                      {"__init__", "[\"zero\", {}]"}});
  CHECK(v.get_attr("lr_mult") == std::optional<std::string>("2.0"));
  CHECK(v.get_attr("__lr_mult__") == std::optional<std::string>("2.0"));
  CHECK(v.get_attr("mood") == std::optional<std::string>("angry"));
  CHECK(v.get_attr("name") == std::optional<std::string>("w"));
  CHECK_FALSE(v.get_attr("missing").has_value());
}

TEST_CASE("set_attr rejects <x>_lr_mult and friends as deprecated", "[graph][attr]") {
  Symbol v = Symbol::variable("w");
  for (const char* key : {"weight_lr_mult", "bias_wd_mult", "x_ctx_group"}) {
    std::string msg = error_of([&] { v.set_attr(key, "1"); });
    INFO(key << ": " << msg);
    CHECK(contains(msg, key));
    CHECK(contains(msg, "deprecated"));
  }
  CHECK(v.outputs[0].node->attrs.dict.empty());
}

TEST_CASE("set_attr on an op node re-parses and rolls back bad keys", "[graph][attr]") {
  Symbol fc =
      make("FullyConnected", {{"num_hidden", "10"}}, "fc1", {{"data", Symbol::variable("data")}});
  fc.set_attr("lr_mult", "0.1");
  CHECK(fc.get_attr("__lr_mult__") == std::optional<std::string>("0.1"));
  fc.set_attr("num_hidden", "20");
  auto shapes = infer_symbol_shapes(fc, {"data"}, {Shape({2, 5})});
  CHECK(shapes.outputs[0] == Shape({2, 20}));

  std::string msg = error_of([&] { fc.set_attr("foo", "1"); });
  INFO(msg);
  CHECK(contains(msg, "foo"));
  CHECK_FALSE(fc.outputs[0].node->attrs.dict.count("foo"));
  CHECK_THROWS_AS(fc.set_attr("num_hidden", "ten"), Error);
  CHECK(fc.get_attr("num_hidden") == std::optional<std::string>("20"));

  fc.set_attr("name", "dense");
  CHECK(fc.list_outputs() == Strings{"dense_output"});
}

TEST_CASE("attributes are per node: grouped symbols of several nodes refuse them",
          "[graph][attr]") {
  Symbol g = Symbol::group({Symbol::variable("a"), Symbol::variable("b")});
  CHECK_THROWS_AS(g.set_attr("lr_mult", "1"), Error);
  CHECK_THROWS_AS(g.get_attr("lr_mult"), Error);
  CHECK(g.list_attr(false).empty());  // listing, unlike setting, is not an error
}

TEST_CASE("atomic symbols convert hidden keys by prefix", "[graph][attr]") {
  const Op& fc = OpRegistry::get().require("FullyConnected");
  Symbol s = Symbol::atomic(fc, {{"num_hidden", "4"}, {"lr_mult", "2"}, {"ctx_group", "g1"}});
  CHECK(s.outputs[0].node->attrs.dict ==
        AttrDict{{"num_hidden", "4"}, {"__lr_mult__", "2"}, {"__ctx_group__", "g1"}});
  // the hidden keys propagate to auto-created parameters
  s.compose({}, {{"data", Symbol::variable("x")}}, "fc1");
  CHECK(node_named(s, "fc1_weight")->attrs.dict.count("__lr_mult__"));

  std::string msg = error_of([&] {
    Symbol::atomic(fc, {{"num_hidden", "4"}, {"weight_lr_mult", "2"}});
  });
  CHECK(contains(msg, "deprecated"));
  msg = error_of([&] { Symbol::atomic(fc, {{"num_hidden", "4"}, {"foo", "1"}}); });
  CHECK(contains(msg, "Cannot find argument 'foo'"));
}

TEST_CASE("list_attr lists hidden keys twice and recursive keys as node$key", "[graph][attr]") {
  Symbol v = Symbol::variable("w");
  v.set_attr("lr_mult", "2.0");
  v.set_attr("mood", "angry");
  auto shallow = v.list_attr(false);
  CHECK(shallow.size() == 3);
  CHECK(attr_map(shallow) == std::map<std::string, std::string>{
                                 {"__lr_mult__", "2.0"}, {"lr_mult", "2.0"}, {"mood", "angry"}});

  Symbol net = worked_example();
  auto all = attr_map(net.list_attr(true));
  CHECK(all == std::map<std::string, std::string>{{"fc1_weight$num_hidden", "10"},
                                                  {"fc1_bias$num_hidden", "10"},
                                                  {"fc1$num_hidden", "10"}});
}

// ---------------------------------------------------------------------------------- JSON

TEST_CASE("to_json reproduces spec 1.8 byte for byte", "[graph][json]") {
  // guards the expected text itself against editors that strip trailing spaces
  REQUIRE(contains(kWorkedExampleJson, "\"op\": \"null\", \n"));
  REQUIRE(kWorkedExampleJson.back() == '}');
  CHECK(worked_example().to_json() == kWorkedExampleJson);
}

TEST_CASE("from_json then to_json gives back the same text", "[graph][json]") {
  Symbol s = Symbol::from_json(kWorkedExampleJson);
  CHECK(s.to_json() == kWorkedExampleJson);
  CHECK(s.list_arguments() == Strings{"data", "fc1_weight", "fc1_bias", "softmax_label"});
  CHECK(s.list_outputs() == Strings{"softmax_output"});
  CHECK(s.outputs[0].node->op()->name == "SoftmaxOutput");
  // parameters were parsed on load
  CHECK(node_named(s, "fc1")->attrs.get<FullyConnectedParam>().num_hidden == 10);
}

TEST_CASE("arrays of more than 10 elements are written one per line", "[graph][json]") {
  auto build = [](int n) {
    std::vector<Symbol> xs;
    for (int i = 0; i < n; ++i) {
      std::string name = "x";
      name += std::to_string(i);
      xs.push_back(Symbol::variable(name));
    }
    return make("add_n", {{"num_args", std::to_string(n)}}, "sum", {}, xs);
  };
  std::string json = build(11).to_json();
  INFO(json);
  std::string inputs = "\"inputs\": [\n";
  for (int i = 0; i < 11; ++i)
    inputs += "        [" + std::to_string(i) + ", 0, 0]" + (i < 10 ? ", \n" : "\n");
  inputs += "      ]\n    }\n  ], \n";
  CHECK(contains(json, "\"attrs\": {\"num_args\": \"11\"}, \n      " + inputs));
  std::string arg_nodes = "\"arg_nodes\": [\n";
  for (int i = 0; i < 11; ++i) arg_nodes += "    " + std::to_string(i) + (i < 10 ? ", \n" : "\n");
  arg_nodes += "  ], \n";
  CHECK(contains(json, arg_nodes));
  std::string row_ptr = "\"node_row_ptr\": [\n";
  for (int i = 0; i < 13; ++i) row_ptr += "    " + std::to_string(i) + (i < 12 ? ", \n" : "\n");
  row_ptr += "  ], \n  \"heads\": [[11, 0, 0]], \n";
  CHECK(contains(json, row_ptr));
  CHECK(Symbol::from_json(json).to_json() == json);

  // exactly 10 stays on one line
  std::string ten = build(10).to_json();
  CHECK(contains(ten, "\"arg_nodes\": [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], \n"));
  CHECK(contains(ten,
                 "\"inputs\": [[0, 0, 0], [1, 0, 0], [2, 0, 0], [3, 0, 0], [4, 0, 0], "
                 "[5, 0, 0], [6, 0, 0], [7, 0, 0], [8, 0, 0], [9, 0, 0]]\n"));
  CHECK(contains(ten, "\"node_row_ptr\": [\n    0, \n"));  // 12 entries
}

TEST_CASE("string maps with two or more entries are multi-line and sorted", "[graph][json]") {
  Symbol fc = make("FullyConnected", {{"num_hidden", "3"}, {"no_bias", "True"}}, "fc1",
                   {{"data", Symbol::variable("data")}});
  std::string json = fc.to_json();
  INFO(json);
  CHECK(contains(json,
                 "      \"attrs\": {\n"
                 "        \"no_bias\": \"True\", \n"
                 "        \"num_hidden\": \"3\"\n"
                 "      }, \n"));
}

TEST_CASE("JSON strings are escaped as dmlc does and read back", "[graph][json]") {
  std::string name = "a\"b\\c\nd\te\rf/g\xc3\xa9";
  Symbol v = Symbol::variable(name);
  v.set_attr("__note__", "say \"hi\"\n");
  std::string json = v.to_json();
  INFO(json);
  CHECK(contains(json, R"("name": "a\"b\\c\nd\te\rf/g)"
                       "\xc3\xa9\""));
  CHECK(contains(json, R"("attrs": {"__note__": "say \"hi\"\n"})"));
  Symbol back = Symbol::from_json(json);
  CHECK(back.list_arguments() == Strings{name});
  CHECK(back.get_attr("__note__") == std::optional<std::string>("say \"hi\"\n"));
  CHECK(back.to_json() == json);
}

TEST_CASE("the JSON reader rejects unknown fields", "[graph][json]") {
  std::string msg = error_of([] { Symbol::from_json(fc_json("", ", \"foo\": 1")); });
  INFO(msg);
  CHECK(contains(msg, "Unknown field"));
  CHECK(contains(msg, "foo"));

  msg = error_of([] { Symbol::from_json(fc_json(", \"bogus\": 1")); });
  INFO(msg);
  CHECK(contains(msg, "Unknown field"));
  CHECK(contains(msg, "bogus"));

  // the optional fields every 1.x writer used are accepted
  CHECK_NOTHROW(
      Symbol::from_json(fc_json(", \"backward_source_id\": -1", ", \"node_row_ptr\": [0]")));
}

TEST_CASE("the JSON reader rejects malformed documents", "[graph][json]") {
  CHECK(contains(error_of([] { Symbol::from_json("{"); }), "Invalid symbol JSON"));
  CHECK(contains(error_of([] { Symbol::from_json(""); }), "Invalid symbol JSON"));
  CHECK(contains(error_of([] { Symbol::from_json("[1, 2]"); }), "top level must be an object"));
  CHECK(
      contains(error_of([] { Symbol::from_json(R"({"arg_nodes": [], "heads": []})"); }), "nodes"));
  CHECK(contains(error_of([] {
                   Symbol::from_json(R"({"nodes": [{"op": "null", "inputs": []}],
                                         "arg_nodes": [0], "heads": [[0, 0, 0]]})");
                 }),
                 "name"));
  // attribute values must be strings
  CHECK(contains(error_of([] {
                   Symbol::from_json(R"({"nodes": [{"op": "null", "name": "x", "attrs": {"a": 1},
                                         "inputs": []}], "arg_nodes": [0], "heads": [[0, 0, 0]]})");
                 }),
                 "must be a string"));
  // graph attrs are typed anys with a registered type name
  std::string json = fc_json("");
  json.replace(json.find("[\"int\", 10901]"), 14, "[\"float\", 10901]");
  CHECK(contains(error_of([&] { Symbol::from_json(json); }), "float"));
}

TEST_CASE("the JSON reader names unregistered ops", "[graph][json]") {
  std::string json = fc_json("");
  json.replace(json.find("\"FullyConnected\""), 16, "\"NoSuchOp\"");
  std::string msg = error_of([&] { Symbol::from_json(json); });
  INFO(msg);
  CHECK(contains(msg, "Failed loading Op fc1 of type NoSuchOp"));
}

TEST_CASE("the JSON reader checks parameters of every op", "[graph][json]") {
  std::string json = fc_json("");
  json.replace(json.find("\"num_hidden\": \"10\""), 18, "\"num_hidden\": \"ten\"");
  std::string msg = error_of([&] { Symbol::from_json(json); });
  INFO(msg);
  CHECK(contains(msg, "Failed loading Op fc1 of type FullyConnected"));
  CHECK(contains(msg, "num_hidden"));
}

TEST_CASE("the JSON reader rejects bad input references", "[graph][json]") {
  // a node may only refer to nodes before it
  std::string msg =
      error_of([] { Symbol::from_json(fc_json("", "", "[[0, 0, 0], [1, 0, 0], [5, 0, 0]]")); });
  INFO(msg);
  CHECK(contains(msg, "refers to node 5"));
  msg = error_of([] { Symbol::from_json(fc_json("", "", "[[0, 1, 0], [1, 0, 0], [2, 0, 0]]")); });
  INFO(msg);
  CHECK(contains(msg, "reads output 1 of data"));
  msg =
      error_of([] { Symbol::from_json(fc_json("", "", "[[0, 0, 0, 0], [1, 0, 0], [2, 0, 0]]")); });
  CHECK(contains(msg, "[node, index]"));
  msg = error_of([] { Symbol::from_json(fc_json("", "", "[[0, -1, 0], [1, 0, 0], [2, 0, 0]]")); });
  CHECK(contains(msg, "non-negative"));
  // a 1.9.1 file must hold every input
  msg = error_of([] { Symbol::from_json(fc_json("", "", "[[0, 0, 0], [1, 0, 0]]")); });
  INFO(msg);
  CHECK(contains(msg, "has 2 inputs, expected 3"));

  std::string json = fc_json("");
  json.replace(json.find("\"arg_nodes\": [0, 1, 2]"), 22, "\"arg_nodes\": [0, 1, 3]");
  CHECK(contains(error_of([&] { Symbol::from_json(json); }), "not a variable node"));
  json = fc_json("");
  json.replace(json.find("\"heads\": [[3, 0, 0]]"), 20, "\"heads\": [[9, 0, 0]]");
  CHECK(contains(error_of([&] { Symbol::from_json(json); }), "head node 9"));
  json = fc_json("");
  json.replace(json.find("\"heads\": [[3, 0, 0]]"), 20, "\"heads\": [[3, 1, 0]]");
  CHECK(contains(error_of([&] { Symbol::from_json(json); }), "output 1 of fc1"));
}

TEST_CASE("attrs and attr: the later one wins entirely; param never overrides", "[graph][json]") {
  Symbol s = Symbol::from_json(fc_json(R"(, "attr": {"num_hidden": "5", "__mood__": "x"},
      "param": {"num_hidden": "7", "no_bias": "False"})"));
  // attrs {"num_hidden": "10"} came first, so attr replaced it
  CHECK(s.outputs[0].node->attrs.dict ==
        AttrDict{{"num_hidden", "5"}, {"__mood__", "x"}, {"no_bias", "False"}});
  CHECK(s.outputs[0].node->attrs.get<FullyConnectedParam>().num_hidden == 5);
}

TEST_CASE("a pre-0.9 file loads with missing inputs added and hidden keys upgraded",
          "[graph][json][legacy]") {
  // MXNet 0.8 wrote 'param' and 'attr', [node, index] inputs, backward_source_id, no
  // node_row_ptr and no graph attrs, and unprefixed hidden keys.
  const std::string legacy = R"({
  "nodes": [
    {"op": "null", "param": {}, "name": "data", "inputs": [], "backward_source_id": -1},
    {"op": "null", "param": {}, "name": "fc1_weight", "inputs": [], "backward_source_id": -1},
    {"op": "null", "param": {}, "name": "fc1_bias", "inputs": [], "backward_source_id": -1},
    {"op": "FullyConnected", "param": {"no_bias": "False", "num_hidden": "10"}, "name": "fc1",
     "inputs": [[0, 0], [1, 0], [2, 0]], "backward_source_id": -1,
     "attr": {"ctx_group": "stage1", "lr_mult": "0.5"}},
    {"op": "SoftmaxOutput", "param": {"grad_scale": "1"}, "name": "softmax",
     "inputs": [[3, 0]], "backward_source_id": -1}
  ],
  "arg_nodes": [0, 1, 2],
  "heads": [[4, 0]]
})";
  Symbol s = Symbol::from_json(legacy);
  CHECK(s.list_arguments() == Strings{"data", "fc1_weight", "fc1_bias", "softmax_label"});
  CHECK(s.list_outputs() == Strings{"softmax_output"});
  CHECK(node_named(s, "softmax_label")->attrs.dict == AttrDict{{"grad_scale", "1"}});
  CHECK(node_named(s, "fc1")->attrs.dict == AttrDict{{"__ctx_group__", "stage1"},
                                                     {"__lr_mult__", "0.5"},
                                                     {"no_bias", "False"},
                                                     {"num_hidden", "10"}});
  CHECK(node_named(s, "fc1_weight")->attrs.dict.empty());

  auto shapes = infer_symbol_shapes(s, {"data"}, {Shape({4, 6})});
  CHECK(shapes.complete);
  CHECK(shapes.args[3] == Shape({4}));

  // saved again it is an ordinary 1.9.1 file
  std::string json = s.to_json();
  CHECK(contains(json, "\"attrs\": {\"mxnet_version\": [\"int\", 10901]}"));
  CHECK(contains(json, "\"name\": \"softmax_label\""));
  CHECK(Symbol::from_json(json).to_json() == json);
}

TEST_CASE("a pre-1.9.1 file: <arg>_<hidden> keys on an op move to that input's variable",
          "[graph][json][legacy]") {
  // spec 1.6, UpgradeJSON_FixParsing: weight_lr_mult on a FullyConnected node becomes
  // __lr_mult__ on its weight variable. FullyConnected's input names depend on its parsed
  // no_bias, so the upgrade must not ask for them before the parameters are parsed.
  const std::string legacy = R"({
  "nodes": [
    {"op": "null", "name": "data", "inputs": []},
    {"op": "null", "name": "fc1_weight", "inputs": []},
    {"op": "null", "name": "fc1_bias", "inputs": []},
    {"op": "FullyConnected", "name": "fc1", "inputs": [[0, 0, 0], [1, 0, 0], [2, 0, 0]],
     "attrs": {"num_hidden": "10", "weight_lr_mult": "2", "bias_wd_mult": "0"}}
  ],
  "arg_nodes": [0, 1, 2],
  "heads": [[3, 0, 0]],
  "attrs": {"mxnet_version": ["int", 10200]}
})";
  Symbol s;
  REQUIRE_NOTHROW(s = Symbol::from_json(legacy));
  CHECK(node_named(s, "fc1")->attrs.dict == AttrDict{{"num_hidden", "10"}});
  CHECK(node_named(s, "fc1_weight")->attrs.dict == AttrDict{{"__lr_mult__", "2"}});
  CHECK(node_named(s, "fc1_bias")->attrs.dict == AttrDict{{"__wd_mult__", "0"}});
}

TEST_CASE("a pre-0.9 file: unprefixed hidden keys on variables are upgraded",
          "[graph][json][legacy]") {
  // spec 1.6 (UpgradeJSON_FixParsing runs on every node): Variable('data', lr_mult=0.2) in a
  // 0.8 file is attr {"lr_mult": "0.2"}, and MXNet 1.9.1 loads it as __lr_mult__ (the
  // reference test_load_000800 compares these attributes with a freshly built symbol).
  const std::string legacy = R"({
  "nodes": [
    {"op": "null", "param": {}, "name": "data", "inputs": [], "backward_source_id": -1,
     "attr": {"ctx_group": "stage1", "lr_mult": "0.2"}},
    {"op": "Activation", "param": {"act_type": "relu"}, "name": "relu1",
     "inputs": [[0, 0]], "backward_source_id": -1}
  ],
  "arg_nodes": [0],
  "heads": [[1, 0]]
})";
  Symbol s = Symbol::from_json(legacy);
  const AttrDict& d = node_named(s, "data")->attrs.dict;
  INFO("data's attributes: " << dict_text(d));
  CHECK(d == AttrDict{{"__ctx_group__", "stage1"}, {"__lr_mult__", "0.2"}});
}

TEST_CASE("a 1.9.1 file keeps keys verbatim", "[graph][json][legacy]") {
  // the hidden-key upgrade applies only to files older than 1.9.1
  Symbol s = Symbol::from_json(fc_json(R"(, "attrs": {"num_hidden": "10", "__lr_mult__": "3"})"));
  CHECK(s.outputs[0].node->attrs.dict == AttrDict{{"num_hidden", "10"}, {"__lr_mult__", "3"}});
  std::string json = fc_json("");
  json.replace(json.find("\"num_hidden\": \"10\""), 18,
               "\"num_hidden\": \"10\", \"lr_mult\": \"3\"");
  // lr_mult without underscores is an unknown parameter for a 1.9.1 file
  CHECK(contains(error_of([&] { Symbol::from_json(json); }), "lr_mult"));
}

// ------------------------------------------------------------------------------- inference

TEST_CASE("infer_symbol_shapes through an FC chain", "[graph][infer]") {
  Symbol data = Symbol::variable("data");
  Symbol fc1 = make("FullyConnected", {{"num_hidden", "100"}}, "fc1", {{"data", data}});
  Symbol act = make("Activation", {{"act_type", "relu"}}, "relu1", {{"data", fc1}});
  Symbol fc2 = make("FullyConnected", {{"num_hidden", "10"}}, "fc2", {{"data", act}});
  Symbol net = make("SoftmaxOutput", {}, "softmax", {{"data", fc2}});
  REQUIRE(net.list_arguments() ==
          Strings{"data", "fc1_weight", "fc1_bias", "fc2_weight", "fc2_bias", "softmax_label"});

  SymbolShapes s = infer_symbol_shapes(net, {"data"}, {Shape({4, 3, 2, 5})});
  CHECK(s.complete);
  CHECK(s.args == std::vector<Shape>{Shape({4, 3, 2, 5}), Shape({100, 30}), Shape({100}),
                                     Shape({10, 100}), Shape({10}), Shape({4})});
  CHECK(s.outputs == std::vector<Shape>{Shape({4, 10})});
  CHECK(s.aux.empty());

  // positional form, over list_arguments
  SymbolShapes p = infer_symbol_shapes(net, {}, {Shape({4, 30})});
  CHECK(p.complete);
  CHECK(p.args[1] == Shape({100, 30}));
  CHECK_THROWS_AS(infer_symbol_shapes(net, {}, std::vector<Shape>(7, Shape({1}))), Error);
}

TEST_CASE("infer_symbol_shapes: partial knowledge stays partial", "[graph][infer]") {
  Symbol net = worked_example();
  SymbolShapes none = infer_symbol_shapes(net, {}, {});
  CHECK_FALSE(none.complete);
  for (const auto& a : none.args) CHECK_FALSE(a.ndim_known());
  CHECK_FALSE(none.outputs[0].ndim_known());

  // unknown batch: the weights are known, batch-sized shapes keep their unknown dim
  SymbolShapes part = infer_symbol_shapes(net, {"data"}, {Shape({-1, 20})});
  CHECK_FALSE(part.complete);
  CHECK(part.args[0] == Shape({-1, 20}));
  CHECK(part.args[1] == Shape({10, 20}));
  CHECK(part.args[2] == Shape({10}));
  CHECK(part.args[3] == Shape({-1}));
  CHECK(part.outputs[0] == Shape({-1, 10}));

  // a known FullyConnected output fills the batch of its data
  Symbol fc =
      make("FullyConnected", {{"num_hidden", "10"}}, "fc1", {{"data", Symbol::variable("data")}});
  Symbol sum = make("elemwise_add", {}, "plus0", {{"lhs", fc}, {"rhs", Symbol::variable("y")}});
  SymbolShapes back = infer_symbol_shapes(sum, {"data", "y"}, {Shape({-1, 20}), Shape({8, 10})});
  CHECK(back.complete);
  CHECK(back.args[0] == Shape({8, 20}));
}

TEST_CASE("infer_symbol_shapes: FullyConnected waits for its data's shape", "[graph][infer]") {
  // MXNet's FullyConnectedShape returns early while the data's ndim is unknown ("require data
  // to be known"). Here fc1's output is known from y before its data is: guessing a 2-D data
  // shape then clashes with the 4-D shape that arrives later through p.
  Symbol p = Symbol::variable("p");
  Symbol act = make("Activation", {{"act_type", "relu"}}, "act1", {{"data", p}});
  Symbol fc = make("FullyConnected", {{"num_hidden", "5"}}, "fc1", {{"data", act}});
  Symbol out1 = make("elemwise_add", {}, "out1", {{"lhs", fc}, {"rhs", Symbol::variable("y")}});
  Symbol out2 = make("elemwise_add", {}, "out2", {{"lhs", p}, {"rhs", Symbol::variable("w")}});
  Symbol net = Symbol::group({out1, out2});
  REQUIRE(net.list_arguments() == Strings{"p", "fc1_weight", "fc1_bias", "y", "w"});
  SymbolShapes s;
  REQUIRE_NOTHROW(s = infer_symbol_shapes(net, {"y", "w"}, {Shape({2, 5}), Shape({2, 3, 4, 4})}));
  CHECK(s.complete);
  CHECK(s.args[1] == Shape({5, 48}));
}

TEST_CASE("infer_symbol_shapes: MXNet's inconsistency message", "[graph][infer]") {
  Symbol fc =
      make("FullyConnected", {{"num_hidden", "1000"}}, "fc1", {{"data", Symbol::variable("data")}});
  std::string msg = error_of([&] {
    infer_symbol_shapes(fc, {"data", "fc1_weight"}, {Shape({1, 100}), Shape({1, 100})});
  });
  CHECK(msg ==
        "Error in operator fc1: Shape inconsistent, Provided=(1,100), inferred "
        "shape=(1000,100)");
}

TEST_CASE("infer_symbol_shapes: unknown names list the candidates", "[graph][infer]") {
  std::string msg = error_of([] {
    infer_symbol_shapes(worked_example(), {"date"}, {Shape({1, 2})});
  });
  INFO(msg);
  CHECK(contains(msg, "Keyword argument name date not found"));
  CHECK(contains(msg, "data, fc1_weight, fc1_bias, softmax_label"));
}

TEST_CASE("variables fall back to __shape__ and __dtype__", "[graph][infer]") {
  Symbol data = Symbol::variable("data");
  data.set_attr("__shape__", "(0, 7)");  // 0: unknown in legacy mode
  data.set_attr("__dtype__", "1");
  Symbol fc = make("FullyConnected", {{"num_hidden", "3"}}, "fc1", {{"data", data}});
  SymbolShapes s = infer_symbol_shapes(fc, {}, {});
  CHECK(s.args[0] == Shape({-1, 7}));
  CHECK(s.args[1] == Shape({3, 7}));
  CHECK_FALSE(s.complete);
  // a provided shape wins over the attribute
  SymbolShapes given = infer_symbol_shapes(fc, {"data"}, {Shape({2, 8})});
  CHECK(given.complete);
  CHECK(given.args[1] == Shape({3, 8}));

  SymbolTypes t = infer_symbol_types(fc, {}, {});
  CHECK(t.complete);
  CHECK(t.args == std::vector<int>{kFloat64, kFloat64, kFloat64});
}

TEST_CASE("infer_symbol_types propagates float64 and reports conflicts", "[graph][infer]") {
  Symbol net = worked_example();
  SymbolTypes t = infer_symbol_types(net, {"data"}, {kFloat64});
  CHECK(t.complete);
  CHECK(t.args == std::vector<int>(4, kFloat64));
  CHECK(t.outputs == std::vector<int>{kFloat64});

  SymbolTypes none = infer_symbol_types(net, {}, {});
  CHECK_FALSE(none.complete);
  CHECK(none.args == std::vector<int>(4, -1));

  SymbolTypes from_label = infer_symbol_types(net, {"softmax_label"}, {kFloat32});
  CHECK(from_label.args == std::vector<int>(4, kFloat32));

  std::string msg = error_of([&] {
    infer_symbol_types(net, {"data", "fc1_weight"}, {kFloat64, kFloat32});
  });
  INFO(msg);
  CHECK(contains(msg, "Error in operator fc1"));
  CHECK(contains(msg, "Type inconsistent"));
}

TEST_CASE("IndexedGraph numbers nodes and entries in DFS post-order", "[graph]") {
  IndexedGraph g(worked_example().outputs);
  CHECK(g.num_nodes() == 6);
  CHECK(g.num_entries() == 6);
  CHECK(g.row_ptr() == std::vector<uint32_t>{0, 1, 2, 3, 4, 5, 6});
  CHECK(g.input_nodes() == std::vector<uint32_t>{0, 1, 2, 4});
  CHECK(g[3].node->name() == "fc1");
  CHECK(g[3].input_entries == std::vector<uint32_t>{0, 1, 2});
  CHECK(g.heads() == std::vector<uint32_t>{5});
}
