"""The Python Symbol API against MXNet 1.9.1: every example of the Symbol reference (seed 001)
and the behaviour of operators, fluent methods, module helpers, variables, naming, copying,
inference and gradients. Expected values were produced by the reference MXNet and pasted
below as data (MXNET, FLUENT); the tests never need MXNet."""
import copy
import pickle
import warnings

import numpy as np
import pytest

import loom as mx


@pytest.fixture(autouse=True)
def fresh_names():
    # Auto names depend on per-hint counters; each test starts from 0.
    with mx.name.NameManager():
        yield


def head(symbol):
    """(name, op, attrs, arguments, number of outputs) of a symbol's head node, from JSON."""
    import json
    graph = json.loads(symbol.tojson())
    node = graph['nodes'][graph['heads'][0][0]]
    return (symbol.name, node['op'], node.get('attrs', {}), symbol.list_arguments(),
            len(symbol.list_outputs()))


# From MXNet 1.9.1: debug strings, eval results of the seed examples, and for each operator
# expression (a, b = variables, evaluated at XS, YS) its name, op, attrs and value.
MXNET = {'bn_debug_str': 'Symbol Outputs:\n'
                 '\toutput[0]=bn(0)\n'
                 'Variable:bn_data\n'
                 'Variable:bn_gamma\n'
                 'Variable:bn_beta\n'
                 'Variable:bn_moving_mean\n'
                 'Variable:bn_moving_var\n'
                 '--------------------\n'
                 'Op:BatchNorm, Name=bn\n'
                 'Inputs:\n'
                 '\targ[0]=bn_data(0) version=0\n'
                 '\targ[1]=bn_gamma(0) version=0\n'
                 '\targ[2]=bn_beta(0) version=0\n'
                 '\targ[3]=bn_moving_mean(0) version=1\n'
                 '\targ[4]=bn_moving_var(0) version=1\n',
 'bn_json': '{\n'
            '  "nodes": [\n'
            '    {\n'
            '      "op": "null", \n'
            '      "name": "bn_data", \n'
            '      "inputs": []\n'
            '    }, \n'
            '    {\n'
            '      "op": "null", \n'
            '      "name": "bn_gamma", \n'
            '      "inputs": []\n'
            '    }, \n'
            '    {\n'
            '      "op": "null", \n'
            '      "name": "bn_beta", \n'
            '      "inputs": []\n'
            '    }, \n'
            '    {\n'
            '      "op": "null", \n'
            '      "name": "bn_moving_mean", \n'
            '      "attrs": {"__init__": "[\\"zero\\", {}]"}, \n'
            '      "inputs": []\n'
            '    }, \n'
            '    {\n'
            '      "op": "null", \n'
            '      "name": "bn_moving_var", \n'
            '      "attrs": {"__init__": "[\\"one\\", {}]"}, \n'
            '      "inputs": []\n'
            '    }, \n'
            '    {\n'
            '      "op": "BatchNorm", \n'
            '      "name": "bn", \n'
            '      "inputs": [[0, 0, 0], [1, 0, 0], [2, 0, 0], [3, 0, 1], [4, 0, 1]]\n'
            '    }\n'
            '  ], \n'
            '  "arg_nodes": [0, 1, 2, 3, 4], \n'
            '  "node_row_ptr": [0, 1, 2, 3, 4, 5, 8], \n'
            '  "heads": [[5, 0, 0]], \n'
            '  "attrs": {"mxnet_version": ["int", 10901]}\n'
            '}',
 'debug_str': 'Symbol Outputs:\n'
              '\toutput[0]=fullyconnected0(0)\n'
              'Variable:a\n'
              '--------------------\n'
              'Op:_mul_scalar, Name=_mulscalar0\n'
              'Inputs:\n'
              '\targ[0]=a(0) version=0\n'
              'Attrs:\n'
              '\tscalar=2\n'
              '--------------------\n'
              'Op:sin, Name=sin0\n'
              'Inputs:\n'
              '\targ[0]=a(0) version=0\n'
              '--------------------\n'
              'Op:elemwise_add, Name=_plus0\n'
              'Inputs:\n'
              '\targ[0]=_mulscalar0(0)\n'
              '\targ[1]=sin0(0)\n'
              'Variable:fullyconnected0_weight\n'
              'Variable:fullyconnected0_bias\n'
              '--------------------\n'
              'Op:FullyConnected, Name=fullyconnected0\n'
              'Inputs:\n'
              '\targ[0]=_plus0(0)\n'
              '\targ[1]=fullyconnected0_weight(0) version=0\n'
              '\targ[2]=fullyconnected0_bias(0) version=0\n'
              'Attrs:\n'
              '\tnum_hidden=10\n',
 'group_debug_str': 'Symbol Outputs:\n'
                    '\toutput[0]=p(0)\n'
                    '\toutput[1]=_mulscalar0(0)\n'
                    'Variable:p\n'
                    'Variable:q\n'
                    '--------------------\n'
                    'Op:_mul_scalar, Name=_mulscalar0\n'
                    'Inputs:\n'
                    '\targ[0]=q(0) version=0\n'
                    'Attrs:\n'
                    '\tscalar=2\n',
 'hypot_x4': [5.0, 6.4031243324279785, 4.4721360206604],
 'hypot_xy': [10.440306663513184, 4.4721360206604],
 'max_x4': [4.0, 5.0, 4.0, 10.0],
 'max_xy': [10.0, 4.0],
 'min_x4': [3.0, 4.0, 2.0, 4.0],
 'min_xy': [3.0, 2.0],
 'ops': {'-a': ('_mulscalar0',
                '_mul_scalar',
                {'scalar': '-1.0'},
                [[-1.5, 2.0, -3.0], [-0.25, -4.0, 0.5]]),
         '1<a': ('_greater_scalar0',
                 '_greater_scalar',
                 {'scalar': '1'},
                 [[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]),
         '1>=a': ('_lesser_equal_scalar0',
                  '_lesser_equal_scalar',
                  {'scalar': '1'},
                  [[0.0, 1.0, 0.0], [1.0, 0.0, 1.0]]),
         '2**a': ('_rpower_scalar0',
                  '_rpower_scalar',
                  {'scalar': '2'},
                  [[2.8284270763397217, 0.25, 8.0],
                   [1.1892070770263672, 16.0, 0.7071067690849304]]),
         '2*a': ('_mulscalar0',
                 '_mul_scalar',
                 {'scalar': '2'},
                 [[3.0, -4.0, 6.0], [0.5, 8.0, -1.0]]),
         '2+a': ('_plusscalar0',
                 '_plus_scalar',
                 {'scalar': '2'},
                 [[3.5, 0.0, 5.0], [2.25, 6.0, 1.5]]),
         '2-a': ('_rminusscalar0',
                 '_rminus_scalar',
                 {'scalar': '2'},
                 [[0.5, 4.0, -1.0], [1.75, -2.0, 2.5]]),
         '2/a': ('_rdivscalar0',
                 '_rdiv_scalar',
                 {'scalar': '2'},
                 [[1.3333333730697632, -1.0, 0.6666666865348816], [8.0, 0.5, -4.0]]),
         '7%b': ('_rmodscalar0',
                 '_rmod_scalar',
                 {'scalar': '7'},
                 [[1.0, 1.0, 0.0], [3.0, 0.0, 1.0]]),
         'a!=3': ('_not_equal_scalar0',
                  '_not_equal_scalar',
                  {'scalar': '3'},
                  [[1.0, 1.0, 0.0], [1.0, 1.0, 1.0]]),
         'a!=b': ('_not_equal0', '_not_equal', {}, [[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]),
         'a%2': ('_modscalar0',
                 '_mod_scalar',
                 {'scalar': '2'},
                 [[1.5, 0.0, 1.0], [0.25, 0.0, 1.5]]),
         'a%b': ('_mod0', '_mod', {}, [[1.5, 1.0, 0.0], [0.25, 0.0, 1.5]]),
         'a**2': ('_powerscalar0',
                  '_power_scalar',
                  {'scalar': '2'},
                  [[2.25, 4.0, 9.0], [0.0625, 16.0, 0.25]]),
         'a**b': ('_power0',
                  '_power',
                  {},
                  [[2.25, 8.0, 1.7320507764816284], [0.00390625, 4.0, 0.25]]),
         'a*2': ('_mulscalar0',
                 '_mul_scalar',
                 {'scalar': '2'},
                 [[3.0, -4.0, 6.0], [0.5, 8.0, -1.0]]),
         'a*b': ('_mul0', 'elemwise_mul', {}, [[3.0, -6.0, 1.5], [1.0, 4.0, -1.0]]),
         'a+2': ('_plusscalar0',
                 '_plus_scalar',
                 {'scalar': '2'},
                 [[3.5, 0.0, 5.0], [2.25, 6.0, 1.5]]),
         'a+b': ('_plus0', 'elemwise_add', {}, [[3.5, 1.0, 3.5], [4.25, 5.0, 1.5]]),
         'a-2': ('_minusscalar0',
                 '_minus_scalar',
                 {'scalar': '2'},
                 [[-0.5, -4.0, 1.0], [-1.75, 2.0, -2.5]]),
         'a-b': ('_minus0', 'elemwise_sub', {}, [[-0.5, -5.0, 2.5], [-3.75, 3.0, -2.5]]),
         'a/2': ('_divscalar0',
                 '_div_scalar',
                 {'scalar': '2'},
                 [[0.75, -1.0, 1.5], [0.125, 2.0, -0.25]]),
         'a/b': ('_div0',
                 'elemwise_div',
                 {},
                 [[0.75, -0.6666666865348816, 6.0], [0.0625, 4.0, -0.25]]),
         'a<1': ('_lesser_scalar0',
                 '_lesser_scalar',
                 {'scalar': '1'},
                 [[0.0, 1.0, 0.0], [1.0, 0.0, 1.0]]),
         'a<=1.5': ('_lesser_equal_scalar0',
                    '_lesser_equal_scalar',
                    {'scalar': '1.5'},
                    [[1.0, 1.0, 0.0], [1.0, 0.0, 1.0]]),
         'a<=b': ('_lesser_equal0', '_lesser_equal', {}, [[1.0, 1.0, 0.0], [1.0, 0.0, 1.0]]),
         'a<b': ('_lesser0', '_lesser', {}, [[1.0, 1.0, 0.0], [1.0, 0.0, 1.0]]),
         'a==3': ('_equal_scalar0',
                  '_equal_scalar',
                  {'scalar': '3'},
                  [[0.0, 0.0, 1.0], [0.0, 0.0, 0.0]]),
         'a==b': ('_equal0', '_equal', {}, [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]),
         'a>1': ('_greater_scalar0',
                 '_greater_scalar',
                 {'scalar': '1'},
                 [[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]),
         'a>=1.5': ('_greater_equal_scalar0',
                    '_greater_equal_scalar',
                    {'scalar': '1.5'},
                    [[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]),
         'a>=b': ('_greater_equal0', '_greater_equal', {}, [[0.0, 0.0, 1.0], [0.0, 1.0, 0.0]]),
         'a>b': ('_greater0', '_greater', {}, [[0.0, 0.0, 1.0], [0.0, 1.0, 0.0]]),
         'abs(a)': ('abs0', 'abs', {}, [[1.5, 2.0, 3.0], [0.25, 4.0, 0.5]])},
 'pow_3y': [9.0, 27.0],
 'pow_x2': [1.0, 4.0],
 'pow_xy': [9.0, 64.0],
 'split_debug_str': 'Symbol Outputs:\n'
                    '\toutput[0]=sp(0)\n'
                    '\toutput[1]=sp(1)\n'
                    '\toutput[2]=sp(2)\n'
                    'Variable:x\n'
                    '--------------------\n'
                    'Op:SliceChannel, Name=sp\n'
                    'Inputs:\n'
                    '\targ[0]=x(0) version=0\n'
                    'Attrs:\n'
                    '\tnum_outputs=3\n',
 'var_debug_str': 'Variable:v\n'}

XS = np.array([[1.5, -2.0, 3.0], [0.25, 4.0, -0.5]], dtype=np.float32)
YS = np.array([[2.0, 3.0, 0.5], [4.0, 1.0, 2.0]], dtype=np.float32)

# From MXNet 1.9.1: head() of each fluent method / module helper call (x, y = variables).
FLUENT = {'Cast': ('cast0', 'Cast', {'dtype': 'float16'}, ['x'], 1),
 'abs': ('abs0', 'abs', {}, ['x'], 1),
 'arange': ('_arange0',
            '_arange',
            {'dtype': 'float32',
             'infer_range': 'False',
             'repeat': '1',
             'start': '5',
             'step': '1.0',
             'stop': 'None'},
            [],
            1),
 'arange2': ('ar',
             '_arange',
             {'dtype': 'float32',
              'infer_range': 'False',
              'repeat': '1',
              'start': '1',
              'step': '2',
              'stop': '5'},
             [],
             1),
 'arange_dt': ('_arange0',
               '_arange',
               {'dtype': 'int32',
                'infer_range': 'False',
                'repeat': '1',
                'start': '0',
                'step': '1.0',
                'stop': '5'},
               [],
               1),
 'argmax': ('argmax0', 'argmax', {'axis': '1'}, ['x'], 1),
 'argmax_channel': ('argmax_channel0', 'argmax_channel', {}, ['x'], 1),
 'argmin': ('argmin0', 'argmin', {}, ['x'], 1),
 'argsort': ('argsort0', 'argsort', {}, ['x'], 1),
 'astype': ('cast0', 'Cast', {'dtype': 'float16'}, ['x'], 1),
 'astype2': ('cast0', 'Cast', {'dtype': 'int32'}, ['x'], 1),
 'broadcast_axes': ('broadcast_axes0', 'broadcast_axis', {'axis': '0', 'size': '2'}, ['x'], 1),
 'broadcast_like': ('broadcast_like0', 'broadcast_like', {}, ['x', 'y'], 1),
 'broadcast_to': ('broadcast_to0', 'broadcast_to', {'shape': '(2, 3)'}, ['x'], 1),
 'cast': ('cast0', 'Cast', {'dtype': 'float16'}, ['x'], 1),
 'ceil': ('ceil0', 'ceil', {}, ['x'], 1),
 'clip': ('clip0', 'clip', {'a_max': '1', 'a_min': '0'}, ['x'], 1),
 'contrib': ('boolean_mask0', '_contrib_boolean_mask', {}, ['x', 'y'], 1),
 'degrees': ('degrees0', 'degrees', {}, ['x'], 1),
 'depth_to_space': ('depth_to_space0', 'depth_to_space', {'block_size': '2'}, ['x'], 1),
 'diag': ('diag0', 'diag', {'k': '0'}, ['x'], 1),
 'diag1': ('diag0', 'diag', {'k': '1'}, ['x'], 1),
 'expand_dims': ('expand_dims0', 'expand_dims', {'axis': '1'}, ['x'], 1),
 'eye': ('_eye0', '_eye', {'M': '0', 'N': '3', 'dtype': 'float32', 'k': '0'}, [], 1),
 'eye2': ('_eye0', '_eye', {'M': '4', 'N': '3', 'dtype': 'int32', 'k': '1'}, [], 1),
 'fix': ('fix0', 'fix', {}, ['x'], 1),
 'flatten': ('flatten0', 'Flatten', {}, ['x'], 1),
 'flip': ('flip0', 'reverse', {'axis': '0'}, ['x'], 1),
 'floor': ('floor0', 'floor', {}, ['x'], 1),
 'full': ('_full0', '_full', {'dtype': 'float32', 'shape': '(2, 3)', 'value': '7.0'}, [], 1),
 'full_name': ('f', '_full', {'dtype': 'float32', 'shape': '(2, 3)', 'value': '7.0'}, [], 1),
 'hist': ('_histogram0', '_histogram', {'bin_cnt': '5', 'range': '(0, 1)'}, ['x'], 2),
 'hist_sym': ('_histogram0', '_histogram', {}, ['x', 'y'], 2),
 'hyp_2s': ('_hypotscalar0', '_hypot_scalar', {'scalar': '2'}, ['x'], 1),
 'hyp_s2': ('_hypotscalar0', '_hypot_scalar', {'scalar': '2'}, ['x'], 1),
 'hyp_sy': ('_hypot0', '_hypot', {}, ['x', 'y'], 1),
 'identity': ('identity0', '_copy', {}, ['x'], 1),
 'linspace': ('_linspace0',
              '_linspace',
              {'dtype': 'float32', 'endpoint': 'True', 'num': '5', 'start': '0', 'stop': '1'},
              [],
              1),
 'linspace2': ('_linspace0',
               '_linspace',
               {'dtype': 'float64', 'endpoint': 'False', 'num': '5', 'start': '0', 'stop': '1'},
               [],
               1),
 'log_sigmoid': ('ERR', 'AttributeError', "'Symbol' object has no attribute 'log_sigmoid'"),
 'log_softmax': ('log_softmax0', 'log_softmax', {}, ['x'], 1),
 'max': ('max0', 'max', {}, ['x'], 1),
 'max_2s': ('_maximumscalar0', '_maximum_scalar', {'scalar': '2'}, ['x'], 1),
 'max_s2': ('_maximumscalar0', '_maximum_scalar', {'scalar': '2'}, ['x'], 1),
 'max_sy': ('_maximum0', '_maximum', {}, ['x', 'y'], 1),
 'mean': ('mean0', 'mean', {}, ['x'], 1),
 'min': ('min0', 'min', {}, ['x'], 1),
 'min_2s': ('_minimumscalar0', '_minimum_scalar', {'scalar': '2'}, ['x'], 1),
 'min_s2': ('_minimumscalar0', '_minimum_scalar', {'scalar': '2'}, ['x'], 1),
 'min_sy': ('_minimum0', '_minimum', {}, ['x', 'y'], 1),
 'mish': ('ERR', 'AttributeError', "'Symbol' object has no attribute 'mish'"),
 'nanprod': ('nanprod0', 'nanprod', {}, ['x'], 1),
 'nansum': ('nansum0', 'nansum', {}, ['x'], 1),
 'norm': ('norm0', 'norm', {}, ['x'], 1),
 'one_hot': ('one_hot0', 'one_hot', {'depth': '3'}, ['x'], 1),
 'ones': ('_ones0', '_ones', {'dtype': 'float32', 'shape': '(2, 3)'}, [], 1),
 'ones_like': ('ones_like0', 'ones_like', {}, ['x'], 1),
 'pad': ('pad0', 'Pad', {'mode': 'constant', 'pad_width': '(0, 0, 0, 0, 1, 1, 1, 1)'}, ['x'], 1),
 'pick': ('pick0', 'pick', {}, ['x', 'y'], 1),
 'pow_2s': ('_rpowerscalar0', '_rpower_scalar', {'scalar': '3'}, ['y'], 1),
 'pow_s2': ('_powerscalar0', '_power_scalar', {'scalar': '2'}, ['x'], 1),
 'pow_sy': ('_power0', '_power', {}, ['x', 'y'], 1),
 'power_2s': ('_rpowerscalar0', '_rpower_scalar', {'scalar': '3'}, ['y'], 1),
 'prod': ('prod0', 'prod', {}, ['x'], 1),
 'rcbrt': ('rcbrt0', 'rcbrt', {}, ['x'], 1),
 'reciprocal': ('reciprocal0', 'reciprocal', {}, ['x'], 1),
 'relu': ('relu0', 'relu', {}, ['x'], 1),
 'repeat': ('repeat0', 'repeat', {'repeats': '2'}, ['x'], 1),
 'reshape': ('reshape0', 'Reshape', {'shape': '(1, 4)'}, ['x'], 1),
 'reshape_kw': ('reshape0', 'Reshape', {'shape': '(1, 4)'}, ['x'], 1),
 'reshape_like': ('reshape_like0', 'reshape_like', {}, ['x', 'y'], 1),
 'rint': ('rint0', 'rint', {}, ['x'], 1),
 'round': ('round0', 'round', {}, ['x'], 1),
 'shape_array': ('shape_array0', 'shape_array', {}, ['x'], 1),
 'sigmoid': ('sigmoid0', 'sigmoid', {}, ['x'], 1),
 'sign': ('sign0', 'sign', {}, ['x'], 1),
 'sin': ('sin0', 'sin', {}, ['x'], 1),
 'size_array': ('size_array0', 'size_array', {}, ['x'], 1),
 'slice': ('slice0', 'slice', {'begin': '(0,)', 'end': '(1,)'}, ['x'], 1),
 'slice_axis': ('slice_axis0', 'slice_axis', {'axis': '0', 'begin': '0', 'end': '1'}, ['x'], 1),
 'slice_like': ('slice_like0', 'slice_like', {}, ['x', 'y'], 1),
 'softmax': ('softmax0', 'softmax', {}, ['x'], 1),
 'softmin': ('softmin0', 'softmin', {}, ['x'], 1),
 'sort': ('sort0', 'sort', {}, ['x'], 1),
 'space_to_depth': ('space_to_depth0', 'space_to_depth', {'block_size': '2'}, ['x'], 1),
 'split': ('split0', 'SliceChannel', {'num_outputs': '2'}, ['x'], 2),
 'split_v2': ('_split_v20',
              '_split_v2',
              {'axis': '0', 'indices': '[]', 'sections': '2', 'squeeze_axis': 'False'},
              ['x'],
              2),
 'split_v2b': ('ERR', 'ValueError', 'indices_or_sections must either int or tuple of ints'),
 'splitv2': ('_split_v20',
             '_split_v2',
             {'axis': '0', 'indices': '[]', 'sections': '3', 'squeeze_axis': 'False'},
             ['x'],
             3),
 'splitv2b': ('_split_v20',
              '_split_v2',
              {'axis': '1', 'indices': '[0, 1, 3]', 'sections': '0', 'squeeze_axis': 'True'},
              ['x'],
              3),
 'square': ('square0', 'square', {}, ['x'], 1),
 'squeeze': ('squeeze0', 'squeeze', {'axis': 'None'}, ['x'], 1),
 'squeeze1': ('squeeze0', 'squeeze', {'axis': '1'}, ['x'], 1),
 'sum': ('sum0', 'sum', {}, ['x'], 1),
 'sum_axis': ('sum0', 'sum', {'axis': '1', 'keepdims': 'True'}, ['x'], 1),
 'swapaxes': ('swapaxes0', 'SwapAxis', {'dim1': '0', 'dim2': '1'}, ['x'], 1),
 'take': ('take0', 'take', {}, ['x', 'y'], 1),
 'tile': ('tile0', 'tile', {'reps': '(2,)'}, ['x'], 1),
 'topk': ('topk0', 'topk', {'k': '2'}, ['x'], 1),
 'transpose': ('transpose0', 'transpose', {}, ['x'], 1),
 'transpose2': ('transpose0', 'transpose', {'axes': '(1, 0)'}, ['x'], 1),
 'trunc': ('trunc0', 'trunc', {}, ['x'], 1),
 'zeros': ('_zeros0', '_zeros', {'dtype': 'float32', 'shape': '(2, 3)'}, [], 1),
 'zeros_attr': ('_zeros0', '_zeros', {'__a__': 'b', 'dtype': 'float32', 'shape': '(2,)'}, [], 1),
 'zeros_dt': ('_zeros0', '_zeros', {'dtype': 'int32', 'shape': '(2, 3)'}, [], 1),
 'zeros_int': ('_zeros0', '_zeros', {'dtype': 'float32', 'shape': '5'}, [], 1),
 'zeros_like': ('zeros_like0', 'zeros_like', {}, ['x'], 1)}



def fluent_cases():
    x = mx.sym.var('x')
    y = mx.sym.var('y')
    return {
        'abs': lambda: x.abs(), 'astype': lambda: x.astype('float16'),
        'astype2': lambda: x.astype(dtype='int32'),
        'reshape': lambda: x.reshape((1, 4)), 'reshape_kw': lambda: x.reshape(shape=(1, 4)),
        'reshape_like': lambda: x.reshape_like(y), 'zeros_like': lambda: x.zeros_like(),
        'ones_like': lambda: x.ones_like(),
        'broadcast_axes': lambda: x.broadcast_axes(axis=0, size=2),
        'repeat': lambda: x.repeat(repeats=2),
        'pad': lambda: x.pad(mode='constant', pad_width=(0, 0, 0, 0, 1, 1, 1, 1)),
        'swapaxes': lambda: x.swapaxes(0, 1),
        'split': lambda: x.split(num_outputs=2), 'split_v2': lambda: x.split_v2(2),
        'split_v2b': lambda: x.split_v2([1, 3], axis=1, squeeze_axis=False),
        'slice': lambda: x.slice(begin=(0,), end=(1,)),
        'slice_axis': lambda: x.slice_axis(axis=0, begin=0, end=1),
        'slice_like': lambda: x.slice_like(y), 'take': lambda: x.take(y),
        'one_hot': lambda: x.one_hot(3), 'pick': lambda: x.pick(y),
        'sort': lambda: x.sort(), 'topk': lambda: x.topk(k=2), 'argsort': lambda: x.argsort(),
        'argmax': lambda: x.argmax(axis=1), 'argmax_channel': lambda: x.argmax_channel(),
        'argmin': lambda: x.argmin(), 'clip': lambda: x.clip(0, 1),
        'sign': lambda: x.sign(), 'flatten': lambda: x.flatten(),
        'shape_array': lambda: x.shape_array(), 'size_array': lambda: x.size_array(),
        'expand_dims': lambda: x.expand_dims(1), 'broadcast_to': lambda: x.broadcast_to((2, 3)),
        'broadcast_like': lambda: x.broadcast_like(y),
        'tile': lambda: x.tile((2,)), 'transpose': lambda: x.transpose(),
        'transpose2': lambda: x.transpose(axes=(1, 0)), 'flip': lambda: x.flip(0),
        'depth_to_space': lambda: x.depth_to_space(2),
        'space_to_depth': lambda: x.space_to_depth(2), 'diag': lambda: x.diag(),
        'diag1': lambda: x.diag(1),
        'sum': lambda: x.sum(), 'sum_axis': lambda: x.sum(axis=1, keepdims=True),
        'nansum': lambda: x.nansum(), 'prod': lambda: x.prod(), 'nanprod': lambda: x.nanprod(),
        'mean': lambda: x.mean(), 'max': lambda: x.max(), 'min': lambda: x.min(),
        'norm': lambda: x.norm(), 'round': lambda: x.round(), 'rint': lambda: x.rint(),
        'fix': lambda: x.fix(), 'floor': lambda: x.floor(), 'ceil': lambda: x.ceil(),
        'trunc': lambda: x.trunc(),
        'sin': lambda: x.sin(), 'relu': lambda: x.relu(), 'sigmoid': lambda: x.sigmoid(),
        'softmax': lambda: x.softmax(), 'log_softmax': lambda: x.log_softmax(),
        'softmin': lambda: x.softmin(), 'squeeze': lambda: x.squeeze(),
        'squeeze1': lambda: x.squeeze(1),
        'rcbrt': lambda: x.rcbrt(), 'reciprocal': lambda: x.reciprocal(),
        'degrees': lambda: x.degrees(), 'square': lambda: x.square(),
        'pow_sy': lambda: mx.sym.pow(x, y), 'pow_s2': lambda: mx.sym.pow(x, 2),
        'pow_2s': lambda: mx.sym.pow(3, y), 'power_2s': lambda: mx.sym.power(3, y),
        'max_sy': lambda: mx.sym.maximum(x, y), 'max_s2': lambda: mx.sym.maximum(x, 2),
        'max_2s': lambda: mx.sym.maximum(2, x),
        'min_sy': lambda: mx.sym.minimum(x, y), 'min_s2': lambda: mx.sym.minimum(x, 2),
        'min_2s': lambda: mx.sym.minimum(2, x),
        'hyp_sy': lambda: mx.sym.hypot(x, y), 'hyp_s2': lambda: mx.sym.hypot(x, 2),
        'hyp_2s': lambda: mx.sym.hypot(2, x),
        'zeros': lambda: mx.sym.zeros((2, 3)),
        'zeros_dt': lambda: mx.sym.zeros((2, 3), dtype='int32'),
        'zeros_int': lambda: mx.sym.zeros(5),
        'ones': lambda: mx.sym.ones((2, 3)), 'full': lambda: mx.sym.full((2, 3), 7),
        'full_name': lambda: mx.sym.full((2, 3), 7, name='f'),
        'arange': lambda: mx.sym.arange(5), 'arange2': lambda: mx.sym.arange(1, 5, 2, name='ar'),
        'arange_dt': lambda: mx.sym.arange(0, 5, dtype='int32'),
        'linspace': lambda: mx.sym.linspace(0, 1, 5),
        'linspace2': lambda: mx.sym.linspace(0, 1, 5, endpoint=False, dtype='float64'),
        'eye': lambda: mx.sym.eye(3), 'eye2': lambda: mx.sym.eye(3, 4, 1, dtype='int32'),
        'hist': lambda: mx.sym.histogram(x, bins=5, range=(0, 1)),
        'hist_sym': lambda: mx.sym.histogram(x, bins=y),
        'splitv2': lambda: mx.sym.split_v2(x, 3),
        'splitv2b': lambda: mx.sym.split_v2(x, (1, 3), axis=1, squeeze_axis=True),
        'zeros_attr': lambda: mx.sym.zeros((2,), attr={'__a__': 'b'}),
        'identity': lambda: mx.sym.identity(x), 'cast': lambda: mx.sym.cast(x, dtype='float16'),
        'Cast': lambda: mx.sym.Cast(x, dtype='float16'),
        'contrib': lambda: mx.sym.contrib.boolean_mask(x, y),
    }


def registered(*names):
    ops = set(mx.base._LIB.MXListAllOpNames())
    return all(n in ops for n in names)


# ---------------------------------------------------------------- seed 001 examples
def test_group_example():
    a = mx.sym.Variable('a')
    b = mx.sym.Variable('b')
    g = mx.sym.Group([a, b])
    assert repr(g) == '<Symbol group [a, b]>'  # MXNet 1.9.1's repr (older docs: Grouped)
    assert g.list_outputs() == ['a', 'b']
    assert g.name is None
    with pytest.raises(TypeError, match='Expected a list of symbols as input'):
        mx.sym.Group(a)


def test_attr_example():
    data = mx.sym.Variable('data', attr={'mood': 'angry'})
    assert data.attr('mood') == 'angry'
    assert data.attr('nothing') is None
    assert data.list_attr() == {'mood': 'angry'}


def test_attr_dict_example():
    a = mx.sym.Variable('a', attr={'a1': 'a2'})
    b = mx.sym.Variable('b', attr={'b1': 'b2'})
    c = a + b
    assert c.attr_dict() == {'a': {'a1': 'a2'}, 'b': {'b1': 'b2'}}


def test_debug_str_example():
    a = mx.sym.Variable('a')
    b = mx.sym.sin(a)
    c = 2 * a + b
    d = mx.sym.FullyConnected(data=c, num_hidden=10)
    assert d.debug_str() == MXNET['debug_str']


@pytest.mark.parametrize('case', ['group_debug_str', 'var_debug_str'])
def test_debug_str_of_groups_and_variables(case):
    symbol = (mx.sym.Group([mx.sym.var('p'), mx.sym.var('q') * 2]) if case == 'group_debug_str'
              else mx.sym.var('v'))
    assert symbol.debug_str() == MXNET[case]


def test_debug_str_of_multi_output_and_aux_inputs():
    assert mx.sym.var('x').split(num_outputs=3, name='sp').debug_str() == \
        MXNET['split_debug_str']
    assert mx.sym.BatchNorm(name='bn').debug_str() == MXNET['bn_debug_str']


def test_eval_example():
    a = mx.sym.Variable('a')
    b = mx.sym.Variable('b')
    c = a + b
    ex = c.eval(ctx=mx.cpu(), a=mx.nd.ones([2, 3]), b=mx.nd.ones([2, 3]))
    assert isinstance(ex, list) and len(ex) == 1
    assert ex[0].shape == (2, 3)
    np.testing.assert_array_equal(ex[0].asnumpy(), np.full((2, 3), 2, np.float32))
    # ctx defaults to the current context
    np.testing.assert_array_equal(c.eval(a=mx.nd.ones([1]), b=mx.nd.ones([1]))[0].asnumpy(),
                                  [2])


def test_get_children_example():
    x = mx.sym.Variable('x')
    y = mx.sym.Variable('y')
    z = mx.sym.Variable('z')
    a = y + z
    b = x + a
    assert repr(b.get_children()) == '<Symbol group [x, _plus0]>'
    assert b.get_children().list_outputs() == ['x', '_plus0_output']
    assert b.get_children().get_children().list_outputs() == ['y', 'z']
    assert x.get_children() is None


def test_get_inputs_example():
    a = mx.sym.var('a')
    b = mx.sym.var('b')
    c = a + b
    d = c.get_inputs()
    assert d.name is None
    assert d.list_outputs() == ['a', 'b']
    bn = mx.sym.BatchNorm(name='bn')
    assert bn.get_inputs().list_outputs() == ['bn_data', 'bn_gamma', 'bn_beta',
                                              'bn_moving_mean', 'bn_moving_var']


def test_get_internals_example():
    a = mx.sym.var('a')
    b = mx.sym.var('b')
    c = a + b
    d = c.get_internals()
    assert d.name is None
    assert d.list_outputs() == ['a', 'b', '_plus0_output']


def test_infer_shape_examples():
    a = mx.sym.var('a')
    b = mx.sym.var('b')
    c = a + b
    arg_shapes, out_shapes, aux_shapes = c.infer_shape(a=(3, 3))
    assert arg_shapes == [(3, 3), (3, 3)]
    assert out_shapes == [(3, 3)]
    assert aux_shapes == []
    with pytest.warns(UserWarning) as record:
        assert c.infer_shape(a=(0, 3)) == (None, None, None)
    assert str(record[0].message) == (
        'Cannot decide shape for the following arguments (0s in shape means unknown '
        'dimensions). Consider providing them as input:\n\ta: (0, 3)\n\tb: (0, 3)')


def test_infer_shape_inconsistency_example(capsys):
    data = mx.sym.Variable('data')
    out = mx.sym.FullyConnected(data=data, name='fc1', num_hidden=1000)
    out = mx.sym.Activation(data=out, act_type='relu')
    out = mx.sym.FullyConnected(data=out, name='fc2', num_hidden=10)
    weight_shape = (1, 100)
    data_shape = (100, 100)
    with pytest.raises(mx.base.MXNetError,
                       match=r'Error in operator fc1: Shape inconsistent, '
                             r'Provided=\(1,100\), inferred shape=\(1000,100\)'):
        out.infer_shape(data=data_shape, fc1_weight=weight_shape)
    # as MXNet, the arguments of the failed call are printed
    assert capsys.readouterr().out == ('infer_shape error. Arguments:\n  data: (100, 100)\n'
                                       '  fc1_weight: (1, 100)\n')


def test_infer_shape_partial_example():
    data = mx.sym.Variable('data')
    prev = mx.sym.Variable('prev')
    fc1 = mx.sym.FullyConnected(data=data, name='fc1', num_hidden=128)
    fc2 = mx.sym.FullyConnected(data=prev, name='fc2', num_hidden=128)
    out = mx.sym.Activation(data=mx.sym.elemwise_add(fc1, fc2), act_type='relu')
    assert out.list_arguments() == ['data', 'fc1_weight', 'fc1_bias', 'prev', 'fc2_weight',
                                    'fc2_bias']
    with pytest.warns(UserWarning) as record:
        assert out.infer_shape(data=(10, 64)) == (None, None, None)
    assert str(record[0].message).endswith(
        'Consider providing them as input:\n\tprev: ()\n\tfc2_weight: ()\n\tfc2_bias: ()')
    assert out.infer_shape_partial(data=(10, 64)) == (
        [(10, 64), (128, 64), (128,), (), (), ()], [(10, 128)], [])
    assert out.infer_shape(data=(10, 64), prev=(10, 128)) == (
        [(10, 64), (128, 64), (128,), (10, 128), (128, 128), (128,)], [(10, 128)], [])


def test_infer_shape_positional_with_unknowns():
    a, b = mx.sym.var('a'), mx.sym.var('b')
    c = a + b
    assert c.infer_shape((2, 3)) == ([(2, 3), (2, 3)], [(2, 3)], [])
    assert c.infer_shape(None, (2, 3)) == ([(2, 3), (2, 3)], [(2, 3)], [])
    with pytest.raises(TypeError, match=r"Arguments need to be shapes \(tuple\), but argument "
                                        r"0 is <class 'list'>"):
        c.infer_shape([2, 3])
    with pytest.raises(ValueError, match='either by positional or kwargs way'):
        c.infer_shape((1, 2), b=(1, 2))


def test_infer_shape_unknown_keyword_names_candidates(capsys):
    c = mx.sym.var('a') + mx.sym.var('b')
    with pytest.raises(mx.base.MXNetError, match='z'):
        c.infer_shape(z=(1, 2))
    assert capsys.readouterr().out == 'infer_shape error. Arguments:\n  z: (1, 2)\n'


def test_infer_shape_warning_lists_at_most_ten():
    xs = [mx.sym.var('v%d' % i) for i in range(12)]
    s = xs[0]
    for v in xs[1:]:
        s = s + v
    with pytest.warns(UserWarning) as record:
        assert s.infer_shape() == (None, None, None)
    lines = str(record[0].message).split('\n\t')[1:]
    assert lines == ['v%d: ()' % i for i in range(10)] + ['...']


def test_infer_type_example():
    a = mx.sym.var('a')
    b = mx.sym.var('b')
    c = a + b
    arg_types, out_types, aux_types = c.infer_type(a='float32')
    assert arg_types == [np.float32, np.float32]
    assert out_types == [np.float32]
    assert aux_types == []
    assert all(t is np.float32 for t in arg_types)  # numpy type classes, as MXNet
    assert c.infer_type(a=np.dtype('int32'))[0] == [np.int32, np.int32]
    assert c.infer_type(None, 'float16')[1] == [np.float16]
    # MXNet's keyword rules: values go through numpy.dtype (None is float64), types the
    # engine lacks are left out, names numpy does not know are numpy's TypeError
    assert c.infer_type(a=None)[1] == [np.float64]
    with pytest.warns(UserWarning, match='a: None\n\tb: None'):
        assert c.infer_type(a='complex64') == (None, None, None)
    with pytest.raises(TypeError, match="data type 'foo' not understood"):
        c.infer_type(a='foo')


def test_infer_type_partial_example():
    data = mx.sym.Variable('data')
    prev = mx.sym.Variable('prev')
    casted_prev = mx.sym.cast(prev, dtype='float32')
    out = mx.sym.Activation(data=mx.sym.elemwise_add(data, casted_prev), act_type='relu')
    assert out.list_arguments() == ['data', 'prev']
    with pytest.warns(UserWarning) as record:
        assert out.infer_type(data='float32') == (None, None, None)
    assert str(record[0].message) == ('Cannot decide type for the following arguments. '
                                      'Consider providing them as input:\n\tprev: None')
    assert out.infer_type_partial(data='float32') == ([np.float32, None], [np.float32], [])
    assert out.infer_type(data='float32', prev='float16') == (
        [np.float32, np.float16], [np.float32], [])


def test_infer_type_error_prints_arguments(capsys):
    c = mx.sym.var('a') + mx.sym.var('b')
    with pytest.raises(mx.base.MXNetError):
        c.infer_type(a='float32', b='float16')
    assert capsys.readouterr().out == ('infer_type error. Arguments:\n  a: float32\n'
                                       '  b: float16\n')


def test_list_arguments_outputs_auxiliary_examples():
    a = mx.sym.var('a')
    b = mx.sym.var('b')
    c = a + b
    assert c.list_arguments() == ['a', 'b']
    assert c.list_outputs() == ['_plus0_output']
    assert c.list_auxiliary_states() == []
    data = mx.symbol.Variable('data')
    weight = mx.sym.Variable(name='fc1_weight')
    fc1 = mx.symbol.FullyConnected(data=data, weight=weight, name='fc1', num_hidden=128)
    fc2 = mx.symbol.BatchNorm(fc1, name='batchnorm0')
    assert fc2.list_auxiliary_states() == ['batchnorm0_moving_mean', 'batchnorm0_moving_var']


def test_list_inputs_example():
    bn = mx.sym.BatchNorm(name='bn')
    assert bn.list_arguments() == ['bn_data', 'bn_gamma', 'bn_beta']
    assert bn.list_auxiliary_states() == ['bn_moving_mean', 'bn_moving_var']
    assert bn.list_inputs() == ['bn_data', 'bn_gamma', 'bn_beta', 'bn_moving_mean',
                                'bn_moving_var']
    assert bn.tojson() == MXNET['bn_json']


def test_variable_examples():
    data = mx.sym.Variable('data', attr={'a': 'b'})
    assert repr(data) == '<Symbol data>'
    csr_data = mx.sym.Variable('csr_data', stype='csr')
    assert repr(csr_data) == '<Symbol csr_data>'
    assert csr_data.list_attr() == {'__storage_type__': '2'}
    row_sparse_weight = mx.sym.Variable('weight', stype='row_sparse')
    assert repr(row_sparse_weight) == '<Symbol weight>'
    assert row_sparse_weight.attr('__storage_type__') == '1'


def test_hypot_maximum_minimum_pow_examples():
    assert mx.sym.hypot(3, 4) == 5.0
    assert mx.sym.maximum(2, 3.5) == 3.5
    assert mx.sym.minimum(2, 3.5) == 2
    assert mx.sym.pow(2, 3) == 8
    assert mx.sym.power(2, 3) == 8
    x = mx.sym.Variable('x')
    y = mx.sym.Variable('y')
    cases = [
        ('hypot_x4', mx.sym.hypot(x, 4), {'x': [3, 5, 2]}),
        ('hypot_xy', mx.sym.hypot(x, y), {'x': [3, 4], 'y': [10, 2]}),
        ('max_x4', mx.sym.maximum(x, 4), {'x': [3, 5, 2, 10]}),
        ('max_xy', mx.sym.maximum(x, y), {'x': [3, 4], 'y': [10, 2]}),
        ('min_x4', mx.sym.minimum(x, 4), {'x': [3, 5, 2, 10]}),
        ('min_xy', mx.sym.minimum(x, y), {'x': [3, 4], 'y': [10, 2]}),
        ('pow_x2', mx.sym.pow(x, 2), {'x': [1, 2]}),
        ('pow_3y', mx.sym.pow(3, y), {'y': [2, 3]}),
        ('pow_xy', mx.sym.pow(x, y), {'x': [3, 4], 'y': [2, 3]}),
    ]
    for key, symbol, inputs in cases:
        out = symbol.eval(**{k: mx.nd.array(v) for k, v in inputs.items()})[0].asnumpy()
        np.testing.assert_allclose(out, MXNET[key], rtol=1e-6, err_msg=key)
    assert mx.sym.power(3, y).name.startswith('_rpowerscalar')
    with pytest.raises(TypeError, match='not supported'):
        mx.sym.maximum('a', x)
    with pytest.raises(TypeError, match='not supported'):
        mx.sym.pow(x, 'a')


# ---------------------------------------------------------------- operators
@pytest.mark.parametrize('expr', sorted(MXNET['ops']))
def test_operator_names_attrs_and_values(expr):
    a, b = mx.sym.var('a'), mx.sym.var('b')
    symbol = eval(expr.replace('a**b', 'abs(a)**b'), {'a': a, 'b': b})
    name, op, attrs, value = MXNET['ops'][expr]
    assert symbol.name == name
    got = head(symbol)
    assert got[1] == op
    assert got[2] == attrs
    inputs = {'a': mx.nd.array(XS)}
    if 'b' in symbol.list_arguments():
        inputs['b'] = mx.nd.array(YS)
    np.testing.assert_allclose(symbol.eval(**inputs)[0].asnumpy(), value, rtol=1e-5,
                               atol=1e-6)


def test_operators_reject_other_types():
    a = mx.sym.var('a')
    for fn in (lambda: a + 'x', lambda: 'x' - a, lambda: a ** 'x', lambda: 'x' ** a,
               lambda: a == 'x', lambda: a * None, lambda: [1] / a, lambda: a % 'x'):
        with pytest.raises(TypeError, match="type <class '(str|NoneType|list)'> not supported"):
            fn()


def test_numpy_scalars_work_on_either_side():
    a = mx.sym.var('a')
    s = np.float32(2.5) * a
    assert s.attr('scalar') == '2.5'
    assert (a + np.int64(3)).attr('scalar') == '3'


def test_inplace_operators_raise_as_mxnet():
    a, b = mx.sym.var('a'), mx.sym.var('b')
    with pytest.raises(mx.base.NotImplementedForSymbol) as err:
        a += 1
    assert str(err.value) == (
        'Function __iadd__ (namely operator "+=") with arguments (<class \'int\'>, '
        '<class \'int\'>) is not implemented for Symbol and only available in NDArray.')
    with pytest.raises(mx.base.NotImplementedForSymbol, match=r'__isub__ \(namely operator '
                       r'"-="\) with arguments \(<class \'loom.symbol.symbol.Symbol\'>\)'):
        a -= b
    with pytest.raises(mx.base.NotImplementedForSymbol, match='"\\*="'):
        a *= 2
    with pytest.raises(mx.base.NotImplementedForSymbol, match='"/="'):
        a /= 2
    # MXNet defines no %= or **=: Python rebinds to a new symbol
    c = a
    c %= 2
    assert c.name == '_modscalar0' and a.name == 'a'
    c **= 2
    assert c.name == '_powerscalar0'


def test_bool_raises_as_mxnet():
    with pytest.raises(mx.base.NotImplementedForSymbol) as err:
        bool(mx.sym.var('a'))
    assert str(err.value) == ('Function __bool__ (namely operator "bool") is not implemented '
                              'for Symbol and only available in NDArray.')
    assert isinstance(err.value, RuntimeError)  # MXNetError is a RuntimeError, as in MXNet


@pytest.mark.parametrize('method', ['asnumpy', 'asscalar', 'copy', 'wait_to_read',
                                    'as_in_context', 'detach', 'backward'])
def test_ndarray_only_methods_raise_as_mxnet(method):
    with pytest.raises(mx.base.NotImplementedForSymbol) as err:
        getattr(mx.sym.var('a'), method)()
    assert str(err.value) == ('Function %s is not implemented for Symbol and only available '
                              'in NDArray.' % method)


# ---------------------------------------------------------------- indexing, composition
def test_getitem_iter_len():
    x = mx.sym.var('x')
    s = x.split(num_outputs=3, name='sp')
    assert len(s) == 3
    assert s.name == 'sp'
    assert [o.list_outputs() for o in s] == [['sp_output0'], ['sp_output1'], ['sp_output2']]
    assert s['sp_output1'].list_outputs() == ['sp_output1']
    assert s[-1].list_outputs() == ['sp_output2']
    assert s[1:].list_outputs() == ['sp_output1', 'sp_output2']
    assert s[::2].list_outputs() == ['sp_output0', 'sp_output2']
    with pytest.raises(IndexError):
        s[3]
    with pytest.raises(TypeError, match='Symbol only support integer index to fetch i-th '
                                        'output'):
        s[1.5]
    with pytest.raises(ValueError, match='Cannot find output that matches name "zz"'):
        s['zz']
    with pytest.raises(ValueError, match='There are multiple outputs with name "a"'):
        mx.sym.Group([mx.sym.var('a'), mx.sym.var('a')])['a']


def test_call_composes_a_copy():
    a, b = mx.sym.var('a'), mx.sym.var('b')
    c = a + b
    d = c(a=mx.sym.var('p'), name='renamed')
    assert d.name == 'renamed'
    assert d.list_arguments() == ['p', 'b']
    assert c.list_arguments() == ['a', 'b'] and c.name == '_plus0'
    fc = mx.sym.FullyConnected(num_hidden=3, name='fc')  # auto-creates fc_data
    composed = fc(fc_data=c)
    assert composed.list_arguments() == ['a', 'b', 'fc_weight', 'fc_bias']
    with pytest.raises(mx.base.MXNetError, match='Keyword argument name data not found'):
        fc(data=c)


def test_call_errors_as_mxnet():
    a, b = mx.sym.var('a'), mx.sym.var('b')
    c = a + b
    with pytest.raises(TypeError, match='compose only accept input Symbols either as '
                                        'positional or keyword arguments, not both'):
        c(b, a=b)
    with pytest.raises(TypeError, match='Compose expect `Symbol` as arguments'):
        c(a=1)
    with pytest.raises(mx.base.MXNetError, match='General composition only support kwargs'):
        c(b)
    with pytest.raises(mx.base.MXNetError, match='Keyword argument name zz not found'):
        c(zz=b)


def test_copy_deepcopy_pickle_keep_the_graph():
    a, b = mx.sym.var('a', shape=(2,)), mx.sym.var('b')
    c = mx.sym.Group([a + b, a * 2])
    for other in (copy.copy(c), copy.deepcopy(c), pickle.loads(pickle.dumps(c)),
                  pickle.loads(pickle.dumps(c, protocol=0))):
        assert other.tojson() == c.tojson()
        assert other.handle != c.handle
    assert c.__getstate__() == {'handle': c.tojson()}


def test_tojson_save_load_with_remove_amp_cast(tmp_path):
    c = mx.sym.var('a') + 1
    assert c.tojson(remove_amp_cast=False) == c.tojson()
    path = str(tmp_path / 'c.json')
    c.save(path, remove_amp_cast=False)
    assert mx.sym.load(path).tojson() == c.tojson()
    with pytest.raises(TypeError):
        mx.sym.load(3)
    with pytest.raises(TypeError):
        mx.sym.load_json(3)


# ---------------------------------------------------------------- fluent methods, helpers
@pytest.mark.parametrize('case', sorted(FLUENT))
def test_fluent_methods_and_helpers_match_mxnet(case):
    expected = FLUENT[case]
    if case == 'contrib' and not registered('_contrib_boolean_mask'):
        pytest.xfail('_contrib_boolean_mask (a dynamic-shape op) is not registered yet')
    if expected[0] == 'ERR' and expected[1] == 'AttributeError':
        # log_sigmoid, mish: documented fluent methods newer than 1.9.1; Loom has them
        assert callable(getattr(mx.sym.Symbol, case))
        if not registered(case):
            pytest.skip('operator %s is not registered' % case)
        assert head(getattr(mx.sym.var('x'), case)()) == ('%s0' % case, case, {}, ['x'], 1)
        return
    make = fluent_cases()[case]
    if expected[0] == 'ERR':
        with pytest.raises(ValueError, match=expected[2]):
            make()
        return
    got = head(make())
    assert got == tuple(expected)


def test_every_seed_fluent_method_exists_with_docs():
    for method in ['abs', 'arccos', 'arccosh', 'arcsin', 'arcsinh', 'arctan', 'arctanh',
                   'argmax', 'argmax_channel', 'argmin', 'argsort', 'astype', 'broadcast_axes',
                   'broadcast_like', 'broadcast_to', 'cbrt', 'ceil', 'clip', 'cos', 'cosh',
                   'degrees', 'depth_to_space', 'diag', 'exp', 'expand_dims', 'expm1', 'fix',
                   'flatten', 'flip', 'floor', 'log', 'log10', 'log1p', 'log2', 'log_sigmoid',
                   'log_softmax', 'max', 'mean', 'min', 'mish', 'nanprod', 'nansum', 'norm',
                   'one_hot', 'ones_like', 'pad', 'pick', 'prod', 'radians', 'rcbrt',
                   'reciprocal', 'relu', 'repeat', 'reshape', 'reshape_like', 'rint', 'round',
                   'rsqrt', 'shape_array', 'sigmoid', 'sign', 'sin', 'sinh', 'size_array',
                   'slice', 'slice_axis', 'slice_like', 'softmax', 'softmin', 'sort',
                   'space_to_depth', 'split', 'split_v2', 'sqrt', 'square', 'squeeze', 'sum',
                   'swapaxes', 'take', 'tan', 'tanh', 'tile', 'topk', 'transpose', 'trunc',
                   'zeros_like']:
        fn = getattr(mx.sym.Symbol, method)
        assert fn.__doc__.startswith('Convenience fluent method for'), method


@pytest.mark.parametrize('method', ['exp', 'sqrt', 'tanh', 'floor', 'square', 'sigmoid'])
def test_fluent_unary_values(method):
    x = mx.sym.var('x')
    data = np.array([[0.5, 1.5], [2.0, 3.25]], dtype=np.float32)
    reference = {'exp': np.exp, 'sqrt': np.sqrt, 'tanh': np.tanh, 'floor': np.floor,
                 'square': np.square, 'sigmoid': lambda v: 1 / (1 + np.exp(-v))}[method]
    out = getattr(x, method)().eval(x=mx.nd.array(data))[0].asnumpy()
    np.testing.assert_allclose(out, reference(data), rtol=1e-5)


def test_fluent_reshape_sum_transpose_values():
    x = mx.sym.var('x')
    data = np.arange(6, dtype=np.float32).reshape(2, 3)
    ev = lambda s: s.eval(x=mx.nd.array(data))[0].asnumpy()  # noqa: E731
    np.testing.assert_array_equal(ev(x.reshape((3, 2))), data.reshape(3, 2))
    np.testing.assert_array_equal(ev(x.sum(axis=1)), data.sum(axis=1))
    np.testing.assert_array_equal(ev(x.transpose()), data.T)
    np.testing.assert_array_equal(ev(x.astype('int32')), data.astype(np.int32))
    np.testing.assert_array_equal(ev(x.expand_dims(0)), data[None])
    np.testing.assert_array_equal(ev(x.flatten()), data)
    np.testing.assert_array_equal(ev(x.clip(1, 4)), np.clip(data, 1, 4))


def test_histogram_and_split_v2_errors():
    x = mx.sym.var('x')
    with pytest.raises(ValueError, match='null range is not supported in symbol mode'):
        mx.sym.histogram(x, bins=5)
    with pytest.raises(ValueError, match='bins argument should be either an integer or an '
                                         'NDArray'):
        mx.sym.histogram(x, bins='a')
    with pytest.raises(ValueError, match='indices_or_sections must either int or tuple of '
                                         'ints'):
        mx.sym.split_v2(x, 'a')


def test_missing_operator_fails_clearly():
    from loom.symbol.register import op_function
    with pytest.raises(mx.base.MXNetError, match='_no_such_op is not registered'):
        op_function('_NoSuchOp', '_no_such_op')


# ---------------------------------------------------------------- operator functions
def test_operator_function_argument_errors_as_mxnet():
    a = mx.sym.var('a')
    with pytest.raises(AssertionError, match='Argument weight must be Symbol instances, but '
                                             'got 3'):
        mx.sym.FullyConnected(a, 3)
    with pytest.raises(TypeError, match="got multiple values for argument 'weight'"):
        mx.sym.FullyConnected(a, a, num_hidden=3, weight=a)
    with pytest.raises(mx.base.MXNetError, match='Keyword argument name foo not found'):
        mx.sym.FullyConnected(a, num_hidden=3, foo=a)
    # `out` is NDArray-only and ignored for symbols; the failed composition above used up
    # the name fullyconnected0, as in MXNet
    assert mx.sym.FullyConnected(a, num_hidden=3, out=a).list_arguments() == [
        'a', 'fullyconnected1_weight', 'fullyconnected1_bias']


def test_variadic_operator_argument_errors_as_mxnet():
    a, b = mx.sym.var('a'), mx.sym.var('b')
    with pytest.raises(AssertionError, match='Positional arguments must be Symbol instances, '
                                             'but got 3'):
        mx.sym.add_n(a, 3)
    with pytest.raises(TypeError, match='Operators with variable length input can only accept '
                                        'input Symbols either as positional or keyword'):
        mx.sym.add_n(a, b, data=a)


def test_dtype_parameters_are_normalised_as_mxnet():
    x = mx.sym.var('x')
    assert mx.sym.Cast(x, dtype=np.float16).attr('dtype') == 'float16'
    assert mx.sym.Cast(x, dtype=np.dtype('int32')).attr('dtype') == 'int32'
    assert mx.sym.Cast(x, dtype=None).attr('dtype') == 'float64'  # numpy.dtype(None)


def test_contrib_and_internal_modules():
    assert hasattr(mx.sym._internal, '_plus_scalar')
    assert not hasattr(mx.sym, '_plus_scalar')
    if registered('_contrib_boolean_mask'):
        assert hasattr(mx.sym.contrib, 'boolean_mask')
        assert not hasattr(mx.sym._internal, '_contrib_boolean_mask')


# ---------------------------------------------------------------- variables and attributes
def test_variable_stores_every_parameter_as_mxnet():
    v = mx.sym.var('v', attr={'a': 'b', 'lr_mult': '3', 'ctx_group': 'g'},
                   shape=(1, 3, 224, 224), lr_mult=2, wd_mult=0.5, dtype='float16',
                   init=mx.init.Normal(0.01), stype='csr', __foo__='bar', __num__=3)
    # MXNet 1.9.1's list_attr() of the same call
    assert v.list_attr() == {
        '__storage_type__': '2', '__init__': '["normal", {"sigma": 0.01}]',
        '__wd_mult__': '0.5', 'wd_mult': '0.5', '__shape__': '(1, 3, 224, 224)',
        '__num__': '3', '__ctx_group__': 'g', 'ctx_group': 'g', '__lr_mult__': '2',
        'lr_mult': '2', '__foo__': 'bar', '__dtype__': '2', 'a': 'b'}
    assert v.attr('lr_mult') == '2'
    assert v.attr('name') == 'v'


@pytest.mark.parametrize('kwargs, expected', [
    ({'init': 'myinit'}, {'__init__': 'myinit'}),
    ({'init': mx.init.Xavier()},
     {'__init__': '["xavier", {"rnd_type": "uniform", "factor_type": "avg", "magnitude": 3}]'}),
    ({'init': mx.init.Xavier(rnd_type='gaussian', factor_type='in', magnitude=2)},
     {'__init__': '["xavier", {"rnd_type": "gaussian", "factor_type": "in", "magnitude": 2}]'}),
    ({'init': mx.init.Uniform()}, {'__init__': '["uniform", {"scale": 0.07}]'}),
    ({'init': mx.init.Uniform(0.1)}, {'__init__': '["uniform", {"scale": 0.1}]'}),
    ({'init': mx.init.Normal()}, {'__init__': '["normal", {"sigma": 0.01}]'}),
    ({'init': mx.init.Zero()}, {'__init__': '["zero", {}]'}),
    ({'init': mx.init.One()}, {'__init__': '["one", {}]'}),
    ({'init': mx.init.Constant(3)}, {'__init__': '["constant", {"value": 3}]'}),
    ({'init': mx.init.Constant(0.5)}, {'__init__': '["constant", {"value": 0.5}]'}),
    ({'dtype': np.int32}, {'__dtype__': '4'}),
    ({'dtype': np.dtype('uint8')}, {'__dtype__': '3'}),
    ({'dtype': 'bool'}, {'__dtype__': '7'}),
    ({'dtype': 'int64'}, {'__dtype__': '6'}),
    ({'dtype': 'float64'}, {'__dtype__': '1'}),
    ({'dtype': 'int8'}, {'__dtype__': '5'}),
    ({'shape': [2, 3]}, {'__shape__': '[2, 3]'}),
    ({'shape': 5}, {'__shape__': '5'}),
    ({'lr_mult': 1}, {'__lr_mult__': '1', 'lr_mult': '1'}),
    ({'stype': 'row_sparse'}, {'__storage_type__': '1'}),
    ({'stype': 'default'}, {'__storage_type__': '0'}),
    ({'attr': {'lr_mult_x': '1'}}, {'lr_mult_x': '1'}),
])
def test_variable_attribute_forms_match_mxnet(kwargs, expected):
    assert mx.sym.var('w', **kwargs).list_attr() == expected


def test_variable_errors_as_mxnet():
    with pytest.raises(TypeError, match='Expect a string for variable `name`'):
        mx.sym.var(3)
    with pytest.raises(ValueError, match='Attribute name=foo is not supported. Additional '
                                         'attributes must start and end with double '
                                         'underscores, e.g, __yourattr__'):
        mx.sym.var('x', foo=3)
    with pytest.raises(ValueError, match='Set Attr only accepts string values'):
        mx.sym.var('w', attr={'x': 1})
    with pytest.raises(KeyError):
        mx.sym.var('w', stype='foo')
    with pytest.raises(mx.base.MXNetError, match='setting variable attributes with '
                                                 'weight_lr_mult is deprecated'):
        mx.sym.var('w', attr={'weight_lr_mult': '1'})


def test_special_attribute_keys():
    v = mx.sym.var('w')
    assert v.attr('op_name') == 'null'
    assert v.attr('_value_index') == '0'
    s = mx.sym.var('x').split(num_outputs=2)
    assert s.attr('_value_index') == '0, 1'
    assert s[1].attr('_value_index') == '1'
    assert s.attr('op_name') == 'SliceChannel'


def test_group_attributes_as_mxnet():
    g = mx.sym.Group([mx.sym.var('w', attr={'a': '1'}), mx.sym.var('x')])
    assert g.attr('name') is None
    assert g.list_attr() == {}
    assert g.attr_dict() == {'w': {'a': '1'}}


def test_list_attr_recursive_is_deprecated():
    with pytest.raises(DeprecationWarning, match='Symbol.list_attr with recursive=True has '
                                                 'been deprecated. Please use attr_dict '
                                                 'instead.'):
        mx.sym.var('a').list_attr(recursive=True)


def test_attr_scope_nesting_and_operator_attributes_as_mxnet():
    with mx.AttrScope(ctx_group='dev1', __x__='1'):
        with mx.AttrScope(__x__='2', __y__='3'):
            a = mx.sym.var('a')
            fc = mx.sym.FullyConnected(a, num_hidden=3, name='fc', attr={'__y__': '4'})
        b = mx.sym.var('b', attr={'__x__': '9'})
    assert a.list_attr() == {'__y__': '3', '__x__': '2', '__ctx_group__': 'dev1',
                             'ctx_group': 'dev1'}
    assert b.list_attr() == {'__x__': '9', '__ctx_group__': 'dev1', 'ctx_group': 'dev1'}
    layer = {'num_hidden': '3', '__y__': '4', '__x__': '2', '__ctx_group__': 'dev1',
             'ctx_group': 'dev1'}
    assert fc.attr_dict() == {'a': a.list_attr(), 'fc_weight': layer, 'fc_bias': layer,
                              'fc': layer}
    assert mx.AttrScope.current.get(None) == {}
    with pytest.raises(ValueError):
        mx.AttrScope(x=1)
    with mx.AttrScope(__a__='1'):
        assert (mx.sym.var('x') + 1).attr_dict() == {
            'x': {'__a__': '1'}, '_plusscalar0': {'scalar': '1', '__a__': '1'}}


def test_hidden_keys_in_operator_kwargs_and_attr():
    x = mx.sym.var('x')
    expected = {'q_weight': {'num_hidden': '2', '__lr_mult__': '2', 'lr_mult': '2'},
                'q_bias': {'num_hidden': '2', '__lr_mult__': '2', 'lr_mult': '2'},
                'q': {'num_hidden': '2', '__lr_mult__': '2', 'lr_mult': '2'}}
    assert mx.sym.FullyConnected(x, num_hidden=2, lr_mult='2', name='q').attr_dict() == expected
    assert mx.sym.FullyConnected(x, num_hidden=2, attr={'lr_mult': '2'},
                                 name='q').attr_dict() == expected
    extra = mx.sym.FullyConnected(x, num_hidden=2, __foo__='2', name='q')
    assert extra.attr_dict()['q_bias'] == {'num_hidden': '2', '__foo__': '2'}


# ---------------------------------------------------------------- naming
def test_prefix_applies_to_operators_not_variables():
    with mx.name.Prefix('net_'):
        v = mx.sym.var('v')
        f = mx.sym.FullyConnected(v, num_hidden=2)
        g = mx.sym.FullyConnected(v, num_hidden=2, name='fc1')
        h = v + 1
    assert (v.name, f.name, g.name, h.name) == ('v', 'net_fullyconnected0', 'net_fc1',
                                                'net__plusscalar0')
    assert g.list_arguments() == ['v', 'net_fc1_weight', 'net_fc1_bias']


def test_name_manager_as_mxnet():
    nm = mx.name.NameManager()
    assert [nm.get(None, 'abc'), nm.get(None, 'abc'), nm.get('x', 'abc'),
            nm.get('', 'abc')] == ['abc0', 'abc1', 'x', 'abc2']
    with mx.name.NameManager() as inner:
        assert inner is mx.name.NameManager.current
        assert (mx.sym.var('x') + 1).name == '_plusscalar0'
    p = mx.name.Prefix('p_')
    assert (p.get(None, 'h'), p.get('n', 'h')) == ('p_h0', 'p_n')


# ---------------------------------------------------------------- gradient, dynamic shapes
def test_gradient_is_a_symbol_with_one_output_per_name():
    a, b = mx.sym.var('a'), mx.sym.var('b')
    c = a * b
    g = c.gradient(['a', 'b'])
    assert isinstance(g, mx.sym.Symbol)
    assert len(g) == 2
    assert g.list_arguments() == ['a', 'b']
    out = g.eval(a=mx.nd.array(XS), b=mx.nd.array(YS))
    np.testing.assert_allclose(out[0].asnumpy(), YS)   # d(sum(a*b))/da = b
    np.testing.assert_allclose(out[1].asnumpy(), XS)
    assert len(c.gradient('a')) == 1  # a single name is accepted too
    with pytest.raises(TypeError):
        c.gradient([1])


def test_second_gradient():
    a = mx.sym.var('a')
    cube = a * a * a
    first = cube.gradient(['a'])           # 3 a^2
    second = first.gradient(['a'])         # 6 a
    data = mx.nd.array(XS)
    np.testing.assert_allclose(first.eval(a=data)[0].asnumpy(), 3 * XS ** 2, rtol=1e-5)
    np.testing.assert_allclose(second.eval(a=data)[0].asnumpy(), 6 * XS, rtol=1e-5)
    again = mx.sym.load_json(second.tojson())
    np.testing.assert_allclose(again.eval(a=data)[0].asnumpy(), 6 * XS, rtol=1e-5)


def test_gradient_of_a_loss_output_uses_its_own_gradient():
    data = mx.sym.var('data')
    net = mx.sym.SoftmaxOutput(data, name='sm')
    g = net.gradient(['data'])
    logits = np.array([[1.0, 2.0, 0.5], [0.1, 0.2, 3.0]], dtype=np.float32)
    label = np.array([1, 2], dtype=np.float32)
    out = g.eval(data=mx.nd.array(logits), sm_label=mx.nd.array(label))[0].asnumpy()
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(out, p - np.eye(3)[label.astype(int)], rtol=1e-5, atol=1e-6)


def test_has_dynamic_shape_op():
    x, y = mx.sym.var('x'), mx.sym.var('y')
    assert not x.has_dynamic_shape_op()
    assert not (x + y).has_dynamic_shape_op()
    if registered('_contrib_boolean_mask'):
        assert mx.sym.contrib.boolean_mask(x, y).has_dynamic_shape_op()
        assert (mx.sym.contrib.boolean_mask(x, y) + 1).has_dynamic_shape_op()


def test_backend_methods():
    x = mx.sym.var('x')
    assert x.as_nd_ndarray() is x
    with pytest.raises(mx.base.MXNetError):
        x.optimize_for('MKLDNN')
