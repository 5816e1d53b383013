// Indexing and ordering: take, pick, one_hot, sort, argsort, topk, gather_nd and scatter_nd.
// Index inputs may have any dtype (MXNet refuses an index of unknown dtype; Loom just leaves
// it unknown). sort and topk(value/both) carry a hidden second output with the indices, as
// MXNet's do, so the JSON counts two outputs for them.
#include "core/ops/indexing_ops.h"

#include "core/ops/op_util.h"
#include "core/ops/reduce_ops.h"

namespace loom {

namespace {

using Grads = std::vector<NodeEntry>;

// The output takes the dtype of the data input (input 0); the index input is free.
void infer_type_from_data(const Attrs&, TypeVec* in, TypeVec* out) {
  assign_type(&(*out)[0], (*in)[0], " for the output");
  assign_type(&(*in)[0], (*out)[0], " for input 0");
}

Grads zero_grads(const NodePtr& n, const Grads&) { return Grads(n->inputs.size()); }

// pick / take: the data's gradient is _backward_<op>(out_grad, data, index), which sums the
// head gradient into the selected positions; the index gets none.
Grads select_grad(const NodePtr& n, const Grads& og) {
  return {make_entry("_backward_" + n->op()->name, n->name() + "_backward",
                     {og[0], n->inputs[0], n->inputs[1]}, n->attrs.dict),
          NodeEntry{}};
}

// A backward op with inputs (out_grad, data, <index>) whose output, data's gradient, has
// data's shape and out_grad's dtype; the caller adds what else the op has.
template <class P>
Op& add_scatter_backward(const std::string& name, const std::string& doc, const char* index) {
  return OpRegistry::get()
      .add(name)
      .describe(doc)
      .set_params<P>()
      .set_input_names({"out_grad", "data", index})
      .set_infer_shape([](const Attrs&, ShapeVec* in, ShapeVec* out) {
        assign_shape(&(*out)[0], (*in)[1]);
        assign_shape(&(*in)[1], (*out)[0]);
      });
}

void infer_scatter_backward_type(TypeVec* in, TypeVec* out) {
  assign_type(&(*out)[0], (*in)[0], " for the output");
  assign_type(&(*in)[1], (*out)[0], " for input 1 (data)");
}

// _backward_pick / _backward_take: inputs (out_grad, data, index), output shaped like data; its
// own gradient is the forward selection of the head gradient.
template <class P>
void register_select_backward(const std::string& fwd) {
  add_scatter_backward<P>(
      "_backward_" + fwd,
      "Gradient of " + fwd + ": out_grad summed into the selected positions of data.", "index")
      .set_infer_type([](const Attrs&, TypeVec* in, TypeVec* out) {
        infer_scatter_backward_type(in, out);
        assign_type(&(*in)[0], (*out)[0], " for input 0 (out_grad)");
      })
      .set_gradient([fwd](const NodePtr& n, const Grads& og) {
        return Grads{make_entry(fwd, n->name() + "_backward", {og[0], n->inputs[2]}, n->attrs.dict),
                     NodeEntry{}, NodeEntry{}};
      });
}

void infer_take(const Attrs& a, ShapeVec* in, ShapeVec* out) {
  const Shape& arr = (*in)[0];
  const Shape& idx = (*in)[1];
  if (!arr.ndim_known() || !idx.known()) return;  // MXNet needs every index dim
  int axis = a.get<TakeParam>().axis;
  int r = arr.ndim();
  if (axis < -r || axis >= r)
    fail("take: axis=", axis, " is out of range for an input of ", r, " dimensions (valid: ", -r,
         " to ", r - 1, ")");
  int ax = axis < 0 ? axis + r : axis;
  std::vector<dim_t> o(arr.dims().begin(), arr.dims().begin() + ax);
  o.insert(o.end(), idx.dims().begin(), idx.dims().end());
  o.insert(o.end(), arr.dims().begin() + ax + 1, arr.dims().end());
  assign_shape(&(*out)[0], Shape(o));
}

void infer_pick(const Attrs& a, ShapeVec* in, ShapeVec* out) {
  const Shape& data = (*in)[0];
  if (!data.ndim_known()) return;
  const auto& p = a.get<PickParam>();
  if (!p.axis) fail("pick: axis=None is not supported; an axis must be given");
  assign_shape(&(*out)[0], reduce_axis_shape(data, p.axis, p.keepdims));
  // MXNet: the index has the data's shape without the axis, or with it kept as 1, whatever
  // keepdims says; an unknown index gets the first form
  Shape& index = (*in)[1];
  Shape kept = reduce_axis_shape(data, p.axis, true);
  if (index.ndim_known() && index.ndim() == kept.ndim() && kept.ndim() == data.ndim()) {
    assign_shape(&index, kept);
    return;
  }
  assign_shape(&index, reduce_axis_shape(data, p.axis, false));
}

void infer_one_hot(const Attrs& a, ShapeVec* in, ShapeVec* out) {
  const auto& p = a.get<OneHotParam>();
  if (p.depth < 0) fail("one_hot: depth=", p.depth, " must be a non-negative integer");
  const Shape& idx = (*in)[0];
  if (!idx.known()) return;
  std::vector<dim_t> o = idx.dims();
  o.push_back(p.depth);
  assign_shape(&(*out)[0], Shape(o));
}

// The shape topk gives its value/indices outputs ("mask" keeps the input's shape).
Shape topk_target(const Shape& data, const TopKLayout& l, bool mask) {
  if (mask) return data;
  if (l.axis < 0) return Shape({l.k});
  Shape t = data;
  t[l.axis] = l.k;
  return t;
}

void infer_sort(const Attrs& a, ShapeVec* in, ShapeVec* out) {
  const Shape& data = (*in)[0];
  if (!data.known()) return;
  const auto& p = a.get<SortParam>();
  Shape t = topk_target(data, topk_layout(data, p.axis, 0), false);
  assign_shape(&(*out)[0], t);
  assign_shape(&(*out)[1], t);
}

void infer_argsort(const Attrs& a, ShapeVec* in, ShapeVec* out) {
  const Shape& data = (*in)[0];
  if (!data.known()) return;
  const auto& p = a.get<ArgSortParam>();
  assign_shape(&(*out)[0], topk_target(data, topk_layout(data, p.axis, 0), false));
}

void infer_topk(const Attrs& a, ShapeVec* in, ShapeVec* out) {
  const Shape& data = (*in)[0];
  if (!data.known()) return;
  const auto& p = a.get<TopKParam>();
  Shape t = topk_target(data, topk_layout(data, p.axis, p.k), p.ret_typ == "mask");
  for (auto& o : *out) assign_shape(&o, t);
}

void infer_sort_type(const Attrs&, TypeVec* in, TypeVec* out) {
  infer_type_from_data(Attrs{}, in, out);
  assign_type(&(*out)[1], kInt32, " for the hidden indices output");
}

void infer_topk_type(const Attrs& a, TypeVec* in, TypeVec* out) {
  const auto& p = a.get<TopKParam>();
  int index_type = dtype_from_name(p.dtype);
  if (p.ret_typ == "indices") return assign_type(&(*out)[0], index_type, " for the output");
  infer_type_from_data(a, in, out);
  if (out->size() > 1)  // value's hidden indices are int32, both's visible ones follow dtype
    assign_type(&(*out)[1], p.ret_typ == "value" ? kInt32 : index_type, " for output 1");
}

int topk_outputs(const Attrs& a) {
  const auto& r = a.get<TopKParam>().ret_typ;
  return r == "indices" || r == "mask" ? 1 : 2;
}

void infer_gather_nd(const Attrs&, ShapeVec* in, ShapeVec* out) {
  const Shape& d = (*in)[0];
  const Shape& i = (*in)[1];
  if (!d.ndim_known() || !i.ndim_known()) return;
  if (i.ndim() < 2) fail("gather_nd: indices must have at least 2 dimensions, got ", i.str());
  dim_t m = i[0];
  if (m < 0) return;
  if (m > 10) fail("gather_nd: indices ", i.str(), " index more than 10 dimensions");
  if (m > d.ndim())
    fail("gather_nd: indices ", i.str(), " index ", m, " dimensions but data ", d.str(),
         " has only ", d.ndim());
  std::vector<dim_t> o(i.dims().begin() + 1, i.dims().end());
  o.insert(o.end(), d.dims().begin() + m, d.dims().end());
  assign_shape(&(*out)[0], Shape(o));
}

void infer_scatter_nd(const Attrs& a, ShapeVec* in, ShapeVec* out) {
  const Shape& target = a.get<ScatterNDParam>().shape;
  assign_shape(&(*out)[0], target);
  const Shape& d = (*in)[0];
  const Shape& i = (*in)[1];
  const Shape& o = (*out)[0];
  if (!d.ndim_known() || !i.ndim_known()) return;
  if (i.ndim() < 1) fail("scatter_nd: indices must have at least 1 dimension");
  dim_t m = i[0];
  if (m < 0) return;
  auto same = [](dim_t x, dim_t y) { return x < 0 || y < 0 || x == y; };
  bool valid = m <= o.ndim() && d.ndim() == i.ndim() - 1 + o.ndim() - m;
  for (int k = 0; valid && k < i.ndim() - 1; ++k) valid = same(d[k], i[k + 1]);
  for (int k = static_cast<int>(m); valid && k < o.ndim(); ++k)
    valid = same(d[k - m + i.ndim() - 1], o[k]);
  if (!valid)
    fail("scatter_nd: data ", d.str(), " and indices ", i.str(), " do not fit the output shape ",
         o.str(), " (data must be indices.shape[1:] + shape[indices.shape[0]:])");
}

}  // namespace

TopKLayout topk_layout(const Shape& data, std::optional<int> axis, int k) {
  TopKLayout l{-1, data.size(), k};
  if (axis) {
    int nd = data.ndim();
    int a = *axis < 0 ? *axis + nd : *axis;
    if (a < 0 || a >= nd)
      fail("axis=", *axis, " is out of range for an input of ", nd, " dimensions (", data.str(),
           ")");
    l.axis = a;
    l.element_num = data[a];
  }
  if (k <= 0) l.k = l.element_num;  // k < 1 sorts everything
  if (l.k > l.element_num)
    fail("k=", k, " exceeds the ", l.element_num, " elements ",
         axis ? cat("along axis ", *axis) : std::string("of the flattened input"), " of ",
         data.str());
  return l;
}

void TakeParam::declare(ParamDecl<TakeParam>& d) {
  d.field("axis", &TakeParam::axis)
      .set_default(0)
      .describe(
          "The axis of input array to be taken.For input tensor of rank r, it could be in "
          "the range of [-r, r-1]");
  d.field("mode", &TakeParam::mode)
      .choices({"clip", "raise", "wrap"})
      .set_default(std::string("clip"))
      .describe(
          "Specify how out-of-bound indices bahave. Default is \"clip\". \"clip\" means "
          "clip to the range. So, if all indices mentioned are too large, they are "
          "replaced by the index that addresses the last element along an axis. \"wrap\" "
          "means to wrap around. \"raise\" means to raise an error when index out of "
          "range.");
}

void PickParam::declare(ParamDecl<PickParam>& d) {
  d.field("axis", &PickParam::axis)
      .set_default(-1)
      .describe(
          "int or None. The axis to picking the elements. Negative values means indexing "
          "from right to left. If is `None`, the elements in the index w.r.t the flattened "
          "input will be picked.");
  d.field("keepdims", &PickParam::keepdims)
      .set_default(false)
      .describe(
          "If true, the axis where we pick the elements is left in the result as dimension "
          "with size one.");
  d.field("mode", &PickParam::mode)
      .choices({"clip", "wrap"})
      .set_default(std::string("clip"))
      .describe(
          "Specify how out-of-bound indices behave. Default is \"clip\". \"clip\" means "
          "clip to the range. So, if all indices mentioned are too large, they are "
          "replaced by the index that addresses the last element along an axis.  \"wrap\" "
          "means to wrap around.");
}

void OneHotParam::declare(ParamDecl<OneHotParam>& d) {
  d.field("depth", &OneHotParam::depth).describe("Depth of the one hot dimension.");
  d.field("on_value", &OneHotParam::on_value)
      .set_default(1.0)
      .describe("The value assigned to the locations represented by indices.");
  d.field("off_value", &OneHotParam::off_value)
      .set_default(0.0)
      .describe("The value assigned to the locations not represented by indices.");
  d.field("dtype", &OneHotParam::dtype)
      .choices({"bfloat16", "float16", "float32", "float64", "int32", "int64", "int8", "uint8"})
      .set_default(std::string("float32"))
      .describe("DType of the output");
}

void SortParam::declare(ParamDecl<SortParam>& d) {
  d.field("axis", &SortParam::axis)
      .set_default(-1)
      .describe(
          "Axis along which to choose sort the input tensor. If not given, the flattened "
          "array is used. Default is -1.");
  d.field("is_ascend", &SortParam::is_ascend)
      .set_default(true)
      .describe("Whether to sort in ascending or descending order.");
}

void ArgSortParam::declare(ParamDecl<ArgSortParam>& d) {
  d.field("axis", &ArgSortParam::axis)
      .set_default(-1)
      .describe(
          "Axis along which to sort the input tensor. If not given, the flattened array is "
          "used. Default is -1.");
  d.field("is_ascend", &ArgSortParam::is_ascend)
      .set_default(true)
      .describe("Whether to sort in ascending or descending order.");
  d.field("dtype", &ArgSortParam::dtype)
      .choices({"float16", "float32", "float64", "int32", "int64", "uint8"})
      .set_default(std::string("float32"))
      .describe(
          "DType of the output indices. It is only valid when ret_typ is \"indices\" or "
          "\"both\". An error will be raised if the selected data type cannot precisely "
          "represent the indices.");
}

void TopKParam::declare(ParamDecl<TopKParam>& d) {
  d.field("axis", &TopKParam::axis)
      .set_default(-1)
      .describe(
          "Axis along which to choose the top k indices. If not given, the flattened array "
          "is used. Default is -1.");
  d.field("k", &TopKParam::k)
      .set_default(1)
      .describe(
          "Number of top elements to select, should be always smaller than or equal to the "
          "element number in the given axis. A global sort is performed if set k < 1.");
  d.field("ret_typ", &TopKParam::ret_typ)
      .choices({"both", "indices", "mask", "value"})
      .set_default(std::string("indices"))
      .describe(
          "The return type.\n \"value\" means to return the top k values, \"indices\" means "
          "to return the indices of the top k values, \"mask\" means to return a mask array "
          "containing 0 and 1. 1 means the top k values. \"both\" means to return a list of "
          "both values and indices of top k elements.");
  d.field("is_ascend", &TopKParam::is_ascend)
      .set_default(false)
      .describe(
          "Whether to choose k largest or k smallest elements. Top K largest elements will "
          "be chosen if set to false.");
  d.field("dtype", &TopKParam::dtype)
      .choices({"float16", "float32", "float64", "int32", "int64", "uint8"})
      .set_default(std::string("float32"))
      .describe(
          "DType of the output indices when ret_typ is \"indices\" or \"both\". An error "
          "will be raised if the selected data type cannot precisely represent the "
          "indices.");
}

void ScatterNDParam::declare(ParamDecl<ScatterNDParam>& d) {
  d.field("shape", &ScatterNDParam::shape).describe("Shape of output.");
}

LOOM_REGISTER_OP(take)
    .describe("Takes elements from an input array along the given axis.")
    .set_params<TakeParam>()
    .set_input_names({"a", "indices"})
    .set_infer_shape(infer_take)
    .set_infer_type(infer_type_from_data)
    .set_gradient(select_grad);

LOOM_REGISTER_OP(pick)
    .describe("Picks elements from an input array according to the indices along the given axis.")
    .set_params<PickParam>()
    .set_input_names({"data", "index"})
    .set_infer_shape(infer_pick)
    .set_infer_type(infer_type_from_data)
    .set_gradient(select_grad)
    .alias("choose_element_0index");

// sort and topk (value, both): the head gradient of the values goes back to the positions the
// hidden (or visible) indices output names; indices and masks have zero gradient.
static Grads ordered_values_grad(const NodePtr& n, const Grads& og) {
  if (n->op()->name == "topk") {
    const auto& r = n->attrs.get<TopKParam>().ret_typ;
    if (r == "indices" || r == "mask") return Grads(1);
  }
  AttrDict d;
  auto it = n->attrs.dict.find("axis");
  if (it != n->attrs.dict.end()) d["axis"] = it->second;
  return {make_entry("_backward_topk", n->name() + "_backward",
                     {og[0], n->inputs[0], NodeEntry{n, 1, 0}}, d)};
}

static struct SelectBackwardRegistrations {
  SelectBackwardRegistrations() {
    register_select_backward<PickParam>("pick");
    register_select_backward<TakeParam>("take");
    add_scatter_backward<TopKParam>(
        "_backward_topk",
        "Gradient of sort/topk values: out_grad scattered along axis to the positions given by "
        "indices (inputs out_grad, data, indices).",
        "indices")
        .set_infer_type(
            [](const Attrs&, TypeVec* in, TypeVec* out) { infer_scatter_backward_type(in, out); });
  }
} const select_backward_registrations;

LOOM_REGISTER_OP(one_hot)
    .describe("Returns a one-hot array of the given depth for the indices.")
    .set_params<OneHotParam>()
    .set_input_names({"indices"})
    .set_infer_shape(infer_one_hot)
    .set_infer_type([](const Attrs& a, TypeVec*, TypeVec* out) {
      assign_type(&(*out)[0], dtype_from_name(a.get<OneHotParam>().dtype), " for the output");
    })
    .set_gradient(zero_grads);

LOOM_REGISTER_OP(sort)
    .describe("Returns a sorted copy of an input array along the given axis.")
    .set_params<SortParam>()
    .set_num_outputs(2)
    .set_num_visible_outputs_fn([](const Attrs&) { return 1; })
    .set_infer_shape(infer_sort)
    .set_infer_type(infer_sort_type)
    .set_gradient(ordered_values_grad);

LOOM_REGISTER_OP(argsort)
    .describe("Returns the indices that would sort an input array along the given axis.")
    .set_params<ArgSortParam>()
    .set_infer_shape(infer_argsort)
    .set_infer_type([](const Attrs& a, TypeVec*, TypeVec* out) {
      assign_type(&(*out)[0], dtype_from_name(a.get<ArgSortParam>().dtype), " for the output");
    })
    .set_gradient(zero_grads);

LOOM_REGISTER_OP(topk)
    .describe("Returns the indices, values or mask of the top k elements along an axis.")
    .set_params<TopKParam>()
    .set_num_outputs_fn(topk_outputs)
    .set_num_visible_outputs_fn([](const Attrs& a) {
      return a.get<TopKParam>().ret_typ == "both" ? 2 : 1;
    })
    .set_infer_shape(infer_topk)
    .set_infer_type(infer_topk_type)
    .set_gradient(ordered_values_grad);

LOOM_REGISTER_OP(gather_nd)
    .describe("Gathers elements or slices from data into an array shaped by the indices.")
    .set_input_names({"data", "indices"})
    .set_infer_shape(infer_gather_nd)
    .set_infer_type(infer_type_from_data);

LOOM_REGISTER_OP(scatter_nd)
    .describe("Scatters data into a new array of the given shape according to the indices.")
    .set_params<ScatterNDParam>()
    .set_input_names({"data", "indices"})
    .set_infer_shape(infer_scatter_nd)
    .set_infer_type(infer_type_from_data);

}  // namespace loom
