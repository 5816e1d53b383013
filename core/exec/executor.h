// Executor: a symbol bound to arrays. Binding builds the forward+backward graph for the
// requested gradients (optionally recomputing "mirrored" forward nodes during backward instead
// of keeping their results), places nodes on devices (group2ctx, with copies at device
// boundaries), infers shapes and dtypes, plans memory (in-place reuse, sharing of buffers whose
// lifetimes do not overlap, gradient sums accumulated in place), allocates from a pool that
// other executors may share, and resolves every kernel; forward() and backward() then walk a
// prepared list of kernel calls. Nothing is inferred or allocated per call.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/graph/symbol.h"
#include "core/ndarray/ndarray.h"

namespace loom {

// Internal buffers of one or more executors. Executors bound with a shared executor take
// blocks from its pool (and add what they lack), as MXNet's shared_exec / BucketingModule do;
// such executors must not run interleaved.
struct MemoryPool {
  std::vector<NDArray> blocks;
};

struct BindOptions {
  // ctx_group name -> device (MXNet's group2ctx). Empty: everything on the bind context.
  std::map<std::string, Context> group2ctx;
  // Donor of the memory pool (may be null).
  const class Executor* shared_exec = nullptr;
};

class Executor {
 public:
  // args/aux in list_arguments/list_auxiliary_states order; arg_grads entries may be none
  // (NDArray()) and are then treated as grad_req null. The arrays are used by reference.
  Executor(const Symbol& symbol, const Context& ctx, std::vector<NDArray> args,
           std::vector<NDArray> arg_grads, std::vector<OpReq> grad_req, std::vector<NDArray> aux,
           const BindOptions& options = {});

  void forward(bool is_train);
  // head_grads: one per output (entries may be none where the graph does not read them), or
  // empty for graphs that need none.
  void backward(const std::vector<NDArray>& head_grads, bool is_train);

  // A new executor for new input shapes sharing this one's memory pool; arguments and aux
  // states whose size does not grow are views of this executor's arrays (MXNet's
  // Executor.reshape rules and messages).
  std::unique_ptr<Executor> reshape(bool partial_shaping, bool allow_up_sizing,
                                    const std::vector<std::string>& names,
                                    const std::vector<Shape>& shapes) const;

  // Called with (output name, array) after each operator for its outputs (and, with
  // monitor_all, before it for its inputs). An empty function switches monitoring off.
  using MonitorCallback = std::function<void(const std::string&, const NDArray&)>;
  void set_monitor_callback(MonitorCallback callback, bool monitor_all);

  const std::vector<NDArray>& outputs() const { return outputs_; }
  const std::vector<NDArray>& arg_arrays() const { return args_; }
  const std::vector<NDArray>& grad_arrays() const { return grads_; }
  const std::vector<OpReq>& grad_reqs() const { return grad_req_; }
  const std::vector<NDArray>& aux_arrays() const { return aux_; }
  const Symbol& symbol() const { return symbol_; }
  const Context& context() const { return ctx_; }
  const std::map<std::string, Context>& group2ctx() const { return group2ctx_; }
  const std::shared_ptr<MemoryPool>& pool() const { return pool_; }
  // Bytes of the internal buffers the plan needs (user arrays excluded); what debug_str
  // reports. allocated_bytes: what this executor added to its pool (less when shared).
  size_t planned_bytes() const { return planned_bytes_; }
  size_t allocated_bytes() const { return allocated_bytes_; }
  size_t num_nodes() const { return nodes_.size(); }
  std::string debug_str() const;

 private:
  struct OpCall {
    const Kernel* kernel;  // nullptr for _CrossDeviceCopy (the executor copies itself)
    const Attrs* attrs;
    Context ctx;
    void* stream;  // the device's stream (GPU), resolved at bind
    std::vector<TBlob> in, out;
    std::vector<OpReq> req;
    std::vector<uint32_t> in_entries, out_entries;
  };
  void run(size_t begin, size_t end, bool is_train);
  void monitor(const OpCall& c, bool inputs) const;

  Symbol symbol_;
  Context ctx_;
  std::map<std::string, Context> group2ctx_;
  std::vector<NDArray> args_, grads_, aux_, outputs_;
  std::vector<OpReq> grad_req_;
  std::vector<NDArray> head_grad_arrays_;  // none where the backward graph does not read it
  std::shared_ptr<MemoryPool> pool_;
  std::vector<NDArray> entries_;          // every entry's array (views into pool blocks)
  std::vector<std::string> entry_names_;  // for the monitor
  std::vector<bool> entry_is_var_;
  std::vector<NodePtr> nodes_;  // keeps the full graph alive
  std::vector<OpCall> calls_;
  size_t num_forward_calls_ = 0;
  size_t planned_bytes_ = 0, allocated_bytes_ = 0;
  bool has_backward_ = false;
  std::string missing_kernel_;  // set only under LOOM_EXEC_PLAN_ONLY: planned, cannot run
  MonitorCallback monitor_;
  bool monitor_all_ = false;
  std::string graph_text_;
};

// Environment switches read at bind time (MXNet's names where MXNet has one):
// MXNET_BACKWARD_DO_MIRROR=1 mirrors eligible nodes (MXNet's list, but only where the recompute
// keeps nothing alive that backward would not; __force_mirroring__ always mirrors);
// LOOM_EXEC_INPLACE_GRAD_SUM=0 turns off in-place gradient accumulation; LOOM_EXEC_PLAN_ONLY=1
// binds without kernels (planning and benchmarks on builds that lack some kernels; forward then
// fails); LOOM_EXEC_PLANNER=blocks keeps only the MXNet-style block reuse (for comparisons).
bool env_flag(const char* name, bool fallback);

}  // namespace loom
