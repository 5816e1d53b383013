#!/usr/bin/env python3
"""Writes tests/golden/conv_golden.npz: forward outputs and gradients of the convolution
family (Convolution, Deconvolution, Pooling, UpSampling) computed by MXNet 1.9.1 on CPU.

Run with the reference MXNet: /opt/mxnet-venv/bin/python tools/gen_conv_golden.py
Each case binds one operator whose inputs are variables named after the operator's inputs,
fills them from a seeded RandomState (stored in the file), runs forward(is_train=True) and
backward with a random head gradient (stored too), and records the output and every input's
gradient. Cases are float64 (MXNet's own kernels) unless marked float32 (oneDNN in the pip
build). Keys: "<i>:meta" (JSON: op, params, inputs, dtype), "<i>:in:<name>", "<i>:head",
"<i>:out", "<i>:grad:<name>".
"""
import json
import os

import numpy as np
import mxnet as mx

CASES = [
    # Convolution
    ("Convolution", dict(kernel=(3, 3), num_filter=4, pad=(1, 1)), {"data": (2, 3, 5, 5)}),
    ("Convolution", dict(kernel=(3, 2), num_filter=6, num_group=2, stride=(2, 1), dilate=(2, 1),
                         pad=(1, 0)), {"data": (2, 4, 7, 6)}),
    ("Convolution", dict(kernel=(1, 1), num_filter=5, no_bias=True), {"data": (2, 3, 4, 4)}),
    ("Convolution", dict(kernel=(3,), num_filter=4, stride=(2,), pad=(1,), dilate=(2,)),
     {"data": (2, 3, 9)}),
    ("Convolution", dict(kernel=(2, 3, 2), num_filter=4, num_group=2, stride=(1, 2, 1),
                         pad=(1, 0, 1)), {"data": (1, 2, 4, 5, 3)}),
    ("Convolution", dict(kernel=(3, 3), num_filter=8, stride=(2, 2), pad=(1, 1)),
     {"data": (2, 4, 8, 8)}, "float32"),
    # Deconvolution
    ("Deconvolution", dict(kernel=(3, 3), num_filter=4, stride=(2, 2), pad=(1, 1), no_bias=False),
     {"data": (2, 3, 3, 4)}),
    # float32 (oneDNN): MXNet's own float64 kernel misplaces taps when dilate and stride are
    # both > 1 (an input can land on two outputs); oneDNN gives the transposed convolution.
    ("Deconvolution", dict(kernel=(2, 3), num_filter=6, num_group=2, stride=(2, 3), pad=(0, 1),
                           dilate=(2, 1), adj=(1, 2)), {"data": (1, 4, 3, 3)}, "float32"),
    ("Deconvolution", dict(kernel=(4, 4), num_filter=3, stride=(2, 2), target_shape=(7, 6),
                           no_bias=False), {"data": (1, 2, 3, 3)}),
    ("Deconvolution", dict(kernel=(3,), num_filter=3, stride=(2,), pad=(1,), adj=(1,)),
     {"data": (2, 2, 5)}),
    # (MXNet 1.9.1 has no 3-D Deconvolution on CPU; the Catch2 tests cover Loom's.)
    # Pooling
    ("Pooling", dict(kernel=(2, 2), stride=(2, 2), pool_type="max"), {"data": (2, 2, 5, 6)}),
    ("Pooling", dict(kernel=(3, 3), stride=(2, 2), pad=(1, 1), pool_type="max",
                     pooling_convention="full"), {"data": (1, 2, 6, 6)}),
    ("Pooling", dict(kernel=(3, 3), stride=(2, 2), pad=(1, 1), pool_type="avg"),
     {"data": (1, 2, 5, 5)}),
    ("Pooling", dict(kernel=(3, 3), stride=(2, 2), pad=(1, 1), pool_type="avg",
                     pooling_convention="full"), {"data": (1, 2, 6, 6)}),
    ("Pooling", dict(kernel=(3, 3), stride=(2, 2), pad=(1, 1), pool_type="avg",
                     pooling_convention="full", count_include_pad=False), {"data": (1, 2, 6, 6)}),
    ("Pooling", dict(kernel=(3, 2), stride=(2, 3), pool_type="sum", pooling_convention="full"),
     {"data": (1, 2, 6, 7)}),
    ("Pooling", dict(kernel=(2, 2), stride=(1, 1), pool_type="lp", p_value=2),
     {"data": (1, 2, 4, 4)}),
    ("Pooling", dict(kernel=(3,), stride=(2,), pad=(1,), pool_type="avg"), {"data": (2, 3, 8)}),
    ("Pooling", dict(kernel=(3,), stride=(2,), pool_type="max", pooling_convention="full"),
     {"data": (1, 2, 8)}),
    ("Pooling", dict(kernel=(2, 2, 3), stride=(2, 1, 2), pad=(1, 0, 1), pool_type="avg",
                     pooling_convention="full"), {"data": (1, 2, 3, 4, 5)}),
    ("Pooling", dict(kernel=(2, 2, 2), stride=(1, 1, 1), pool_type="max"),
     {"data": (1, 2, 3, 3, 3)}),
    ("Pooling", dict(kernel=(1, 1), global_pool=True, pool_type="avg"), {"data": (2, 3, 3, 4)}),
    ("Pooling", dict(kernel=(1, 1), global_pool=True, pool_type="max"), {"data": (2, 3, 3, 4)}),
    ("Pooling", dict(kernel=(3, 3), stride=(2, 2), pool_type="max"), {"data": (2, 4, 7, 7)},
     "float32"),
    ("Pooling", dict(kernel=(3, 3), stride=(1, 1), pad=(1, 1), pool_type="avg"),
     {"data": (2, 4, 5, 5)}, "float32"),
    # UpSampling
    ("UpSampling", dict(scale=2, sample_type="nearest", num_args=1), {"arg0": (2, 3, 2, 3)}),
    ("UpSampling", dict(scale=2, sample_type="nearest", num_args=2, multi_input_mode="concat"),
     {"arg0": (1, 2, 2, 3), "arg1": (1, 3, 4, 6)}),
    ("UpSampling", dict(scale=2, sample_type="nearest", num_args=2, multi_input_mode="sum"),
     {"arg0": (1, 2, 2, 3), "arg1": (1, 2, 4, 6)}),
    ("UpSampling", dict(scale=2, sample_type="bilinear", num_filter=3, num_args=2),
     {"data": (1, 3, 3, 4)}),
    ("UpSampling", dict(scale=3, sample_type="bilinear", num_filter=2, num_args=2),
     {"data": (2, 2, 2, 3)}),
]


def input_names(op, params):
    if op in ("Convolution", "Deconvolution"):
        no_bias = params.get("no_bias", op == "Deconvolution")
        return ["data", "weight"] + ([] if no_bias else ["bias"])
    if op == "Pooling":
        return ["data"]
    if params["sample_type"] == "bilinear":
        return ["data", "weight"]
    return ["arg%d" % i for i in range(params["num_args"])]


def build(op, params, names):
    variables = [mx.sym.Variable(n) for n in names]
    fn = getattr(mx.sym, op)
    if op == "UpSampling" and params["sample_type"] == "nearest":
        return fn(*variables, name="op", **params)
    return fn(name="op", **dict(zip(names, variables)), **params)


def main():
    rng = np.random.RandomState(20261122)
    arrays = {}
    for i, case in enumerate(CASES):
        op, params, shapes = case[:3]
        dtype = case[3] if len(case) > 3 else "float64"
        names = input_names(op, params)
        sym = build(op, params, names)
        assert sym.list_arguments() == names, (sym.list_arguments(), names)
        arg_shapes, out_shapes, _ = sym.infer_shape(**shapes)
        ex = sym.simple_bind(mx.cpu(), grad_req="write", type_dict={n: dtype for n in names},
                             **dict(zip(names, arg_shapes)))
        for n, s in zip(names, arg_shapes):
            v = rng.uniform(-1, 1, size=s)
            if op == "Pooling" and params.get("pool_type") == "lp":
                v = rng.uniform(0.1, 1, size=s)
            v = v.astype(dtype)
            ex.arg_dict[n][:] = v
            arrays["%d:in:%s" % (i, n)] = v
        out = ex.forward(is_train=True)[0]
        head = rng.uniform(-1, 1, size=out.shape).astype(dtype)
        ex.backward(mx.nd.array(head, dtype=dtype))
        arrays["%d:head" % i] = head
        arrays["%d:out" % i] = out.asnumpy()
        for n in names:
            arrays["%d:grad:%s" % (i, n)] = ex.grad_dict[n].asnumpy()
        meta = dict(op=op, params={k: list(v) if isinstance(v, tuple) else v
                                   for k, v in params.items()},
                    inputs=names, shapes=[list(s) for s in arg_shapes], dtype=dtype)
        arrays["%d:meta" % i] = np.array(json.dumps(meta))
    arrays["count"] = np.array(len(CASES))
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    path = os.path.join(root, "tests", "golden", "conv_golden.npz")
    np.savez_compressed(path, **arrays)
    print("wrote", path, os.path.getsize(path), "bytes,", len(CASES), "cases")


if __name__ == "__main__":
    main()
