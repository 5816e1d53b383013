// Executor: a symbol bound to arrays. Binding builds the forward+backward graph for the
// requested gradients, infers shapes and dtypes, plans memory (in-place reuse and sharing of
// buffers whose lifetimes do not overlap), allocates, and resolves every kernel; forward() and
// backward() then walk a prepared list of kernel calls. Nothing is inferred or allocated per
// call.
#pragma once

#include <string>
#include <vector>

#include "core/graph/symbol.h"
#include "core/ndarray/ndarray.h"

namespace loom {

class Executor {
 public:
  // args/aux in list_arguments/list_auxiliary_states order; arg_grads entries may be none
  // (NDArray()) and are then treated as grad_req null. The arrays are used by reference.
  Executor(const Symbol& symbol, const Context& ctx, std::vector<NDArray> args,
           std::vector<NDArray> arg_grads, std::vector<OpReq> grad_req, std::vector<NDArray> aux);

  void forward(bool is_train);
  // head_grads: one per output (entries may be none where the graph does not read them), or
  // empty for graphs that need none.
  void backward(const std::vector<NDArray>& head_grads, bool is_train);

  const std::vector<NDArray>& outputs() const { return outputs_; }
  const std::vector<NDArray>& arg_arrays() const { return args_; }
  const std::vector<NDArray>& grad_arrays() const { return grads_; }
  const std::vector<NDArray>& aux_arrays() const { return aux_; }
  const Symbol& symbol() const { return symbol_; }
  // Bytes of the internal buffers the planner allocated (user arrays excluded).
  size_t planned_bytes() const { return planned_bytes_; }
  std::string debug_str() const;

 private:
  struct OpCall {
    const Kernel* kernel;
    const Attrs* attrs;
    std::vector<TBlob> in, out;
    std::vector<OpReq> req;
  };
  void run(size_t begin, size_t end, bool is_train);

  Symbol symbol_;
  Context ctx_;
  std::vector<NDArray> args_, grads_, aux_, outputs_;
  std::vector<NDArray> head_grad_arrays_;  // none where the backward graph does not read it
  std::vector<NDArray> buffers_;           // planned internal storage
  std::vector<NodePtr> nodes_;             // keeps the full graph alive
  std::vector<OpCall> calls_;
  size_t num_forward_calls_ = 0;
  size_t planned_bytes_ = 0;
  bool has_backward_ = false;
  std::string graph_text_;
};

}  // namespace loom
