"""The recipe of the executor golden fixtures, shared by tools/gen_exec_golden.py (run under
MXNet 1.9.1) and tests/python/test_exec_golden.py (run under Loom).

For each network: parameters, auxiliary states, data and labels are generated from fixed seeds
(numpy's legacy RandomState, whose streams are stable across numpy versions), then one
training step is run: simple_bind with grad_req='write', forward(is_train=True), backward(),
followed by forward(is_train=False) with the updated auxiliary states. Each network runs in
float32 and in float64 (where both frameworks compute the same function to ~1e-12, so the
fixture checks semantics, not rounding). The fixture file (MXNet's
.params format, written by MXNet) holds:
  out:<output>        training forward outputs
  infer:<output>      inference forward outputs after the step
  aux:<name>          auxiliary states after the step
  grad:<name>         gradients of arguments with at most FULL_LIMIT elements
  sample:<name>       for larger gradients: SAMPLES elements at fixed flat indices ...
  stats:<name>        ... and [sum, sum of |g|, sum of g^2] in float64
"""
import zlib

import numpy as np

import model_zoo

FULL_LIMIT = 4096
DTYPES = ('float32', 'float64')
SAMPLES = 512

# name -> (builder, kwargs, data shape, number of classes)
NETWORKS = {
    'mlp': (model_zoo.mlp, {}, (4, 1, 28, 28), 10),
    'lenet': (model_zoo.lenet, {}, (4, 1, 28, 28), 10),
    'resnet18-cifar': (model_zoo.resnet_v1, {'small_input': True, 'num_classes': 10},
                       (2, 3, 32, 32), 10),
    'inception-bn-small': (model_zoo.inception_bn, {'num_classes': 10}, (2, 3, 64, 64), 10),
}


def build(mx, net):
    builder, kwargs, _, _ = NETWORKS[net]
    with mx.name.NameManager():
        return builder(mx, **kwargs)


def _rng(name, salt=0):
    return np.random.RandomState((zlib.crc32(name.encode()) + salt) % (2 ** 32))


def arg_value(name, shape):
    """Initial value of an argument: Xavier-like uniform weights, BN gamma near 1, small biases."""
    rng = _rng(name)
    if name.endswith('_gamma'):
        return rng.uniform(0.5, 1.5, shape).astype(np.float32)
    if name.endswith('_beta') or name.endswith('_bias'):
        return rng.uniform(-0.1, 0.1, shape).astype(np.float32)
    fan_in = int(np.prod(shape[1:])) if len(shape) > 1 else int(shape[0])
    scale = np.sqrt(3.0 / max(fan_in, 1))
    return rng.uniform(-scale, scale, shape).astype(np.float32)


def aux_value(name, shape):
    rng = _rng(name)
    if name.endswith('_moving_var'):
        return rng.uniform(0.5, 1.5, shape).astype(np.float32)
    return rng.uniform(-0.1, 0.1, shape).astype(np.float32)


def inputs(net):
    _, _, data_shape, classes = NETWORKS[net]
    data = np.random.RandomState(1).uniform(-1, 1, data_shape).astype(np.float32)
    label = np.random.RandomState(2).randint(0, classes, data_shape[0]).astype(np.float32)
    return {'data': data, 'softmax_label': label}


def sample_indices(name, size):
    return np.sort(_rng(name, 7).choice(size, SAMPLES, replace=False))


def fixture_name(net, dtype):
    return net if dtype == 'float32' else '%s-%s' % (net, dtype)


def run_step(mx, net, dtype='float32'):
    """Runs the recipe with the given framework, every array in `dtype` (values are generated
    in float32 and converted); returns {fixture key: numpy array}."""
    sym = build(mx, net)
    feed = inputs(net)
    exe = sym.simple_bind(mx.cpu(), grad_req='write', type_dict={'data': dtype},
                          data=feed['data'].shape, softmax_label=feed['softmax_label'].shape)
    for name, arr in exe.arg_dict.items():
        value = feed[name] if name in feed else arg_value(name, arr.shape)
        arr[:] = value
    for name, arr in exe.aux_dict.items():
        arr[:] = aux_value(name, arr.shape)
    outputs = [o.asnumpy() for o in exe.forward(is_train=True)]
    exe.backward()
    result = {}
    for name, out in zip(sym.list_outputs(), outputs):
        result['out:' + name] = out
    for name, grad in exe.grad_dict.items():
        if name in feed:
            continue
        g = grad.asnumpy()
        if g.size <= FULL_LIMIT:
            result['grad:' + name] = g
        else:
            flat = g.reshape(-1)
            result['sample:' + name] = flat[sample_indices(name, flat.size)]
            g64 = flat.astype(np.float64)
            result['stats:' + name] = np.array(
                [g64.sum(), np.abs(g64).sum(), (g64 * g64).sum()])
    for name, arr in exe.aux_dict.items():
        result['aux:' + name] = arr.asnumpy()
    for name, out in zip(sym.list_outputs(), exe.forward(is_train=False)):
        result['infer:' + name] = out.asnumpy()
    return result
