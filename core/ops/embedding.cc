// Embedding: looks up rows of weight (input_dim, output_dim) by the indices in data, giving
// data.shape + (output_dim,). The indices may have any dtype; the output has the weight's,
// which is the `dtype` parameter unless the weight or the output already has one.
#include "core/ops/embedding.h"

#include "core/ops/grad_builder.h"
#include "core/ops/op_util.h"

namespace loom {

namespace {

void infer_embedding(const Attrs& a, ShapeVec* in, ShapeVec* out) {
  const auto& p = a.get<EmbeddingParam>();
  const Shape& data = (*in)[0];
  if (!data.ndim_known()) return;
  assign_shape(&(*in)[1], Shape({p.input_dim, p.output_dim}));
  std::vector<dim_t> o = data.dims();
  o.push_back(p.output_dim);
  assign_shape(&(*out)[0], Shape(o));
}

void infer_embedding_type(const Attrs& a, TypeVec* in, TypeVec* out) {
  if ((*in)[0] < 0) return;  // MXNet needs the indices' dtype first
  int& weight = (*in)[1];
  int& output = (*out)[0];
  if (weight >= 0 && output >= 0 && weight != output)
    fail("Input and output weights must have same type: weight is ", dtype_name(weight),
         ", output is ", dtype_name(output));
  int t = weight >= 0   ? weight
          : output >= 0 ? output
                        : dtype_from_name(a.get<EmbeddingParam>().dtype);
  weight = t;
  output = t;
}

LOOM_REGISTER_OP(Embedding)
    .describe("Maps integer indices to rows of a learned weight matrix.")
    .set_params<EmbeddingParam>()
    .set_input_names({"data", "weight"})
    .set_infer_shape(infer_embedding)
    .set_infer_type(infer_embedding_type)
    // the indices get a zero gradient; the weight's rows accumulate the rows of out_grad
    .set_gradient([](const NodePtr& n, const std::vector<NodeEntry>& og) {
      return backward_outputs(n, "_backward_Embedding", {og[0], n->inputs[0]}, 2);
    });

LOOM_REGISTER_OP(_backward_Embedding)
    .describe("Gradient of Embedding from (out_grad, data): zeros for data, and out_grad's rows "
              "summed into the weight rows they were read from.")
    .set_params<EmbeddingParam>()
    .set_input_names({"out_grad", "data"})
    .set_num_outputs(2)
    .set_infer_shape([](const Attrs& a, ShapeVec* in, ShapeVec* out) {
      const auto& p = a.get<EmbeddingParam>();
      assign_shape(&(*out)[0], (*in)[1]);
      assign_shape(&(*out)[1], Shape({p.input_dim, p.output_dim}));
    })
    .set_infer_type([](const Attrs&, TypeVec* in, TypeVec* out) {
      if ((*in)[1] >= 0) assign_type(&(*out)[0], (*in)[1], " for the data gradient");
      if ((*in)[0] >= 0) assign_type(&(*out)[1], (*in)[0], " for the weight gradient");
    });

}  // namespace

void EmbeddingParam::declare(ParamDecl<EmbeddingParam>& d) {
  using P = EmbeddingParam;
  d.field("input_dim", &P::input_dim).lower_bound(1).describe("Vocabulary size (rows of weight).");
  d.field("output_dim", &P::output_dim)
      .lower_bound(1)
      .describe("Width of each embedding vector (columns of weight).");
  d.field("dtype", &P::dtype)
      .choices({"bfloat16", "float16", "float32", "float64", "int32", "int64", "int8", "uint8"})
      .set_default(std::string("float32"))
      .describe("Data type of the weight.");
  d.field("sparse_grad", &P::sparse_grad)
      .set_default(false)
      .describe("Give the weight a row-sparse gradient.");
}

}  // namespace loom
