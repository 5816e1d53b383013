// Registration and inference of the array-creating ops (core/ops/init_ops.cc): _zeros, _ones,
// _full (0 dims filled in by a consumer, as RNN begin states need), _arange, _eye, _linspace
// and _histogram; their dtype parameters; and a JSON graph mixing them with dot, norm, argmax
// and one_hot, byte for byte as the reference MXNet 1.9.1 writes it.
#include "core/ops/init_ops.h"
#include "tests/ops/tensor_test_util.h"

using namespace loom;
using namespace tensor_test;

namespace {

Symbol init(const char* op, const AttrDict& p) { return make(op, p, "i"); }

std::string init_out(const char* op, const AttrDict& p) { return outs(init(op, p), {}); }

// `op + y`: a consumer that knows the shape.
Symbol plus_y(const Symbol& s) { return make("elemwise_add", {}, "add", {s, var("y")}); }

}  // namespace

TEST_CASE("init ops: no inputs, one output, parameters", "[tensor-infer]") {
  for (const char* op : {"_zeros", "_ones", "_full", "_arange", "_eye", "_linspace"}) {
    INFO(op);
    AttrDict p;
    if (std::string(op) == "_full") p["value"] = "1";
    if (std::string(op) == "_arange") p["start"] = "3";
    if (std::string(op) == "_eye") p["N"] = "3";
    if (std::string(op) == "_linspace") p = {{"start", "0"}, {"stop", "1"}, {"num", "3"}};
    Symbol s = init(op, p);
    CHECK(s.list_arguments().empty());
    CHECK(s.list_outputs() == Strings{"i_output"});
    CHECK(op_named(op).doc_inputs.empty());
  }
  CHECK(param_names("_zeros") == Strings{"shape", "ctx", "dtype"});
  CHECK(param_names("_full") == Strings{"shape", "ctx", "dtype", "value"});
  CHECK(param_names("_arange") ==
        Strings{"start", "stop", "step", "repeat", "infer_range", "ctx", "dtype"});
  CHECK(param_names("_eye") == Strings{"N", "M", "k", "ctx", "dtype"});
  // MXNet's op info lists _arange's fields for _linspace by mistake; its parser takes these
  CHECK(param_names("_linspace") == Strings{"start", "stop", "num", "endpoint", "ctx", "dtype"});
  CHECK(param_names("_histogram") == Strings{"bin_cnt", "range"});
  CHECK(op_named("_eye").params->find("N")->type_info() == "long, required");
  CHECK(op_named("_histogram").params->find("range")->type_info() == ", optional, default=None");
  CHECK(op_named("_zeros").params->find("ctx")->type_info() == "string, optional, default=''");
}

TEST_CASE("_zeros, _ones, _full: shape parameter, 0 dims filled by a consumer", "[tensor-infer]") {
  CHECK(init_out("_zeros", {{"shape", "(2, 3)"}}) == "(2,3)");
  CHECK(init_out("_ones", {{"shape", "(2, 3)"}}) == "(2,3)");
  CHECK(init_out("_full", {{"shape", "(2, 3)"}, {"value", "3"}}) == "(2,3)");
  CHECK(init_out("_zeros", {{"shape", "(0, 3)"}}) == "(None,3)");
  CHECK(init_out("_zeros", {}) == "None");
  CHECK(init_out("_full", {{"value", "3"}}) == "None");
  CHECK(outs(plus_y(init("_zeros", {{"shape", "(0, 3)"}})), {{"y", S({5, 3})}}) == "(5,3)");
  CHECK(outs(plus_y(init("_zeros", {})), {{"y", S({5, 4})}}) == "(5,4)");
  CHECK(outs(plus_y(init("_full", {{"value", "3"}})), {{"y", S({5, 4})}}) == "(5,4)");
  CHECK(contains(shape_error(plus_y(init("_zeros", {{"shape", "(0, 3)"}})), {{"y", S({5, 4})}}),
                 "Shape inconsistent"));
  CHECK(contains(error_of([] { init("_full", {}); }), "Required parameter value"));
}

TEST_CASE("RNN begin state: _zeros(shape=(0, H)) learns the batch size", "[tensor-infer]") {
  // h0 = zeros((0, 8)); h1 = FC(x) + h0, as rnn_cell.begin_state + unroll build it
  Symbol h0 = make("_zeros", {{"shape", "(0, 8)"}, {"__layout__", "NC"}}, "begin_state_0");
  Symbol fc = make("FullyConnected", {{"num_hidden", "8"}}, "i2h", {var("x")});
  Symbol h1 = make("elemwise_add", {}, "plus0", {fc, h0});
  auto r = infer(h1, {{"x", S({4, 10})}});
  CHECK(str(r.outputs) == "(4,8)");
  CHECK(r.complete);
  // the begin state's own shape is the one filled in
  Symbol internals = h1.internals();
  auto all = infer(internals, {{"x", S({4, 10})}});
  CHECK(contains(str(all.outputs), "(4,8)"));
}

TEST_CASE("init ops: dtype parameter sets the output dtype", "[tensor-infer]") {
  CHECK(types(init("_zeros", {{"shape", "(2,)"}}), {}).outputs == "float32");
  CHECK(types(init("_zeros", {{"dtype", "float16"}}), {}).outputs == "float16");
  CHECK(types(init("_ones", {{"dtype", "int32"}}), {}).outputs == "int32");
  CHECK(types(init("_full", {{"value", "2"}, {"dtype", "int64"}}), {}).outputs == "int64");
  CHECK(types(init("_zeros", {{"dtype", "bool"}}), {}).outputs == "bool");
  CHECK(types(init("_arange", {{"start", "5"}, {"dtype", "int32"}}), {}).outputs == "int32");
  CHECK(types(init("_eye", {{"N", "3"}, {"dtype", "float64"}}), {}).outputs == "float64");
  CHECK(types(init("_linspace", {{"start", "0"}, {"stop", "1"}, {"num", "5"}}), {}).outputs ==
        "float32");
  // a consumer of another dtype is a conflict, as in MXNet
  CHECK(contains(type_error(plus_y(init("_zeros", {{"shape", "(2,)"}})), {{"y", "float64"}}),
                 "Type inconsistent"));
  CHECK(types(plus_y(init("_zeros", {{"dtype", "float64"}})), {}).args == "float64");
  CHECK(contains(error_of([] {
                   init("_eye", {{"N", "3"}, {"dtype", "bfloat16"}});
                 }),
                 "'bfloat16'"));
  CHECK(contains(error_of([] { init("_arange", {{"start", "3"}, {"dtype", "bool"}}); }), "'bool'"));
}

TEST_CASE("_arange: lengths, stop omitted, repeat, infer_range", "[tensor-infer]") {
  auto ar = [](const AttrDict& p) { return init_out("_arange", p); };
  CHECK(ar({{"start", "0"}, {"stop", "5"}}) == "(5,)");
  CHECK(ar({{"start", "1"}, {"stop", "10"}, {"step", "3"}}) == "(3,)");
  CHECK(ar({{"start", "1"}, {"stop", "4"}, {"repeat", "2"}}) == "(6,)");
  CHECK(ar({{"start", "5"}}) == "(5,)");
  CHECK(ar({{"start", "5"}, {"stop", "0"}, {"step", "-1.5"}}) == "(4,)");
  CHECK(ar({{"start", "0"}, {"stop", "1"}, {"step", "0.3"}}) == "(4,)");
  CHECK(ar({{"start", "0"}, {"infer_range", "True"}}) == "None");
  CHECK(outs(plus_y(init("_arange", {{"start", "0"}, {"infer_range", "True"}})), {{"y", S({7})}}) ==
        "(7,)");
  CHECK(ar({{"start", "0"}, {"stop", "3"}, {"infer_range", "True"}}) == "(3,)");
  CHECK(contains(shape_error(init("_arange", {{"start", "5"}, {"stop", "0"}}), {}),
                 "invalid range (start, stop, step) = (5.0, 0.0, 1.0)"));
  CHECK(contains(shape_error(init("_arange", {{"start", "0"}, {"stop", "5"}, {"step", "0"}}), {}),
                 "step=0"));
  CHECK(contains(shape_error(init("_arange", {{"start", "0"}, {"stop", "5"}, {"repeat", "0"}}), {}),
                 "repeat=0"));
  RangeParam p;
  p.start = 5;
  CHECK(arange_bounds(p) == std::make_pair(0.0, 5.0));
  CHECK(arange_length(p) == 5);
}

TEST_CASE("_eye and _linspace", "[tensor-infer]") {
  CHECK(init_out("_eye", {{"N", "3"}}) == "(3,3)");
  CHECK(init_out("_eye", {{"N", "3"}, {"M", "5"}, {"k", "1"}}) == "(3,5)");
  CHECK(init_out("_eye", {{"N", "0"}}) == "(0,0)");
  CHECK(contains(shape_error(init("_eye", {{"N", "-1"}}), {}), "non-negative"));
  CHECK(init_out("_linspace", {{"start", "0"}, {"stop", "1"}, {"num", "5"}}) == "(5,)");
  CHECK(init_out("_linspace",
                 {{"start", "0"}, {"stop", "1"}, {"num", "5"}, {"endpoint", "False"}}) == "(5,)");
  CHECK(contains(shape_error(init("_linspace", {{"start", "0"}, {"stop", "1"}, {"num", "-1"}}), {}),
                 "num=-1"));
  CHECK(contains(error_of([] {
                   init("_linspace", {{"start", "0"}, {"stop", "1"}, {"step", "1"}});
                 }),
                 "Cannot find argument 'step'"));
}

TEST_CASE("_histogram: bin_cnt and range, or a bins input", "[tensor-infer]") {
  Symbol uniform = make("_histogram", {{"bin_cnt", "5"}, {"range", "(0, 1)"}}, "h", {var("x")});
  CHECK(uniform.list_arguments() == Strings{"x"});
  CHECK(uniform.list_outputs() == Strings{"h_output0", "h_output1"});
  CHECK(outs(uniform, {{"x", S({3, 4})}}) == "(5,) (6,)");
  CHECK(outs(uniform, {}) == "(5,) (6,)");
  Symbol binned = make("_histogram", {}, "h", {var("x")});
  CHECK(binned.list_arguments() == Strings{"x", "h_bins"});
  CHECK(outs(binned, {{"x", S({3, 4})}, {"h_bins", S({6})}}) == "(5,) (6,)");
  CHECK(outs(binned, {{"x", S({3, 4})}}) == "None None");
  CHECK(contains(shape_error(binned, {{"x", S({3, 4})}, {"h_bins", S({2, 3})}}),
                 "bins must be a 1-D array"));
  CHECK(contains(
      shape_error(make("_histogram", {{"bin_cnt", "5"}}, "h", {var("x")}), {{"x", S({3, 4})}}),
      "bin_cnt and range must be given both or neither"));
  CHECK(types(binned, {{"x", "float64"}, {"h_bins", "float32"}}).outputs == "int64 float64");
  CHECK(types(uniform, {{"x", "float16"}}).outputs == "int64 float16");

  using T = ParamTraits<HistogramRange>;
  CHECK(T::show(T::parse("(0, 1)")) == "[0.0,1.0]");
  CHECK(T::show(T::parse("[-1.5,2]")) == "[-1.5,2.0]");
  CHECK(T::show(T::parse("None")) == "None");
  CHECK_THROWS_AS(T::parse("(0, x)"), Error);
  CHECK_THROWS_AS(T::parse("0"), Error);
  const auto& p = uniform.outputs[0].node->attrs.get<HistogramParam>();
  CHECK(p.bin_cnt == 5);
  CHECK(p.range.bounds == std::vector<double>{0, 1});
}

TEST_CASE("init ops with dot, norm, argmax, one_hot: JSON as MXNet 1.9.1 writes it",
          "[tensor-infer][json]") {
  // z = mx.sym.zeros(shape=(0, 8)); add = z + y; d = dot(add, w, transpose_b=True);
  // norm(d, ord=1, axis=(0, 1), keepdims=True), one_hot(argmax(d, axis=-1), 5, int32),
  // arange(0, 5), grouped
  const char* expected = R"json({
  "nodes": [
    {
      "op": "_zeros", 
      "name": "z", 
      "attrs": {
        "dtype": "float32", 
        "shape": "(0, 8)"
      }, 
      "inputs": []
    }, 
    {
      "op": "null", 
      "name": "y", 
      "inputs": []
    }, 
    {
      "op": "elemwise_add", 
      "name": "add", 
      "inputs": [[0, 0, 0], [1, 0, 0]]
    }, 
    {
      "op": "null", 
      "name": "w", 
      "inputs": []
    }, 
    {
      "op": "dot", 
      "name": "d", 
      "attrs": {"transpose_b": "True"}, 
      "inputs": [[2, 0, 0], [3, 0, 0]]
    }, 
    {
      "op": "norm", 
      "name": "n", 
      "attrs": {
        "axis": "(0, 1)", 
        "keepdims": "True", 
        "ord": "1"
      }, 
      "inputs": [[4, 0, 0]]
    }, 
    {
      "op": "argmax", 
      "name": "am", 
      "attrs": {"axis": "-1"}, 
      "inputs": [[4, 0, 0]]
    }, 
    {
      "op": "one_hot", 
      "name": "oh", 
      "attrs": {
        "depth": "5", 
        "dtype": "int32"
      }, 
      "inputs": [[6, 0, 0]]
    }, 
    {
      "op": "_arange", 
      "name": "ar", 
      "attrs": {
        "dtype": "float32", 
        "infer_range": "False", 
        "repeat": "1", 
        "start": "0", 
        "step": "1.0", 
        "stop": "5"
      }, 
      "inputs": []
    }
  ], 
  "arg_nodes": [1, 3], 
  "node_row_ptr": [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 
  "heads": [[5, 0, 0], [7, 0, 0], [8, 0, 0]], 
  "attrs": {"mxnet_version": ["int", 10901]}
})json";
  Symbol z = make("_zeros", {{"shape", "(0, 8)"}, {"dtype", "float32"}}, "z");
  Symbol add = make("elemwise_add", {}, "add", {z, var("y")});
  Symbol d = make("dot", {{"transpose_b", "True"}}, "d", {add, var("w")});
  Symbol n = make("norm", {{"ord", "1"}, {"axis", "(0, 1)"}, {"keepdims", "True"}}, "n", {d});
  Symbol am = make("argmax", {{"axis", "-1"}}, "am", {d});
  Symbol oh = make("one_hot", {{"depth", "5"}, {"dtype", "int32"}}, "oh", {am});
  Symbol ar = make("_arange",
                   {{"start", "0"},
                    {"stop", "5"},
                    {"step", "1.0"},
                    {"repeat", "1"},
                    {"infer_range", "False"},
                    {"dtype", "float32"}},
                   "ar");
  Symbol g = Symbol::group({n, oh, ar});
  CHECK(g.to_json() == expected);
  CHECK(g.list_arguments() == Strings{"y", "w"});
  CHECK(g.list_outputs() == Strings{"n_output", "oh_output", "ar_output"});
  // MXNet: [(1, 1), (3, 5), (5,)]
  CHECK(outs(g, {{"y", S({3, 8})}, {"w", S({6, 8})}}) == "(1,1) (3,5) (5,)");
  CHECK(types(g, {{"y", "float32"}, {"w", "float32"}}).outputs == "float32 int32 float32");
  Symbol back = Symbol::from_json(expected);
  CHECK(back.to_json() == expected);
  CHECK(outs(back, {{"y", S({3, 8})}, {"w", S({6, 8})}}) == "(1,1) (3,5) (5,)");
}
