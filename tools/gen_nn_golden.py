"""Generates tests/golden/nn_kernels.npz + nn_kernels.json: forward outputs, argument gradients
and updated auxiliary states of the neural-network layer operators, computed by MXNet 1.9.1
(CPU). tests/python/test_nn_kernels.py rebuilds each case through `loom as mx` and compares.

Run with the reference interpreter:  /opt/mxnet-venv/bin/python tools/gen_nn_golden.py

Each case: op name, keyword params, positional inputs (name, shape, how to fill), whether the
forward runs in training mode, and whether the backward gets head gradients (loss outputs get
none). All other arguments (gamma, weight, ...) are filled with random values that are stored
too. Random ops (Dropout in training, rrelu) are not here: their draws cannot match MXNet's.
"""
import json
import pathlib

import numpy as np
import mxnet as mx

OUT = pathlib.Path(__file__).resolve().parents[1] / 'tests' / 'golden'


def case(name, op, inputs, params=None, train=True, heads=True, aux=None, grad_req='write',
         no_grad=(), fill=None):
    return dict(name=name, op=op, inputs=inputs, params=params or {}, train=train, heads=heads,
                aux=aux or {}, grad_req=grad_req, no_grad=list(no_grad), fill=fill or {})


X4 = [['x', [2, 3, 2, 2], 'normal']]
CASES = [
    # BatchNorm
    case('bn_train_fix_gamma', 'BatchNorm', X4, {'momentum': 0.8}),
    case('bn_train', 'BatchNorm', X4, {'fix_gamma': False, 'eps': 1e-4}),
    case('bn_train_3d', 'BatchNorm', [['x', [4, 3, 2], 'normal']], {'fix_gamma': False}),
    case('bn_train_2d', 'BatchNorm', [['x', [5, 3], 'normal']], {'fix_gamma': False, 'momentum': 0.5}),
    case('bn_axis_last', 'BatchNorm', [['x', [2, 2, 3], 'normal']], {'fix_gamma': False, 'axis': -1}),
    case('bn_output_mean_var', 'BatchNorm', X4, {'fix_gamma': False, 'output_mean_var': True}),
    case('bn_eval', 'BatchNorm', X4, {'fix_gamma': False}, train=False),
    case('bn_eval_fix_gamma', 'BatchNorm', X4, {}, train=False),
    case('bn_v1_train', 'BatchNorm_v1', X4, {'fix_gamma': False, 'momentum': 0.7, 'output_mean_var': True}),
    case('bn_v1_eval_fix_gamma', 'BatchNorm_v1', X4, {}, train=False),
    case('bn_global_stats', 'BatchNorm', X4, {'fix_gamma': False, 'use_global_stats': True}),
    # SoftmaxOutput and regression outputs (no head gradient)
    case('so_plain', 'SoftmaxOutput', [['x', [4, 5], 'normal'], ['y', [4], 'label5']], heads=False,
         no_grad=['y']),
    case('so_batch_scale', 'SoftmaxOutput', [['x', [4, 5], 'normal'], ['y', [4], 'label5']],
         {'normalization': 'batch', 'grad_scale': 2.0}, heads=False, no_grad=['y']),
    case('so_ignore_valid', 'SoftmaxOutput', [['x', [4, 5], 'normal'], ['y', [4], 'label5']],
         {'use_ignore': True, 'ignore_label': 1, 'normalization': 'valid'}, heads=False,
         no_grad=['y'], fill={'y': [1, 2, 1, 4]}),
    case('so_smooth', 'SoftmaxOutput', [['x', [4, 5], 'normal'], ['y', [4], 'label5']],
         {'smooth_alpha': 0.2}, heads=False, no_grad=['y']),
    case('so_multi', 'SoftmaxOutput', [['x', [2, 3, 4], 'normal'], ['y', [2, 4], 'label3']],
         {'multi_output': True}, heads=False, no_grad=['y']),
    case('so_multi_valid', 'SoftmaxOutput', [['x', [2, 3, 2, 2], 'normal'], ['y', [2, 2, 2], 'label3']],
         {'multi_output': True, 'normalization': 'valid', 'use_ignore': True, 'ignore_label': 0},
         heads=False, no_grad=['y']),
    case('so_preserve', 'SoftmaxOutput', [['x', [2, 3, 4], 'normal'], ['y', [2, 3], 'label4']],
         {'preserve_shape': True}, heads=False, no_grad=['y']),
    case('so_prob_label', 'SoftmaxOutput', [['x', [3, 4], 'normal'], ['y', [3, 4], 'prob']],
         {'grad_scale': 0.5}, heads=False, no_grad=['y']),
    case('so_out_grad', 'SoftmaxOutput', [['x', [3, 4], 'normal'], ['y', [3], 'label4']],
         {'out_grad': True}, heads=False, no_grad=['y']),
    case('so_grad_add', 'SoftmaxOutput', [['x', [3, 4], 'normal'], ['y', [3], 'label4']],
         heads=False, grad_req='add', no_grad=['y']),
    case('linreg', 'LinearRegressionOutput', [['x', [3, 2], 'normal'], ['y', [3, 2], 'normal']],
         {'grad_scale': 0.5}, heads=False, no_grad=['y']),
    case('logreg', 'LogisticRegressionOutput', [['x', [4, 1], 'normal'], ['y', [4], 'uniform']],
         {'grad_scale': 2.0}, heads=False, no_grad=['y']),
    case('maereg', 'MAERegressionOutput', [['x', [3, 2], 'normal'], ['y', [3, 2], 'normal']],
         {'grad_scale': 3.0}, heads=False, no_grad=['y']),
    # softmax family
    case('softmax_axis1_temp', 'softmax', [['x', [2, 3, 4], 'normal']], {'axis': 1, 'temperature': 2.0}),
    case('softmax_last', 'softmax', [['x', [3, 5], 'normal']]),
    case('log_softmax', 'log_softmax', [['x', [3, 5], 'normal']], {'axis': -1}),
    case('log_softmax_axis0_temp', 'log_softmax', [['x', [3, 4], 'normal']], {'axis': 0, 'temperature': 0.5}),
    case('softmin', 'softmin', [['x', [2, 4], 'normal']]),
    case('softmax_act_instance', 'SoftmaxActivation', [['x', [2, 3, 2], 'normal']]),
    case('softmax_act_channel', 'SoftmaxActivation', [['x', [2, 3, 2, 2], 'normal']], {'mode': 'channel'}),
    # Concat / SliceChannel
    case('concat_dim1', 'Concat', [['a', [2, 2, 3], 'normal'], ['b', [2, 1, 3], 'normal'],
                                   ['c', [2, 3, 3], 'normal']], {'dim': 1}),
    case('concat_dim0', 'Concat', [['a', [1, 3], 'normal'], ['b', [2, 3], 'normal']], {'dim': 0}),
    case('split_axis1', 'SliceChannel', [['x', [2, 4, 3], 'normal']], {'num_outputs': 2}),
    case('split_squeeze', 'SliceChannel', [['x', [2, 3, 2], 'normal']],
         {'num_outputs': 2, 'axis': -1, 'squeeze_axis': True}),
    # LeakyReLU
    case('leaky', 'LeakyReLU', [['x', [3, 4], 'normal']], {'slope': 0.1}),
    case('prelu', 'LeakyReLU', [['x', [2, 3, 2], 'normal']], {'act_type': 'prelu'}),
    case('elu', 'LeakyReLU', [['x', [3, 4], 'normal']], {'act_type': 'elu', 'slope': 0.7}),
    case('selu', 'LeakyReLU', [['x', [3, 4], 'normal']], {'act_type': 'selu'}),
    case('gelu', 'LeakyReLU', [['x', [3, 4], 'normal']], {'act_type': 'gelu'}),
    case('rrelu_eval', 'LeakyReLU', [['x', [3, 4], 'normal']], {'act_type': 'rrelu'}, train=False),
    # LRN
    case('lrn', 'LRN', [['x', [2, 5, 2, 2], 'normal']], {'nsize': 3, 'alpha': 0.1, 'beta': 0.6, 'knorm': 1.5}),
    case('lrn_wide', 'LRN', [['x', [1, 4, 3, 2], 'normal']], {'nsize': 5, 'alpha': 0.5}),
    # Embedding
    case('embedding', 'Embedding', [['x', [2, 3], 'index6']], {'input_dim': 6, 'output_dim': 4},
         fill={'x': [[0, 2, 5], [2, 2, 1]]}, no_grad=['x']),
    # gradient markers
    case('blockgrad', 'BlockGrad', [['x', [2, 3], 'normal']]),
    case('make_loss', 'make_loss', [['x', [2, 3], 'normal']]),
    case('MakeLoss_valid', 'MakeLoss', [['x', [3, 4], 'normal']],
         {'normalization': 'valid', 'valid_thresh': 0.1, 'grad_scale': 2.0}, heads=False),
    case('MakeLoss_batch', 'MakeLoss', [['x', [3, 4], 'normal']], {'normalization': 'batch'},
         heads=False),
    case('identity', 'identity', [['x', [2, 3], 'normal']]),
    # normalisation layers
    case('instance_norm', 'InstanceNorm', [['x', [2, 3, 2, 2], 'normal']], {'eps': 0.01}),
    case('layer_norm', 'LayerNorm', [['x', [2, 3, 4], 'normal']], {'output_mean_var': True}),
    case('layer_norm_axis1', 'LayerNorm', [['x', [2, 3, 2], 'normal']], {'axis': 1, 'eps': 0.1}),
    case('l2norm_instance', 'L2Normalization', [['x', [2, 3, 2], 'normal']]),
    case('l2norm_channel', 'L2Normalization', [['x', [2, 3, 2], 'normal']], {'mode': 'channel'}),
    case('l2norm_spatial', 'L2Normalization', [['x', [2, 3, 2, 2], 'normal']],
         {'mode': 'spatial', 'eps': 0.1}),
    case('dropout_eval', 'Dropout', [['x', [3, 4], 'normal']], {'p': 0.5}, train=False),
]


def fill_value(kind, shape, rng):
    if kind == 'normal':
        return rng.standard_normal(shape)
    if kind == 'uniform':
        return rng.uniform(0, 1, shape)
    if kind.startswith('label') or kind.startswith('index'):
        return rng.integers(0, int(kind[5:]), shape).astype(np.float64)
    if kind == 'prob':
        p = rng.uniform(0.1, 1, shape)
        return p / p.sum(axis=-1, keepdims=True)
    raise ValueError(kind)


def run(c, rng, store):
    variables = [mx.sym.Variable(n) for n, _, _ in c['inputs']]
    sym = getattr(mx.sym, c['op'])(*variables, name='op', **c['params'])
    shapes = {n: tuple(s) for n, s, _ in c['inputs']}
    req = {n: ('null' if n in c['no_grad'] else c['grad_req']) for n in sym.list_arguments()}
    ex = sym.simple_bind(mx.cpu(), grad_req=req, type_dict={n: 'float32' for n in shapes}, **shapes)
    key = c['name'] + '/'
    for n, _, kind in c['inputs']:
        v = np.array(c['fill'][n], dtype=np.float64) if n in c['fill'] else fill_value(kind, shapes[n], rng)
        ex.arg_dict[n][:] = v
    for n, a in ex.arg_dict.items():
        if n not in shapes:
            a[:] = rng.uniform(0.5, 1.5, a.shape) if 'gamma' in n else rng.standard_normal(a.shape)
    for n, a in ex.aux_dict.items():
        a[:] = rng.uniform(0.5, 1.5, a.shape) if 'var' in n else rng.standard_normal(a.shape) * 0.3
    for n, a in ex.arg_dict.items():
        store[key + 'arg:' + n] = a.asnumpy()
    for n, a in ex.aux_dict.items():
        store[key + 'aux:' + n] = a.asnumpy()
    for n, a in ex.grad_dict.items():
        if a is not None and c['grad_req'] == 'add':
            a[:] = 0.25  # what the arrays held before: 'add' accumulates onto it
    outs = ex.forward(is_train=c['train'])
    for i, o in enumerate(outs):
        store[key + 'out%d' % i] = o.asnumpy()
    if c['heads']:
        heads = [mx.nd.array(rng.standard_normal(o.shape)) for o in outs]
        for i, h in enumerate(heads):
            store[key + 'head%d' % i] = h.asnumpy()
        ex.backward(heads)
    else:
        ex.backward()
    for n, a in ex.grad_dict.items():
        if a is not None and n not in c['no_grad']:
            store[key + 'grad:' + n] = a.asnumpy()
    for n, a in ex.aux_dict.items():
        store[key + 'aux_after:' + n] = a.asnumpy()
    # the argument arrays after the run (BatchNorm with fix_gamma writes 1 into gamma)
    for n, a in ex.arg_dict.items():
        store[key + 'arg_after:' + n] = a.asnumpy()


def main():
    rng = np.random.default_rng(20261122)
    store = {}
    for c in CASES:
        run(c, rng, store)
    store = {k: v.astype(np.float32) for k, v in store.items()}
    np.savez_compressed(OUT / 'nn_kernels.npz', **store)
    (OUT / 'nn_kernels.json').write_text(json.dumps(CASES, indent=1) + '\n')
    print('wrote', len(CASES), 'cases,', len(store), 'arrays')


if __name__ == '__main__':
    main()
