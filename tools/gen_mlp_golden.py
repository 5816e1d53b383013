#!/usr/bin/env python3
"""Writes tests/golden/mlp.txt: the reference two-layer MLP computed in float64 with numpy.

Every front end (C, Python, Scala) builds the same network, fills its arrays with the values
below, runs forward and backward and compares with this file to 1e-5.

Network: data(4,6) -> FullyConnected(num_hidden=5, name=fc1) -> Activation(relu, name=relu1)
         -> FullyConnected(num_hidden=3, name=fc2) -> SoftmaxOutput(name=softmax)
Arrays: element k (row-major) of the array with seed s is ((7*k + s) % 11 - 5) / 10.
Seeds: data 1, fc1_weight 2, fc1_bias 3, fc2_weight 4, fc2_bias 5. softmax_label = [0, 1, 2, 1].
File format: one block per array: a line "name d0 d1 ..." then one line of %.9g values.
"""
import os
import numpy as np

SHAPES = {"data": (4, 6), "fc1_weight": (5, 6), "fc1_bias": (5,), "fc2_weight": (3, 5),
          "fc2_bias": (3,)}
SEEDS = {"data": 1, "fc1_weight": 2, "fc1_bias": 3, "fc2_weight": 4, "fc2_bias": 5}
LABEL = np.array([0, 1, 2, 1])


def fill(name):
    n = int(np.prod(SHAPES[name]))
    k = np.arange(n)
    return (((7 * k + SEEDS[name]) % 11 - 5) / 10.0).reshape(SHAPES[name])


def main():
    a = {name: fill(name) for name in SHAPES}
    h1 = a["data"] @ a["fc1_weight"].T + a["fc1_bias"]
    r1 = np.maximum(h1, 0)
    h2 = r1 @ a["fc2_weight"].T + a["fc2_bias"]
    e = np.exp(h2 - h2.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    dh2 = p.copy()
    dh2[np.arange(4), LABEL] -= 1.0
    grads = {
        "fc2_weight": dh2.T @ r1,
        "fc2_bias": dh2.sum(axis=0),
    }
    dr1 = dh2 @ a["fc2_weight"]
    dh1 = dr1 * (h1 > 0)
    grads["fc1_weight"] = dh1.T @ a["data"]
    grads["fc1_bias"] = dh1.sum(axis=0)
    grads["data"] = dh1 @ a["fc1_weight"]

    out = os.path.join(os.path.dirname(__file__), "..", "tests", "golden", "mlp.txt")
    with open(out, "w") as f:
        def block(name, arr):
            f.write(name + " " + " ".join(str(d) for d in arr.shape) + "\n")
            f.write(" ".join("%.9g" % v for v in arr.ravel()) + "\n")
        block("output", p)
        for name in SHAPES:
            block("grad:" + name, grads[name])


if __name__ == "__main__":
    main()
