"""Symbol construction, naming, attributes, inference and serialisation through `loom as mx`."""
import copy
import inspect
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


def mlp():
    data = mx.sym.Variable('data')
    net = mx.sym.FullyConnected(data=data, name='fc1', num_hidden=128)
    net = mx.sym.Activation(data=net, name='relu1', act_type='relu')
    net = mx.sym.FullyConnected(data=net, name='fc2', num_hidden=10)
    return mx.sym.SoftmaxOutput(data=net, name='out')


# ---------------------------------------------------------------- composition and naming
def test_variable_and_plus_auto_name():
    a = mx.sym.Variable('a')
    b = mx.sym.Variable('b')
    c = a + b
    assert a.name == 'a'
    assert c.name == '_plus0'
    assert c.list_arguments() == ['a', 'b']
    assert c.list_outputs() == ['_plus0_output']
    assert c.list_auxiliary_states() == []
    assert repr(c) == '<Symbol _plus0>'
    assert '"op": "elemwise_add"' in c.tojson()
    d = a + b
    assert d.name == '_plus1'


@pytest.mark.parametrize('make, name, op, scalar', [
    (lambda a, b: a - b, '_minus0', 'elemwise_sub', None),
    (lambda a, b: a * b, '_mul0', 'elemwise_mul', None),
    (lambda a, b: a / b, '_div0', 'elemwise_div', None),
    (lambda a, b: a + 1, '_plusscalar0', '_plus_scalar', '1'),
    (lambda a, b: a - 1, '_minusscalar0', '_minus_scalar', '1'),
    (lambda a, b: 1 - a, '_rminusscalar0', '_rminus_scalar', '1'),
    (lambda a, b: a * 2, '_mulscalar0', '_mul_scalar', '2'),
    (lambda a, b: 2 * a, '_mulscalar0', '_mul_scalar', '2'),
    (lambda a, b: a / 2, '_divscalar0', '_div_scalar', '2'),
    (lambda a, b: 2 / a, '_rdivscalar0', '_rdiv_scalar', '2'),
    (lambda a, b: a + 0.5, '_plusscalar0', '_plus_scalar', '0.5'),
    (lambda a, b: -a, '_mulscalar0', '_mul_scalar', '-1.0'),
])
def test_arithmetic_names_ops_and_scalars(make, name, op, scalar):
    a, b = mx.sym.Variable('a'), mx.sym.Variable('b')
    s = make(a, b)
    assert s.name == name
    assert s.attr('op_name') in (None, op)
    assert '"op": "%s"' % op in s.tojson()
    assert s.attr('scalar') == scalar


def test_arithmetic_with_bad_type_raises_type_error():
    a = mx.sym.Variable('a')
    with pytest.raises(TypeError):
        a + 'x'
    with pytest.raises(TypeError):
        'x' - a


def test_inplace_and_bool_are_not_symbolic():
    a = mx.sym.Variable('a')
    with pytest.raises(mx.base.NotImplementedForSymbol):
        a += 1
    with pytest.raises(mx.base.NotImplementedForSymbol):
        bool(mx.sym.Variable('b'))


def test_fully_connected_auto_names_and_arguments():
    data = mx.sym.Variable('data')
    fc = mx.sym.FullyConnected(data=data, num_hidden=10)
    assert fc.name == 'fullyconnected0'
    assert fc.list_arguments() == ['data', 'fullyconnected0_weight', 'fullyconnected0_bias']
    fc2 = mx.sym.FullyConnected(data=fc, num_hidden=10)
    assert fc2.name == 'fullyconnected1'
    named = mx.sym.FullyConnected(data=data, num_hidden=10, name='fc1')
    assert named.list_arguments() == ['data', 'fc1_weight', 'fc1_bias']
    assert named.list_outputs() == ['fc1_output']


def test_positional_inputs_and_explicit_weight():
    data = mx.sym.Variable('data')
    w = mx.sym.Variable('myweight')
    net = mx.sym.FullyConnected(data, w, num_hidden=128, name='fc1')
    assert net.list_arguments() == ['data', 'myweight', 'fc1_bias']
    net = mx.sym.FullyConnected(data=data, weight=w, name='fc1', num_hidden=128)
    assert net.list_arguments() == ['data', 'myweight', 'fc1_bias']


def test_missing_data_input_is_auto_created():
    fc = mx.sym.FullyConnected(num_hidden=10, name='fc')
    assert fc.list_arguments() == ['fc_data', 'fc_weight', 'fc_bias']


def test_params_are_written_with_python_str():
    data = mx.sym.Variable('data')
    fc = mx.sym.FullyConnected(data, num_hidden=3, no_bias=True, name='fc')
    assert fc.attr('no_bias') == 'True'
    assert fc.attr('num_hidden') == '3'
    assert fc.attr('flatten') is None  # defaults are never written
    assert fc.list_arguments() == ['data', 'fc_weight']
    assert fc.list_attr() == {'no_bias': 'True', 'num_hidden': '3'}


def test_parameter_variables_copy_the_op_attributes():
    data = mx.sym.Variable('data')
    fc = mx.sym.FullyConnected(data=data, num_hidden=10, name='fc1')
    attrs = fc.attr_dict()
    assert attrs['fc1'] == {'num_hidden': '10'}
    assert attrs['fc1_weight'] == {'num_hidden': '10'}
    assert attrs['fc1_bias'] == {'num_hidden': '10'}
    assert 'data' not in attrs


def test_mlp_arguments_outputs_internals():
    net = mlp()
    assert net.list_arguments() == ['data', 'fc1_weight', 'fc1_bias', 'fc2_weight', 'fc2_bias',
                                    'out_label']
    assert net.list_outputs() == ['out_output']
    internals = net.get_internals()
    assert internals.list_outputs() == ['data', 'fc1_weight', 'fc1_bias', 'fc1_output',
                                        'relu1_output', 'fc2_weight', 'fc2_bias', 'fc2_output',
                                        'out_label', 'out_output']
    fc1 = internals['fc1_output']
    assert fc1.name == 'fc1'
    assert fc1.list_arguments() == ['data', 'fc1_weight', 'fc1_bias']
    assert internals[3].name == 'fc1'
    assert internals[-1].name == 'out'
    assert len(internals) == 10
    assert [s.name for s in internals[0:3]] == ['data', 'fc1_weight', 'fc1_bias']
    with pytest.raises(IndexError):
        internals[10]
    with pytest.raises(ValueError, match='nope'):
        internals['nope']
    with pytest.raises(TypeError):
        internals[1.5]


def test_single_output_indexing_returns_same_graph():
    a = mx.sym.Variable('a')
    c = a * 2
    assert c[0].name == c.name
    assert c[0].tojson() == c.tojson()
    assert [s.name for s in c] == [c.name]


def test_general_composition_with_call():
    data = mx.sym.Variable('data')
    net1 = mx.sym.FullyConnected(data=data, name='fc1', num_hidden=10)
    net2 = mx.sym.Variable('data2')
    net2 = mx.sym.FullyConnected(data=net2, name='fc2', num_hidden=10)
    composed = net2(data2=net1, name='composed')
    assert composed.list_arguments() == ['data', 'fc1_weight', 'fc1_bias', 'fc2_weight',
                                         'fc2_bias']
    # the original is untouched
    assert net2.list_arguments() == ['data2', 'fc2_weight', 'fc2_bias']


def test_composition_with_sum_input():
    lhs = mx.sym.Variable('data1')
    rhs = mx.sym.Variable('data2')
    net = mx.sym.FullyConnected(data=lhs + rhs, name='fc1', num_hidden=128)
    assert net.list_arguments() == ['data1', 'data2', 'fc1_weight', 'fc1_bias']


def test_prefix_name_manager():
    data = mx.sym.Variable('data')
    net = data
    for i in range(2):
        with mx.name.Prefix('layer%d_' % (i + 1)):
            net = mx.sym.FullyConnected(data=net, name='fc', num_hidden=100)
    assert net.list_arguments() == ['data', 'layer1_fc_weight', 'layer1_fc_bias',
                                    'layer2_fc_weight', 'layer2_fc_bias']
    with mx.name.Prefix('mynet_'):
        auto = mx.sym.Activation(data, act_type='relu')
        var = mx.sym.Variable('x')
    assert auto.name == 'mynet_activation0'
    assert var.name == 'x'  # variables never consult the name manager


def test_name_manager_scopes_restore_counters():
    a = mx.sym.Variable('a')
    assert (a + a).name == '_plus0'
    with mx.name.NameManager():
        assert (a + a).name == '_plus0'
        assert (a + a).name == '_plus1'
    assert (a + a).name == '_plus1'
    manager = mx.name.NameManager()
    assert manager.get(None, 'fc') == 'fc0'
    assert manager.get('given', 'fc') == 'given'
    assert manager.get('', 'fc') == 'fc1'


def test_group_outputs_and_repr():
    net = mx.sym.Variable('data')
    fc1 = mx.sym.FullyConnected(data=net, name='fc1', num_hidden=128)
    net = mx.sym.Activation(data=fc1, name='relu1', act_type='relu')
    out1 = mx.sym.SoftmaxOutput(data=net, name='softmax')
    out2 = mx.sym.LinearRegressionOutput(data=net, name='regression')
    group = mx.sym.Group([out1, out2])
    assert group.list_outputs() == ['softmax_output', 'regression_output']
    assert group.name is None
    assert repr(group) == '<Symbol group [softmax, regression]>'
    assert len(group) == 2
    assert group['regression_output'].name == 'regression'
    assert repr(mx.sym.Group([mx.sym.var('a'), mx.sym.var('b')])) == '<Symbol group [a, b]>'
    with pytest.raises(TypeError):
        mx.sym.Group([])
    with pytest.raises(TypeError):
        mx.sym.Group([out1, 3])


def test_get_children():
    x, y, z = mx.sym.Variable('x'), mx.sym.Variable('y'), mx.sym.Variable('z')
    a = y + z
    b = x + a
    assert b.get_children().list_outputs() == ['x', '_plus0_output']
    assert b.get_children().get_children().list_outputs() == ['y', 'z']
    assert x.get_children() is None


def test_list_inputs():
    net = mlp()
    assert net.list_inputs() == net.list_arguments()


# ---------------------------------------------------------------- generated operator functions
def test_operator_functions_are_generated():
    assert callable(mx.sym.FullyConnected)
    assert mx.sym.FullyConnected is mx.symbol.FullyConnected
    assert mx.sym.op.FullyConnected is mx.sym.FullyConnected
    assert 'num_hidden' in mx.sym.FullyConnected.__doc__
    assert callable(mx.sym._internal._plus_scalar)
    assert callable(mx.sym._internal._Plus)
    assert not hasattr(mx.sym.op, '_plus_scalar')
    assert mx.sym.var is mx.sym.Variable
    assert str(inspect.signature(mx.sym.FullyConnected)) == (
        '(data=None, weight=None, bias=None, num_hidden=_Null, no_bias=_Null, flatten=_Null, '
        'name=None, attr=None, out=None, **kwargs)')
    assert str(inspect.signature(mx.sym.add_n)).startswith('(*data, num_args=_Null')


def test_alias_functions_get_their_own_hint():
    data = mx.sym.Variable('data')
    s = mx.sym.Softmax(data)  # alias of SoftmaxOutput
    assert s.name == 'softmax0'
    assert '"op": "SoftmaxOutput"' in s.tojson()
    i = mx.sym.identity(data)
    assert i.name == 'identity0'
    assert '"op": "_copy"' in i.tojson()
    e = mx.sym.elemwise_add(data, data)
    assert e.name == 'elemwise_add0'


def test_variadic_operator_fills_num_args():
    a, b, c = mx.sym.Variable('a'), mx.sym.Variable('b'), mx.sym.Variable('c')
    s = mx.sym.add_n(a, b, c)
    assert s.list_arguments() == ['a', 'b', 'c']
    assert s.attr('num_args') == '3'


def test_positional_argument_errors():
    data = mx.sym.Variable('data')
    with pytest.raises(TypeError, match='multiple values'):
        mx.sym.FullyConnected(data, data=data, num_hidden=3)
    # MXNet raises AssertionError with this text; Loom's error is also a TypeError.
    with pytest.raises(AssertionError, match='Argument data must be Symbol instances'):
        mx.sym.FullyConnected(data=np.zeros(3), num_hidden=3)
    with pytest.raises(TypeError, match='Argument weight must be Symbol instances, but got 3'):
        mx.sym.FullyConnected(data, 3)


def test_unknown_parameter_is_an_engine_error_naming_it():
    data = mx.sym.Variable('data')
    with pytest.raises(mx.base.MXNetError, match='foo'):
        mx.sym.FullyConnected(data=data, num_hidden=3, foo=1)


def test_missing_required_parameter_is_an_engine_error_naming_it():
    data = mx.sym.Variable('data')
    with pytest.raises(mx.base.MXNetError, match='num_hidden'):
        mx.sym.FullyConnected(data=data)


def test_bad_enum_value_is_an_engine_error():
    data = mx.sym.Variable('data')
    with pytest.raises(mx.base.MXNetError, match='act_type'):
        mx.sym.Activation(data=data, act_type='swish-ish')


# ---------------------------------------------------------------- attributes
def test_variable_attributes():
    v = mx.sym.Variable('data', attr={'mood': 'angry'}, shape=(2, 3), lr_mult=2.0, wd_mult=0,
                        dtype='float64', init='[\"zero\", {}]', __layout__='NC')
    assert v.attr('mood') == 'angry'
    assert v.attr('__shape__') == '(2, 3)'
    assert v.attr('__lr_mult__') == '2.0'
    assert v.attr('__wd_mult__') == '0'
    assert v.attr('__dtype__') == '1'
    assert v.attr('__init__') == '["zero", {}]'
    assert v.attr('__layout__') == 'NC'
    assert v.attr('missing') is None
    with pytest.raises(ValueError, match='double underscores'):
        mx.sym.Variable('x', foo='bar')
    with pytest.raises(TypeError):
        mx.sym.Variable(3)


def test_variable_shape_attribute_drives_inference():
    data = mx.sym.Variable('data', shape=(5, 4))
    fc = mx.sym.FullyConnected(data=data, num_hidden=3, name='fc')
    arg_shapes, out_shapes, _ = fc.infer_shape()
    assert arg_shapes == [(5, 4), (3, 4), (3,)]
    assert out_shapes == [(5, 3)]


def test_attr_scope():
    with mx.AttrScope(ctx_group='dev1', __mood__='calm'):
        v = mx.sym.Variable('x')
        with mx.AttrScope(__mood__='angry'):
            fc = mx.sym.FullyConnected(data=v, num_hidden=2, name='fc')
    assert v.attr('__ctx_group__') == 'dev1'
    assert v.attr('__mood__') == 'calm'
    assert fc.attr('__ctx_group__') == 'dev1'
    assert fc.attr('__mood__') == 'angry'
    assert fc.attr_dict()['fc_weight']['__ctx_group__'] == 'dev1'
    outside = mx.sym.Variable('y')
    assert outside.attr('__ctx_group__') is None
    with pytest.raises(ValueError):
        mx.AttrScope(ctx_group=1)


def test_attr_scope_plain_keys_are_rejected_by_operators():
    # As in MXNet: scope attributes become operator parameters, where only __x__ keys and
    # the hidden keys (ctx_group, lr_mult, ...) are allowed.
    with mx.AttrScope(mood='calm'):
        assert mx.sym.Variable('x').attr('mood') == 'calm'
        with pytest.raises(mx.base.MXNetError, match='mood'):
            mx.sym.FullyConnected(data=mx.sym.Variable('d'), num_hidden=2)


def test_set_attr_requires_strings():
    v = mx.sym.Variable('v')
    v._set_attr(mood='ok')
    assert v.attr('mood') == 'ok'
    with pytest.raises(ValueError):
        v._set_attr(mood=1)


# ---------------------------------------------------------------- shape and type inference
def test_infer_shape_keyword_and_positional():
    a, b = mx.sym.Variable('a'), mx.sym.Variable('b')
    c = a + b
    assert c.infer_shape(a=(2, 3), b=(2, 3)) == ([(2, 3), (2, 3)], [(2, 3)], [])
    assert c.infer_shape(a=(3, 3)) == ([(3, 3), (3, 3)], [(3, 3)], [])
    assert c.infer_shape((4, 5), None) == ([(4, 5), (4, 5)], [(4, 5)], [])


def test_infer_shape_mlp():
    net = mlp()
    arg_shapes, out_shapes, aux_shapes = net.infer_shape(data=(100, 200))
    assert dict(zip(net.list_arguments(), arg_shapes)) == {
        'data': (100, 200), 'fc1_weight': (128, 200), 'fc1_bias': (128,),
        'fc2_weight': (10, 128), 'fc2_bias': (10,), 'out_label': (100,)}
    assert out_shapes == [(100, 10)]
    assert aux_shapes == []


def two_branch_net():
    data = mx.sym.Variable('data')
    prev = mx.sym.Variable('prev')
    fc1 = mx.sym.FullyConnected(data=data, name='fc1', num_hidden=128)
    fc2 = mx.sym.FullyConnected(data=prev, name='fc2', num_hidden=128)
    return mx.sym.Activation(data=mx.sym.elemwise_add(fc1, fc2), act_type='relu')


def test_infer_shape_incomplete_returns_none_with_warning():
    out = two_branch_net()
    assert out.list_arguments() == ['data', 'fc1_weight', 'fc1_bias', 'prev', 'fc2_weight',
                                    'fc2_bias']
    with pytest.warns(UserWarning, match='prev'):
        assert out.infer_shape(data=(10, 64)) == (None, None, None)
    arg_shapes, out_shapes, _ = out.infer_shape_partial(data=(10, 64))
    assert arg_shapes[:3] == [(10, 64), (128, 64), (128,)]
    assert out_shapes == [(10, 128)]
    assert out.infer_shape(data=(10, 64), prev=(10, 128)) == (
        [(10, 64), (128, 64), (128,), (10, 128), (128, 128), (128,)], [(10, 128)], [])


def test_infer_shape_partial_matches_mxnet_example():
    out = two_branch_net()
    assert out.infer_shape_partial(data=(10, 64)) == (
        [(10, 64), (128, 64), (128,), (), (), ()], [(10, 128)], [])


def test_infer_shape_zero_dim_is_unknown():
    a, b = mx.sym.Variable('a'), mx.sym.Variable('b')
    c = a + b
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        assert c.infer_shape(a=(0, 3)) == (None, None, None)
    partial_args, _, _ = c.infer_shape_partial(a=(0, 3))
    assert partial_args[0] == (0, 3)


def test_infer_shape_argument_errors():
    a = mx.sym.Variable('a')
    c = a * 2
    with pytest.raises(TypeError):
        c.infer_shape(a=[2, 3])
    with pytest.raises(ValueError):
        c.infer_shape((2, 3), a=(2, 3))
    with pytest.raises(mx.base.MXNetError, match='nope'):
        c.infer_shape(nope=(2, 3))
    with pytest.raises(ValueError, match='non-negative'):
        c.infer_shape(a=(-1, 3))


def test_infer_shape_inconsistency_names_operator_and_shapes():
    data = mx.sym.Variable('data')
    out = mx.sym.FullyConnected(data=data, name='fc1', num_hidden=1000)
    out = mx.sym.Activation(data=out, act_type='relu')
    out = mx.sym.FullyConnected(data=out, name='fc2', num_hidden=10)
    with pytest.raises(mx.base.MXNetError) as err:
        out.infer_shape(data=(100, 100), fc1_weight=(1, 100))
    assert ('Error in operator fc1: Shape inconsistent, Provided=(1,100), '
            'inferred shape=(1000,100)') in str(err.value)
    # the process keeps working
    arg_shapes, _, _ = out.infer_shape(data=(100, 100))
    assert arg_shapes[1] == (1000, 100)


def test_infer_type():
    a, b = mx.sym.Variable('a'), mx.sym.Variable('b')
    c = a + b
    arg_types, out_types, aux_types = c.infer_type(a='float32', b='float32')
    assert arg_types == [np.float32, np.float32]
    assert out_types == [np.float32]
    assert aux_types == []
    arg_types, out_types, _ = c.infer_type(a=np.float64)
    assert arg_types == [np.float64, np.float64]
    assert out_types == [np.float64]


def test_infer_type_partial():
    data = mx.sym.Variable('data')
    other = mx.sym.Variable('other')
    fc = mx.sym.FullyConnected(data=data, num_hidden=3, name='fc')
    group = mx.sym.Group([fc, other * 2])
    with pytest.warns(UserWarning, match='other'):
        assert group.infer_type(data='float32') == (None, None, None)
    arg_types, out_types, _ = group.infer_type_partial(data='float32')
    assert arg_types == [np.float32, np.float32, np.float32, None]
    assert out_types == [np.float32, None]


# ---------------------------------------------------------------- serialisation and copies
def test_tojson_load_json_round_trip():
    net = mlp()
    json = net.tojson()
    back = mx.sym.load_json(json)
    assert back.tojson() == json
    assert back.list_arguments() == net.list_arguments()
    assert mx.sym.fromjson(json).tojson() == json


def test_save_and_load_file(tmp_path):
    a, b = mx.sym.Variable('a'), mx.sym.Variable('b')
    c = a + b
    path = str(tmp_path / 'symbol-c.json')
    c.save(path)
    with open(path) as f:
        assert f.read() == c.tojson()
    c2 = mx.sym.load(path)
    assert c.tojson() == c2.tojson()
    with pytest.raises(mx.base.MXNetError):
        mx.sym.load(str(tmp_path / 'missing.json'))
    with pytest.raises(TypeError):
        c.save(3)


def test_load_json_rejects_garbage():
    with pytest.raises(mx.base.MXNetError):
        mx.sym.load_json('{"nodes": 3}')


def test_tojson_matches_mxnet_layout():
    # spec §1.8: the text MXNet 1.9.1 writes for data -> fc1 -> softmax.
    data = mx.sym.Variable('data')
    fc = mx.sym.FullyConnected(data=data, num_hidden=10, name='fc1')
    net = mx.sym.SoftmaxOutput(data=fc, name='softmax')
    expected = '\n'.join([
        '{',
        '  "nodes": [',
        '    {',
        '      "op": "null", ',
        '      "name": "data", ',
        '      "inputs": []',
        '    }, ',
        '    {',
        '      "op": "null", ',
        '      "name": "fc1_weight", ',
        '      "attrs": {"num_hidden": "10"}, ',
        '      "inputs": []',
        '    }, ',
        '    {',
        '      "op": "null", ',
        '      "name": "fc1_bias", ',
        '      "attrs": {"num_hidden": "10"}, ',
        '      "inputs": []',
        '    }, ',
        '    {',
        '      "op": "FullyConnected", ',
        '      "name": "fc1", ',
        '      "attrs": {"num_hidden": "10"}, ',
        '      "inputs": [[0, 0, 0], [1, 0, 0], [2, 0, 0]]',
        '    }, ',
        '    {',
        '      "op": "null", ',
        '      "name": "softmax_label", ',
        '      "inputs": []',
        '    }, ',
        '    {',
        '      "op": "SoftmaxOutput", ',
        '      "name": "softmax", ',
        '      "inputs": [[3, 0, 0], [4, 0, 0]]',
        '    }',
        '  ], ',
        '  "arg_nodes": [0, 1, 2, 4], ',
        '  "node_row_ptr": [0, 1, 2, 3, 4, 5, 6], ',
        '  "heads": [[5, 0, 0]], ',
        '  "attrs": {"mxnet_version": ["int", 10901]}',
        '}'])
    assert net.tojson() == expected


def test_copy_deepcopy_and_pickle():
    net = mlp()
    for other in (copy.copy(net), copy.deepcopy(net), pickle.loads(pickle.dumps(net))):
        assert other.handle != net.handle
        assert other.tojson() == net.tojson()
    # a copy is independent: renaming it leaves the original alone
    dup = copy.deepcopy(net)
    dup._set_attr(name='renamed')
    assert net.name == 'out'


def test_debug_str():
    data = mx.sym.Variable('data')
    fc = mx.sym.FullyConnected(data=data, num_hidden=10, name='fc1')
    text = fc.debug_str()
    assert 'Symbol Outputs:' in text
    assert 'Variable:data' in text
    assert 'Op:FullyConnected, Name=fc1' in text
    assert 'num_hidden=10' in text


def test_ndarray_only_methods_raise():
    a = mx.sym.Variable('a')
    with pytest.raises(mx.base.NotImplementedForSymbol):
        a.asnumpy()
