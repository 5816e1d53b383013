// Array-creating ops with no inputs (_zeros, _ones, _full, _arange, _eye, _linspace, and the
// random draws _random_uniform and _random_normal) and _histogram. Their output dtype comes from
// the dtype parameter; in legacy shape semantics a 0 in `shape` is an unknown dim that a consumer
// fills in, which is how RNN begin states
// `_zeros(shape=(0, H))` learn the batch size from the ops they feed.
#include "core/ops/init_ops.h"

#include <cmath>

#include "core/ops/op_util.h"

namespace loom {

namespace {

const std::vector<std::string> kInitDTypes = {"bfloat16", "bool",  "float16", "float32", "float64",
                                              "int32",    "int64", "int8",    "uint8"};
const std::vector<std::string> kRangeDTypes = {"bfloat16", "float16", "float32", "float64",
                                               "int32",    "int64",   "int8",    "uint8"};
const std::vector<std::string> kEyeDTypes = {"float16", "float32", "float64", "int32",
                                             "int64",   "int8",    "uint8"};
const char* kCtxDoc =
    "Context of output, in format [cpu|gpu|cpu_pinned](n).Only used for imperative calls.";

template <class P>
void set_dtype_from_param(const Attrs& a, TypeVec*, TypeVec* out) {
  assign_type(&(*out)[0], dtype_from_name(a.get<P>().dtype), " for the output (dtype)");
}

template <class P>
void infer_init_shape(const Attrs& a, ShapeVec*, ShapeVec* out) {
  assign_shape(&(*out)[0], init_op_shape(a.get<P>().shape));
}

void infer_histogram(const Attrs& a, ShapeVec* in, ShapeVec* out) {
  const auto& p = a.get<HistogramParam>();
  if (p.bin_cnt.has_value() != p.range.bounds.has_value())
    fail("_histogram: bin_cnt and range must be given both or neither");
  if (p.bin_cnt) {
    if (*p.bin_cnt < 1) fail("_histogram: bin_cnt=", *p.bin_cnt, " must be at least 1");
    if (p.range.bounds->size() != 2)
      fail("_histogram: range must have two entries (lower, upper), got ",
           ParamTraits<HistogramRange>::show(p.range));
    assign_shape(&(*out)[0], Shape({*p.bin_cnt}));
    assign_shape(&(*out)[1], Shape({*p.bin_cnt + 1}));
    return;
  }
  Shape& bins = (*in)[1];
  assign_shape(&bins, (*out)[1]);
  if (!bins.ndim_known()) return;
  if (bins.ndim() != 1) fail("_histogram: bins must be a 1-D array, got ", bins.str());
  if (bins[0] >= 0 && bins[0] < 2)
    fail("_histogram: bins ", bins.str(), " must hold at least two edges");
  assign_shape(&(*out)[0], Shape({bins[0] < 0 ? -1 : bins[0] - 1}));
  assign_shape(&(*out)[1], bins);
}

}  // namespace

Shape init_op_shape(const Shape& param_shape) {
  if (!param_shape.ndim_known() || param_shape.ndim() == 0) return Shape();
  Shape s = param_shape;
  for (int i = 0; i < s.ndim(); ++i)
    if (s[i] <= 0) s[i] = -1;  // legacy: 0 is unknown
  return s;
}

std::pair<double, double> arange_bounds(const RangeParam& p) {
  if (p.step == 0) fail("_arange: step=0 is not supported");
  if (p.repeat < 1) fail("_arange: repeat=", p.repeat, " must be positive");
  double start = p.start, stop = p.stop ? *p.stop : p.start;
  if (!p.stop && !p.infer_range) start = 0;  // arange(n) = [0, n)
  if (p.stop || !p.infer_range) {
    bool ok = p.step > 0 ? start < stop : start > stop;
    if (!ok)
      fail("_arange: invalid range (start, stop, step) = (", format_float(start), ", ",
           format_float(stop), ", ", format_float(p.step), "): it is empty");
  }
  return {start, stop};
}

dim_t arange_length(const RangeParam& p) {
  auto [start, stop] = arange_bounds(p);
  if (p.infer_range && !p.stop) return -1;
  return static_cast<dim_t>(std::ceil((stop - start) / p.step)) * p.repeat;
}

HistogramRange ParamTraits<HistogramRange>::parse(const std::string& s) {
  HistogramRange r;
  size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
  std::string v = b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
  if (v == "None") return r;
  if (v.size() < 2 ||
      !((v.front() == '(' && v.back() == ')') || (v.front() == '[' && v.back() == ']')))
    fail("Invalid tuple of floats '", s, "'");
  std::vector<double> bounds;
  v = v.substr(1, v.size() - 2);
  size_t pos = 0;
  while (pos < v.size()) {
    size_t comma = v.find(',', pos);
    std::string part = v.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    if (part.find_first_not_of(" \t") == std::string::npos) {
      if (comma != std::string::npos || bounds.empty()) fail("Invalid tuple of floats '", s, "'");
      break;
    }
    bounds.push_back(parse_float(part));
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  r.bounds = bounds;
  return r;
}

std::string ParamTraits<HistogramRange>::show(const HistogramRange& v) {
  if (!v.bounds) return "None";
  std::string s = "[";
  for (size_t i = 0; i < v.bounds->size(); ++i) s += (i ? "," : "") + format_float((*v.bounds)[i]);
  return s + "]";
}

void InitOpParam::declare(ParamDecl<InitOpParam>& d) {
  d.field("shape", &InitOpParam::shape)
      .set_default(Shape(std::vector<dim_t>{}))
      .describe("The shape of the output");
  d.field("ctx", &InitOpParam::ctx).set_default(std::string()).describe(kCtxDoc);
  d.field("dtype", &InitOpParam::dtype)
      .choices(kInitDTypes)
      .set_default(std::string("float32"))
      .describe("Target data type.");
}

void FullParam::declare(ParamDecl<FullParam>& d) {
  d.field("shape", &FullParam::shape).set_default(Shape()).describe("The shape of the output");
  d.field("ctx", &FullParam::ctx).set_default(std::string()).describe(kCtxDoc);
  d.field("dtype", &FullParam::dtype)
      .choices(kInitDTypes)
      .set_default(std::string("float32"))
      .describe("Target data type.");
  d.field("value", &FullParam::value).describe("Value with which to fill newly created tensor");
}

void RangeParam::declare(ParamDecl<RangeParam>& d) {
  using P = RangeParam;
  d.field("start", &P::start)
      .describe(
          "Start of interval. The interval includes this value. The default start value is "
          "0.");
  d.field("stop", &P::stop)
      .set_default(std::nullopt)
      .describe(
          "End of interval. The interval does not include this value, except in some cases "
          "where step is not an integer and floating point round-off affects the length of "
          "out.");
  d.field("step", &P::step).set_default(1.0).describe("Spacing between values.");
  d.field("repeat", &P::repeat)
      .set_default(1)
      .describe(
          "The repeating time of all elements. E.g repeat=3, the element a will be repeated "
          "three times --> a, a, a.");
  d.field("infer_range", &P::infer_range)
      .set_default(false)
      .describe(
          "When set to True, infer the stop position from the start, step, repeat, and "
          "output tensor size.");
  d.field("ctx", &P::ctx).set_default(std::string()).describe(kCtxDoc);
  d.field("dtype", &P::dtype)
      .choices(kRangeDTypes)
      .set_default(std::string("float32"))
      .describe("Target data type.");
}

void EyeParam::declare(ParamDecl<EyeParam>& d) {
  d.field("N", &EyeParam::N).describe("Number of rows in the output.");
  d.field("M", &EyeParam::M)
      .set_default(0)
      .describe("Number of columns in the output. If 0, defaults to N");
  d.field("k", &EyeParam::k)
      .set_default(0)
      .describe(
          "Index of the diagonal. 0 (the default) refers to the main diagonal.A positive "
          "value refers to an upper diagonal.A negative value to a lower diagonal.");
  d.field("ctx", &EyeParam::ctx).set_default(std::string()).describe(kCtxDoc);
  d.field("dtype", &EyeParam::dtype)
      .choices(kEyeDTypes)
      .set_default(std::string("float32"))
      .describe("Target data type.");
}

void LinspaceParam::declare(ParamDecl<LinspaceParam>& d) {
  d.field("start", &LinspaceParam::start).describe("The starting value of the sequence.");
  d.field("stop", &LinspaceParam::stop).describe("The ending value of the sequence");
  d.field("num", &LinspaceParam::num)
      .describe("Number of samples to generate. Must be non-negative.");
  d.field("endpoint", &LinspaceParam::endpoint)
      .set_default(true)
      .describe("If True, stop is the last sample. Otherwise, it is not included.");
  d.field("ctx", &LinspaceParam::ctx).set_default(std::string()).describe(kCtxDoc);
  d.field("dtype", &LinspaceParam::dtype)
      .choices(kRangeDTypes)
      .set_default(std::string("float32"))
      .describe("Target data type.");
}

namespace {

const std::vector<std::string> kRandomDTypes = {"None", "float16", "float32", "float64"};
const char* kRandomDTypeDoc =
    "DType of the output in case this can't be inferred. Defaults to float32 if not defined "
    "(dtype=None).";

template <class P>
void infer_random_type(const Attrs& a, TypeVec*, TypeVec* out) {
  const auto& dtype = a.get<P>().dtype;
  if (dtype)
    assign_type(&(*out)[0], dtype_from_name(*dtype), " for the output (dtype)");
  else if ((*out)[0] < 0)
    (*out)[0] = kFloat32;
}

// The fields every random draw has after its distribution's: shape, ctx, dtype.
template <class P>
void declare_random_common(ParamDecl<P>& d) {
  d.field("shape", &P::shape).set_default(Shape()).describe("Shape of the output.");
  d.field("ctx", &P::ctx).set_default(std::string()).describe(kCtxDoc);
  d.field("dtype", &P::dtype)
      .choices(kRandomDTypes)
      .set_default(std::nullopt)
      .describe(kRandomDTypeDoc);
}

template <class P>
void register_random(const char* name, const char* doc, const char* alias1, const char* alias2) {
  OpRegistry::get()
      .add(name)
      .describe(doc)
      .set_params<P>()
      .set_input_names({})
      .set_infer_shape(infer_init_shape<P>)
      .set_infer_type(infer_random_type<P>)
      .alias(alias1)
      .alias(alias2);
}

}  // namespace

void RandomUniformParam::declare(ParamDecl<RandomUniformParam>& d) {
  using P = RandomUniformParam;
  d.field("low", &P::low).set_default(0.0).describe("Lower bound of the distribution.");
  d.field("high", &P::high).set_default(1.0).describe("Upper bound of the distribution.");
  declare_random_common(d);
}

void RandomNormalParam::declare(ParamDecl<RandomNormalParam>& d) {
  using P = RandomNormalParam;
  d.field("loc", &P::loc).set_default(0.0).describe("Mean of the distribution.");
  d.field("scale", &P::scale).set_default(1.0).describe("Standard deviation of the distribution.");
  declare_random_common(d);
}

static struct RandomRegistrations {
  RandomRegistrations() {
    register_random<RandomUniformParam>("_random_uniform",
                                        "Draws samples from a uniform distribution on [low, high).",
                                        "uniform", "random_uniform");
    register_random<RandomNormalParam>("_random_normal",
                                       "Draws samples from a normal (Gaussian) distribution.",
                                       "normal", "random_normal");
  }
} const random_registrations;

void HistogramParam::declare(ParamDecl<HistogramParam>& d) {
  d.field("bin_cnt", &HistogramParam::bin_cnt)
      .set_default(std::nullopt)
      .describe("Number of bins for uniform case");
  d.field("range", &HistogramParam::range)
      .set_default(HistogramRange{})
      .describe(
          "The lower and upper range of the bins. if not provided, range is simply "
          "(a.min(), a.max()). values outside the range are ignored. the first element of "
          "the range must be less than or equal to the second. range affects the automatic "
          "bin computation as well. while bin width is computed to be optimal based on the "
          "actual data within range, the bin count will fill the entire range including "
          "portions containing no data.");
}

LOOM_REGISTER_OP(_zeros)
    .describe("Fills a new array with zeros.")
    .set_params<InitOpParam>()
    .set_input_names({})
    .set_infer_shape(infer_init_shape<InitOpParam>)
    .set_infer_type(set_dtype_from_param<InitOpParam>);

LOOM_REGISTER_OP(_ones)
    .describe("Fills a new array with ones.")
    .set_params<InitOpParam>()
    .set_input_names({})
    .set_infer_shape(infer_init_shape<InitOpParam>)
    .set_infer_type(set_dtype_from_param<InitOpParam>);

LOOM_REGISTER_OP(_full)
    .describe("Fills a new array with a given value.")
    .set_params<FullParam>()
    .set_input_names({})
    .set_infer_shape(infer_init_shape<FullParam>)
    .set_infer_type(set_dtype_from_param<FullParam>);

LOOM_REGISTER_OP(_arange)
    .describe("Returns evenly spaced values within a given interval.")
    .set_params<RangeParam>()
    .set_input_names({})
    .set_infer_shape([](const Attrs& a, ShapeVec*, ShapeVec* out) {
      dim_t n = arange_length(a.get<RangeParam>());
      if (n >= 0) assign_shape(&(*out)[0], Shape({n}));
    })
    .set_infer_type(set_dtype_from_param<RangeParam>);

LOOM_REGISTER_OP(_eye)
    .describe("Returns a 2-D array with ones on the k-th diagonal and zeros elsewhere.")
    .set_params<EyeParam>()
    .set_input_names({})
    .set_infer_shape([](const Attrs& a, ShapeVec*, ShapeVec* out) {
      const auto& p = a.get<EyeParam>();
      if (p.N < 0 || p.M < 0) fail("_eye: N=", p.N, " and M=", p.M, " must be non-negative");
      assign_shape(&(*out)[0], Shape({p.N, p.M > 0 ? p.M : p.N}));
    })
    .set_infer_type(set_dtype_from_param<EyeParam>);

LOOM_REGISTER_OP(_linspace)
    .describe("Returns num evenly spaced samples over [start, stop].")
    .set_params<LinspaceParam>()
    .set_input_names({})
    .set_infer_shape([](const Attrs& a, ShapeVec*, ShapeVec* out) {
      int num = a.get<LinspaceParam>().num;
      if (num < 0) fail("_linspace: num=", num, " must be non-negative");
      assign_shape(&(*out)[0], Shape({num}));
    })
    .set_infer_type(set_dtype_from_param<LinspaceParam>);

LOOM_REGISTER_OP(_histogram)
    .describe("Counts the input's values in bins given by bin_cnt and range, or by a bins input.")
    .set_params<HistogramParam>()
    .set_num_inputs_fn([](const Attrs& a) { return a.get<HistogramParam>().bin_cnt ? 1 : 2; })
    .set_input_names_fn({"data", "bins"},
                        [](const Attrs& a) {
                          return a.get<HistogramParam>().bin_cnt
                                     ? std::vector<std::string>{"data"}
                                     : std::vector<std::string>{"data", "bins"};
                        })
    .set_num_outputs(2)
    .set_infer_shape(infer_histogram)
    .set_infer_type([](const Attrs&, TypeVec* in, TypeVec* out) {
      assign_type(&(*out)[0], kInt64, " for output 0 (counts)");
      assign_type(&(*out)[1], (*in)[0], " for output 1 (bin edges)");
      assign_type(&(*in)[0], (*out)[1], " for input 0");
    });

}  // namespace loom
