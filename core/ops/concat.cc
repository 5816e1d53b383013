// Concat: joins num_args arrays along `dim`. Every input and the output agree on all other
// dims, which are learnt from whichever is known (both directions); the output's extent on
// `dim` is the inputs' sum once all of them are known.
#include "core/ops/concat.h"

#include "core/ops/grad_builder.h"
#include "core/ops/nn_util.h"
#include "core/ops/op_util.h"

namespace loom {

namespace {

void infer_concat(const Attrs& a, ShapeVec* in, ShapeVec* out) {
  const auto& p = a.get<ConcatParam>();
  Shape& result = (*out)[0];
  int nd = -1;
  for (const auto& s : *in)
    if (nd < 0 && s.ndim_known()) nd = s.ndim();
  if (nd < 0) nd = result.ndim();
  if (nd < 0) return;
  if (nd == 0) fail("zero-dimensional arrays cannot be concatenated");
  const int axis = normalize_axis(p.dim, nd, "axis");

  // The dims other than `axis`, merged over every known shape; two rounds so that the first
  // shapes also get what the later ones knew.
  Shape common = Shape::unknown_of_ndim(nd);
  auto unify = [&](Shape* s) {
    if (!s->ndim_known()) {
      Shape t = common;
      assign_shape(s, t);
      return;
    }
    Shape t = common;
    if (s->ndim() == nd) t[axis] = (*s)[axis];
    assign_shape(s, t);
    for (int j = 0; j < nd; ++j)
      if (j != axis) common[j] = (*s)[j];
  };
  for (int round = 0; round < 2; ++round) {
    for (auto& s : *in) unify(&s);
    unify(&result);
  }
  dim_t sum = 0;
  for (const auto& s : *in) {
    if (s[axis] < 0) return;
    sum += s[axis];
  }
  Shape t = common;
  t[axis] = sum;
  assign_shape(&result, t);
}

std::vector<std::string> arg_names(const Attrs& a) {
  std::vector<std::string> r;
  for (int i = 0; i < a.get<ConcatParam>().num_args; ++i) r.push_back("arg" + std::to_string(i));
  return r;
}

LOOM_REGISTER_OP(Concat)
    .describe("Joins arrays along one axis; all other dims must agree.")
    .set_params<ConcatParam>()
    .set_variadic("num_args")
    .set_num_inputs_fn([](const Attrs& a) { return a.get<ConcatParam>().num_args; })
    .set_input_names_fn({"data"}, arg_names)
    .set_infer_shape(infer_concat)
    .set_gradient([](const NodePtr& n, const std::vector<NodeEntry>& og) {
      std::vector<NodeEntry> in = {og[0]};
      in.insert(in.end(), n->inputs.begin(), n->inputs.end());
      return backward_outputs(n, "_backward_Concat", std::move(in), n->inputs.size());
    })
    .alias("concat");

// Reads the inputs only for their shapes (which piece of out_grad goes where).
LOOM_REGISTER_OP(_backward_Concat)
    .describe("Gradient of Concat: cuts out_grad back into the inputs' pieces.")
    .set_params<ConcatParam>()
    .set_num_inputs_fn([](const Attrs& a) { return a.get<ConcatParam>().num_args + 1; })
    .set_num_outputs_fn([](const Attrs& a) { return a.get<ConcatParam>().num_args; })
    .set_input_names_fn({"out_grad", "data"},
                        [](const Attrs& a) {
                          std::vector<std::string> r = {"out_grad"};
                          for (auto& n : arg_names(a)) r.push_back(n);
                          return r;
                        })
    .set_infer_shape([](const Attrs&, ShapeVec* in, ShapeVec* out) {
      for (size_t i = 0; i < out->size(); ++i) assign_shape(&(*out)[i], (*in)[i + 1]);
    })
    .set_infer_type([](const Attrs&, TypeVec* in, TypeVec* out) {
      if ((*in)[0] >= 0)
        for (auto& t : *out) assign_type(&t, (*in)[0], " for an input gradient");
    });

}  // namespace

void ConcatParam::declare(ParamDecl<ConcatParam>& d) {
  d.field("num_args", &ConcatParam::num_args).lower_bound(1).describe("Number of inputs.");
  d.field("dim", &ConcatParam::dim).set_default(1).describe("The axis to join along.");
}

}  // namespace loom
