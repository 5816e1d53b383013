"""Helpers shared by the Python tests: numeric gradients and golden-file reading."""
import pathlib

import numpy as np

GOLDEN_DIR = pathlib.Path(__file__).resolve().parents[1] / 'golden'


def read_golden(name):
    """{array name: float64 numpy array} from a tests/golden/*.txt file (gen_mlp_golden format:
    a line 'name d0 d1 ...' followed by a line of values)."""
    lines = (GOLDEN_DIR / name).read_text().splitlines()
    result = {}
    for header, values in zip(lines[0::2], lines[1::2]):
        fields = header.split()
        shape = tuple(int(d) for d in fields[1:])
        result[fields[0]] = np.array([float(v) for v in values.split()]).reshape(shape)
    return result


def numeric_gradients(executor, head_weights, names, eps=1e-2):
    """Central-difference gradients of L = sum_i sum(out_i * head_weights[i]) with respect to
    the named arguments, evaluated in float64 from the executor's own forward outputs."""
    def loss():
        outs = executor.forward(is_train=True)
        return sum(float(np.sum(o.asnumpy().astype(np.float64) * w))
                   for o, w in zip(outs, head_weights))

    grads = {}
    for name in names:
        array = executor.arg_dict[name]
        base = array.asnumpy().astype(np.float64)
        grad = np.zeros_like(base)
        for idx in np.ndindex(*base.shape):
            probe = base.copy()
            probe[idx] = base[idx] + eps
            array[:] = probe
            plus = loss()
            probe[idx] = base[idx] - eps
            array[:] = probe
            minus = loss()
            grad[idx] = (plus - minus) / (2 * eps)
        array[:] = base
        grads[name] = grad
    return grads


def check_gradients(symbol, inputs, rtol=1e-2, atol=1e-3, eps=1e-2, seed=0):
    """Binds `symbol` with `inputs` ({name: numpy}), runs backward with random head gradients
    and compares every argument's gradient with central differences of the weighted loss."""
    import loom as mx
    rng = np.random.RandomState(seed)
    names = symbol.list_arguments()
    args = {n: mx.nd.array(inputs[n]) for n in names}
    grads = {n: mx.nd.zeros(inputs[n].shape) for n in names}
    executor = symbol.bind(mx.cpu(), args=args, args_grad=grads)
    outs = executor.forward(is_train=True)
    heads = [rng.uniform(-1, 1, o.shape) for o in outs]
    executor.backward([mx.nd.array(h) for h in heads])
    analytic = {n: grads[n].asnumpy() for n in names}
    numeric = numeric_gradients(executor, heads, names, eps)
    for name in names:
        np.testing.assert_allclose(analytic[name], numeric[name], rtol=rtol, atol=atol,
                                   err_msg='gradient of %s' % name)
    return analytic
