// RNN registration against MXNet 1.9.1: inputs by mode and use_sequence_length, outputs with
// state_outputs, the packed parameter size of every mode (bidirectional, stacked, projected),
// shapes, dtypes and to_json.
#include "core/ops/rnn.h"
#include "tests/ops/nn_test_util.h"

using namespace nn_test;

namespace {

// Written by MXNet 1.9.1.
const char* const kRnnJson = R"json({
  "nodes": [
    {
      "op": "null", 
      "name": "x", 
      "inputs": []
    }, 
    {
      "op": "null", 
      "name": "rnn_parameters", 
      "attrs": {
        "mode": "lstm", 
        "num_layers": "2", 
        "state_outputs": "True", 
        "state_size": "8"
      }, 
      "inputs": []
    }, 
    {
      "op": "null", 
      "name": "rnn_state", 
      "attrs": {
        "mode": "lstm", 
        "num_layers": "2", 
        "state_outputs": "True", 
        "state_size": "8"
      }, 
      "inputs": []
    }, 
    {
      "op": "null", 
      "name": "rnn_state_cell", 
      "attrs": {
        "mode": "lstm", 
        "num_layers": "2", 
        "state_outputs": "True", 
        "state_size": "8"
      }, 
      "inputs": []
    }, 
    {
      "op": "RNN", 
      "name": "rnn", 
      "attrs": {
        "mode": "lstm", 
        "num_layers": "2", 
        "state_outputs": "True", 
        "state_size": "8"
      }, 
      "inputs": [[0, 0, 0], [1, 0, 0], [2, 0, 0], [3, 0, 0]]
    }
  ], 
  "arg_nodes": [0, 1, 2, 3], 
  "node_row_ptr": [0, 1, 2, 3, 4, 7], 
  "heads": [[4, 0, 0], [4, 1, 0], [4, 2, 0]], 
  "attrs": {"mxnet_version": ["int", 10901]}
})json";

Symbol rnn(AttrDict params) { return make("RNN", params, "r", {var("x")}); }

}  // namespace

TEST_CASE("RNN: inputs and outputs", "[nn][rnn]") {
  Symbol g = rnn({{"state_size", "4"}, {"num_layers", "1"}, {"mode", "gru"}});
  CHECK(g.list_arguments() == Strings{"x", "r_parameters", "r_state"});
  CHECK(g.list_outputs() == Strings{"r_output"});
  Symbol l = rnn({{"state_size", "4"},
                  {"num_layers", "1"},
                  {"mode", "lstm"},
                  {"state_outputs", "True"},
                  {"use_sequence_length", "True"}});
  CHECK(l.list_arguments() ==
        Strings{"x", "r_parameters", "r_state", "r_state_cell", "r_sequence_length"});
  CHECK(l.list_outputs() == Strings{"r_output", "r_state_output", "r_statecell_output"});
  Symbol gs = rnn({{"state_size", "4"},
                   {"num_layers", "1"},
                   {"mode", "gru"},
                   {"state_outputs", "1"},
                   {"use_sequence_length", "1"}});
  CHECK(gs.list_arguments() == Strings{"x", "r_parameters", "r_state", "r_sequence_length"});
  CHECK(gs.list_outputs() == Strings{"r_output", "r_state_output"});
  CHECK(contains(error_of([] {
                   rnn({{"state_size", "4"}, {"num_layers", "1"}});
                 }),
                 "Required parameter mode"));
  CHECK(contains(error_of([] {
                   rnn({{"state_size", "4"}, {"num_layers", "1"}, {"mode", "lstm"}, {"p", "2"}});
                 }),
                 "p"));
  auto p = rnn({{"state_size", "4"},
                {"num_layers", "1"},
                {"mode", "lstm"},
                {"lstm_state_clip_min", "-1"},
                {"lstm_state_clip_max", "1.5"},
                {"projection_size", "None"}})
               .outputs[0]
               .node->attrs.get<loom::RNNParam>();
  CHECK(*p.lstm_state_clip_min == -1.0);
  CHECK(*p.lstm_state_clip_max == 1.5);
  CHECK(!p.projection_size);
}

TEST_CASE("RNN: parameter sizes and shapes", "[nn][rnn]") {
  // (mode, extra params, parameters, state, output) for data (5, 2, 3), state_size 4
  struct Case {
    AttrDict params;
    std::string args, outputs;
  };
  const std::vector<Case> cases = {
      {{{"mode", "rnn_relu"}, {"num_layers", "2"}}, "(5,2,3) (76,) (2,2,4)", "(5,2,4)"},
      {{{"mode", "rnn_tanh"}, {"num_layers", "2"}}, "(5,2,3) (76,) (2,2,4)", "(5,2,4)"},
      {{{"mode", "gru"}, {"num_layers", "2"}}, "(5,2,3) (228,) (2,2,4)", "(5,2,4)"},
      {{{"mode", "lstm"}, {"num_layers", "2"}}, "(5,2,3) (304,) (2,2,4) (2,2,4)", "(5,2,4)"},
      {{{"mode", "lstm"},
        {"num_layers", "2"},
        {"bidirectional", "True"},
        {"state_outputs", "True"}},
       "(5,2,3) (736,) (4,2,4) (4,2,4)",
       "(5,2,8) (4,2,4) (4,2,4)"},
      {{{"mode", "gru"}, {"num_layers", "1"}, {"state_outputs", "True"}},
       "(5,2,3) (108,) (1,2,4)",
       "(5,2,4) (1,2,4)"},
      {{{"mode", "lstm"}, {"num_layers", "1"}, {"projection_size", "2"}},
       "(5,2,3) (120,) (1,2,2) (1,2,4)",
       "(5,2,2)"},
      {{{"mode", "lstm"},
        {"num_layers", "3"},
        {"projection_size", "2"},
        {"bidirectional", "True"},
        {"state_outputs", "True"}},
       "(5,2,3) (784,) (6,2,2) (6,2,4)",
       "(5,2,4) (6,2,2) (6,2,4)"},
      {{{"mode", "lstm"}, {"num_layers", "1"}, {"use_sequence_length", "True"}},
       "(5,2,3) (144,) (1,2,4) (1,2,4) (2,)",
       "(5,2,4)"},
  };
  for (auto c : cases) {
    c.params["state_size"] = "4";
    auto r = infer(rnn(c.params), {{"x", S({5, 2, 3})}});
    INFO(c.params.at("mode") << " " << c.args);
    CHECK(r.args == c.args);
    CHECK(r.outputs == c.outputs);
  }
  Symbol l = rnn({{"state_size", "4"}, {"num_layers", "1"}, {"mode", "lstm"}});
  // an unknown batch stays unknown; an unknown input size leaves the parameters unknown
  CHECK(infer(l, {{"x", S({5, -1, 3})}}).args == "(5,None,3) (144,) (1,None,4) (1,None,4)");
  CHECK(infer(l, {{"x", S({5, 2, -1})}}).args == "(5,2,None) None (1,2,4) (1,2,4)");
  CHECK(infer(l, {{"r_state", S({1, 2, 4})}}).args == "None None (1,2,4) None");
  CHECK(contains(infer_error(l, {{"x", S({5, 2})}}),
                 "Input data should be rank-3 tensor of dim [sequence length, batch size, input "
                 "size]"));
  CHECK(contains(infer_error(l, {{"x", S({5, 2, 3})}, {"r_parameters", S({100})}}),
                 "Shape inconsistent, Provided=(100,), inferred shape=(144,)"));
}

TEST_CASE("RNN: dtypes and to_json", "[nn][rnn][json]") {
  Symbol l = rnn({{"state_size", "4"},
                  {"num_layers", "1"},
                  {"mode", "lstm"},
                  {"use_sequence_length", "True"}});
  CHECK(infer_types(l, {{"x", "float16"}}).args == "float16 float16 float16 float16 float16");
  CHECK(infer_types(l, {{"x", "float16"}, {"r_sequence_length", "int32"}}).args ==
        "float16 float16 float16 float16 int32");
  CHECK(contains(type_error(l, {{"x", "float16"}, {"r_state", "float32"}}),
                 "Expected 'float16' v.s. given 'float32' at 'state'"));
  CHECK(infer_types(l, {{"r_state", "float16"}}).args == "? ? float16 ? ?");
  Symbol r =
      make("RNN",
           {{"state_size", "8"}, {"num_layers", "2"}, {"mode", "lstm"}, {"state_outputs", "True"}},
           "rnn", {var("x")});
  CHECK(r.to_json() == kRnnJson);
  CHECK(Symbol::from_json(kRnnJson).list_outputs() ==
        Strings{"rnn_output", "rnn_state_output", "rnn_statecell_output"});
}
