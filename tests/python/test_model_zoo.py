"""The model zoo against MXNet 1.9.1's golden fixtures (tests/golden/symbols/).

For every network of tools/model_zoo.py: the graph built with `import loom as mx` serialises
to exactly the bytes MXNet wrote; every fixture loads and re-saves byte-identically; names
(arguments, outputs, auxiliary states, internals) and inferred shapes (arguments, outputs,
auxiliary states, every internal output) agree with MXNet's. The pre-0.9 fixture loads with
its BatchNorm auxiliary states added and hidden attributes upgraded as MXNet does.

Fixtures come from tools/gen_symbol_fixtures.py; MXNet is not needed here.
"""
import difflib
import json
import pathlib
import sys

import pytest

import loom as mx

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = ROOT / 'tests' / 'golden' / 'symbols'
sys.path.insert(0, str(ROOT / 'tools'))
import model_zoo  # noqa: E402

NETS = list(model_zoo.NETWORKS)


def fixture_text(net):
    return (FIXTURES / ('%s-symbol.json' % net)).read_text()


def fixture_shapes(net):
    return json.loads((FIXTURES / ('%s-shapes.json' % net)).read_text())


def assert_same_text(actual, expected, what):
    """Equality of two JSON texts; on failure the message shows where they first differ."""
    if actual == expected:
        return
    diff = list(difflib.unified_diff(expected.splitlines(), actual.splitlines(),
                                     'mxnet', 'loom', n=3, lineterm=''))
    if not diff:  # same lines: the difference is in line endings or the trailing newline
        diff = ['same lines; expected ends %r, actual ends %r' % (expected[-20:], actual[-20:])]
    shown = diff[:60]
    if len(diff) > 60:
        shown.append('... %d more diff lines' % (len(diff) - 60))
    pytest.fail('%s differs from MXNet 1.9.1 (%d vs %d bytes):\n%s'
                % (what, len(actual), len(expected), '\n'.join(shown)), pytrace=False)


def built(net):
    return model_zoo.build(mx, net)


def loaded(net):
    return mx.sym.load(str(FIXTURES / ('%s-symbol.json' % net)))


SOURCES = {'built': built, 'loaded': loaded}


def test_every_network_has_fixtures():
    for net in NETS:
        assert (FIXTURES / ('%s-symbol.json' % net)).is_file(), net
        assert (FIXTURES / ('%s-shapes.json' % net)).is_file(), net


@pytest.mark.parametrize('net', NETS)
def test_build_matches_mxnet_json(net):
    assert_same_text(built(net).tojson(), fixture_text(net), '%s: tojson() of the built net' % net)


@pytest.mark.parametrize('net', NETS)
def test_fixture_load_resave(net):
    expected = fixture_text(net)
    assert_same_text(loaded(net).tojson(), expected, '%s: load + tojson()' % net)
    assert_same_text(mx.sym.load_json(expected).tojson(), expected,
                     '%s: load_json + tojson()' % net)


def check_names(sym, golden, net):
    assert sym.list_arguments() == golden['list_arguments'], net
    assert sym.list_outputs() == golden['list_outputs'], net
    assert sym.list_auxiliary_states() == golden['list_auxiliary_states'], net
    assert sym.get_internals().list_outputs() == golden['internals'], net


def compare_shapes(kind, names, shapes, golden, net):
    """Every named shape equals the golden one; reports all mismatches at once."""
    assert shapes is not None, '%s: infer_shape returned no %s shapes' % (net, kind)
    actual = {n: list(s) for n, s in zip(names, shapes)}
    assert len(names) == len(shapes), (net, kind, len(names), len(shapes))
    wrong = ['%s: expected %s, got %s' % (n, golden[n], actual.get(n))
             for n in golden if actual.get(n) != golden[n]]
    extra = sorted(set(actual) - set(golden))
    assert not wrong and not extra, '%s: %s shapes differ from MXNet:\n  %s%s' % (
        net, kind, '\n  '.join(wrong[:20]), '\n  extra: %s' % extra if extra else '')


def check_shapes(sym, golden, net):
    shapes = {k: tuple(v) for k, v in golden['input_shapes'].items()}
    arg, out, aux = sym.infer_shape(**shapes)
    compare_shapes('argument', sym.list_arguments(), arg, golden['arg_shapes'], net)
    compare_shapes('output', sym.list_outputs(), out, golden['out_shapes'], net)
    compare_shapes('auxiliary', sym.list_auxiliary_states(), aux, golden['aux_shapes'], net)


def check_internal_shapes(sym, golden, net):
    internals = sym.get_internals()
    shapes = {k: tuple(v) for k, v in golden['input_shapes'].items()}
    _, out, _ = internals.infer_shape(**shapes)
    assert out is not None, '%s: infer_shape on get_internals() gave no shapes' % net
    actual = [[n, list(s)] for n, s in zip(internals.list_outputs(), out)]
    wrong = ['%s: expected %s, got %s' % (e[0], e[1], a[1])
             for e, a in zip(golden['internal_shapes'], actual) if e != a]
    assert len(actual) == len(golden['internal_shapes']), net
    assert not wrong, '%s: internal output shapes differ from MXNet:\n  %s' % (
        net, '\n  '.join(wrong[:20]))


@pytest.mark.parametrize('source', SOURCES)
@pytest.mark.parametrize('net', NETS)
def test_names(net, source):
    check_names(SOURCES[source](net), fixture_shapes(net), net)


@pytest.mark.parametrize('source', SOURCES)
@pytest.mark.parametrize('net', NETS)
def test_infer_shape(net, source):
    check_shapes(SOURCES[source](net), fixture_shapes(net), net)


@pytest.mark.parametrize('net', NETS)
def test_infer_shape_internals(net):
    check_internal_shapes(loaded(net), fixture_shapes(net), net)


def compare_attr_dicts(actual, expected, what):
    wrong = ['%s: expected %s, got %s' % (n, expected[n], actual.get(n))
             for n in expected if actual.get(n) != expected[n]]
    extra = sorted(set(actual) - set(expected))
    assert not wrong and not extra, '%s attr_dict differs from MXNet:\n  %s%s' % (
        what, '\n  '.join(wrong[:20]), '\n  extra nodes: %s' % extra if extra else '')


ATTR_NETS = [net for net in NETS if 'attr_dict' in fixture_shapes(net)]


@pytest.mark.parametrize('source', SOURCES)
@pytest.mark.parametrize('net', ATTR_NETS)
def test_attr_dict(net, source):
    compare_attr_dicts(SOURCES[source](net).attr_dict(), fixture_shapes(net)['attr_dict'], net)


# ------------------------------------------------------------------ pre-0.9 (MXNet 0.8) file


@pytest.fixture(scope='module')
def legacy():
    return json.loads((FIXTURES / 'legacy-0.8-expected.json').read_text())


def load_legacy():
    return mx.sym.load(str(FIXTURES / 'legacy-0.8-symbol.json'))


def test_legacy_names_and_aux_states(legacy):
    sym = load_legacy()
    check_names(sym, legacy, 'legacy-0.8')
    assert sym.list_inputs() == legacy['list_inputs']
    assert 'batchnorm0_moving_mean' in sym.list_auxiliary_states()
    assert 'batchnorm0_moving_var' in sym.list_auxiliary_states()


def test_legacy_attributes(legacy):
    sym = load_legacy()
    actual = sym.attr_dict()
    compare_attr_dicts(actual, legacy['attr_dict'], 'legacy-0.8 (after the upgrade)')
    assert sym.list_attr() == legacy['list_attr']
    # The upgrade moves fc1's weight_lr_mult onto fc1_weight as __lr_mult__.
    assert actual['fc1_weight']['__lr_mult__'] == '1.2'
    assert 'weight_lr_mult' not in actual['fc1']


def test_legacy_resave(legacy):
    assert_same_text(load_legacy().tojson(), legacy['tojson'], 'legacy-0.8: tojson() after load')


def test_legacy_upgraded_json_is_stable(legacy):
    # Saving the upgraded graph and loading that again changes nothing further.
    text = legacy['tojson']
    assert_same_text(mx.sym.load_json(text).tojson(), text, 'legacy-0.8: upgraded re-load')


def test_legacy_infer_shape(legacy):
    sym = load_legacy()
    check_shapes(sym, legacy, 'legacy-0.8')
    check_internal_shapes(sym, legacy, 'legacy-0.8')
