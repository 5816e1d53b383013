// SliceChannel (split) and _split_v2 registrations against MXNet 1.9.1: output counts and
// names, shapes (with and without squeeze_axis, by sections or indices), inference back from
// the outputs, errors, dtypes and to_json.
#include "core/ops/slice_channel.h"
#include "tests/ops/nn_test_util.h"

using namespace nn_test;

namespace {

// Written by MXNet 1.9.1.
const char* const kSplitJson = R"json({
  "nodes": [
    {
      "op": "null", 
      "name": "x", 
      "inputs": []
    }, 
    {
      "op": "SliceChannel", 
      "name": "s", 
      "attrs": {
        "axis": "1", 
        "num_outputs": "3", 
        "squeeze_axis": "True"
      }, 
      "inputs": [[0, 0, 0]]
    }
  ], 
  "arg_nodes": [0], 
  "node_row_ptr": [0, 1, 4], 
  "heads": [[1, 0, 0], [1, 1, 0], [1, 2, 0]], 
  "attrs": {"mxnet_version": ["int", 10901]}
})json";

const char* const kSplitV2Json = R"json({
  "nodes": [
    {
      "op": "null", 
      "name": "x", 
      "inputs": []
    }, 
    {
      "op": "_split_v2", 
      "name": "s2", 
      "attrs": {
        "axis": "1", 
        "indices": "(0, 2)"
      }, 
      "inputs": [[0, 0, 0]]
    }
  ], 
  "arg_nodes": [0], 
  "node_row_ptr": [0, 1, 3], 
  "heads": [[1, 0, 0], [1, 1, 0]], 
  "attrs": {"mxnet_version": ["int", 10901]}
})json";

Symbol slice(AttrDict params) { return make("SliceChannel", params, "s", {var("x")}); }
Symbol split_v2(AttrDict params) { return make("_split_v2", params, "s", {var("x")}); }

}  // namespace

TEST_CASE("SliceChannel: outputs and shapes", "[nn][split]") {
  Symbol s = slice({{"num_outputs", "3"}});
  CHECK(s.list_outputs() == Strings{"s_output0", "s_output1", "s_output2"});
  CHECK(slice({{"num_outputs", "1"}}).list_outputs() == Strings{"s_output0"});
  CHECK(loom::OpRegistry::get().find("split") == loom::OpRegistry::get().find("SliceChannel"));
  auto r = infer(s, {{"x", S({2, 6})}});
  CHECK(r.outputs == "(2,2) (2,2) (2,2)");
  Symbol sq = make("SliceChannel", {{"num_outputs", "3"}, {"axis", "0"}, {"squeeze_axis", "True"}},
                   "s", {var("x")});
  CHECK(infer(sq, {{"x", S({3, 6})}}).outputs == "(6,) (6,) (6,)");
  CHECK(infer(slice({{"num_outputs", "3"}, {"axis", "-1"}}), {{"x", S({2, 6})}}).outputs ==
        "(2,2) (2,2) (2,2)");
  // unknown extents stay unknown
  CHECK(infer(s, {{"x", S({2, -1})}}).outputs == "(2,None) (2,None) (2,None)");
  // the outputs give the data back, once its rank is known
  Symbol one = s.output(1);
  Symbol sum = make("elemwise_add", {}, "plus", {one, var("y")});
  CHECK(infer(sum, {{"y", S({2, 2})}}).args == "None (2,2)");
  CHECK(infer(sum, {{"y", S({2, 2})}, {"x", S({-1, 6})}}).args == "(2,6) (2,2)");
  Symbol sq1 =
      make("elemwise_add", {}, "plus",
           {make("SliceChannel", {{"num_outputs", "3"}, {"squeeze_axis", "1"}}, "s", {var("x")})
                .output(1),
            var("y")});
  CHECK(infer(sq1, {{"y", S({2})}, {"x", S({-1, -1})}}).args == "(2,3) (2,)");
  CHECK(infer_types(s, {{"x", "float16"}}).outputs == "float16 float16 float16");
  CHECK(infer_types(sum, {{"y", "float16"}}).args == "float16 float16");
}

TEST_CASE("SliceChannel: errors", "[nn][split]") {
  CHECK(contains(infer_error(slice({{"num_outputs", "4"}}), {{"x", S({2, 6})}}),
                 "into num_outputs=4 evenly sized chunks, but this is not possible because 4 "
                 "does not evenly divide 6"));
  CHECK(contains(
      infer_error(slice({{"num_outputs", "2"}, {"squeeze_axis", "1"}}), {{"x", S({2, 6})}}),
      "If squeeze axis is True, the size of the sliced axis must be the same as "
      "num_outputs"));
  CHECK(contains(infer_error(slice({{"num_outputs", "3"}, {"axis", "2"}}), {{"x", S({2, 6})}}),
                 "axis 2 exceeds the input dimension of 2"));
  CHECK(contains(infer_error(slice({{"num_outputs", "3"}, {"axis", "-3"}}), {{"x", S({2, 6})}}),
                 "axis -3 exceeds the input dimension of 2"));
  CHECK(contains(error_of([] { slice({{"num_outputs", "0"}}); }), "num_outputs"));
}

TEST_CASE("_split_v2: outputs and shapes", "[nn][split]") {
  Symbol s = split_v2({{"indices", "(0, 2, 5)"}, {"axis", "1"}});
  CHECK(s.list_outputs() == Strings{"s_output0", "s_output1", "s_output2"});
  CHECK(infer(s, {{"x", S({2, 8})}}).outputs == "(2,2) (2,3) (2,3)");
  CHECK(infer_types(s, {{"x", "float16"}}).outputs == "float16 float16 float16");
  // sections: numpy.array_split sizes; indices are then ignored
  Symbol sec = split_v2({{"indices", "(0,)"}, {"sections", "3"}, {"axis", "1"}});
  CHECK(sec.list_outputs().size() == 3);
  CHECK(infer(sec, {{"x", S({2, 9})}}).outputs == "(2,3) (2,3) (2,3)");
  Symbol uneven = split_v2({{"indices", "[]"}, {"sections", "2"}, {"axis", "-1"}});
  CHECK(infer(uneven, {{"x", S({3, 9})}}).outputs == "(3,5) (3,4)");
  CHECK(infer(split_v2({{"indices", "(0, 1, 2)"}, {"squeeze_axis", "True"}, {"axis", "0"}}),
              {{"x", S({3, 9})}})
            .outputs == "(9,) (9,) (9,)");
  // pieces that leave part of the axis out contradict the data's extent
  CHECK(contains(infer_error(split_v2({{"indices", "(1, 3)"}, {"axis", "-1"}}), {{"x", S({3, 9})}}),
                 "Shape inconsistent, Provided=(3,9), inferred shape=(3,8)"));
  CHECK(contains(
      infer_error(split_v2({{"indices", "(0, 3, 2)"}, {"axis", "-1"}}), {{"x", S({3, 9})}}),
      "start 3 is not less than end 2"));
  CHECK(contains(
      infer_error(split_v2({{"indices", "(0, 3, 12)"}, {"axis", "-1"}}), {{"x", S({3, 9})}}),
      "end 12 is no less than the size of the axis 9"));
  CHECK(contains(
      infer_error(split_v2({{"indices", "(0, 3, 6)"}, {"squeeze_axis", "True"}, {"axis", "-1"}}),
                  {{"x", S({3, 9})}}),
      "expected axis size of 1 but got 3"));
  CHECK(contains(error_of([] { split_v2({{"axis", "1"}}); }), "Required parameter indices"));
  CHECK(contains(error_of([] { split_v2({{"indices", "()"}}); }), "at least one index"));
  // an unknown extent leaves the last piece unknown
  CHECK(infer(s, {{"x", S({2, -1})}}).outputs == "(2,2) (2,3) (2,None)");
}

TEST_CASE("SliceChannel and _split_v2: to_json matches MXNet", "[nn][split][json]") {
  Symbol s = make("split", {{"num_outputs", "3"}, {"axis", "1"}, {"squeeze_axis", "True"}}, "s",
                  {var("x")});
  CHECK(s.to_json() == kSplitJson);
  CHECK(make("_split_v2", {{"indices", "(0, 2)"}, {"axis", "1"}}, "s2", {var("x")}).to_json() ==
        kSplitV2Json);
  CHECK(Symbol::from_json(kSplitJson).list_outputs() ==
        Strings{"s_output0", "s_output1", "s_output2"});
}
