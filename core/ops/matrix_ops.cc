// Shape-manipulating tensor ops: Flatten, Reshape, reshape_like, transpose, expand_dims,
// squeeze, SwapAxis, slice, slice_axis, slice_like, reverse, repeat, tile, Pad, broadcast_to,
// broadcast_like, broadcast_axis, depth_to_space, space_to_depth, diag, shape_array and
// size_array. Shape rules follow MXNet 1.9.1 for every input it accepts; where MXNet crashes,
// reads garbage or silently builds a wrong-sized array (unknown dims, a Reshape that changes
// the element count) Loom leaves the shape unknown or reports the error instead.
#include "core/ops/matrix_ops.h"

#include <algorithm>
#include <cstdlib>

#include "core/ops/op_util.h"

namespace loom {

namespace {

using Grads = std::vector<NodeEntry>;

std::string shape_text(const Shape& s) { return ParamTraits<Shape>::show(s); }

// Python's str() of a tuple of ints, the form parameters are stored in.
std::string tuple_text(const std::vector<int>& v) {
  std::string s = "(";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
  return s + (v.size() == 1 ? ",)" : ")");
}

// Maps axis in [-ndim, ndim) to [0, ndim); `what` names the parameter in the error.
int normalize_axis(dim_t axis, int ndim, const std::string& what) {
  dim_t a = axis < 0 ? axis + ndim : axis;
  if (a < 0 || a >= ndim)
    fail(what, "=", axis, " is out of range for an input of ", ndim, " dimensions (valid: ", -ndim,
         " to ", ndim - 1, ")");
  return static_cast<int>(a);
}

std::string optional_text(const std::optional<int>& v) {
  return v ? std::to_string(*v) : std::string("None");
}

NodeEntry reshape_grad_like(const NodePtr& n, const NodeEntry& og) {
  return make_entry("reshape_like", n->name() + "_backward", {og, n->inputs[0]});
}

// Ops whose output reads its input at computed positions (slice, tile, ...): the first input's
// gradient is one _backward_<op> node (inputs out_grad, data) that sums the head gradient back
// into those positions; other inputs get none.
Grads layout_grad(const NodePtr& n, const Grads& og) {
  Grads r(n->inputs.size());
  r[0] = make_entry("_backward_" + n->op()->name, n->name() + "_backward", {og[0], n->inputs[0]},
                    n->attrs.dict);
  return r;
}

// Broadcasting ops: the head gradient summed down to the input's shape.
Grads broadcast_grad(const NodePtr& n, const Grads& og) {
  Grads r(n->inputs.size());
  r[0] = make_entry("_backward_broadcast", n->name() + "_backward", {og[0], n->inputs[0]});
  return r;
}

// Registers _backward_<fwd> for layout_grad: output shaped like data; its own gradient is the
// forward op applied to the head gradient (slice_like takes out_grad as its shape_like), so
// gradients of gradients work.
template <class P>
void register_layout_backward(const std::string& fwd, bool like_input = false) {
  OpRegistry::get()
      .add("_backward_" + fwd)
      .describe("Gradient of " + fwd + ": out_grad summed into the positions of data it read.")
      .set_params<P>()
      .set_input_names({"out_grad", "data"})
      .set_infer_shape([](const Attrs&, ShapeVec* in, ShapeVec* out) {
        assign_shape(&(*out)[0], (*in)[1]);
        assign_shape(&(*in)[1], (*out)[0]);
      })
      .set_gradient([fwd, like_input](const NodePtr& n, const Grads& og) {
        std::vector<NodeEntry> in{og[0]};
        if (like_input) in.push_back(n->inputs[0]);
        return Grads{make_entry(fwd, n->name() + "_backward", in, n->attrs.dict), NodeEntry{}};
      });
}

// ---- Flatten / Reshape / reshape_like -------------------------------------------------------

void infer_flatten(const Attrs&, ShapeVec* in, ShapeVec* out) {
  const Shape& d = (*in)[0];
  if (!d.known()) return;  // MXNet needs every input dim
  if (d.ndim() == 0) return assign_shape(&(*out)[0], Shape({1, 1}));
  assign_shape(&(*out)[0], Shape({d[0], d.prod(1, d.ndim())}));
}

// MXNet's ReverseReshapeInferShape: a single unknown input dim follows from a known output.
void fill_one_unknown_dim(Shape* data, const Shape& out) {
  if (!out.known() || !data->ndim_known() || data->known()) return;
  int unknown_at = -1;
  dim_t known_prod = 1;
  for (int i = 0; i < data->ndim(); ++i) {
    if ((*data)[i] >= 0) {
      known_prod *= (*data)[i];
    } else if (unknown_at >= 0) {
      return;  // two unknowns: nothing to learn
    } else {
      unknown_at = i;
    }
  }
  if (known_prod == 0) return;
  (*data)[unknown_at] = out.size() / known_prod;
}

void infer_reshape(const Attrs& a, ShapeVec* in, ShapeVec* out) {
  const auto& p = a.get<ReshapeParam>();
  Shape& data = (*in)[0];
  if (!data.ndim_known()) return;
  Shape target;
  if (p.shape.ndim() > 0) {
    target = reshape_output_shape(p, data);
  } else if (p.target_shape.ndim() > 0) {
    // deprecated form: one 0 in target_shape is inferred; keep_highest pins dim 0
    target = p.target_shape;
    int start = 0;
    if (p.keep_highest) {
      target[0] = data.ndim() > 0 ? data[0] : -1;
      start = 1;
    }
    int zeros = 0, zero_at = -1;
    for (int i = start; i < target.ndim(); ++i)
      if (target[i] == 0) ++zeros, zero_at = i;
    if (zeros == 1) {
      target[zero_at] = 1;
      dim_t rest = target.known() ? target.size() : 0;
      target[zero_at] = data.known() && rest > 0 ? data.size() / rest : -1;
    }
  } else {
    // MXNet 1.9.1 would give a 0-d output here and build a wrongly sized array
    fail("Reshape: no target shape given (shape and target_shape are both empty) for input ",
         data.str());
  }
  assign_shape(&(*out)[0], target);
  fill_one_unknown_dim(&data, (*out)[0]);
  const Shape& o = (*out)[0];
  if (data.known() && o.known() && data.size() != o.size())
    fail("Reshape: cannot reshape input ", data.str(), " (", data.size(), " elements) to ", o.str(),
         " (", o.size(), " elements); shape=", shape_text(p.shape),
         p.reverse ? " reverse=True" : "");
}

// lhs_begin/lhs_end style range over `ndim` dims; fails naming `side`.
std::pair<int, int> like_range(int ndim, const char* side, const std::optional<int>& begin,
                               const std::optional<int>& end) {
  int b = begin ? *begin : 0;
  if (b < 0) b += ndim;
  int e = end ? *end : ndim;
  if (end && e < 0) e += ndim;
  if (e > ndim || e < 0)
    fail("reshape_like: ", side, "_end=", optional_text(end), " is out of range for ", ndim,
         " dimensions");
  if (b < 0 || b > e)
    fail("reshape_like: ", side, "_begin=", optional_text(begin), " and ", side,
         "_end=", optional_text(end), " give an empty or reversed range for ", ndim, " dimensions");
  return {b, e};
}

void infer_reshape_like(const Attrs& a, ShapeVec* in, ShapeVec* out) {
  const auto& p = a.get<ReshapeLikeParam>();
  const Shape& lhs = (*in)[0];
  const Shape& rhs = (*in)[1];
  if (!lhs.ndim_known() || !rhs.ndim_known()) return;
  auto [lb, le] = like_range(lhs.ndim(), "lhs", p.lhs_begin, p.lhs_end);
  auto [rb, re] = like_range(rhs.ndim(), "rhs", p.rhs_begin, p.rhs_end);
  std::vector<dim_t> o(lhs.dims().begin(), lhs.dims().begin() + lb);
  o.insert(o.end(), rhs.dims().begin() + rb, rhs.dims().begin() + re);
  o.insert(o.end(), lhs.dims().begin() + le, lhs.dims().end());
  Shape os(o);
  if (lhs.known() && os.known() && lhs.size() != os.size())
    fail("reshape_like: cannot reshape lhs ", lhs.str(), " to ", os.str(),
         " because they have different sizes (", lhs.size(), " vs ", os.size(), ")");
  assign_shape(&(*out)[0], os);
}

// Output takes the first input's dtype; the second input only lends its shape.
void infer_type_like_lhs(const Attrs&, TypeVec* in, TypeVec* out) {
  assign_type(&(*out)[0], (*in)[0], " for the output");
  assign_type(&(*in)[0], (*out)[0], " for input 0");
}

// ---- transpose / expand_dims / squeeze / SwapAxis --------------------------------------------

void infer_transpose(const Attrs& a, ShapeVec* in, ShapeVec* out) {
  Shape& data = (*in)[0];
  Shape& o = (*out)[0];
  int nd = data.ndim_known() ? data.ndim() : o.ndim();
  if (nd < 0) return;
  auto axes = transpose_axes(a.get<TransposeParam>(), nd);
  if (data.ndim_known()) {
    Shape r = Shape::unknown_of_ndim(nd);
    for (int i = 0; i < nd; ++i) r[i] = data[axes[i]];
    assign_shape(&o, r);
  }
  if (o.ndim_known() && o.ndim() == nd) {
    Shape g = Shape::unknown_of_ndim(nd);
    for (int i = 0; i < nd; ++i) g[axes[i]] = o[i];
    assign_shape(&data, g);
  }
}

void infer_expand_dims(const Attrs& a, ShapeVec* in, ShapeVec* out) {
  Shape& data = (*in)[0];
  Shape& o = (*out)[0];
  if (!data.ndim_known() && !o.ndim_known()) return;
  int nd = data.ndim_known() ? data.ndim() : o.ndim() - 1;
  if (nd < 0) return;
  int axis = a.get<ExpandDimsParam>().axis;
  int ax = axis < 0 ? axis + nd + 1 : axis;
  if (ax < 0 || ax > nd)
    fail("expand_dims: axis=", axis, " is out of range for an input of ", nd,
         " dimensions (valid: ", -nd - 1, " to ", nd, ")");
  Shape r = Shape::unknown_of_ndim(nd + 1);
  r[ax] = 1;
  if (data.ndim_known())
    for (int i = 0; i < nd; ++i) r[i < ax ? i : i + 1] = data[i];
  assign_shape(&o, r);
  Shape g = Shape::unknown_of_ndim(nd);
  for (int i = 0; i < nd; ++i) g[i] = o[i < ax ? i : i + 1];
  assign_shape(&data, g);
}

void infer_squeeze(const Attrs& a, ShapeVec* in, ShapeVec* out) {
  const Shape& data = (*in)[0];
  if (!data.known()) return;  // which dims are 1 must be known
  const auto& p = a.get<SqueezeParam>();
  int nd = data.ndim();
  std::vector<bool> drop(nd, false);
  if (p.axis) {
    for (int i = 0; i < p.axis->ndim(); ++i) {
      int ax = normalize_axis((*p.axis)[i], nd, "squeeze: axis");
      if (data[ax] != 1)
        fail("squeeze: cannot squeeze axis ", (*p.axis)[i], " of input ", data.str(),
             ": its size is ", data[ax], ", not 1");
      if (drop[ax]) fail("squeeze: axis ", shape_text(*p.axis), " names dimension ", ax, " twice");
      drop[ax] = true;
    }
  } else {
    for (int i = 0; i < nd; ++i) drop[i] = data[i] == 1;
  }
  std::vector<dim_t> o;
  for (int i = 0; i < nd; ++i)
    if (!drop[i]) o.push_back(data[i]);
  if (o.empty()) o.push_back(1);  // legacy shapes are never 0-d
  assign_shape(&(*out)[0], Shape(o));
}

void infer_swap_axis(const Attrs& a, ShapeVec* in, ShapeVec* out) {
  const Shape& data = (*in)[0];
  if (!data.ndim_known()) return;
  const auto& p = a.get<SwapAxisParam>();
  int d1 = normalize_axis(p.dim1, data.ndim(), "SwapAxis: dim1");
  int d2 = normalize_axis(p.dim2, data.ndim(), "SwapAxis: dim2");
  Shape o = data;
  std::swap(o[d1], o[d2]);
  assign_shape(&(*out)[0], o);
}

// ---- slice / slice_axis / slice_like ---------------------------------------------------------

void infer_slice(const Attrs& a, ShapeVec* in, ShapeVec* out) {
  const Shape& data = (*in)[0];
  if (!data.ndim_known()) return;
  const auto& p = a.get<SliceParam>();
  SliceRanges r = slice_ranges(p, data);
  Shape o = data;
  for (size_t i = 0; i < p.begin.size(); ++i) {
    dim_t b = r.begin[i], e = r.end[i], s = r.step[i];
    if (data[i] < 0) {
      o[i] = -1;
    } else if (b < 0 || e == b) {
      o[i] = 0;
    } else if (s > 0) {
      o[i] = e > b ? (e - b - 1) / s + 1 : 0;
    } else {
      o[i] = e < b ? (b - e - 1) / (-s) + 1 : 0;
    }
  }
  assign_shape(&(*out)[0], o);
}

void infer_slice_axis(const Attrs& a, ShapeVec* in, ShapeVec* out) {
  const Shape& data = (*in)[0];
  if (!data.ndim_known()) return;
  const auto& p = a.get<SliceAxisParam>();
  int axis = normalize_axis(p.axis, data.ndim(), "slice_axis: axis");
  Shape o = data;
  if (data[axis] >= 0) {
    SliceAxisRange r = slice_axis_range(p, data);
    o[axis] = r.end - r.begin;
  }
  assign_shape(&(*out)[0], o);
}

void infer_slice_like(const Attrs& a, ShapeVec* in, ShapeVec* out) {
  const Shape& data = (*in)[0];
  const Shape& like = (*in)[1];
  if (!data.ndim_known() || !like.ndim_known()) return;
  const auto& p = a.get<SliceLikeParam>();
  auto check = [&](int ax) {
    if (data[ax] >= 0 && like[ax] >= 0 && like[ax] > data[ax])
      fail("slice_like: axis ", ax, " of shape_like ", like.str(), " has size ", like[ax],
           ", larger than the input ", data.str(), " (", data[ax], ")");
  };
  Shape o = data;
  if (p.axes.ndim() <= 0) {
    if (data.ndim() != like.ndim())
      fail(
          "slice_like: without axes every axis is sliced, so the inputs need the same number of "
          "dimensions, got ",
          data.str(), " and ", like.str());
    for (int i = 0; i < data.ndim(); ++i) check(i);
    o = like;
  } else {
    for (int i = 0; i < p.axes.ndim(); ++i) {
      int ax = normalize_axis(p.axes[i], data.ndim(), "slice_like: axes entry");
      if (ax >= like.ndim())
        fail("slice_like: axis ", ax, " does not exist in shape_like ", like.str());
      check(ax);
      o[ax] = like[ax];
    }
  }
  assign_shape(&(*out)[0], o);
}

// ---- reverse / repeat / tile / pad -----------------------------------------------------------

void infer_reverse(const Attrs& a, ShapeVec* in, ShapeVec* out) {
  infer_same_shape(a, in, out);
  const Shape& data = (*in)[0];
  if (!data.ndim_known()) return;
  const Shape& axes = a.get<ReverseParam>().axis;
  for (int i = 0; i < axes.ndim(); ++i)
    if (axes[i] < 0 || axes[i] >= data.ndim())
      fail("reverse: axis ", shape_text(axes), " names dimension ", axes[i], ", which an input of ",
           data.ndim(),
           " dimensions does not have (negative axes are "
           "not supported)");
}

void infer_repeat(const Attrs& a, ShapeVec* in, ShapeVec* out) {
  const Shape& data = (*in)[0];
  if (!data.ndim_known()) return;
  const auto& p = a.get<RepeatParam>();
  if (p.repeats < 0) fail("repeat: repeats=", p.repeats, " cannot be negative");
  int axis = p.axis ? normalize_axis(*p.axis, data.ndim(), "repeat: axis") : -1;
  if (p.repeats == 0) return assign_shape(&(*out)[0], Shape({0}));
  if (!p.axis)
    return assign_shape(&(*out)[0], Shape({data.known() ? data.size() * p.repeats : -1}));
  Shape o = data;
  if (o[axis] >= 0) o[axis] *= p.repeats;
  assign_shape(&(*out)[0], o);
}

void infer_tile(const Attrs& a, ShapeVec* in, ShapeVec* out) {
  const Shape& data = (*in)[0];
  if (!data.known()) return;
  const Shape& reps = a.get<TileParam>().reps;
  for (int i = 0; i < reps.ndim(); ++i)
    if (reps[i] < 0) fail("tile: reps ", shape_text(reps), " has a negative entry");
  int nd = std::max(data.ndim(), reps.ndim());
  Shape o = Shape::unknown_of_ndim(nd);
  for (int i = 0; i < nd; ++i) {
    int di = data.ndim() - nd + i, ri = reps.ndim() - nd + i;
    dim_t d = di >= 0 ? data[di] : 1;
    dim_t r = ri >= 0 ? reps[ri] : 1;
    o[i] = d * r;
  }
  assign_shape(&(*out)[0], o);
}

void infer_pad(const Attrs& a, ShapeVec* in, ShapeVec* out) {
  const Shape& data = (*in)[0];
  if (!data.ndim_known()) return;
  const auto& p = a.get<PadParam>();
  int nd = data.ndim();
  const Shape& w = p.pad_width;
  if (nd != 4 && nd != 5) fail("Pad: only 4-D and 5-D inputs are supported, got ", data.str());
  if (w.ndim() != 2 * nd)
    fail("Pad: pad_width ", shape_text(w), " must have 2*ndim = ", 2 * nd, " entries for input ",
         data.str());
  for (int i = 0; i < 4; ++i)
    if (w[i] != 0)
      fail("Pad: padding of the first two axes must be zero, got pad_width ", shape_text(w));
  for (int i = 0; i < w.ndim(); ++i)
    if (w[i] < 0) fail("Pad: pad_width ", shape_text(w), " has a negative entry");
  Shape o = data;
  for (int i = 0; i < nd; ++i) {
    if (data[i] < 0) continue;
    if (p.mode == "reflect" && (w[2 * i] >= data[i] || w[2 * i + 1] >= data[i]))
      fail("Pad: reflect padding must be smaller than the input size, got pad_width ",
           shape_text(w), " for input ", data.str());
    o[i] = data[i] + w[2 * i] + w[2 * i + 1];
  }
  assign_shape(&(*out)[0], o);
}

// ---- broadcast_to / broadcast_like / broadcast_axis ------------------------------------------

void infer_broadcast_to(const Attrs& a, ShapeVec* in, ShapeVec* out) {
  const Shape& data = (*in)[0];
  if (!data.ndim_known()) return;
  const Shape& target = a.get<BroadcastToParam>().shape;
  if (target.ndim() != data.ndim())
    fail("broadcast_to: operand of shape ", data.str(), " cannot be broadcast to ",
         shape_text(target), ": the number of dimensions differs");
  Shape o = target;
  for (int i = 0; i < data.ndim(); ++i) {
    if (target[i] == 0) {
      o[i] = data[i];  // 0 keeps the input's dim
    } else if (data[i] >= 0 && data[i] != 1 && data[i] != target[i]) {
      fail("broadcast_to: array cannot be broadcast from ", data.str(), " to ", shape_text(target),
           " (dimension ", i, ")");
    }
  }
  assign_shape(&(*out)[0], o);
}

void infer_broadcast_like(const Attrs& a, ShapeVec* in, ShapeVec* out) {
  const Shape& lhs = (*in)[0];
  const Shape& rhs = (*in)[1];
  if (!lhs.ndim_known() || !rhs.ndim_known()) return;
  const auto& p = a.get<BroadcastLikeParam>();
  Shape o;
  if (!p.lhs_axes || !p.rhs_axes) {
    if (lhs.ndim() != rhs.ndim())
      fail("broadcast_like: operand of shape ", lhs.str(), " cannot be broadcast to ", rhs.str(),
           ": the number of dimensions differs");
    o = rhs;
    for (int i = 0; i < lhs.ndim(); ++i) {
      if (rhs[i] < 0)
        o[i] = lhs[i] == 1 ? -1 : lhs[i];
      else if (lhs[i] >= 0 && lhs[i] != 1 && lhs[i] != rhs[i])
        fail("broadcast_like: array cannot be broadcast from ", lhs.str(), " to ", rhs.str());
    }
  } else {
    const Shape& la = *p.lhs_axes;
    const Shape& ra = *p.rhs_axes;
    if (la.ndim() != ra.ndim())
      fail("broadcast_like: lhs_axes ", shape_text(la), " and rhs_axes ", shape_text(ra),
           " must have the same length");
    if (la.ndim() == 0) fail("broadcast_like: lhs_axes and rhs_axes must not be empty");
    o = lhs;
    for (int i = 0; i < la.ndim(); ++i) {
      int from = normalize_axis(la[i], lhs.ndim(), "broadcast_like: lhs_axes entry");
      int to = normalize_axis(ra[i], rhs.ndim(), "broadcast_like: rhs_axes entry");
      if (lhs[from] >= 0 && lhs[from] != 1)
        fail("broadcast_like: axis ", la[i], " of lhs ", lhs.str(), " has size ", lhs[from],
             " and cannot be broadcast to ", rhs[to]);
      o[from] = rhs[to];
    }
  }
  assign_shape(&(*out)[0], o);
}

void infer_broadcast_axis(const Attrs& a, ShapeVec* in, ShapeVec* out) {
  const auto& p = a.get<BroadcastAxesParam>();
  if (p.axis.ndim() != p.size.ndim())
    fail("broadcast_axis: axis ", shape_text(p.axis), " and size ", shape_text(p.size),
         " must have the same length");
  const Shape& data = (*in)[0];
  if (!data.ndim_known()) return;
  Shape o = data;
  for (int i = 0; i < p.axis.ndim(); ++i) {
    int ax = normalize_axis(p.axis[i], data.ndim(), "broadcast_axis: axis entry");
    if (data[ax] >= 0 && data[ax] != 1)
      fail("broadcast_axis: the broadcast axis ", ax, " of input ", data.str(),
           " must have size 1, not ", data[ax]);
    o[ax] = p.size[i];
  }
  assign_shape(&(*out)[0], o);
}

// ---- depth_to_space / space_to_depth / diag / shape_array / size_array ----------------------

void infer_depth_to_space(const Attrs& a, ShapeVec* in, ShapeVec* out) {
  const Shape& d = (*in)[0];
  if (!d.ndim_known()) return;
  int b = a.get<DepthToSpaceParam>().block_size;
  if (d.ndim() != 4) fail("depth_to_space: the input must be 4-D, got ", d.str());
  if (b <= 0) fail("depth_to_space: block_size=", b, " must be a positive integer");
  if (d[1] >= 0 && d[1] % (b * b) != 0)
    fail("depth_to_space: the depth dimension (1) of ", d.str(),
         " must be a multiple of block_size^2 = ", b * b);
  auto mul = [&](dim_t x) { return x < 0 ? -1 : x * b; };
  assign_shape(&(*out)[0], Shape({d[0], d[1] < 0 ? -1 : d[1] / (b * b), mul(d[2]), mul(d[3])}));
}

void infer_space_to_depth(const Attrs& a, ShapeVec* in, ShapeVec* out) {
  const Shape& d = (*in)[0];
  if (!d.ndim_known()) return;
  int b = a.get<DepthToSpaceParam>().block_size;
  if (d.ndim() != 4) fail("space_to_depth: the input must be 4-D, got ", d.str());
  if (b <= 0) fail("space_to_depth: block_size=", b, " must be a positive integer");
  for (int i = 2; i < 4; ++i)
    if (d[i] >= 0 && d[i] % b != 0)
      fail("space_to_depth: spatial dimension ", i, " of ", d.str(),
           " must be a multiple of block_size = ", b);
  auto div = [&](dim_t x) { return x < 0 ? -1 : x / b; };
  assign_shape(&(*out)[0], Shape({d[0], d[1] < 0 ? -1 : d[1] * b * b, div(d[2]), div(d[3])}));
}

void infer_diag(const Attrs& a, ShapeVec* in, ShapeVec* out) {
  const Shape& d = (*in)[0];
  if (!d.ndim_known()) return;
  const auto& p = a.get<DiagParam>();
  if (d.ndim() == 0) fail("diag: the input must have at least one dimension");
  if (d.ndim() == 1) {
    dim_t s = d[0] < 0 ? -1 : d[0] + std::abs(p.k);
    return assign_shape(&(*out)[0], Shape({s, s}));
  }
  int x1 = normalize_axis(p.axis1, d.ndim(), "diag: axis1");
  int x2 = normalize_axis(p.axis2, d.ndim(), "diag: axis2");
  if (x1 == x2) fail("diag: axis1 and axis2 both refer to axis ", x1);
  dim_t s = -1;
  if (d[x1] >= 0 && d[x2] >= 0) {
    dim_t h = d[x1], w = d[x2];
    if (p.k > 0) w -= p.k;
    if (p.k < 0) h += p.k;
    s = std::min(h, w);
    if (s <= 0) fail("diag: diagonal k=", p.k, " does not exist in an input of shape ", d.str());
  }
  std::vector<dim_t> o;
  for (int i = 0; i < d.ndim(); ++i)
    if (i != x1 && i != x2) o.push_back(d[i]);
  o.push_back(s);
  assign_shape(&(*out)[0], Shape(o));
}

void infer_int64_out(const Attrs&, TypeVec*, TypeVec* out) {
  assign_type(&(*out)[0], kInt64, " for the output");
}

Grads zero_grads(const NodePtr& n, const Grads&) { return Grads(n->inputs.size()); }

}  // namespace

// ---- parameter types and declarations ---------------------------------------------------------

OptionalIntTuple ParamTraits<OptionalIntTuple>::parse(const std::string& s) {
  auto trim = [](std::string v) {
    size_t b = v.find_first_not_of(" \t\n"), e = v.find_last_not_of(" \t\n");
    return b == std::string::npos ? std::string() : v.substr(b, e - b + 1);
  };
  auto item = [](const std::string& v) -> std::optional<int64_t> {
    if (v == "None") return std::nullopt;
    return parse_int(v);
  };
  std::string v = trim(s);
  OptionalIntTuple r;
  if (v.empty()) fail("Invalid tuple '", s, "'");
  char open = v.front();
  if (open != '(' && open != '[') {
    r.items.push_back(item(v));  // a bare value is a 1-tuple
    return r;
  }
  char close = open == '(' ? ')' : ']';
  if (v.back() != close) fail("Invalid tuple '", s, "'");
  v = v.substr(1, v.size() - 2);
  size_t pos = 0;
  while (pos <= v.size()) {
    size_t comma = v.find(',', pos);
    std::string part =
        trim(v.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos));
    if (part.empty()) {
      // only "()" or a trailing comma as in "(3,)" may leave an empty item
      if (comma != std::string::npos || (r.items.empty() && pos != 0))
        fail("Invalid tuple '", s, "'");
      break;
    }
    r.items.push_back(item(part));
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  return r;
}

std::string ParamTraits<OptionalIntTuple>::show(const OptionalIntTuple& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.items.size(); ++i)
    s += (i ? "," : "") + (v.items[i] ? std::to_string(*v.items[i]) : std::string("None"));
  return s + "]";
}

void ReshapeParam::declare(ParamDecl<ReshapeParam>& d) {
  using P = ReshapeParam;
  d.field("shape", &P::shape).set_default(Shape(std::vector<dim_t>{})).describe("The target shape");
  d.field("reverse", &P::reverse)
      .set_default(false)
      .describe("If true then the special values are inferred from right to left");
  d.field("target_shape", &P::target_shape)
      .set_default(Shape(std::vector<dim_t>{}))
      .describe(
          "(Deprecated! Use ``shape`` instead.) Target new shape. One and only one dim can "
          "be 0, in which case it will be inferred from the rest of dims");
  d.field("keep_highest", &P::keep_highest)
      .set_default(false)
      .describe(
          "(Deprecated! Use ``shape`` instead.) Whether keep the highest dim unchanged.If "
          "set to true, then the first dim in target_shape is ignored,and always fixed as "
          "input");
}

Shape reshape_output_shape(const ReshapeParam& p, const Shape& data) {
  std::vector<dim_t> src = data.dims();
  std::vector<dim_t> codes = p.shape.dims();
  if (p.reverse) {
    std::reverse(src.begin(), src.end());
    std::reverse(codes.begin(), codes.end());
  }
  auto where = [&] {
    return cat(" (shape=", shape_text(p.shape), p.reverse ? ", reverse=True" : "", ", input ",
               data.str(), ")");
  };
  std::vector<dim_t> out;
  size_t si = 0;
  int infer_at = -1;
  auto need = [&](size_t n, dim_t code) {
    if (si + n > src.size())
      fail("Reshape: code ", code, " needs ",
           n == 1 ? "an input dimension" : "two input dimensions", " but the input has no more",
           where());
  };
  for (size_t i = 0; i < codes.size(); ++i) {
    dim_t c = codes[i];
    if (c == 0) {
      need(1, c);
      out.push_back(src[si++]);
    } else if (c == -1) {
      if (infer_at >= 0) fail("Reshape: only one dimension can be -1 (inferred)", where());
      infer_at = static_cast<int>(out.size());
      out.push_back(1);
      ++si;
    } else if (c == -2) {
      while (si < src.size()) out.push_back(src[si++]);
    } else if (c == -3) {
      need(2, c);
      dim_t d1 = src[si++], d2 = src[si++];
      out.push_back(d1 < 0 || d2 < 0 ? -1 : d1 * d2);
    } else if (c == -4) {
      if (i + 2 >= codes.size())
        fail("Reshape: -4 must be followed by the two dims to split into", where());
      need(1, c);
      dim_t d0 = src[si++];
      dim_t d1 = codes[++i], d2 = codes[++i];
      if (d1 == -1 && d2 == -1) fail("Reshape: the split dims after -4 cannot both be -1", where());
      if ((d1 <= 0 && d1 != -1) || (d2 <= 0 && d2 != -1))
        fail("Reshape: the split dims after -4 must be positive or -1, got ", d1, ", ", d2,
             where());
      if (d1 == -1 && d0 >= 0) d1 = d0 / d2;
      if (d2 == -1 && d0 >= 0) d2 = d0 / d1;
      if (d0 >= 0 && d1 * d2 != d0)
        fail("Reshape: split dims ", d1, ", ", d2, " do not divide the input dimension ", d0,
             where());
      out.push_back(d1);
      out.push_back(d2);
    } else if (c > 0) {
      out.push_back(c);
      ++si;
    } else {
      fail("Reshape: invalid code ", c, " (codes are 0, -1, -2, -3, -4 or a size)", where());
    }
  }
  if (infer_at >= 0) {
    if (data.known()) {
      dim_t rest = 1;
      for (dim_t x : out) rest *= x;
      if (rest == 0)
        fail("Reshape: cannot infer the -1 dimension when another dimension is 0", where());
      out[infer_at] = data.size() / rest;
    } else {
      out[infer_at] = -1;
    }
  }
  if (p.reverse) std::reverse(out.begin(), out.end());
  return Shape(out);
}

void ReshapeLikeParam::declare(ParamDecl<ReshapeLikeParam>& d) {
  using P = ReshapeLikeParam;
  d.field("lhs_begin", &P::lhs_begin)
      .set_default(std::nullopt)
      .describe(
          "Defaults to 0. The beginning index along which the lhs dimensions are to be "
          "reshaped. Supports negative indices.");
  d.field("lhs_end", &P::lhs_end)
      .set_default(std::nullopt)
      .describe(
          "Defaults to None. The ending index along which the lhs dimensions are to be "
          "used for reshaping. Supports negative indices.");
  d.field("rhs_begin", &P::rhs_begin)
      .set_default(std::nullopt)
      .describe(
          "Defaults to 0. The beginning index along which the rhs dimensions are to be "
          "used for reshaping. Supports negative indices.");
  d.field("rhs_end", &P::rhs_end)
      .set_default(std::nullopt)
      .describe(
          "Defaults to None. The ending index along which the rhs dimensions are to be "
          "used for reshaping. Supports negative indices.");
}

void TransposeParam::declare(ParamDecl<TransposeParam>& d) {
  d.field("axes", &TransposeParam::axes)
      .set_default(Shape(std::vector<dim_t>{}))
      .describe("Target axis order. By default the axes will be inverted.");
}

std::vector<int> transpose_axes(const TransposeParam& p, int ndim) {
  std::vector<int> axes(ndim);
  if (p.axes.ndim() <= 0) {
    for (int i = 0; i < ndim; ++i) axes[i] = ndim - 1 - i;
    return axes;
  }
  if (p.axes.ndim() != ndim)
    fail("transpose: axes ", shape_text(p.axes), " has ", p.axes.ndim(),
         " entries but the input has ", ndim, " dimensions");
  std::vector<bool> seen(ndim, false);
  for (int i = 0; i < ndim; ++i) {
    dim_t a = p.axes[i];
    if (a < 0 || a >= ndim || seen[a])
      fail("transpose: axes ", shape_text(p.axes), " must be a permutation of 0..", ndim - 1,
           " (negative axes are not supported)");
    seen[a] = true;
    axes[i] = static_cast<int>(a);
  }
  return axes;
}

void ExpandDimsParam::declare(ParamDecl<ExpandDimsParam>& d) {
  d.field("axis", &ExpandDimsParam::axis)
      .describe(
          "Position where new axis is to be inserted. Suppose that the input `NDArray`'s "
          "dimension is `ndim`, the range of the inserted axis is `[-ndim, ndim]`");
}

void SqueezeParam::declare(ParamDecl<SqueezeParam>& d) {
  d.field("axis", &SqueezeParam::axis)
      .set_default(std::nullopt)
      .describe(
          "Selects a subset of the single-dimensional entries in the shape. If an axis is "
          "selected with shape entry greater than one, an error is raised.");
}

void SwapAxisParam::declare(ParamDecl<SwapAxisParam>& d) {
  d.field("dim1", &SwapAxisParam::dim1).set_default(0).describe("the first axis to be swapped.");
  d.field("dim2", &SwapAxisParam::dim2).set_default(0).describe("the second axis to be swapped.");
}

void SliceParam::declare(ParamDecl<SliceParam>& d) {
  d.field("begin", &SliceParam::begin)
      .describe("starting indices for the slice operation, supports negative indices.");
  d.field("end", &SliceParam::end)
      .describe("ending indices for the slice operation, supports negative indices.");
  d.field("step", &SliceParam::step)
      .set_default(OptionalIntTuple{})
      .describe("step for the slice operation, supports negative values.");
}

SliceRanges slice_ranges(const SliceParam& p, const Shape& data) {
  int nd = data.ndim();
  auto text = [](const OptionalIntTuple& t) { return ParamTraits<OptionalIntTuple>::show(t); };
  if (nd <= 0) fail("slice: the input must have at least one dimension");
  if (static_cast<int>(p.begin.size()) > nd || static_cast<int>(p.end.size()) > nd)
    fail("slice: begin ", text(p.begin), " and end ", text(p.end),
         " may not have more entries than the input ", data.str(), " has dimensions");
  if (p.begin.size() != p.end.size())
    fail("slice: begin ", text(p.begin), " and end ", text(p.end), " must have the same length");
  if (p.step.size() > 0 && p.step.size() != p.begin.size())
    fail("slice: step ", text(p.step), " and begin ", text(p.begin), " must have the same length");
  SliceRanges r;
  for (int i = 0; i < nd; ++i) {
    if (i >= static_cast<int>(p.begin.size())) {
      r.begin.push_back(0);
      r.end.push_back(data[i]);
      r.step.push_back(1);
      continue;
    }
    dim_t s = p.step.size() > 0 && p.step.items[i] ? *p.step.items[i] : 1;
    if (s == 0) fail("slice: step[", i, "] cannot be 0");
    dim_t len = data[i], b = 0, e = 0;
    if (len > 0) {
      const auto& pb = p.begin.items[i];
      const auto& pe = p.end.items[i];
      b = pb ? *pb : (s < 0 ? len - 1 : 0);
      e = pe ? *pe : (s < 0 ? -1 : len);
      if (b < 0) b += len;
      if (e < 0 && pe) e += len;
      if (b < 0 && s > 0) b = 0;
      if (b > len - 1 && s < 0) b = len - 1;
      if (b < 0 || b > len - 1) b = -1;  // empty under this step
      e = std::clamp<dim_t>(e, -1, len);
    }
    r.begin.push_back(b);
    r.end.push_back(e);
    r.step.push_back(s);
  }
  return r;
}

void SliceAxisParam::declare(ParamDecl<SliceAxisParam>& d) {
  d.field("axis", &SliceAxisParam::axis)
      .describe("Axis along which to be sliced, supports negative indexes.");
  d.field("begin", &SliceAxisParam::begin)
      .describe("The beginning index along the axis to be sliced,  supports negative indexes.");
  d.field("end", &SliceAxisParam::end)
      .describe("The ending index along the axis to be sliced,  supports negative indexes.");
}

SliceAxisRange slice_axis_range(const SliceAxisParam& p, const Shape& data) {
  int axis = normalize_axis(p.axis, data.ndim(), "slice_axis: axis");
  dim_t len = data[axis];
  dim_t b = p.begin < 0 ? p.begin + len : p.begin;
  dim_t e = 0;
  if (len > 0) {
    e = !p.end ? len : (*p.end < 0 ? *p.end + len : *p.end);
    if (e > len)
      fail("slice_axis: end=", optional_text(p.end), " is past the end of axis ", axis, " (size ",
           len, ") of input ", data.str());
    if (b >= e)
      fail("slice_axis: begin=", p.begin, " must come before end=", optional_text(p.end),
           " on axis ", axis, " (size ", len, ") of input ", data.str());
  } else {
    b = 0;
  }
  if (e < 0 || b < 0)
    fail("slice_axis: begin=", p.begin, ", end=", optional_text(p.end),
         " fall before the start of axis ", axis, " (size ", len, ")");
  return {axis, b, e};
}

void SliceLikeParam::declare(ParamDecl<SliceLikeParam>& d) {
  d.field("axes", &SliceLikeParam::axes)
      .set_default(Shape(std::vector<dim_t>{}))
      .describe(
          "List of axes on which input data will be sliced according to the corresponding "
          "size of the second input. By default will slice on all axes. Negative axes are "
          "supported.");
}

void ReverseParam::declare(ParamDecl<ReverseParam>& d) {
  d.field("axis", &ReverseParam::axis).describe("The axis which to reverse elements.");
}

void RepeatParam::declare(ParamDecl<RepeatParam>& d) {
  d.field("repeats", &RepeatParam::repeats).describe("The number of repetitions for each element.");
  d.field("axis", &RepeatParam::axis)
      .set_default(std::nullopt)
      .describe(
          "The axis along which to repeat values. The negative numbers are interpreted "
          "counting from the backward. By default, use the flattened input array, and "
          "return a flat output array.");
}

void TileParam::declare(ParamDecl<TileParam>& d) {
  d.field("reps", &TileParam::reps)
      .describe(
          "The number of times for repeating the tensor a. Each dim size of reps must be a "
          "positive integer. If reps has length d, the result will have dimension of "
          "max(d, a.ndim); If a.ndim < d, a is promoted to be d-dimensional by prepending "
          "new axes. If a.ndim > d, reps is promoted to a.ndim by pre-pending 1's to it.");
}

void PadParam::declare(ParamDecl<PadParam>& d) {
  d.field("mode", &PadParam::mode)
      .choices({"constant", "edge", "reflect"})
      .describe(
          "Padding type to use. \"constant\" pads with `constant_value` \"edge\" pads using "
          "the edge values of the input array \"reflect\" pads by reflecting values with "
          "respect to the edges.");
  d.field("pad_width", &PadParam::pad_width)
      .describe(
          "Widths of the padding regions applied to the edges of each axis. It is a tuple "
          "of integer padding widths for each axis of the format ``(before_1, after_1, ... "
          ", before_N, after_N)``. It should be of length ``2*N`` where ``N`` is the number "
          "of dimensions of the array.This is equivalent to pad_width in numpy.pad, but "
          "flattened.");
  d.field("constant_value", &PadParam::constant_value)
      .set_default(0.0)
      .describe("The value used for padding when `mode` is \"constant\".");
}

void BroadcastToParam::declare(ParamDecl<BroadcastToParam>& d) {
  d.field("shape", &BroadcastToParam::shape)
      .set_default(Shape(std::vector<dim_t>{}))
      .describe(
          "The shape of the desired array. We can set the dim to zero if it's same as the "
          "original. E.g `A = broadcast_to(B, shape=(10, 0, 0))` has the same meaning as "
          "`A = broadcast_axis(B, axis=0, size=10)`.");
}

void BroadcastLikeParam::declare(ParamDecl<BroadcastLikeParam>& d) {
  d.field("lhs_axes", &BroadcastLikeParam::lhs_axes)
      .set_default(std::nullopt)
      .describe("Axes to perform broadcast on in the first input array");
  d.field("rhs_axes", &BroadcastLikeParam::rhs_axes)
      .set_default(std::nullopt)
      .describe("Axes to copy from the second input array");
}

void BroadcastAxesParam::declare(ParamDecl<BroadcastAxesParam>& d) {
  d.field("axis", &BroadcastAxesParam::axis)
      .set_default(Shape(std::vector<dim_t>{}))
      .describe("The axes to perform the broadcasting.");
  d.field("size", &BroadcastAxesParam::size)
      .set_default(Shape(std::vector<dim_t>{}))
      .describe("Target sizes of the broadcasting axes.");
}

void DepthToSpaceParam::declare(ParamDecl<DepthToSpaceParam>& d) {
  d.field("block_size", &DepthToSpaceParam::block_size)
      .describe("Blocks of [block_size. block_size] are moved");
}

void DiagParam::declare(ParamDecl<DiagParam>& d) {
  d.field("k", &DiagParam::k)
      .set_default(0)
      .describe(
          "Diagonal in question. The default is 0. Use k>0 for diagonals above the main "
          "diagonal, and k<0 for diagonals below the main diagonal. If input has shape (S0 "
          "S1) k must be between -S0 and S1");
  d.field("axis1", &DiagParam::axis1)
      .set_default(0)
      .describe(
          "The first axis of the sub-arrays of interest. Ignored when the input is a 1-D "
          "array.");
  d.field("axis2", &DiagParam::axis2)
      .set_default(1)
      .describe(
          "The second axis of the sub-arrays of interest. Ignored when the input is a 1-D "
          "array.");
}

// ---- registrations ---------------------------------------------------------------------------

LOOM_REGISTER_OP(Flatten)
    .describe("Flattens the input array into a 2-D array by collapsing the higher dimensions.")
    .set_infer_shape(infer_flatten)
    .set_inplace({{0, 0}}, true)
    .set_gradient([](const NodePtr& n, const Grads& og) {
      return Grads{reshape_grad_like(n, og[0])};
    })
    .alias("flatten");

LOOM_REGISTER_OP(Reshape)
    .describe(
        "Reshapes the input array; special codes 0, -1, -2, -3, -4 copy, infer, keep, "
        "merge and split dimensions.")
    .set_params<ReshapeParam>()
    .set_infer_shape(infer_reshape)
    .set_inplace({{0, 0}}, true)
    .set_gradient([](const NodePtr& n, const Grads& og) {
      return Grads{reshape_grad_like(n, og[0])};
    })
    .alias("reshape");

LOOM_REGISTER_OP(reshape_like)
    .describe(
        "Reshapes some or all dimensions of lhs to the shape of some or all dimensions of "
        "rhs.")
    .set_params<ReshapeLikeParam>()
    .set_input_names({"lhs", "rhs"})
    .set_infer_shape(infer_reshape_like)
    .set_infer_type(infer_type_like_lhs)
    .set_inplace({{0, 0}}, true)
    .set_gradient([](const NodePtr& n, const Grads& og) {
      return Grads{reshape_grad_like(n, og[0]), NodeEntry{}};
    });

LOOM_REGISTER_OP(transpose)
    .describe("Permutes the dimensions of an array (reverses them by default).")
    .set_params<TransposeParam>()
    .set_infer_shape(infer_transpose)
    .set_gradient([](const NodePtr& n, const Grads& og) {
      const auto& p = n->attrs.get<TransposeParam>();
      AttrDict dict;
      if (p.axes.ndim() > 0) {
        auto axes = transpose_axes(p, p.axes.ndim());
        std::vector<int> inverse(axes.size());
        for (size_t i = 0; i < axes.size(); ++i) inverse[axes[i]] = static_cast<int>(i);
        dict["axes"] = tuple_text(inverse);
      }
      return Grads{make_entry("transpose", n->name() + "_backward", {og[0]}, dict)};
    });

LOOM_REGISTER_OP(expand_dims)
    .describe("Inserts a new axis of size 1 into the array shape.")
    .set_params<ExpandDimsParam>()
    .set_infer_shape(infer_expand_dims)
    .set_inplace({{0, 0}}, true)
    .set_gradient([](const NodePtr& n, const Grads& og) {
      return Grads{reshape_grad_like(n, og[0])};
    });

LOOM_REGISTER_OP(squeeze)
    .describe("Removes single-dimensional entries from the shape of an array.")
    .set_params<SqueezeParam>()
    .set_infer_shape(infer_squeeze)
    .set_inplace({{0, 0}}, true)
    .set_gradient([](const NodePtr& n, const Grads& og) {
      return Grads{reshape_grad_like(n, og[0])};
    });

LOOM_REGISTER_OP(SwapAxis)
    .describe("Interchanges two axes of an array.")
    .set_params<SwapAxisParam>()
    .set_infer_shape(infer_swap_axis)
    .set_gradient([](const NodePtr& n, const Grads& og) {
      return Grads{make_entry("SwapAxis", n->name() + "_backward", {og[0]}, n->attrs.dict)};
    })
    .alias("swapaxes");

LOOM_REGISTER_OP(slice)
    .describe("Slices a region of the array (begin/end/step per axis, None for the default).")
    .set_params<SliceParam>()
    .set_infer_shape(infer_slice)
    .set_gradient(layout_grad)
    .alias("crop");

LOOM_REGISTER_OP(slice_axis)
    .describe("Slices along a given axis.")
    .set_params<SliceAxisParam>()
    .set_infer_shape(infer_slice_axis)
    .set_gradient(layout_grad);

LOOM_REGISTER_OP(slice_like)
    .describe("Slices the first input to the shape of the second on the given axes.")
    .set_params<SliceLikeParam>()
    .set_input_names({"data", "shape_like"})
    .set_infer_shape(infer_slice_like)
    .set_infer_type(infer_type_like_lhs)
    .set_gradient(layout_grad);

LOOM_REGISTER_OP(reverse)
    .describe("Reverses the order of elements along the given axes, keeping the shape.")
    .set_params<ReverseParam>()
    .set_infer_shape(infer_reverse)
    .set_gradient([](const NodePtr& n, const Grads& og) {
      return Grads{make_entry("reverse", n->name() + "_backward", {og[0]}, n->attrs.dict)};
    })
    .alias("flip");

LOOM_REGISTER_OP(repeat)
    .describe("Repeats each element of an array (along an axis, or over the flattened array).")
    .set_params<RepeatParam>()
    .set_infer_shape(infer_repeat)
    .set_gradient(layout_grad);

LOOM_REGISTER_OP(tile)
    .describe("Repeats the whole array multiple times.")
    .set_params<TileParam>()
    .set_infer_shape(infer_tile)
    .set_gradient(layout_grad);

LOOM_REGISTER_OP(Pad)
    .describe("Pads a 4-D or 5-D array along its spatial axes (constant, edge or reflect).")
    .set_params<PadParam>()
    .set_infer_shape(infer_pad)
    .alias("pad");

LOOM_REGISTER_OP(broadcast_to)
    .describe("Broadcasts the input array to a new shape (0 keeps a dimension).")
    .set_params<BroadcastToParam>()
    .set_infer_shape(infer_broadcast_to)
    .set_gradient(broadcast_grad);

LOOM_REGISTER_OP(broadcast_like)
    .describe("Broadcasts lhs to the shape of rhs (or on the given axes).")
    .set_params<BroadcastLikeParam>()
    .set_input_names({"lhs", "rhs"})
    .set_infer_shape(infer_broadcast_like)
    .set_infer_type(infer_type_like_lhs)
    .set_gradient(broadcast_grad);

LOOM_REGISTER_OP(broadcast_axis)
    .describe("Broadcasts the input array over the given size-1 axes.")
    .set_params<BroadcastAxesParam>()
    .set_infer_shape(infer_broadcast_axis)
    .set_gradient(broadcast_grad)
    .alias("broadcast_axes");

LOOM_REGISTER_OP(depth_to_space)
    .describe("Rearranges depth (channel) blocks into spatial blocks of a 4-D NCHW array.")
    .set_params<DepthToSpaceParam>()
    .set_infer_shape(infer_depth_to_space);

LOOM_REGISTER_OP(space_to_depth)
    .describe("Rearranges spatial blocks into the depth (channel) dimension of a 4-D NCHW array.")
    .set_params<DepthToSpaceParam>()
    .set_infer_shape(infer_space_to_depth);

LOOM_REGISTER_OP(diag)
    .describe("Extracts a diagonal or constructs a diagonal array.")
    .set_params<DiagParam>()
    .set_infer_shape(infer_diag);

static struct LayoutBackwardRegistrations {
  LayoutBackwardRegistrations() {
    register_layout_backward<SliceParam>("slice");
    register_layout_backward<SliceAxisParam>("slice_axis");
    register_layout_backward<SliceLikeParam>("slice_like", true);
    register_layout_backward<TileParam>("tile");
    register_layout_backward<RepeatParam>("repeat");
  }
} const layout_backward_registrations;

LOOM_REGISTER_OP(shape_array)
    .describe("Returns a 1-D int64 array holding the shape of the input.")
    .set_infer_shape([](const Attrs&, ShapeVec* in, ShapeVec* out) {
      if ((*in)[0].ndim_known()) assign_shape(&(*out)[0], Shape({(*in)[0].ndim()}));
    })
    .set_infer_type(infer_int64_out)
    .set_gradient(zero_grads);

LOOM_REGISTER_OP(size_array)
    .describe("Returns a 1-element int64 array holding the number of elements of the input.")
    .set_infer_shape([](const Attrs&, ShapeVec*, ShapeVec* out) {
      assign_shape(&(*out)[0], Shape({1}));
    })
    .set_infer_type(infer_int64_out)
    .set_gradient(zero_grads);

}  // namespace loom
