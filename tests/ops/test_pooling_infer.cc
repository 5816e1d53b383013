// Pooling registration against MXNet 1.9.1: parameters and the defaults the parser fills, the
// hidden max-pooling workspace output of the released (oneDNN) builds, shape inference for
// every convention, rank and layout, global pooling, errors, dtypes and to_json.
#include "core/ops/pooling.h"
#include "tests/ops/nn_test_util.h"

using namespace nn_test;

namespace {

// Written by MXNet 1.9.1.
const char* const kPoolMaxJson = R"json({
  "nodes": [
    {
      "op": "null", 
      "name": "x", 
      "inputs": []
    }, 
    {
      "op": "Pooling", 
      "name": "p", 
      "attrs": {
        "kernel": "(2, 2)", 
        "pool_type": "max", 
        "stride": "(2, 2)"
      }, 
      "inputs": [[0, 0, 0]]
    }
  ], 
  "arg_nodes": [0], 
  "node_row_ptr": [0, 1, 3], 
  "heads": [[1, 0, 0]], 
  "attrs": {"mxnet_version": ["int", 10901]}
})json";

const char* const kPoolAvgJson = R"json({
  "nodes": [
    {
      "op": "null", 
      "name": "x", 
      "inputs": []
    }, 
    {
      "op": "Pooling", 
      "name": "gp", 
      "attrs": {
        "global_pool": "True", 
        "kernel": "(1, 1)", 
        "pool_type": "avg"
      }, 
      "inputs": [[0, 0, 0]]
    }
  ], 
  "arg_nodes": [0], 
  "node_row_ptr": [0, 1, 2], 
  "heads": [[1, 0, 0]], 
  "attrs": {"mxnet_version": ["int", 10901]}
})json";

Symbol pool(AttrDict params, const std::string& name = "p") {
  return make("Pooling", params, name, {var("x")});
}

std::string out_shape(AttrDict params, Shape x) { return infer(pool(params), {{"x", x}}).outputs; }

int total_outputs(const Symbol& s) { return s.outputs[0].node->num_outputs(); }

}  // namespace

TEST_CASE("Pooling: names, defaults and the hidden workspace output", "[nn][pooling]") {
  Symbol p = pool({{"kernel", "(2, 2)"}, {"stride", "(2, 2)"}});
  CHECK(p.list_arguments() == Strings{"x"});
  CHECK(p.list_outputs() == Strings{"p_output"});
  CHECK(p.internals().list_outputs() == Strings{"x", "p_output"});
  const auto& prm = p.outputs[0].node->attrs.get<loom::PoolingParam>();
  CHECK(prm.pool_type == "max");
  CHECK(prm.pooling_convention == "valid");
  CHECK(*prm.layout == "NCHW");
  CHECK(prm.pad == S({0, 0}));
  CHECK(!prm.p_value);
  CHECK(!prm.count_include_pad);
  auto one = pool({{"kernel", "(3,)"}}).outputs[0].node->attrs.get<loom::PoolingParam>();
  CHECK(one.stride == S({1}));
  CHECK(*one.layout == "NCW");
  auto global = pool({{"global_pool", "True"}}).outputs[0].node->attrs.get<loom::PoolingParam>();
  CHECK(global.stride == S({1, 1, 1}));
  CHECK(!global.layout);

  // max pooling with a 1-3-D kernel in a channel-first layout has 2 outputs, 1 visible
  CHECK(total_outputs(p) == 2);
  CHECK(total_outputs(pool({{"kernel", "(2,)"}})) == 2);
  CHECK(total_outputs(pool({{"kernel", "(2, 2, 2)"}, {"layout", "NCDHW"}})) == 2);
  CHECK(total_outputs(pool({{"kernel", "(2, 2)"}, {"global_pool", "True"}})) == 2);
  CHECK(total_outputs(pool({{"kernel", "(2, 2)"}, {"pool_type", "avg"}})) == 1);
  CHECK(total_outputs(pool({{"kernel", "(2, 2)"}, {"pool_type", "sum"}})) == 1);
  CHECK(total_outputs(pool({{"kernel", "(2, 2)"}, {"pool_type", "lp"}, {"p_value", "2"}})) == 1);
  CHECK(total_outputs(pool({{"global_pool", "True"}})) == 1);
  CHECK(total_outputs(pool({{"kernel", "(2, 2)"}, {"layout", "NHWC"}})) == 1);
  CHECK(total_outputs(pool({{"kernel", "(2,)"}, {"layout", "NWC"}})) == 1);
}

TEST_CASE("Pooling: output size conventions", "[nn][pooling]") {
  // kernel 3, stride 2, pad 1 over 8: valid 4, full 5 (as MXNet 1.9.1 computes them)
  const std::vector<std::pair<Shape, std::string>> valid = {{S({2, 3, 8}), "(2,3,4)"},
                                                            {S({2, 3, 8, 8}), "(2,3,4,4)"},
                                                            {S({2, 3, 8, 8, 8}), "(2,3,4,4,4)"}};
  const std::vector<std::string> full = {"(2,3,5)", "(2,3,5,5)", "(2,3,5,5,5)"};
  const std::vector<std::string> kernels = {"(3,)", "(3, 3)", "(3, 3, 3)"};
  const std::vector<std::string> strides = {"(2,)", "(2, 2)", "(2, 2, 2)"};
  const std::vector<std::string> pads = {"(1,)", "(1, 1)", "(1, 1, 1)"};
  for (size_t i = 0; i < 3; ++i) {
    AttrDict base = {{"kernel", kernels[i]}, {"stride", strides[i]}, {"pad", pads[i]}};
    CHECK(out_shape(base, valid[i].first) == valid[i].second);
    base["pooling_convention"] = "full";
    CHECK(out_shape(base, valid[i].first) == full[i]);
  }
  // "same": ceil(in / stride), 1-D without padding only
  CHECK(out_shape({{"kernel", "(3,)"}, {"stride", "(2,)"}, {"pooling_convention", "same"}},
                  S({2, 3, 9})) == "(2,3,5)");
  CHECK(out_shape({{"kernel", "(3,)"}, {"stride", "(2,)"}, {"pooling_convention", "same"}},
                  S({2, 3, 8})) == "(2,3,4)");
  // global pooling keeps batch and channel, wherever the channel is
  CHECK(out_shape({{"global_pool", "True"}}, S({2, 3, 8, 8})) == "(2,3,1,1)");
  CHECK(out_shape({{"global_pool", "True"}, {"kernel", "(2,)"}}, S({2, 3, 7})) == "(2,3,1)");
  CHECK(out_shape({{"global_pool", "True"}, {"layout", "NHWC"}}, S({2, 8, 8, 3})) == "(2,1,1,3)");
  CHECK(out_shape({{"global_pool", "True"}}, S({2, 3, 4, 5, 6})) == "(2,3,1,1,1)");
  // channel-last layouts
  CHECK(out_shape({{"kernel", "(3, 3)"}, {"layout", "NHWC"}}, S({2, 8, 8, 3})) == "(2,6,6,3)");
  CHECK(out_shape({{"kernel", "(3,)"}, {"layout", "NWC"}}, S({2, 8, 3})) == "(2,6,3)");
  // partial: unknown extents stay unknown; nothing flows back
  CHECK(out_shape({{"kernel", "(3, 3)"}}, S({-1, 3, 8, -1})) == "(None,3,6,None)");
  Symbol sum = make("elemwise_add", {}, "plus", {pool({{"kernel", "(2, 2)"}}), var("y")});
  CHECK(infer(sum, {{"y", S({2, 3, 4, 4})}}).args == "None (2,3,4,4)");
}

TEST_CASE("Pooling: errors", "[nn][pooling]") {
  auto err = [](AttrDict params, Shape x) { return infer_error(pool(params), {{"x", x}}); };
  CHECK(contains(err({{"kernel", "(3, 3)"}}, S({2, 3, 8})),
                 "Pooling: Input data should be 4D in (batch, channel, y, x)"));
  CHECK(contains(err({{"kernel", "(9, 9)"}}, S({2, 3, 8, 8})),
                 "kernel size (9) exceeds input (8 padded to 8)"));
  CHECK(contains(err({{"global_pool", "True"}}, S({2, 3})),
                 "Pooling: Input data should be  3D in (batch, channel, x)"));
  CHECK(contains(err({{"global_pool", "True"}}, S({2, 3, 4, 5, 6, 7})), "Or 5D"));
  CHECK(contains(err({{"kernel", "(3, 3)"}, {"pool_type", "lp"}}, S({2, 3, 8, 8})), "p_value"));
  CHECK(contains(err({{"kernel", "(3, 3)"}, {"pooling_convention", "same"}}, S({2, 3, 8, 8})),
                 "Currently 'same' supports Max Pooling 1-D"));
  CHECK(contains(
      err({{"kernel", "(3,)"}, {"pad", "(1,)"}, {"pooling_convention", "same"}}, S({2, 3, 8})),
      "Same pooling convention disables the use of pad parameter."));
  // checked when the symbol is created
  CHECK(contains(error_of([] { pool({}); }), "0D pooling not supported"));
  CHECK(contains(error_of([] { pool({{"kernel", "(2, 2, 2, 2)"}}); }), "4D pooling not supported"));
  CHECK(contains(error_of([] {
                   pool({{"kernel", "(2, 2)"}, {"stride", "(2,)"}});
                 }),
                 "must have the same number of dimensions"));
  CHECK(contains(error_of([] {
                   pool({{"kernel", "(2, 2)"}, {"layout", "NCW"}});
                 }),
                 "does not fit a 2-D kernel"));
  CHECK(contains(error_of([] {
                   pool({{"kernel", "(2, 2)"}, {"pool_type", "median"}});
                 }),
                 "Invalid Input: 'median'"));
}

TEST_CASE("Pooling: dtypes", "[nn][pooling]") {
  for (std::string t : {"float16", "int32", "int8", "uint8", "float64"})
    CHECK(infer_types(pool({{"kernel", "(2, 2)"}}), {{"x", t}}).outputs == t);
  Symbol sum = make("elemwise_add", {}, "plus", {pool({{"kernel", "(2, 2)"}}), var("y")});
  CHECK(infer_types(sum, {{"y", "float16"}}).args == "? float16");  // forward only
}

TEST_CASE("Pooling: to_json matches MXNet", "[nn][pooling][json]") {
  Symbol p = pool({{"kernel", "(2, 2)"}, {"stride", "(2, 2)"}, {"pool_type", "max"}});
  CHECK(p.to_json() == kPoolMaxJson);
  Symbol g = pool({{"kernel", "(1, 1)"}, {"global_pool", "True"}, {"pool_type", "avg"}}, "gp");
  CHECK(g.to_json() == kPoolAvgJson);
  CHECK(Symbol::from_json(kPoolMaxJson).to_json() == kPoolMaxJson);
  // p_value and count_include_pad spelled as MXNet writes them
  Symbol lp = pool({{"kernel", "(3, 3)"},
                    {"count_include_pad", "False"},
                    {"p_value", "2"},
                    {"pool_type", "lp"},
                    {"cudnn_off", "True"},
                    {"pooling_convention", "full"}});
  auto prm = lp.outputs[0].node->attrs.get<loom::PoolingParam>();
  CHECK(*prm.p_value == 2);
  CHECK(*prm.count_include_pad == false);
  Symbol none = pool({{"kernel", "(3, 3)"}, {"count_include_pad", "None"}});
  CHECK(!none.outputs[0].node->attrs.get<loom::PoolingParam>().count_include_pad);
}
