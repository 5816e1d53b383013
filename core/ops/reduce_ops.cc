// Reductions: sum, mean, prod, nansum, nanprod, max, min (axis/keepdims/exclude), norm
// (ord 1 or 2, out_dtype) and the index reductions argmax, argmin, argmax_channel. Shapes follow
// MXNet 1.9.1's legacy rules; argmax & co. output the input's dtype as MXNet 1.x does.
#include "core/ops/reduce_ops.h"

#include <algorithm>

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

Grads zero_grads(const NodePtr& n, const Grads&) { return Grads(n->inputs.size()); }

Op& reduce_op(const char* name, const char* doc) {
  return OpRegistry::get().add(name).describe(doc).set_params<ReduceAxesParam>().set_infer_shape(
      infer_reduce_axes);
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
    reduce_op("sum", "Computes the sum of array elements over given axes.").alias("sum_axis");
    reduce_op("mean", "Computes the mean of array elements over given axes.");
    reduce_op("prod", "Computes the product of array elements over given axes.");
    reduce_op("nansum", "Computes the sum over given axes, treating NaN as zero.");
    reduce_op("nanprod", "Computes the product over given axes, treating NaN as one.");
    reduce_op("max", "Computes the max of array elements over given axes.").alias("max_axis");
    reduce_op("min", "Computes the min of array elements over given axes.").alias("min_axis");
    OpRegistry::get()
        .add("norm")
        .describe("Computes the L1 or L2 norm over the whole array or the given axes.")
        .set_params<NormParam>()
        .set_infer_shape(infer_norm)
        .set_infer_type(infer_norm_type);
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
