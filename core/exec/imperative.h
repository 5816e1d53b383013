// Imperative execution: one operator applied to NDArrays now (MXNet's MXImperativeInvoke).
// Parameters are parsed with the operator's schema, output shapes and dtypes are inferred from
// the inputs (and from any outputs the caller gave), missing outputs are allocated on the
// inputs' device, and the operator's kernel for that device runs once.
#pragma once

#include <string>
#include <vector>

#include "core/base/params.h"
#include "core/ndarray/ndarray.h"
#include "core/op/op.h"

namespace loom {

struct InvokeResult {
  std::vector<NDArray> outputs;  // the visible outputs (the given arrays when outputs were given)
};

// Runs `op` on `inputs`. `outputs` is empty (allocate), or holds one array per visible output or
// per output (hidden ones included); a none entry is allocated and stored back. Outputs are
// written with `req` (kWriteTo or kAddTo). Inputs the operator mutates (auxiliary states) are
// updated in place. A `ctx` parameter ("cpu(0)", "gpu(1)") picks the device of operators
// without inputs.
InvokeResult imperative_invoke(const Op& op, const AttrDict& params,
                               const std::vector<NDArray>& inputs, std::vector<NDArray>* outputs,
                               bool is_train = false, OpReq req = kWriteTo);

// "cpu(0)", "gpu(1)", "cpu_pinned(0)" -> Context.
Context parse_context(const std::string& s);

}  // namespace loom
