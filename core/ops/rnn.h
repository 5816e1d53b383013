// Parameters of the fused RNN op (shared with its kernels) and the size of its packed
// parameter vector.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/base/params.h"

namespace loom {

struct RNNParam {
  int state_size = 0;
  int num_layers = 0;
  bool bidirectional = false;
  std::string mode;  // gru, lstm, rnn_relu, rnn_tanh
  float p = 0;       // dropout between layers
  bool state_outputs = false;
  std::optional<int> projection_size;  // LSTM with projection (LSTMP)
  std::optional<double> lstm_state_clip_min, lstm_state_clip_max;
  bool lstm_state_clip_nan = false;
  bool use_sequence_length = false;

  bool lstm() const { return mode == "lstm"; }
  int directions() const { return bidirectional ? 2 : 1; }
  // Gates per cell: 1 (rnn_relu, rnn_tanh), 3 (gru), 4 (lstm).
  int gates() const;
  // Length of the packed weights-and-biases vector for input features `input_size`.
  int64_t param_size(int64_t input_size) const;
  std::vector<std::string> input_names() const;
  std::vector<std::string> output_names() const;
  static void declare(ParamDecl<RNNParam>& d);
};

}  // namespace loom
