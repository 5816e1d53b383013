// Layout, axis and dtype helpers of the neural-network operator families.
#include "core/ops/nn_util.h"

#include "core/base/error.h"

namespace loom {

namespace {

// Position in `layout` of each axis in channel-first order: "NHWC" -> {0, 3, 1, 2}.
std::vector<int> channel_first_order(const std::string& layout) {
  static const std::vector<std::string> known = {"NCW", "NCHW", "NCDHW", "NWC", "NHWC", "NDHWC"};
  bool ok = false;
  for (const auto& k : known) ok |= k == layout;
  if (!ok) fail("Unsupported layout ", layout);
  int n = static_cast<int>(layout.size());
  std::vector<int> order(n);
  if (is_channel_first(layout)) {
    for (int i = 0; i < n; ++i) order[i] = i;
  } else {
    order[0] = 0;
    order[1] = n - 1;
    for (int i = 2; i < n; ++i) order[i] = i - 1;
  }
  return order;
}

void check_rank(const Shape& s, const std::string& layout) {
  if (s.ndim() != static_cast<int>(layout.size()))
    fail("Invalid layout ", layout, " for ", s.ndim(), "d shape ", s.str());
}

}  // namespace

std::string default_layout(int ndim) {
  switch (ndim) {
    case 3:
      return "NCW";
    case 4:
      return "NCHW";
    case 5:
      return "NCDHW";
    default:
      return "";
  }
}

bool is_channel_first(const std::string& layout) { return layout.size() > 1 && layout[1] == 'C'; }

Shape to_channel_first(const Shape& s, const std::string& layout) {
  if (!s.ndim_known()) return s;
  check_rank(s, layout);
  auto order = channel_first_order(layout);
  Shape r = Shape::unknown_of_ndim(s.ndim());
  for (int i = 0; i < s.ndim(); ++i) r[i] = s[order[i]];
  return r;
}

Shape from_channel_first(const Shape& s, const std::string& layout) {
  if (!s.ndim_known()) return s;
  check_rank(s, layout);
  auto order = channel_first_order(layout);
  Shape r = Shape::unknown_of_ndim(s.ndim());
  for (int i = 0; i < s.ndim(); ++i) r[order[i]] = s[i];
  return r;
}

int normalize_axis(int axis, int ndim, const char* param) {
  if (axis < -ndim || axis >= ndim)
    fail(param, " ", axis, " exceeds the input dimension of ", ndim);
  return axis < 0 ? axis + ndim : axis;
}

void infer_uniform_type(const std::vector<std::string>& names, TypeVec* in, TypeVec* out,
                        int free_input) {
  int t = (*in)[0] >= 0 ? (*in)[0] : (*out)[0];
  if (t < 0) return;
  for (size_t i = 0; i < in->size(); ++i) {
    int& x = (*in)[i];
    if (x < 0) {
      x = t;
    } else if (x != t && static_cast<int>(i) != free_input) {
      fail("This layer requires uniform type. Expected '", dtype_name(t), "' v.s. given '",
           dtype_name(x), "' at '", i < names.size() ? names[i] : cat("input ", i), "'");
    }
  }
  for (auto& x : *out) assign_type(&x, t, " for an output");
}

int accumulation_type(int dtype) {
  switch (dtype) {
    case kFloat16:
    case kBfloat16:
    case kFloat32:
      return kFloat32;
    case kFloat64:
      return kFloat64;
    default:
      fail("This operation only support floating point types, not ", dtype_name(dtype));
  }
}

}  // namespace loom
