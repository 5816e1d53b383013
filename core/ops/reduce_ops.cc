// Reductions: sum, mean, prod, nansum, nanprod, max, min (axis/keepdims/exclude), norm
// (ord 1 or 2, out_dtype) and the index reductions argmax, argmin, argmax_channel. Shapes follow
// MXNet 1.9.1's legacy rules; argmax & co. output the input's dtype as MXNet 1.x does.
// Gradients spread the head gradient back over the input with _backward_sum (a broadcast that
// knows the reduction's axes, since the reduced shape alone cannot tell them), then combine it
// with forward ops; max/min route it to every position equal to the result, as MXNet does.
#include "core/ops/reduce_ops.h"

#include <algorithm>

#include "core/ops/grad_builder.h"
#include "core/ops/op_util.h"

namespace loom {

namespace {

using Grads = std::vector<NodeEntry>;

std::string axis_text(const std::optional<Shape>& axis) {
  return axis ? ParamTraits<Shape>::show(*axis) : std::string("None");
}

// sum & co. need only the input's ndim; unknown dims pass through.
void infer_reduce_axes(const Attrs& a, ShapeVec* in, ShapeVec* out) {
  const auto& p = a.get<ReduceAxesParam>();
  if (!(*in)[0].ndim_known()) return;
  assign_shape(&(*out)[0], reduce_axes_shape((*in)[0], p.axis, p.keepdims, p.exclude));
}

void infer_norm(const Attrs& a, ShapeVec* in, ShapeVec* out) {
  const auto& p = a.get<NormParam>();
  if (p.ord != 1 && p.ord != 2) fail("norm: ord=", p.ord, " is not supported (only 1 and 2)");
  if (!(*in)[0].known()) return;  // MXNet waits for every input dim
  assign_shape(&(*out)[0], reduce_axes_shape((*in)[0], p.axis, p.keepdims, false));
}

void infer_norm_type(const Attrs& a, TypeVec* in, TypeVec* out) {
  const auto& p = a.get<NormParam>();
  if (p.out_dtype) {
    assign_type(&(*out)[0], dtype_from_name(*p.out_dtype), " for the output (out_dtype)");
    return;
  }
  assign_type(&(*out)[0], (*in)[0], " for the output");
  assign_type(&(*in)[0], (*out)[0], " for input 0");
}

void infer_reduce_axis(const Attrs& a, ShapeVec* in, ShapeVec* out) {
  const auto& p = a.get<ReduceAxisParam>();
  if (!(*in)[0].known()) return;  // MXNet waits for every input dim
  assign_shape(&(*out)[0], reduce_axis_shape((*in)[0], p.axis, p.keepdims));
}

// The reduction parameters of a forward node (norm's out_dtype and ord are not among them).
AttrDict reduce_dict(const NodePtr& n) {
  AttrDict d;
  for (const char* k : {"axis", "keepdims", "exclude"}) {
    auto it = n->attrs.dict.find(k);
    if (it != n->attrs.dict.end()) d[k] = it->second;
  }
  return d;
}

// x (shaped like the node's output) spread over the shape of the node's input.
NodeEntry spread(GradBuilder& g, const NodePtr& n, const NodeEntry& x) {
  return g.op("_backward_sum", {x, g.in(0)}, reduce_dict(n));
}

using GradFn = Grads (*)(const NodePtr&, const Grads&);

Op& reduce_op(const char* name, const char* doc, GradFn grad) {
  return OpRegistry::get()
      .add(name)
      .describe(doc)
      .set_params<ReduceAxesParam>()
      .set_infer_shape(infer_reduce_axes)
      .set_gradient(grad);
}

Grads sum_grad(const NodePtr& n, const Grads& og) {
  GradBuilder g(n);
  return {spread(g, n, og[0])};
}

Grads mean_grad(const NodePtr& n, const Grads& og) {
  GradBuilder g(n);
  return {g.op("_backward_mean", {og[0], g.in(0)}, reduce_dict(n))};
}

// d prod / dx_i = prod / x_i (NaN where x_i = 0 and the product is 0, as in MXNet).
Grads prod_grad(const NodePtr& n, const Grads& og) {
  GradBuilder g(n);
  return {g.mul(spread(g, n, og[0]), g.div(spread(g, n, g.out()), g.in(0)))};
}

// NaN inputs get no gradient: x == x is 0 exactly there.
NodeEntry not_nan(GradBuilder& g) { return g.op("_equal", {g.in(0), g.in(0)}); }

Grads nansum_grad(const NodePtr& n, const Grads& og) {
  GradBuilder g(n);
  return {g.mul(spread(g, n, og[0]), not_nan(g))};
}

Grads nanprod_grad(const NodePtr& n, const Grads& og) {
  GradBuilder g(n);
  NodeEntry ratio = g.div(spread(g, n, g.out()), g.in(0));
  NodeEntry safe = g.op("where", {not_nan(g), ratio, g.unary("zeros_like", g.in(0))});
  return {g.mul(spread(g, n, og[0]), safe)};
}

// max/min: every input equal to the result gets the whole head gradient (ties included).
Grads extreme_grad(const NodePtr& n, const Grads& og) {
  GradBuilder g(n);
  NodeEntry hit = g.op("_equal", {g.in(0), spread(g, n, g.out())});
  return {g.mul(spread(g, n, og[0]), hit)};
}

// ord 1: sign(x); ord 2: x / norm.
Grads norm_grad(const NodePtr& n, const Grads& og) {
  GradBuilder g(n);
  NodeEntry d = n->attrs.get<NormParam>().ord == 1 ? g.unary("sign", g.in(0))
                                                   : g.div(g.in(0), spread(g, n, g.out()));
  return {g.mul(spread(g, n, og[0]), d)};
}

// _backward_sum / _backward_mean: inputs (out_grad, data); the output has data's shape.
Op& spread_op(const char* name, const char* doc, const char* reduce) {
  return OpRegistry::get()
      .add(name)
      .describe(doc)
      .set_params<ReduceAxesParam>()
      .set_input_names({"out_grad", "data"})
      .set_infer_shape([](const Attrs& a, ShapeVec* in, ShapeVec* out) {
        const auto& p = a.get<ReduceAxesParam>();
        assign_shape(&(*out)[0], (*in)[1]);
        assign_shape(&(*in)[1], (*out)[0]);
        if ((*in)[1].ndim_known())
          assign_shape(&(*in)[0], reduce_axes_shape((*in)[1], p.axis, p.keepdims, p.exclude));
      })
      .set_gradient([reduce](const NodePtr& n, const Grads& og) {
        return Grads{make_entry(reduce, n->name() + "_backward", {og[0]}, n->attrs.dict),
                     NodeEntry{}};
      });
}

Op& index_reduce_op(const char* name, const char* doc) {
  return OpRegistry::get()
      .add(name)
      .describe(doc)
      .set_params<ReduceAxisParam>()
      .set_infer_shape(infer_reduce_axis)
      .set_gradient(zero_grads);
}

struct Registrations {
  Registrations() {
    reduce_op("sum", "Computes the sum of array elements over given axes.", sum_grad)
        .alias("sum_axis");
    reduce_op("mean", "Computes the mean of array elements over given axes.", mean_grad);
    reduce_op("prod", "Computes the product of array elements over given axes.", prod_grad);
    reduce_op("nansum", "Computes the sum over given axes, treating NaN as zero.", nansum_grad);
    reduce_op("nanprod", "Computes the product over given axes, treating NaN as one.",
              nanprod_grad);
    reduce_op("max", "Computes the max of array elements over given axes.", extreme_grad)
        .alias("max_axis");
    reduce_op("min", "Computes the min of array elements over given axes.", extreme_grad)
        .alias("min_axis");
    OpRegistry::get()
        .add("norm")
        .describe("Computes the L1 or L2 norm over the whole array or the given axes.")
        .set_params<NormParam>()
        .set_infer_shape(infer_norm)
        .set_infer_type(infer_norm_type)
        .set_gradient(norm_grad);
    spread_op("_backward_sum",
              "Gradient of sum: out_grad (the reduced shape) broadcast back over data's shape.",
              "sum");
    spread_op("_backward_mean",
              "Gradient of mean: out_grad broadcast over data's shape and divided by the number "
              "of reduced elements.",
              "mean");
    index_reduce_op("argmax", "Returns indices of the maximum values along an axis.");
    index_reduce_op("argmin", "Returns indices of the minimum values along an axis.");
    OpRegistry::get()
        .add("argmax_channel")
        .describe("Returns the index of the maximum along axis 1 (the channel axis).")
        .set_infer_shape([](const Attrs&, ShapeVec* in, ShapeVec* out) {
          if ((*in)[0].known()) assign_shape(&(*out)[0], reduce_axis_shape((*in)[0], 1, false));
        })
        .set_gradient(zero_grads);
  }
} registrations;

}  // namespace

void ReduceAxesParam::declare(ParamDecl<ReduceAxesParam>& d) {
  using P = ReduceAxesParam;
  d.field("axis", &P::axis)
      .set_default(std::nullopt)
      .describe(
          "The axis or axes along which to perform the reduction.\n\n      The default, "
          "`axis=()`, will compute over all elements into a\n      scalar array with shape "
          "`(1,)`.\n\n      If `axis` is int, a reduction is performed on a particular "
          "axis.\n\n      If `axis` is a tuple of ints, a reduction is performed on all "
          "the axes\n      specified in the tuple.\n\n      If `exclude` is true, reduction "
          "will be performed on the axes that are\n      NOT in axis instead.\n\n      "
          "Negative values means indexing from right to left.");
  d.field("keepdims", &P::keepdims)
      .set_default(false)
      .describe(
          "If this is set to `True`, the reduced axes are left in the result as dimension "
          "with size one.");
  d.field("exclude", &P::exclude)
      .set_default(false)
      .describe("Whether to perform reduction on axis that are NOT in axis instead.");
}

void NormParam::declare(ParamDecl<NormParam>& d) {
  using P = NormParam;
  d.field("ord", &P::ord)
      .set_default(2)
      .describe("Order of the norm. Currently ord=1 and ord=2 is supported.");
  d.field("axis", &P::axis)
      .set_default(std::nullopt)
      .describe(
          "The axis or axes along which to perform the reduction.\n      The default, "
          "`axis=()`, will compute over all elements into a\n      scalar array with shape "
          "`(1,)`.\n      If `axis` is int, a reduction is performed on a particular "
          "axis.\n      If `axis` is a 2-tuple, it specifies the axes that hold 2-D "
          "matrices,\n      and the matrix norms of these matrices are computed.");
  d.field("out_dtype", &P::out_dtype)
      .choices({"None", "float16", "float32", "float64", "int32", "int64", "int8"})
      .set_default(std::nullopt)
      .describe("The data type of the output.");
  d.field("keepdims", &P::keepdims)
      .set_default(false)
      .describe(
          "If this is set to `True`, the reduced axis is left in the result as dimension "
          "with size one.");
}

void ReduceAxisParam::declare(ParamDecl<ReduceAxisParam>& d) {
  d.field("axis", &ReduceAxisParam::axis)
      .set_default(std::nullopt)
      .describe(
          "The axis along which to perform the reduction. Negative values means indexing "
          "from right to left. ``Requires axis to be set as int, because global reduction "
          "is not supported yet.``");
  d.field("keepdims", &ReduceAxisParam::keepdims)
      .set_default(false)
      .describe(
          "If this is set to `True`, the reduced axis is left in the result as dimension "
          "with size one.");
}

std::vector<int> reduced_axes(int ndim, const std::optional<Shape>& axis, bool exclude) {
  std::vector<int> all(ndim);
  for (int i = 0; i < ndim; ++i) all[i] = i;
  if (!axis || axis->ndim() <= 0) return all;  // None or (): everything, even with exclude
  std::vector<int> axes;
  for (int i = 0; i < axis->ndim(); ++i) {
    dim_t a = (*axis)[i] < 0 ? (*axis)[i] + ndim : (*axis)[i];
    if (a < 0 || a >= ndim)
      fail("reduction axis ", axis_text(axis), " exceeds the input's ", ndim, " dimensions");
    axes.push_back(static_cast<int>(a));
  }
  std::sort(axes.begin(), axes.end());
  if (std::adjacent_find(axes.begin(), axes.end()) != axes.end())
    fail("reduction axes ", axis_text(axis), " have duplicates");
  if (!exclude) return axes;
  std::vector<int> rest;
  for (int i : all)
    if (!std::binary_search(axes.begin(), axes.end(), i)) rest.push_back(i);
  return rest;
}

Shape reduce_axes_shape(const Shape& in, const std::optional<Shape>& axis, bool keepdims,
                        bool exclude) {
  int nd = in.ndim();
  auto axes = reduced_axes(nd, axis, exclude);
  bool full = !axis || axis->ndim() <= 0;
  std::vector<bool> reduced(nd, false);
  for (int a : axes) reduced[a] = true;
  std::vector<dim_t> o;
  for (int i = 0; i < nd; ++i) {
    if (!reduced[i])
      o.push_back(in[i]);
    else if (keepdims)
      o.push_back(1);
  }
  if (full && !keepdims) return Shape({1});
  if (o.empty()) o.push_back(1);  // legacy: never 0-d
  return Shape(o);
}

Shape reduce_axis_shape(const Shape& in, std::optional<int> axis, bool keepdims) {
  int nd = in.ndim();
  if (!axis || nd == 1) {
    if (keepdims) return Shape(std::vector<dim_t>(nd, 1));
    return Shape({1});
  }
  int a = *axis < 0 ? *axis + nd : *axis;
  if (a < 0 || a >= nd)
    fail("axis ", *axis, " exceeds the input dimension of ", nd, " (", in.str(), ")");
  std::vector<dim_t> o;
  for (int i = 0; i < nd; ++i) {
    if (i != a)
      o.push_back(in[i]);
    else if (keepdims)
      o.push_back(1);
  }
  if (o.empty()) o.push_back(1);
  return Shape(o);
}

}  // namespace loom
