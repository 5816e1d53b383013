// BlockGrad, make_loss, MakeLoss, Cast, SpatialTransformer, InstanceNorm, LayerNorm and
// L2Normalization registrations against MXNet 1.9.1: names (incl. make_loss's "loss" output
// and the hidden outputs), shapes, dtypes, gradients where defined, and to_json.
#include "core/ops/misc_nn.h"
#include "tests/ops/nn_test_util.h"

using namespace nn_test;

namespace {

// Written by MXNet 1.9.1.
const char* const kMiscJson = R"json({
  "nodes": [
    {
      "op": "null", 
      "name": "x", 
      "inputs": []
    }, 
    {
      "op": "BlockGrad", 
      "name": "bg", 
      "inputs": [[0, 0, 0]]
    }, 
    {
      "op": "make_loss", 
      "name": "ml", 
      "inputs": [[1, 0, 0]]
    }, 
    {
      "op": "Cast", 
      "name": "cast", 
      "attrs": {"dtype": "float16"}, 
      "inputs": [[0, 0, 0]]
    }, 
    {
      "op": "MakeLoss", 
      "name": "ML", 
      "attrs": {"grad_scale": "0.5"}, 
      "inputs": [[3, 0, 0]]
    }
  ], 
  "arg_nodes": [0], 
  "node_row_ptr": [0, 1, 2, 3, 4, 5], 
  "heads": [[2, 0, 0], [4, 0, 0]], 
  "attrs": {"mxnet_version": ["int", 10901]}
})json";

const char* const kStnJson = R"json({
  "nodes": [
    {
      "op": "null", 
      "name": "x", 
      "inputs": []
    }, 
    {
      "op": "null", 
      "name": "st_loc", 
      "attrs": {
        "sampler_type": "bilinear", 
        "target_shape": "(5, 6)", 
        "transform_type": "affine"
      }, 
      "inputs": []
    }, 
    {
      "op": "SpatialTransformer", 
      "name": "st", 
      "attrs": {
        "sampler_type": "bilinear", 
        "target_shape": "(5, 6)", 
        "transform_type": "affine"
      }, 
      "inputs": [[0, 0, 0], [1, 0, 0]]
    }
  ], 
  "arg_nodes": [0, 1], 
  "node_row_ptr": [0, 1, 2, 5], 
  "heads": [[2, 0, 0]], 
  "attrs": {"mxnet_version": ["int", 10901]}
})json";

const char* const kNormsJson = R"json({
  "nodes": [
    {
      "op": "null", 
      "name": "x", 
      "inputs": []
    }, 
    {
      "op": "null", 
      "name": "in_gamma", 
      "inputs": []
    }, 
    {
      "op": "null", 
      "name": "in_beta", 
      "inputs": []
    }, 
    {
      "op": "InstanceNorm", 
      "name": "in", 
      "inputs": [[0, 0, 0], [1, 0, 0], [2, 0, 0]]
    }, 
    {
      "op": "null", 
      "name": "ln_gamma", 
      "attrs": {"axis": "1"}, 
      "inputs": []
    }, 
    {
      "op": "null", 
      "name": "ln_beta", 
      "attrs": {"axis": "1"}, 
      "inputs": []
    }, 
    {
      "op": "LayerNorm", 
      "name": "ln", 
      "attrs": {"axis": "1"}, 
      "inputs": [[0, 0, 0], [4, 0, 0], [5, 0, 0]]
    }, 
    {
      "op": "L2Normalization", 
      "name": "l2", 
      "attrs": {"mode": "channel"}, 
      "inputs": [[0, 0, 0]]
    }
  ], 
  "arg_nodes": [0, 1, 2, 4, 5], 
  "node_row_ptr": [0, 1, 2, 3, 6, 7, 8, 11, 13], 
  "heads": [[3, 0, 0], [6, 0, 0], [7, 0, 0]], 
  "attrs": {"mxnet_version": ["int", 10901]}
})json";

}  // namespace

TEST_CASE("BlockGrad and make_loss: names, shapes, dtypes, gradients", "[nn][misc]") {
  Symbol bg = make("BlockGrad", {}, "b", {var("x")});
  CHECK(bg.list_outputs() == Strings{"b_output"});
  CHECK(loom::OpRegistry::get().find("stop_gradient") == loom::OpRegistry::get().find("BlockGrad"));
  Symbol ml = make("make_loss", {}, "m", {var("x")});
  CHECK(ml.list_outputs() == Strings{"m_loss"});
  for (const Symbol& s : {bg, ml}) {
    CHECK(infer(s, {{"x", S({2, 3})}}).outputs == "(2,3)");
    CHECK(infer_types(s, {{"x", "int32"}}).outputs == "int32");
    Symbol sum = make("elemwise_add", {}, "plus", {s, var("y")});
    CHECK(infer(sum, {{"y", S({2, 3})}}).args == "(2,3) (2,3)");
  }
  // BlockGrad stops the gradient; make_loss's gradient is ones_like(data)
  loom::NodeEntry head_grad = var("head_grad").outputs[0];
  auto g = loom::gradient(bg.outputs, {head_grad}, {bg.outputs[0].node->inputs[0]});
  CHECK(g[0].node->op()->name == "zeros_like");
  g = loom::gradient(ml.outputs, {head_grad}, {ml.outputs[0].node->inputs[0]});
  CHECK(g[0].node->op()->name == "ones_like");
  CHECK(g[0].node->inputs[0].node == ml.outputs[0].node->inputs[0].node);
}

TEST_CASE("MakeLoss: legacy loss marker", "[nn][misc]") {
  Symbol m = make("MakeLoss", {{"grad_scale", "2.0"}, {"normalization", "batch"}}, "m", {var("x")});
  CHECK(m.list_outputs() == Strings{"m_output"});
  const auto& p = m.outputs[0].node->attrs.get<loom::MakeLossParam>();
  CHECK(p.grad_scale == 2.0f);
  CHECK(p.normalization == "batch");
  CHECK(p.valid_thresh == 0.0f);
  CHECK(infer(m, {{"x", S({2, 3})}}).outputs == "(2,3)");
  CHECK(infer_types(m, {{"x", "float16"}}).outputs == "float16");
  Symbol sum = make("elemwise_add", {}, "plus", {m, var("y")});
  CHECK(infer(sum, {{"y", S({2, 3})}}).args == "None (2,3)");  // forward only
}

TEST_CASE("Cast: the dtype parameter decides the output's dtype", "[nn][misc]") {
  Symbol c = make("Cast", {{"dtype", "float16"}}, "c", {var("x")});
  CHECK(loom::OpRegistry::get().find("cast") == loom::OpRegistry::get().find("Cast"));
  auto t = infer_types(c, {{"x", "int32"}});
  CHECK(t.args == "int32");
  CHECK(t.outputs == "float16");
  CHECK(infer_types(make("Cast", {{"dtype", "bool"}}, "c", {var("x")}), {{"x", "int32"}}).outputs ==
        "bool");
  CHECK(infer_types(c, {}).outputs == "float16");
  // the input's dtype is not learnt from the output
  Symbol sum = make("elemwise_add", {}, "plus", {c, var("y")});
  CHECK(infer_types(sum, {{"y", "float16"}}).args == "? float16");
  CHECK(contains(type_error(sum, {{"y", "float32"}}), "Type inconsistent"));
  CHECK(infer(sum, {{"y", S({2, 3})}}).args == "(2,3) (2,3)");
  CHECK(contains(error_of([] { make("Cast", {}, "c", {var("x")}); }), "Required parameter dtype"));
  CHECK(contains(error_of([] {
                   make("Cast", {{"dtype", "int16"}}, "c", {var("x")});
                 }),
                 "Invalid Input: 'int16'"));
}

TEST_CASE("SpatialTransformer: inputs, hidden outputs and shapes", "[nn][misc]") {
  Symbol st =
      make("SpatialTransformer",
           {{"target_shape", "(5, 6)"}, {"transform_type", "affine"}, {"sampler_type", "bilinear"}},
           "st", {var("x")});
  CHECK(st.list_arguments() == Strings{"x", "st_loc"});
  CHECK(st.list_outputs() == Strings{"st_output"});
  CHECK(st.outputs[0].node->num_outputs() == 3);
  CHECK(infer(st, {{"x", S({2, 3, 8, 8})}, {"st_loc", S({2, 6})}}).outputs == "(2,3,5,6)");
  CHECK(contains(infer_error(st, {{"x", S({2, 3, 8, 8})}, {"st_loc", S({2, 5})}}), "should be 6"));
  CHECK(contains(infer_error(st, {{"x", S({2, 3, 8})}}),
                 "input data should be 4D in batch-num_filter-y-x"));
  Symbol no_target =
      make("SpatialTransformer", {{"transform_type", "affine"}, {"sampler_type", "bilinear"}}, "st",
           {var("x")});
  CHECK(contains(infer_error(no_target, {{"x", S({2, 3, 8, 8})}}), "incorrect target_shape"));
  CHECK(infer_types(st, {{"x", "float16"}}).args == "float16 float16");
  CHECK(contains(error_of([] {
                   make("SpatialTransformer", {{"transform_type", "affine"}}, "st", {var("x")});
                 }),
                 "Required parameter sampler_type"));
}

TEST_CASE("InstanceNorm, LayerNorm, L2Normalization", "[nn][misc]") {
  Symbol in = make("InstanceNorm", {}, "i", {var("x")});
  CHECK(in.list_arguments() == Strings{"x", "i_gamma", "i_beta"});
  CHECK(in.list_outputs() == Strings{"i_output"});
  CHECK(in.outputs[0].node->num_outputs() == 3);
  auto r = infer(in, {{"x", S({2, 3, 4})}});
  CHECK(r.args == "(2,3,4) (3,) (3,)");
  CHECK(r.outputs == "(2,3,4)");
  CHECK(infer_types(in, {{"x", "float32"}}).args == "float32 float32 float32");
  CHECK(contains(type_error(in, {{"x", "float16"}}), "float32 only"));

  Symbol ln = make("LayerNorm", {}, "l", {var("x")});
  CHECK(ln.list_arguments() == Strings{"x", "l_gamma", "l_beta"});
  CHECK(ln.list_outputs() == Strings{"l_output"});
  r = infer(ln, {{"x", S({2, 3, 4})}});
  CHECK(r.args == "(2,3,4) (4,) (4,)");
  Symbol lnm = make("LayerNorm", {{"axis", "1"}, {"output_mean_var", "True"}}, "l", {var("x")});
  CHECK(lnm.list_outputs() == Strings{"l_output", "l_mean", "l_std"});
  r = infer(lnm, {{"x", S({2, 3, 4})}});
  CHECK(r.args == "(2,3,4) (3,) (3,)");
  CHECK(r.outputs == "(2,3,4) (2,1,4) (2,1,4)");
  CHECK(contains(
      infer_error(make("LayerNorm", {{"axis", "3"}}, "l", {var("x")}), {{"x", S({2, 3, 4})}}),
      "Channel axis out of range: axis=3"));
  CHECK(infer_types(ln, {{"x", "float16"}}).args == "float16 float16 float16");
  CHECK(contains(type_error(ln, {{"x", "float16"}, {"l_gamma", "float32"}}), "Type inconsistent"));

  Symbol l2 = make("L2Normalization", {{"mode", "channel"}}, "n", {var("x")});
  CHECK(l2.list_outputs() == Strings{"n_output"});
  CHECK(l2.outputs[0].node->num_outputs() == 2);
  CHECK(infer(l2, {{"x", S({2, 3, 4})}}).outputs == "(2,3,4)");
  CHECK(
      contains(infer_error(l2, {{"x", S({2})}}), "At least 3 dimensions required in channel mode"));
  CHECK(contains(infer_error(make("L2Normalization", {{"mode", "spatial"}}, "n", {var("x")}),
                             {{"x", S({2, 3})}}),
                 "At least 3 dimensions required in spatial mode"));
  CHECK(infer(make("L2Normalization", {}, "n", {var("x")}), {{"x", S({2, 3})}}).outputs == "(2,3)");
  CHECK(infer_types(l2, {{"x", "float16"}}).outputs == "float16");
}

TEST_CASE("misc nn ops: to_json matches MXNet", "[nn][misc][json]") {
  Symbol x = var("x");  // one variable shared by the branches, as in the reference graph
  Symbol misc = Symbol::group({make("make_loss", {}, "ml", {make("BlockGrad", {}, "bg", {x})}),
                               make("MakeLoss", {{"grad_scale", "0.5"}}, "ML",
                                    {make("Cast", {{"dtype", "float16"}}, "cast", {x})})});
  CHECK(misc.to_json() == kMiscJson);
  Symbol st =
      make("SpatialTransformer",
           {{"target_shape", "(5, 6)"}, {"transform_type", "affine"}, {"sampler_type", "bilinear"}},
           "st", {var("x")});
  CHECK(st.to_json() == kStnJson);
  Symbol norms = Symbol::group({make("InstanceNorm", {}, "in", {x}),
                                make("LayerNorm", {{"axis", "1"}}, "ln", {x}),
                                make("L2Normalization", {{"mode", "channel"}}, "l2", {x})});
  CHECK(norms.to_json() == kNormsJson);
}
