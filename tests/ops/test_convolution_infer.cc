// Convolution and Deconvolution registrations against MXNet 1.9.1: argument and output names,
// parameter parsing and the defaults the parser fills, shape inference (1-D/2-D/3-D, groups,
// dilation, layouts, partial and backward inference, errors), dtype inference, and to_json of
// small graphs compared with what the reference wrote.
#include "core/ops/convolution.h"
#include "tests/ops/nn_test_util.h"

using namespace nn_test;

namespace {

// Written by MXNet 1.9.1.
const char* const kConvJson = R"json({
  "nodes": [
    {
      "op": "null", 
      "name": "x", 
      "inputs": []
    }, 
    {
      "op": "null", 
      "name": "c_weight", 
      "attrs": {
        "kernel": "(3, 3)", 
        "no_bias": "True", 
        "num_filter": "8", 
        "pad": "(1, 1)", 
        "stride": "(2, 2)"
      }, 
      "inputs": []
    }, 
    {
      "op": "Convolution", 
      "name": "c", 
      "attrs": {
        "kernel": "(3, 3)", 
        "no_bias": "True", 
        "num_filter": "8", 
        "pad": "(1, 1)", 
        "stride": "(2, 2)"
      }, 
      "inputs": [[0, 0, 0], [1, 0, 0]]
    }
  ], 
  "arg_nodes": [0, 1], 
  "node_row_ptr": [0, 1, 2, 3], 
  "heads": [[2, 0, 0]], 
  "attrs": {"mxnet_version": ["int", 10901]}
})json";

const char* const kConvBiasJson = R"json({
  "nodes": [
    {
      "op": "null", 
      "name": "x", 
      "inputs": []
    }, 
    {
      "op": "null", 
      "name": "c1_weight", 
      "attrs": {
        "cudnn_tune": "off", 
        "kernel": "(3,)", 
        "layout": "NCW", 
        "num_filter": "4"
      }, 
      "inputs": []
    }, 
    {
      "op": "null", 
      "name": "c1_bias", 
      "attrs": {
        "cudnn_tune": "off", 
        "kernel": "(3,)", 
        "layout": "NCW", 
        "num_filter": "4"
      }, 
      "inputs": []
    }, 
    {
      "op": "Convolution", 
      "name": "c1", 
      "attrs": {
        "cudnn_tune": "off", 
        "kernel": "(3,)", 
        "layout": "NCW", 
        "num_filter": "4"
      }, 
      "inputs": [[0, 0, 0], [1, 0, 0], [2, 0, 0]]
    }
  ], 
  "arg_nodes": [0, 1, 2], 
  "node_row_ptr": [0, 1, 2, 3, 4], 
  "heads": [[3, 0, 0]], 
  "attrs": {"mxnet_version": ["int", 10901]}
})json";

const char* const kDeconvJson = R"json({
  "nodes": [
    {
      "op": "null", 
      "name": "x", 
      "inputs": []
    }, 
    {
      "op": "null", 
      "name": "d_weight", 
      "attrs": {
        "kernel": "(4, 4)", 
        "num_filter": "4", 
        "stride": "(2, 2)", 
        "target_shape": "(16, 16)"
      }, 
      "inputs": []
    }, 
    {
      "op": "Deconvolution", 
      "name": "d", 
      "attrs": {
        "kernel": "(4, 4)", 
        "num_filter": "4", 
        "stride": "(2, 2)", 
        "target_shape": "(16, 16)"
      }, 
      "inputs": [[0, 0, 0], [1, 0, 0]]
    }
  ], 
  "arg_nodes": [0, 1], 
  "node_row_ptr": [0, 1, 2, 3], 
  "heads": [[2, 0, 0]], 
  "attrs": {"mxnet_version": ["int", 10901]}
})json";

}  // namespace

TEST_CASE("Convolution: names, parameters and filled defaults", "[nn][conv]") {
  Symbol c = make("Convolution", {{"kernel", "(3, 3)"}, {"num_filter", "8"}}, "c", {var("x")});
  CHECK(c.list_arguments() == Strings{"x", "c_weight", "c_bias"});
  CHECK(c.list_outputs() == Strings{"c_output"});
  CHECK(c.list_auxiliary_states().empty());
  Symbol nb = make("Convolution", {{"kernel", "[3,3]"}, {"num_filter", "8"}, {"no_bias", "True"}},
                   "c", {var("x")});
  CHECK(nb.list_arguments() == Strings{"x", "c_weight"});
  // all inputs auto-created when none is given
  Symbol bare = make("Convolution", {{"kernel", "(3,)"}, {"num_filter", "2"}}, "conv");
  CHECK(bare.list_arguments() == Strings{"conv_data", "conv_weight", "conv_bias"});

  const auto& p = c.outputs[0].node->attrs.get<loom::ConvolutionParam>();
  CHECK(p.stride == S({1, 1}));
  CHECK(p.dilate == S({1, 1}));
  CHECK(p.pad == S({0, 0}));
  CHECK(*p.layout == "NCHW");
  CHECK(p.workspace == 1024);
  CHECK(p.num_group == 1);
  CHECK(!p.cudnn_tune);
  // the dict keeps only what was written
  CHECK(c.outputs[0].node->attrs.dict.size() == 2);

  auto p3 = make("Convolution", {{"kernel", "(1, 1, 1)"}, {"num_filter", "2"}}, "c3")
                .outputs[0]
                .node->attrs.get<loom::ConvolutionParam>();
  CHECK(*p3.layout == "NCDHW");
  auto tuned = make("Convolution",
                    {{"kernel", "3"},
                     {"num_filter", "2"},
                     {"cudnn_tune", "fastest"},
                     {"cudnn_off", "true"},
                     {"workspace", "512L"}},
                    "c4")
                   .outputs[0]
                   .node->attrs.get<loom::ConvolutionParam>();
  CHECK(tuned.kernel == S({3}));
  CHECK(*tuned.cudnn_tune == "fastest");
  CHECK(tuned.cudnn_off);
  CHECK(tuned.workspace == 512);
  CHECK(*tuned.layout == "NCW");
}

TEST_CASE("Convolution: parameter errors come at creation", "[nn][conv]") {
  auto conv = [](AttrDict d) { return error_of([&] { make("Convolution", d, "c", {var("x")}); }); };
  CHECK(contains(conv({{"kernel", "(3, 3)"}, {"num_filter", "8"}, {"stride", "(1,)"}}),
                 "Stride must have the same number of dimensions with kernel_size, but "
                 "kernel_size is set to [3,3] while stride is [1]"));
  CHECK(contains(conv({{"kernel", "(3, 3)"}, {"num_filter", "8"}, {"dilate", "(1, 1, 1)"}}),
                 "Dilate must have the same number of dimensions"));
  CHECK(contains(conv({{"kernel", "(3, 3)"}, {"num_filter", "8"}, {"pad", "(1,)"}}),
                 "Padding must have the same number of dimensions"));
  CHECK(contains(conv({{"kernel", "(3, 3, 3, 3)"}, {"num_filter", "8"}}),
                 "4D convolution not supported"));
  CHECK(contains(conv({{"kernel", "()"}, {"num_filter", "8"}}), "0D convolution not supported"));
  CHECK(contains(conv({{"kernel", "(3, 3)"}, {"num_filter", "0"}}), "num_filter"));
  CHECK(contains(conv({{"kernel", "(3, 3)"}}), "Required parameter num_filter"));
  CHECK(contains(conv({{"num_filter", "2"}}), "Required parameter kernel"));
  CHECK(contains(conv({{"kernel", "(3, 3)"}, {"num_filter", "8"}, {"layout", "NCW"}}),
                 "Invalid layout NCW"));
  CHECK(contains(conv({{"kernel", "(3, 3)"}, {"num_filter", "8"}, {"layout", "CHWN"}}),
                 "Invalid Input: 'CHWN'"));
  CHECK(contains(conv({{"kernel", "(3, 3)"}, {"num_filter", "8"}, {"cudnn_tune", "slow"}}),
                 "Invalid Input: 'slow'"));
  CHECK(contains(conv({{"kernel", "(3, 3)"}, {"num_filter", "8.0"}}), "num_filter"));
}

TEST_CASE("Convolution: shape inference", "[nn][conv]") {
  Symbol c = make("Convolution", {{"kernel", "(3, 3)"}, {"num_filter", "8"}}, "c", {var("x")});
  auto r = infer(c, {{"x", S({2, 3, 8, 8})}});
  CHECK(r.args == "(2,3,8,8) (8,3,3,3) (8,)");
  CHECK(r.outputs == "(2,8,6,6)");
  CHECK(r.complete);

  // 1-D, stride and pad, no bias
  Symbol c1 = make("Convolution",
                   {{"kernel", "(3,)"},
                    {"num_filter", "8"},
                    {"no_bias", "True"},
                    {"stride", "(2,)"},
                    {"pad", "(1,)"}},
                   "c", {var("x")});
  r = infer(c1, {{"x", S({2, 3, 9})}});
  CHECK(r.args == "(2,3,9) (8,3,3)");
  CHECK(r.outputs == "(2,8,5)");

  // 3-D, groups, dilation
  Symbol c3 = make(
      "Convolution",
      {{"kernel", "(3, 3, 3)"}, {"num_filter", "8"}, {"num_group", "2"}, {"dilate", "(2, 2, 2)"}},
      "c", {var("x")});
  r = infer(c3, {{"x", S({2, 4, 9, 9, 9})}});
  CHECK(r.args == "(2,4,9,9,9) (8,2,3,3,3) (8,)");
  CHECK(r.outputs == "(2,8,5,5,5)");

  // channel-last layout: weight and output follow it
  Symbol nhwc = make("Convolution", {{"kernel", "(3, 3)"}, {"num_filter", "8"}, {"layout", "NHWC"}},
                     "c", {var("x")});
  r = infer(nhwc, {{"x", S({2, 8, 8, 3})}});
  CHECK(r.args == "(2,8,8,3) (8,3,3,3) (8,)");
  CHECK(r.outputs == "(2,6,6,8)");
  Symbol ndhwc =
      make("Convolution",
           {{"kernel", "(1, 3, 3)"}, {"num_filter", "4"}, {"layout", "NDHWC"}, {"no_bias", "1"}},
           "c", {var("x")});
  r = infer(ndhwc, {{"x", S({1, 5, 8, 8, 2})}});
  CHECK(r.args == "(1,5,8,8,2) (4,1,3,3,2)");
  CHECK(r.outputs == "(1,5,6,6,4)");
}

TEST_CASE("Convolution: partial and backward shape inference", "[nn][conv]") {
  Symbol c = make("Convolution", {{"kernel", "(3, 3)"}, {"num_filter", "8"}}, "c", {var("x")});
  // unknown dims stay unknown; known ones go through (MXNet: (0,3,0,8) -> (0,8,0,6))
  auto r = infer(c, {{"x", S({-1, 3, -1, 8})}});
  CHECK(r.args == "(None,3,None,8) (8,3,3,3) (8,)");
  CHECK(r.outputs == "(None,8,None,6)");
  CHECK(!r.complete);
  // nothing is learnt from the weight alone
  r = infer(c, {{"c_weight", S({8, 3, 3, 3})}});
  CHECK(r.args == "None (8,3,3,3) None");
  // an unknown channel count leaves the weight's second dim unknown
  r = infer(c, {{"x", S({2, -1, 8, 8})}});
  CHECK(r.args == "(2,None,8,8) (8,None,3,3) (8,)");

  // a known output gives the batch and, with stride 1, the spatial extent
  Symbol y = var("y");
  Symbol sum = make("elemwise_add", {}, "plus", {c, y});
  r = infer(sum, {{"y", S({2, 8, 6, 6})}, {"x", S({-1, 3, -1, -1})}});
  CHECK(r.args == "(2,3,8,8) (8,3,3,3) (8,) (2,8,6,6)");
  Symbol strided =
      make("Convolution",
           {{"kernel", "(3, 3)"}, {"num_filter", "8"}, {"stride", "(2, 1)"}, {"pad", "(0, 1)"}},
           "c", {var("x")});
  r = infer(make("elemwise_add", {}, "plus", {strided, y}),
            {{"y", S({2, 8, 3, 8})}, {"x", S({-1, 3, -1, -1})}});
  CHECK(r.args == "(2,3,None,8) (8,3,3,3) (8,) (2,8,3,8)");
}

TEST_CASE("Convolution: shape errors", "[nn][conv]") {
  Symbol c = make("Convolution", {{"kernel", "(3, 3)"}, {"num_filter", "8"}}, "c", {var("x")});
  CHECK(contains(infer_error(c, {{"x", S({1, 3, 8})}}),
                 "Input data should be 4D in batch-num_filter-y-x"));
  CHECK(contains(infer_error(c, {{"x", S({1, 3, 8})}}), "Error in operator c"));
  CHECK(contains(infer_error(c, {{"x", S({1, 3, 2, 8})}}), "kernel size exceed input"));
  CHECK(contains(infer_error(c, {{"x", S({1, 3, 8, 8})}, {"c_weight", S({8, 3, 2, 2})}}),
                 "Shape inconsistent, Provided=(8,3,2,2), inferred shape=(8,3,3,3)"));
  CHECK(contains(infer_error(c, {{"x", S({1, 3, 8, 8})}, {"c_bias", S({7})}}),
                 "Shape inconsistent, Provided=(7,), inferred shape=(8,)"));
  Symbol g = make("Convolution", {{"kernel", "(3, 3)"}, {"num_filter", "8"}, {"num_group", "2"}},
                  "c", {var("x")});
  CHECK(contains(infer_error(g, {{"x", S({1, 3, 8, 8})}}),
                 "input num_filter must divide group size"));
  Symbol g3 = make("Convolution", {{"kernel", "(3, 3)"}, {"num_filter", "7"}, {"num_group", "3"}},
                   "c", {var("x")});
  CHECK(contains(infer_error(g3, {{"x", S({1, 3, 8, 8})}}),
                 "output num_filter must divide group size"));
  Symbol s0 = make("Convolution", {{"kernel", "(3, 3)"}, {"num_filter", "8"}, {"stride", "(0, 1)"}},
                   "c", {var("x")});
  CHECK(contains(infer_error(s0, {{"x", S({1, 3, 8, 8})}}), "incorrect stride size: [0,1]"));
}

TEST_CASE("Convolution: dtype inference", "[nn][conv]") {
  Symbol c = make("Convolution", {{"kernel", "(3, 3)"}, {"num_filter", "8"}}, "c", {var("x")});
  auto t = infer_types(c, {{"x", "float16"}});
  CHECK(t.args == "float16 float16 float16");
  CHECK(t.outputs == "float16");
  CHECK(infer_types(c, {{"x", "int32"}}).args == "int32 int32 int32");
  // the weight alone says nothing (MXNet goes from the data or the output)
  CHECK(infer_types(c, {{"c_weight", "float16"}}).args == "? float16 ?");
  CHECK(contains(type_error(c, {{"x", "float16"}, {"c_weight", "float32"}}),
                 "This layer requires uniform type. Expected 'float16' v.s. given 'float32' at "
                 "'weight'"));
  // from the output backwards
  Symbol sum = make("elemwise_add", {}, "plus", {c, var("y")});
  CHECK(infer_types(sum, {{"y", "float64"}}).args == "float64 float64 float64 float64");
}

TEST_CASE("Convolution: to_json matches MXNet", "[nn][conv][json]") {
  CHECK(make("Convolution",
             {{"kernel", "(3, 3)"},
              {"num_filter", "8"},
              {"stride", "(2, 2)"},
              {"pad", "(1, 1)"},
              {"no_bias", "True"}},
             "c", {var("x")})
            .to_json() == kConvJson);
  CHECK(make("Convolution",
             {{"kernel", "(3,)"}, {"num_filter", "4"}, {"layout", "NCW"}, {"cudnn_tune", "off"}},
             "c1", {var("x")})
            .to_json() == kConvBiasJson);
  CHECK(Symbol::from_json(kConvBiasJson).to_json() == kConvBiasJson);
}

TEST_CASE("Deconvolution: names, defaults and shapes", "[nn][deconv]") {
  Symbol d = make("Deconvolution", {{"kernel", "(3, 3)"}, {"num_filter", "8"}}, "d", {var("x")});
  CHECK(d.list_arguments() == Strings{"x", "d_weight"});  // no_bias defaults to True
  CHECK(d.list_outputs() == Strings{"d_output"});
  const auto& p = d.outputs[0].node->attrs.get<loom::DeconvolutionParam>();
  CHECK(p.adj == S({0, 0}));
  CHECK(p.workspace == 512);
  CHECK(!p.has_target());
  auto r = infer(d, {{"x", S({2, 3, 8, 8})}});
  CHECK(r.args == "(2,3,8,8) (3,8,3,3)");
  CHECK(r.outputs == "(2,8,10,10)");

  Symbol biased =
      make("Deconvolution", {{"kernel", "(3, 3)"}, {"num_filter", "8"}, {"no_bias", "False"}}, "d",
           {var("x")});
  CHECK(biased.list_arguments() == Strings{"x", "d_weight", "d_bias"});
  CHECK(infer(biased, {{"x", S({2, 3, 8, 8})}}).args == "(2,3,8,8) (3,8,3,3) (8,)");

  // out = (in - 1) * stride - 2 * pad + dilated kernel + adj
  Symbol adj = make("Deconvolution",
                    {{"kernel", "(4, 4)"},
                     {"stride", "(2, 2)"},
                     {"pad", "(1, 1)"},
                     {"adj", "(1, 1)"},
                     {"num_filter", "8"}},
                    "d", {var("x")});
  CHECK(infer(adj, {{"x", S({2, 3, 8, 8})}}).outputs == "(2,8,17,17)");
  // target_shape overrides pad and adj
  for (auto [target, out] : std::vector<std::pair<std::string, std::string>>{
           {"(17, 17)", "(2,8,17,17)"}, {"(16, 16)", "(2,8,16,16)"}, {"(18, 18)", "(2,8,18,18)"}}) {
    Symbol t = make("Deconvolution",
                    {{"kernel", "(4, 4)"},
                     {"stride", "(2, 2)"},
                     {"pad", "(1, 1)"},
                     {"target_shape", target},
                     {"num_filter", "8"}},
                    "d", {var("x")});
    CHECK(infer(t, {{"x", S({2, 3, 8, 8})}}).outputs == out);
  }
  // 1-D grouped and dilated; 3-D
  Symbol d1 = make("Deconvolution",
                   {{"kernel", "(3,)"},
                    {"stride", "(2,)"},
                    {"dilate", "(2,)"},
                    {"num_filter", "4"},
                    {"num_group", "2"}},
                   "d", {var("x")});
  r = infer(d1, {{"x", S({2, 4, 8})}});
  CHECK(r.args == "(2,4,8) (4,2,3)");
  CHECK(r.outputs == "(2,4,19)");
  Symbol d3 =
      make("Deconvolution", {{"kernel", "(3, 3, 3)"}, {"stride", "(2, 2, 2)"}, {"num_filter", "4"}},
           "d", {var("x")});
  CHECK(infer(d3, {{"x", S({2, 4, 5, 5, 5})}}).outputs == "(2,4,11,11,11)");
  Symbol nhwc =
      make("Deconvolution", {{"kernel", "(3, 3)"}, {"num_filter", "8"}, {"layout", "NHWC"}}, "d",
           {var("x")});
  r = infer(nhwc, {{"x", S({2, 8, 8, 3})}});
  CHECK(r.args == "(2,8,8,3) (3,3,3,8)");
  CHECK(r.outputs == "(2,10,10,8)");
  // partial: unknown extents stay unknown; nothing flows back from the output
  CHECK(infer(d, {{"x", S({-1, 3, -1, 8})}}).outputs == "(None,8,None,10)");
  Symbol sum = make("elemwise_add", {}, "plus", {d, var("y")});
  CHECK(infer(sum, {{"y", S({2, 8, 10, 10})}}).args == "None None (2,8,10,10)");
}

TEST_CASE("Deconvolution: errors and dtypes", "[nn][deconv]") {
  auto deconv = [](AttrDict d) {
    return error_of([&] { make("Deconvolution", d, "d", {var("x")}); });
  };
  CHECK(contains(deconv({{"kernel", "(3, 3)"}, {"num_filter", "8"}, {"adj", "(1,)"}}),
                 "Adjustment must have the same number of dimensions"));
  CHECK(contains(deconv({{"kernel", "(3, 3)"}, {"num_filter", "8"}, {"stride", "(2,)"}}),
                 "Stride must have the same number of dimensions"));
  CHECK(contains(deconv({{"kernel", "(3, 3, 3, 3)"}, {"num_filter", "8"}}),
                 "4D deconvolution not supported"));
  auto shape_err = [](AttrDict d, Shape x) {
    return infer_error(make("Deconvolution", d, "d", {var("x")}), {{"x", x}});
  };
  CHECK(contains(
      shape_err({{"kernel", "(3, 3)"}, {"num_filter", "8"}, {"num_group", "2"}}, S({2, 3, 8, 8})),
      "input num_filter must divide group size"));
  CHECK(contains(
      shape_err({{"kernel", "(3, 3)"}, {"num_filter", "7"}, {"num_group", "3"}}, S({2, 3, 8, 8})),
      "output num_filter must divide group size"));
  CHECK(contains(
      shape_err(
          {{"kernel", "(3, 3)"}, {"stride", "(2, 2)"}, {"adj", "(2, 2)"}, {"num_filter", "8"}},
          S({2, 3, 8, 8})),
      "adj must be smaller than stride"));
  CHECK(contains(shape_err({{"kernel", "(4, 4)"},
                            {"stride", "(2, 2)"},
                            {"target_shape", "(20, 20)"},
                            {"num_filter", "8"}},
                           S({2, 3, 8, 8})),
                 "too big target shape"));
  CHECK(contains(shape_err({{"kernel", "(3, 3)"}, {"num_filter", "8"}}, S({2, 3, 8})),
                 "Input data should be 4D in batch-num_filter-y-x"));

  Symbol d = make("Deconvolution", {{"kernel", "(3, 3)"}, {"num_filter", "8"}}, "d", {var("x")});
  CHECK(infer_types(d, {{"x", "float16"}}).args == "float16 float16");
  CHECK(contains(type_error(d, {{"x", "float16"}, {"d_weight", "float32"}}),
                 "Expected 'float16' v.s. given 'float32' at 'weight'"));
  Symbol sum = make("elemwise_add", {}, "plus", {d, var("y")});
  CHECK(infer_types(sum, {{"y", "float16"}}).args == "float16 float16 float16");
}

TEST_CASE("Deconvolution: to_json matches MXNet", "[nn][deconv][json]") {
  Symbol d = make("Deconvolution",
                  {{"kernel", "(4, 4)"},
                   {"stride", "(2, 2)"},
                   {"target_shape", "(16, 16)"},
                   {"num_filter", "4"}},
                  "d", {var("x")});
  CHECK(d.to_json() == kDeconvJson);
}
