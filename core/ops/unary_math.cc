// Element-wise unary math (abs, exp, sin, relu, ...), the parameterised element-wise ops
// hard_sigmoid, clip and smooth_l1, and ones_like. All keep the input's shape and dtype (MXNet
// 1.x does not promote integers to floats here). Gradients are written with other registered
// forward ops; rounding ops have zero gradient, and gamma/gammaln have none because their
// derivative needs a digamma op that MXNet 1.9.1 does not register.
#include "core/ops/unary_math.h"

#include <cmath>

#include "core/ops/elemwise.h"
#include "core/ops/grad_builder.h"
#include "core/ops/op_util.h"

namespace loom {

void HardSigmoidParam::declare(ParamDecl<HardSigmoidParam>& d) {
  d.field("alpha", &HardSigmoidParam::alpha)
      .set_default(0.2f)
      .describe("Slope of the linear piece.");
  d.field("beta", &HardSigmoidParam::beta)
      .set_default(0.5f)
      .describe("Value of the linear piece at 0.");
}

void ClipParam::declare(ParamDecl<ClipParam>& d) {
  d.field("a_min", &ClipParam::a_min).describe("Lower bound of the result.");
  d.field("a_max", &ClipParam::a_max).describe("Upper bound of the result.");
}

namespace {

using Grads = std::vector<NodeEntry>;
// The input's gradient given the output gradient `og`.
using DataGrad = NodeEntry (*)(GradBuilder& b, const NodeEntry& og);

const double kPi = 3.14159265358979323846;

Op& unary(const char* name, const char* doc) {
  return OpRegistry::get()
      .add(name)
      .describe(doc)
      .set_infer_shape(infer_same_shape)
      .set_inplace({{0, 0}});
}

Op& unary(const char* name, const char* doc, DataGrad grad) {
  return unary(name, doc).set_gradient([grad](const NodePtr& n, const Grads& og) {
    GradBuilder b(n);
    return Grads{grad(b, og[0])};
  });
}

Op& piecewise_constant(const char* name, const char* doc) {
  return unary(name, doc).set_gradient(zero_grads);
}

// og / sqrt(s1 * x^2 + s0), the shape shared by the inverse trigonometric derivatives.
NodeEntry over_sqrt_quadratic(GradBuilder& b, const NodeEntry& og, double s1, double s0) {
  NodeEntry x2 = b.unary("square", b.in(0));
  NodeEntry q = s1 < 0 ? b.rminus(x2, s0) : b.plus(x2, s0);
  return b.div(og, b.unary("sqrt", q));
}

struct Registrations {
  Registrations() {
    unary("abs", "Absolute value, element-wise.",
          [](GradBuilder& b, const NodeEntry& og) { return b.mul(og, b.unary("sign", b.in(0))); });
    piecewise_constant("sign", "Sign (-1, 0 or 1), element-wise.");
    piecewise_constant("round", "Rounds half away from zero, element-wise.");
    piecewise_constant("rint", "Rounds to the nearest integer, halves to even, element-wise.");
    piecewise_constant("ceil", "Smallest integer not less than the input, element-wise.");
    piecewise_constant("floor", "Largest integer not greater than the input, element-wise.");
    piecewise_constant("trunc", "Drops the fractional part, element-wise.");
    piecewise_constant("fix", "Rounds towards zero, element-wise.");

    unary("square", "x * x, element-wise.",
          [](GradBuilder& b, const NodeEntry& og) { return b.scale(b.mul(og, b.in(0)), 2); });
    unary("sqrt", "Square root, element-wise.",
          [](GradBuilder& b, const NodeEntry& og) { return b.div(og, b.scale(b.out(), 2)); });
    unary("rsqrt", "1 / sqrt(x), element-wise.", [](GradBuilder& b, const NodeEntry& og) {
      // d x^(-1/2) = -1/2 * x^(-1/2) / x
      return b.scale(b.div(b.mul(og, b.out()), b.in(0)), -0.5);
    });
    unary("cbrt", "Cube root, element-wise.", [](GradBuilder& b, const NodeEntry& og) {
      return b.div(og, b.scale(b.unary("square", b.out()), 3));
    });
    unary("rcbrt", "1 / cbrt(x), element-wise.", [](GradBuilder& b, const NodeEntry& og) {
      return b.scale(b.div(b.mul(og, b.out()), b.in(0)), -1.0 / 3);
    });

    unary("exp", "e^x, element-wise.",
          [](GradBuilder& b, const NodeEntry& og) { return b.mul(og, b.out()); });
    unary("log", "Natural logarithm, element-wise.",
          [](GradBuilder& b, const NodeEntry& og) { return b.div(og, b.in(0)); });
    unary("log10", "Base-10 logarithm, element-wise.", [](GradBuilder& b, const NodeEntry& og) {
      return b.scalar("_div_scalar", b.div(og, b.in(0)), std::log(10.0));
    });
    unary("log2", "Base-2 logarithm, element-wise.", [](GradBuilder& b, const NodeEntry& og) {
      return b.scalar("_div_scalar", b.div(og, b.in(0)), std::log(2.0));
    });
    unary("log1p", "log(1 + x), element-wise, accurate for small x.",
          [](GradBuilder& b, const NodeEntry& og) { return b.div(og, b.plus(b.in(0), 1)); });
    unary("expm1", "exp(x) - 1, element-wise, accurate for small x.",
          [](GradBuilder& b, const NodeEntry& og) { return b.mul(og, b.plus(b.out(), 1)); });
    unary("gamma", "The gamma function, element-wise.");
    unary("gammaln", "log(|gamma(x)|), element-wise.");
    unary("erf", "The Gauss error function, element-wise.",
          [](GradBuilder& b, const NodeEntry& og) {
            // d erf(x) = 2/sqrt(pi) * exp(-x^2)
            NodeEntry e = b.unary("exp", b.unary("negative", b.unary("square", b.in(0))));
            return b.mul(og, b.scale(e, 2 / std::sqrt(kPi)));
          });
    unary("erfinv", "Inverse of the Gauss error function, element-wise.",
          [](GradBuilder& b, const NodeEntry& og) {
            // d erfinv(x) = sqrt(pi)/2 * exp(erfinv(x)^2)
            NodeEntry e = b.unary("exp", b.unary("square", b.out()));
            return b.mul(og, b.scale(e, std::sqrt(kPi) / 2));
          });

    unary("sin", "Sine (radians), element-wise.",
          [](GradBuilder& b, const NodeEntry& og) { return b.mul(og, b.unary("cos", b.in(0))); });
    unary("cos", "Cosine (radians), element-wise.", [](GradBuilder& b, const NodeEntry& og) {
      return b.unary("negative", b.mul(og, b.unary("sin", b.in(0))));
    });
    unary("tan", "Tangent (radians), element-wise.", [](GradBuilder& b, const NodeEntry& og) {
      return b.mul(og, b.plus(b.unary("square", b.out()), 1));
    });
    unary("arcsin", "Inverse sine, element-wise.",
          [](GradBuilder& b, const NodeEntry& og) { return over_sqrt_quadratic(b, og, -1, 1); });
    unary("arccos", "Inverse cosine, element-wise.", [](GradBuilder& b, const NodeEntry& og) {
      return b.unary("negative", over_sqrt_quadratic(b, og, -1, 1));
    });
    unary("arctan", "Inverse tangent, element-wise.", [](GradBuilder& b, const NodeEntry& og) {
      return b.div(og, b.plus(b.unary("square", b.in(0)), 1));
    });
    unary("sinh", "Hyperbolic sine, element-wise.",
          [](GradBuilder& b, const NodeEntry& og) { return b.mul(og, b.unary("cosh", b.in(0))); });
    unary("cosh", "Hyperbolic cosine, element-wise.",
          [](GradBuilder& b, const NodeEntry& og) { return b.mul(og, b.unary("sinh", b.in(0))); });
    unary("tanh", "Hyperbolic tangent, element-wise.", [](GradBuilder& b, const NodeEntry& og) {
      return b.mul(og, b.rminus(b.unary("square", b.out()), 1));
    });
    unary("arcsinh", "Inverse hyperbolic sine, element-wise.",
          [](GradBuilder& b, const NodeEntry& og) { return over_sqrt_quadratic(b, og, 1, 1); });
    unary("arccosh", "Inverse hyperbolic cosine, element-wise.",
          [](GradBuilder& b, const NodeEntry& og) { return over_sqrt_quadratic(b, og, 1, -1); });
    unary("arctanh", "Inverse hyperbolic tangent, element-wise.",
          [](GradBuilder& b, const NodeEntry& og) {
            return b.div(og, b.rminus(b.unary("square", b.in(0)), 1));
          });
    unary("degrees", "Radians to degrees, element-wise.",
          [](GradBuilder& b, const NodeEntry& og) { return b.scale(og, 180 / kPi); });
    unary("radians", "Degrees to radians, element-wise.",
          [](GradBuilder& b, const NodeEntry& og) { return b.scale(og, kPi / 180); });

    unary("reciprocal", "1 / x, element-wise.", [](GradBuilder& b, const NodeEntry& og) {
      return b.unary("negative", b.mul(og, b.unary("square", b.out())));
    });
    unary("negative", "-x, element-wise.",
          [](GradBuilder& b, const NodeEntry& og) { return b.scale(og, -1); });
    unary("relu", "max(x, 0), element-wise.", [](GradBuilder& b, const NodeEntry& og) {
      return b.mul(og, b.scalar("_greater_scalar", b.out(), 0));
    });
    unary("sigmoid", "1 / (1 + exp(-x)), element-wise.", [](GradBuilder& b, const NodeEntry& og) {
      return b.mul(og, b.mul(b.out(), b.rminus(b.out(), 1)));
    });
    unary("softsign", "x / (1 + |x|), element-wise.", [](GradBuilder& b, const NodeEntry& og) {
      NodeEntry d = b.plus(b.unary("abs", b.in(0)), 1);
      return b.div(og, b.unary("square", d));
    });
    piecewise_constant("logical_not", "1 where the input is 0, else 0, element-wise.");

    unary("hard_sigmoid", "max(0, min(1, alpha * x + beta)), element-wise.")
        .set_params<HardSigmoidParam>()
        .set_gradient([](const NodePtr& n, const Grads& og) {
          // alpha inside the linear piece, where the output is strictly between 0 and 1
          GradBuilder b(n);
          NodeEntry inside = b.mul(b.scalar("_greater_scalar", b.out(), 0),
                                   b.scalar("_lesser_scalar", b.out(), 1));
          double alpha = n->attrs.get<HardSigmoidParam>().alpha;
          return Grads{b.mul(og[0], b.scale(inside, alpha))};
        });
    unary("clip", "Limits the values to [a_min, a_max], element-wise.")
        .set_params<ClipParam>()
        .set_gradient([](const NodePtr& n, const Grads& og) {
          // the gradient passes where the input lies within the bounds, ends included
          GradBuilder b(n);
          const auto& p = n->attrs.get<ClipParam>();
          NodeEntry inside = b.mul(b.scalar("_greater_equal_scalar", b.in(0), p.a_min),
                                   b.scalar("_lesser_equal_scalar", b.in(0), p.a_max));
          return Grads{b.mul(og[0], inside)};
        });
    unary("smooth_l1",
          "Smooth L1 with sigma = scalar: 0.5 * (sigma * x)^2 where |x| < 1 / sigma^2, "
          "else |x| - 0.5 / sigma^2, element-wise.")
        .set_params<ScalarParam>()
        .set_gradient([](const NodePtr& n, const Grads& og) {
          GradBuilder b(n);
          double s2 = n->attrs.get<ScalarParam>().scalar;
          s2 *= s2;
          NodeEntry quadratic = b.scalar("_lesser_scalar", b.unary("abs", b.in(0)), 1 / s2);
          NodeEntry d = b.op("where", {quadratic, b.scale(b.in(0), s2), b.unary("sign", b.in(0))});
          return Grads{b.mul(og[0], d)};
        });

    OpRegistry::get()
        .add("ones_like")
        .describe("An array of ones with the input's shape and dtype.")
        .set_infer_shape(infer_same_shape)
        .set_gradient(zero_grads);
  }
} registrations;

}  // namespace

}  // namespace loom
