// RNN: the fused multi-layer (optionally bidirectional) vanilla RNN, GRU or LSTM over data
// (seq_len, batch, input_size). Inputs: data, the packed parameter vector, the initial state
// and, for LSTM, the initial cell state, plus sequence_length with use_sequence_length. With
// state_outputs the final state (and cell state) are outputs too. Shapes follow from the data
// (forward only, as in MXNet).
#include "core/ops/rnn.h"

#include "core/ops/nn_util.h"
#include "core/ops/op_util.h"

namespace loom {

namespace {

void infer_rnn(const Attrs& a, ShapeVec* in, ShapeVec* out) {
  const auto& p = a.get<RNNParam>();
  const Shape& data = (*in)[0];
  if (!data.ndim_known()) return;
  if (data.ndim() != 3)
    fail(
        "Input data should be rank-3 tensor of dim [sequence length, batch size, input size], "
        "got ",
        data.str());
  const dim_t batch = data[1], input_size = data[2];
  const dim_t layers = static_cast<dim_t>(p.directions()) * p.num_layers;
  const dim_t hidden = p.projection_size ? *p.projection_size : p.state_size;
  assign_shape(&(*in)[2], Shape({layers, batch, hidden}));
  if (p.lstm()) assign_shape(&(*in)[3], Shape({layers, batch, p.state_size}));
  if (input_size >= 0) assign_shape(&(*in)[1], Shape({p.param_size(input_size)}));
  if (p.use_sequence_length) assign_shape(&in->back(), Shape({batch}));

  assign_shape(&(*out)[0], Shape({data[0], batch, p.directions() * hidden}));
  if (p.state_outputs) {
    assign_shape(&(*out)[1], Shape({layers, batch, hidden}));
    if (p.lstm()) assign_shape(&(*out)[2], Shape({layers, batch, p.state_size}));
  }
}

void infer_rnn_type(const Attrs& a, TypeVec* in, TypeVec* out) {
  const auto& p = a.get<RNNParam>();
  if ((*in)[0] < 0) return;  // MXNet goes forward from the data only
  // sequence_length may be an integer vector
  infer_uniform_type(p.input_names(), in, out,
                     p.use_sequence_length ? static_cast<int>(in->size()) - 1 : -1);
}

LOOM_REGISTER_OP(RNN)
    .describe("Applies a fused multi-layer recurrent network (vanilla RNN, GRU or LSTM).")
    .set_params<RNNParam>()
    .set_num_inputs_fn([](const Attrs& a) {
      return static_cast<int>(a.get<RNNParam>().input_names().size());
    })
    .set_input_names_fn({"data", "parameters", "state", "state_cell", "sequence_length"},
                        [](const Attrs& a) { return a.get<RNNParam>().input_names(); })
    .set_num_outputs_fn([](const Attrs& a) {
      return static_cast<int>(a.get<RNNParam>().output_names().size());
    })
    .set_output_names_fn([](const Attrs& a) { return a.get<RNNParam>().output_names(); })
    .set_infer_shape(infer_rnn)
    .set_infer_type(infer_rnn_type);

}  // namespace

int RNNParam::gates() const {
  if (mode == "lstm") return 4;
  if (mode == "gru") return 3;
  return 1;
}

int64_t RNNParam::param_size(int64_t input_size) const {
  const int64_t dirs = directions(), h = state_size;
  const int64_t rows = h * dirs * gates();  // gate rows of one layer, all directions
  // each layer: input weights, recurrent weights, and two bias vectors per gate row
  const int64_t r = projection_size ? *projection_size : h;
  int64_t size = (input_size + r + 2) * rows + (num_layers - 1) * (r * dirs + r + 2) * rows;
  if (projection_size) size += r * h * num_layers * dirs;  // projection matrices
  return size;
}

std::vector<std::string> RNNParam::input_names() const {
  std::vector<std::string> r = {"data", "parameters", "state"};
  if (lstm()) r.push_back("state_cell");
  if (use_sequence_length) r.push_back("sequence_length");
  return r;
}

std::vector<std::string> RNNParam::output_names() const {
  std::vector<std::string> r = {"output"};
  if (state_outputs) {
    r.push_back("state_output");
    if (lstm()) r.push_back("statecell_output");
  }
  return r;
}

void RNNParam::declare(ParamDecl<RNNParam>& d) {
  using P = RNNParam;
  d.field("state_size", &P::state_size).lower_bound(0).describe("Size of each layer's state.");
  d.field("num_layers", &P::num_layers).lower_bound(0).describe("Number of stacked layers.");
  d.field("bidirectional", &P::bidirectional)
      .set_default(false)
      .describe("Run each layer in both directions.");
  d.field("mode", &P::mode)
      .choices({"gru", "lstm", "rnn_relu", "rnn_tanh"})
      .describe("The recurrent cell.");
  d.field("p", &P::p)
      .set_default(0.0f)
      .set_range(0, 1)
      .describe("Dropout rate on the outputs of every layer but the last.");
  d.field("state_outputs", &P::state_outputs)
      .set_default(false)
      .describe("Also output the final states.");
  d.field("projection_size", &P::projection_size)
      .set_default(std::nullopt)
      .describe("Size of the LSTM's projected state (LSTMP).");
  d.field("lstm_state_clip_min", &P::lstm_state_clip_min)
      .set_default(std::nullopt)
      .describe("Lower clip of the LSTM cell state; set with lstm_state_clip_max.");
  d.field("lstm_state_clip_max", &P::lstm_state_clip_max)
      .set_default(std::nullopt)
      .describe("Upper clip of the LSTM cell state; set with lstm_state_clip_min.");
  d.field("lstm_state_clip_nan", &P::lstm_state_clip_nan)
      .set_default(false)
      .describe("Clip NaN cell states to the clip range too (when one is set).");
  d.field("use_sequence_length", &P::use_sequence_length)
      .set_default(false)
      .describe("Take a sequence_length input giving each batch element's valid length.");
}

}  // namespace loom
