// Registration and inference of the indexing and ordering ops (core/ops/indexing_ops.cc): take,
// pick, one_hot, sort, argsort, topk (outputs by ret_typ, hidden index outputs), gather_nd and
// scatter_nd; shapes, dtypes, errors and JSON as the reference MXNet 1.9.1 produces them.
#include "core/ops/indexing_ops.h"
#include "tests/ops/tensor_test_util.h"

using namespace loom;
using namespace tensor_test;

namespace {

Symbol binary(const char* op, const AttrDict& p) { return make(op, p, "op", {var("x"), var("z")}); }

std::string out2(const char* op, const AttrDict& p, const Shape& x, const Shape& z) {
  return outs(binary(op, p), {{"x", x}, {"z", z}});
}

std::string err2(const char* op, const AttrDict& p, const Shape& x, const Shape& z) {
  return shape_error(binary(op, p), {{"x", x}, {"z", z}});
}

}  // namespace

TEST_CASE("indexing ops: inputs, aliases, outputs", "[tensor-infer]") {
  CHECK(make("take", {}, "t").list_arguments() == Strings{"t_a", "t_indices"});
  CHECK(make("pick", {}, "p").list_arguments() == Strings{"p_data", "p_index"});
  CHECK(op_named("choose_element_0index").name == "pick");
  CHECK(make("one_hot", {{"depth", "3"}}, "o").list_arguments() == Strings{"o_indices"});
  CHECK(make("gather_nd", {}, "g").list_arguments() == Strings{"g_data", "g_indices"});
  CHECK(make("scatter_nd", {{"shape", "(2,)"}}, "s").list_arguments() ==
        Strings{"s_data", "s_indices"});
  CHECK(param_names("topk") == Strings{"axis", "k", "ret_typ", "is_ascend", "dtype"});
  CHECK(param_names("one_hot") == Strings{"depth", "on_value", "off_value", "dtype"});
  CHECK(param_names("gather_nd").empty());

  // sort and topk(value/both) carry a second output holding the indices
  auto n_out = [](const Symbol& s) { return s.outputs[0].node->num_outputs(); };
  Symbol sort = make("sort", {}, "s", {var("x")});
  CHECK(sort.list_outputs() == Strings{"s_output0"});
  CHECK(n_out(sort) == 2);
  CHECK(make("argsort", {}, "a", {var("x")}).list_outputs() == Strings{"a_output"});
  Symbol idx = make("topk", {}, "t", {var("x")});
  CHECK(idx.list_outputs() == Strings{"t_output"});
  CHECK(n_out(idx) == 1);
  Symbol val = make("topk", {{"ret_typ", "value"}}, "t", {var("x")});
  CHECK(val.list_outputs() == Strings{"t_output0"});
  CHECK(n_out(val) == 2);
  Symbol both = make("topk", {{"ret_typ", "both"}}, "t", {var("x")});
  CHECK(both.list_outputs() == Strings{"t_output0", "t_output1"});
  Symbol mask = make("topk", {{"ret_typ", "mask"}}, "t", {var("x")});
  CHECK(mask.list_outputs() == Strings{"t_output"});
  CHECK(n_out(mask) == 1);
}

TEST_CASE("take: indices' shape replaces the axis", "[tensor-infer]") {
  CHECK(out2("take", {}, S({5, 3}), S({2, 4})) == "(2,4,3)");
  CHECK(out2("take", {{"axis", "1"}}, S({5, 3, 6}), S({2, 4})) == "(5,2,4,6)");
  CHECK(out2("take", {{"axis", "-1"}}, S({5, 3, 6}), S({2})) == "(5,3,2)");
  CHECK(out2("take", {{"mode", "wrap"}}, S({-1, 3}), S({2, 4})) == "(2,4,3)");
  CHECK(out2("take", {}, S({5, -1}), S({2, 4})) == "(2,4,None)");
  CHECK(out2("take", {}, S({5, 3}), S({2, -1})) == "None");
  CHECK(contains(err2("take", {{"axis", "3"}}, S({5, 3, 6}), S({2})),
                 "axis=3 is out of range for an input of 3 dimensions"));
  CHECK(contains(err2("take", {{"axis", "-4"}}, S({5, 3, 6}), S({2})), "(valid: -3 to 2)"));
  CHECK(contains(error_of([] { binary("take", {{"mode", "nearest"}}); }), "'nearest'"));
  CHECK(types(binary("take", {}), {{"x", "float16"}, {"z", "int32"}}).outputs == "float16");
  // MXNet insists on a known index dtype; Loom just leaves the index open
  Types t = types(binary("take", {}), {{"x", "float64"}});
  CHECK(t.args == "float64 ?");
  CHECK(t.outputs == "float64");
  CHECK(types(times_w(binary("take", {})), {{"w", "float64"}}).args == "float64 ? float64");
}

TEST_CASE("pick: the index has the output's shape", "[tensor-infer]") {
  CHECK(out2("pick", {{"axis", "1"}}, S({2, 3, 4}), S({2, 4})) == "(2,4)");
  CHECK(out2("pick", {}, S({2, 3, 4}), S({2, 3})) == "(2,3)");
  CHECK(out2("pick", {{"axis", "1"}, {"keepdims", "True"}}, S({2, 3, 4}), S({2, 1, 4})) ==
        "(2,1,4)");
  CHECK(args(binary("pick", {{"axis", "1"}}), {{"x", S({2, 3, 4})}}) == "(2,3,4) (2,4)");
  CHECK(args(binary("pick", {{"axis", "0"}}), {{"x", S({5})}}) == "(5,) (1,)");
  CHECK(out2("pick", {{"axis", "1"}}, S({-1, 3, 4}), S({-1, 4})) == "(None,4)");
  CHECK(args(binary("pick", {{"axis", "1"}}), {{"x", S({-1, 3, 4})}, {"z", S({2, 4})}}) ==
        "(None,3,4) (2,4)");
  std::string e = err2("pick", {}, S({2, 3, 4}), S({2, 4}));
  CHECK(contains(e, "Shape inconsistent, Provided=(2,4), inferred shape=(2,3)"));
  CHECK(contains(err2("pick", {{"axis", "None"}}, S({2, 3, 4}), S({5})),
                 "axis=None is not supported"));
  CHECK(args(times_w(binary("pick", {{"axis", "1"}})), {{"w", S({2, 4})}}) == "None None (2,4)");
  CHECK(types(binary("pick", {}), {{"x", "float64"}, {"z", "int32"}}).outputs == "float64");
}

TEST_CASE("one_hot appends a depth axis and takes its dtype parameter", "[tensor-infer]") {
  CHECK(out1("one_hot", {{"depth", "5"}}, S({2, 3})) == "(2,3,5)");
  CHECK(out1("one_hot", {{"depth", "5"}}, S({4})) == "(4,5)");
  CHECK(out1("one_hot", {{"depth", "0"}}, S({2, 3})) == "(2,3,0)");
  CHECK(out1("one_hot", {{"depth", "5"}}, S({-1, 3})) == "None");
  CHECK(contains(err1("one_hot", {{"depth", "-1"}}, S({2, 3})), "depth=-1"));
  CHECK(types(unary("one_hot", {{"depth", "3"}}), {{"x", "int32"}}).outputs == "float32");
  CHECK(types(unary("one_hot", {{"depth", "3"}, {"dtype", "int64"}}), {{"x", "float32"}}).outputs ==
        "int64");
  CHECK(types(unary("one_hot", {{"depth", "3"}}), {}).outputs == "float32");
  CHECK(contains(error_of([] { unary("one_hot", {}); }), "Required parameter depth"));
  CHECK(contains(error_of([] {
                   unary("one_hot", {{"depth", "3"}, {"dtype", "bool"}});
                 }),
                 "'bool'"));
}

TEST_CASE("sort, argsort, topk: shapes", "[tensor-infer]") {
  const Shape x = S({2, 3, 4});
  CHECK(out1("sort", {}, x) == "(2,3,4)");
  CHECK(out1("sort", {{"axis", "None"}}, x) == "(24,)");
  CHECK(out1("argsort", {{"axis", "None"}}, x) == "(24,)");
  CHECK(out1("argsort", {{"axis", "0"}}, x) == "(2,3,4)");
  CHECK(contains(err1("sort", {{"axis", "3"}}, x), "axis=3 is out of range"));
  CHECK(out1("sort", {}, S({2, -1, 4})) == "None");

  CHECK(out1("topk", {}, x) == "(2,3,1)");
  CHECK(out1("topk", {{"k", "2"}, {"axis", "1"}}, x) == "(2,2,4)");
  CHECK(out1("topk", {{"k", "2"}, {"axis", "1"}, {"ret_typ", "value"}}, x) == "(2,2,4)");
  CHECK(out1("topk", {{"k", "2"}, {"axis", "1"}, {"ret_typ", "mask"}}, x) == "(2,3,4)");
  CHECK(out1("topk", {{"k", "2"}, {"axis", "1"}, {"ret_typ", "both"}}, x) == "(2,2,4) (2,2,4)");
  CHECK(out1("topk", {{"k", "0"}, {"axis", "1"}, {"ret_typ", "both"}}, x) == "(2,3,4) (2,3,4)");
  CHECK(out1("topk", {{"k", "-1"}, {"axis", "1"}}, x) == "(2,3,4)");
  CHECK(out1("topk", {{"k", "2"}, {"axis", "None"}}, x) == "(2,)");
  CHECK(out1("topk", {{"k", "2"}, {"axis", "None"}, {"ret_typ", "both"}}, x) == "(2,) (2,)");
  CHECK(out1("topk", {{"k", "2"}, {"axis", "None"}, {"ret_typ", "mask"}}, x) == "(2,3,4)");
  CHECK(contains(err1("topk", {{"k", "5"}, {"axis", "1"}}, x), "k=5 exceeds the 3 elements"));
  CHECK(args(times_w(unary("topk", {{"k", "2"}, {"ret_typ", "value"}})), {{"w", S({2, 3, 2})}}) ==
        "None (2,3,2)");
}

TEST_CASE("sort, argsort, topk: dtypes of values and indices", "[tensor-infer]") {
  CHECK(types(unary("sort", {}), {{"x", "float64"}}).outputs == "float64");
  CHECK(types(times_w(unary("sort", {})), {{"w", "float64"}}).args == "float64 float64");
  CHECK(types(unary("argsort", {}), {{"x", "float64"}}).outputs == "float32");
  CHECK(types(unary("argsort", {{"dtype", "int64"}}), {{"x", "float64"}}).outputs == "int64");
  CHECK(types(unary("argsort", {}), {}).outputs == "float32");
  CHECK(types(unary("topk", {}), {{"x", "float64"}}).outputs == "float32");
  CHECK(types(unary("topk", {{"dtype", "int32"}}), {{"x", "float64"}}).outputs == "int32");
  CHECK(types(unary("topk", {{"ret_typ", "value"}}), {{"x", "float64"}}).outputs == "float64");
  CHECK(types(unary("topk", {{"ret_typ", "mask"}}), {{"x", "float64"}}).outputs == "float64");
  CHECK(types(unary("topk", {{"ret_typ", "both"}}), {{"x", "float64"}}).outputs ==
        "float64 float32");
  CHECK(
      types(unary("topk", {{"ret_typ", "both"}, {"dtype", "int32"}}), {{"x", "float64"}}).outputs ==
      "float64 int32");
  CHECK(types(times_w(unary("topk", {{"ret_typ", "value"}})), {{"w", "float64"}}).args ==
        "float64 float64");
  CHECK(contains(type_error(times_w(unary("topk", {})), {{"w", "float64"}}), "Type inconsistent"));
}

TEST_CASE("gather_nd and scatter_nd", "[tensor-infer]") {
  CHECK(out2("gather_nd", {}, S({3, 4, 5}), S({2, 6})) == "(6,5)");
  CHECK(out2("gather_nd", {}, S({3, 4, 5}), S({3, 6, 7})) == "(6,7)");
  CHECK(out2("gather_nd", {}, S({3, -1, 5}), S({2, 6})) == "(6,5)");
  CHECK(out2("gather_nd", {}, S({3, 4, 5}), S({-1, 6})) == "None");
  CHECK(contains(err2("gather_nd", {}, S({3, 4, 5}), S({1})), "at least 2 dimensions"));
  CHECK(contains(err2("gather_nd", {}, S({3, 4, 5}), S({4, 6})),
                 "index 4 dimensions but data (3,4,5) has only 3"));
  CHECK(types(binary("gather_nd", {}), {{"x", "float64"}}).outputs == "float64");
  CHECK(types(times_w(binary("gather_nd", {})), {{"w", "float64"}}).args == "float64 ? float64");

  AttrDict p{{"shape", "(3, 4, 5)"}};
  CHECK(out2("scatter_nd", p, S({6, 5}), S({2, 6})) == "(3,4,5)");
  CHECK(outs(binary("scatter_nd", p), {}) == "(3,4,5)");
  CHECK(args(times_w(binary("scatter_nd", p)), {{"w", S({3, 4, 5})}}) == "None None (3,4,5)");
  CHECK(contains(err2("scatter_nd", p, S({6, 4}), S({2, 6})),
                 "data (6,4) and indices (2,6) do not fit the output shape (3,4,5)"));
  CHECK(contains(err2("scatter_nd", p, S({6, 5}), S({4, 6})), "do not fit"));
  CHECK(types(binary("scatter_nd", p), {{"x", "float64"}}).outputs == "float64");
  CHECK(contains(error_of([] { binary("scatter_nd", {}); }), "Required parameter shape"));
}

TEST_CASE("topk layout helper for kernels", "[tensor-infer]") {
  auto l = topk_layout(S({2, 3, 4}), 1, 2);
  CHECK(l.axis == 1);
  CHECK(l.element_num == 3);
  CHECK(l.k == 2);
  l = topk_layout(S({2, 3, 4}), std::nullopt, 0);
  CHECK(l.axis == -1);
  CHECK(l.element_num == 24);
  CHECK(l.k == 24);
}

TEST_CASE("indexing ops: JSON as MXNet 1.9.1 writes it", "[tensor-infer][json]") {
  // take (auto-created indices carry the op's attrs), sort and topk(both) with their hidden
  // index outputs counted in node_row_ptr, _histogram with an auto-created bins input
  const char* expected = R"json({
  "nodes": [
    {
      "op": "null", 
      "name": "x", 
      "inputs": []
    }, 
    {
      "op": "null", 
      "name": "tk_indices", 
      "attrs": {
        "axis": "1", 
        "mode": "wrap"
      }, 
      "inputs": []
    }, 
    {
      "op": "take", 
      "name": "tk", 
      "attrs": {
        "axis": "1", 
        "mode": "wrap"
      }, 
      "inputs": [[0, 0, 0], [1, 0, 0]]
    }, 
    {
      "op": "sort", 
      "name": "srt", 
      "attrs": {"axis": "0"}, 
      "inputs": [[2, 0, 0]]
    }, 
    {
      "op": "topk", 
      "name": "top", 
      "attrs": {
        "k": "2", 
        "ret_typ": "both"
      }, 
      "inputs": [[3, 0, 0]]
    }, 
    {
      "op": "null", 
      "name": "h_bins", 
      "inputs": []
    }, 
    {
      "op": "_histogram", 
      "name": "h", 
      "inputs": [[0, 0, 0], [5, 0, 0]]
    }
  ], 
  "arg_nodes": [0, 1, 5], 
  "node_row_ptr": [0, 1, 2, 3, 5, 7, 8, 10], 
  "heads": [[4, 0, 0], [4, 1, 0], [6, 0, 0]], 
  "attrs": {"mxnet_version": ["int", 10901]}
})json";
  Symbol x = var("x");
  Symbol tk = make("take", {{"axis", "1"}, {"mode", "wrap"}}, "tk", {x});
  Symbol srt = make("sort", {{"axis", "0"}}, "srt", {tk});
  Symbol top = make("topk", {{"k", "2"}, {"ret_typ", "both"}}, "top", {srt});
  Symbol h = make("_histogram", {}, "h", {x});
  Symbol g = Symbol::group({top.output(0), top.output(1), h.output(0)});
  CHECK(g.to_json() == expected);
  CHECK(g.list_arguments() == Strings{"x", "tk_indices", "h_bins"});
  CHECK(g.list_outputs() == Strings{"top_output0", "top_output1", "h_output0"});
  // MXNet: [(4, 2, 2), (4, 2, 2), (5,)] and [float64, float32, int64]
  CHECK(outs(g, {{"x", S({4, 5})}, {"tk_indices", S({2, 3})}, {"h_bins", S({6})}}) ==
        "(4,2,2) (4,2,2) (5,)");
  CHECK(types(g, {{"x", "float64"}, {"tk_indices", "int32"}, {"h_bins", "float32"}}).outputs ==
        "float64 float32 int64");
  Symbol back = Symbol::from_json(expected);
  CHECK(back.to_json() == expected);
}
