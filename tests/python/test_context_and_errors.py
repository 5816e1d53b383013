"""Contexts and the mapping of engine errors to Python exceptions."""
import pytest

import loom as mx
from loom import base


def test_contexts():
    assert mx.cpu().device_type == 'cpu'
    assert mx.cpu(0).device_typeid == 1
    assert mx.gpu(0).device_typeid == 2
    assert mx.gpu(1).device_id == 1
    assert str(mx.gpu(1)) == 'gpu(1)'
    assert repr(mx.cpu()) == 'cpu(0)'
    assert mx.cpu(0) == mx.Context('cpu', 0)
    assert mx.cpu(0) != mx.gpu(0)
    assert mx.Context(mx.gpu(2)) == mx.gpu(2)
    assert len({mx.cpu(0), mx.Context('cpu', 0)}) == 1
    with pytest.raises(ValueError):
        mx.Context('tpu')


def test_with_context_sets_and_restores_default():
    assert mx.current_context() == mx.cpu(0)
    with mx.gpu(3):
        assert mx.current_context() == mx.gpu(3)
        with mx.cpu(0):
            assert mx.current_context() == mx.cpu(0)
        assert mx.current_context() == mx.gpu(3)
    assert mx.current_context() == mx.cpu(0)


def test_num_gpus_is_a_count():
    n = mx.context.num_gpus()
    assert isinstance(n, int) and n >= 0


@pytest.mark.parametrize('kind, builtin', [
    ('ValueError', ValueError), ('TypeError', TypeError), ('IndexError', IndexError),
    ('AttributeError', AttributeError), ('NotImplementedError', NotImplementedError)])
def test_typed_messages_map_to_builtin_subclasses(kind, builtin):
    err = base._error_from_message('%s: something is off' % kind)
    assert isinstance(err, base.MXNetError)
    assert isinstance(err, builtin)
    assert str(err) == 'something is off'


def test_untyped_message_is_plain_mxnet_error():
    err = base._error_from_message('Error in operator fc1: Shape inconsistent')
    assert type(err) is base.MXNetError
    assert str(err) == 'Error in operator fc1: Shape inconsistent'
    assert mx.MXNetError is base.MXNetError


def test_engine_failure_raises_and_sets_last_error():
    with pytest.raises(mx.base.MXNetError) as err:
        mx.sym.load_json('not json')
    assert str(err.value)
    assert base._LIB.MXGetLastError()


def test_version():
    assert base._LIB.MXGetVersion() == 10901
