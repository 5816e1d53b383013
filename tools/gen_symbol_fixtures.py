#!/usr/bin/env python3
"""Writes the Symbol-API golden fixtures in tests/golden/symbols/ with the reference MXNet 1.9.1.

Run with the interpreter that has MXNet 1.9.1 (pip install mxnet==1.9.1 "numpy<1.24"):

    /opt/mxnet-venv/bin/python tools/gen_symbol_fixtures.py [net ...]

For every network of tools/model_zoo.py (or the ones named):
  <net>-symbol.json  exactly what MXNet's `tojson()` returns (no trailing newline);
  <net>-shapes.json  the input shapes used, MXNet's infer_shape result (argument, output and
                     auxiliary shapes by name), the shapes of every internal output, the
                     list_arguments / list_outputs / list_auxiliary_states /
                     get_internals().list_outputs() names, and for graphs under 300 nodes
                     attr_dict().
Also, from the hand-written pre-0.9 file legacy-0.8-symbol.json (MXNet 0.8 style: `param`,
`attr` with unprefixed hidden keys, `[node, index]` inputs, `backward_source_id`, no aux-state
inputs on BatchNorm, no node_row_ptr, no graph attrs), legacy-0.8-expected.json: what loading it
gives in MXNet 1.9.1 (names, attributes, shapes, and `tojson()` after the upgrade).

Tests (tests/python/test_model_zoo.py) compare Loom against these files and never need MXNet.
"""
import json
import os
import sys

import mxnet as mx

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import model_zoo  # noqa: E402

OUT_DIR = os.path.join(HERE, '..', 'tests', 'golden', 'symbols')


def _shape_dict(names, shapes):
    return {n: list(s) for n, s in zip(names, shapes)}


def describe(sym, shapes):
    """Everything the tests compare besides the JSON text: names and inferred shapes."""
    internals = sym.get_internals()
    arg, out, aux = sym.infer_shape(**shapes)
    _, internal_out, _ = internals.infer_shape(**shapes)
    return {
        'input_shapes': {k: list(v) for k, v in shapes.items()},
        'list_arguments': sym.list_arguments(),
        'list_outputs': sym.list_outputs(),
        'list_auxiliary_states': sym.list_auxiliary_states(),
        'internals': internals.list_outputs(),
        'arg_shapes': _shape_dict(sym.list_arguments(), arg),
        'out_shapes': _shape_dict(sym.list_outputs(), out),
        'aux_shapes': _shape_dict(sym.list_auxiliary_states(), aux),
        'internal_shapes': [[n, list(s)] for n, s in zip(internals.list_outputs(),
                                                         internal_out)],
    }


def write_json(path, obj):
    """One top-level key per line, each value on one line: small, and diffs stay readable."""
    lines = ['  %s: %s' % (json.dumps(k), json.dumps(v)) for k, v in obj.items()]
    with open(path, 'w') as f:
        f.write('{\n' + ',\n'.join(lines) + '\n}\n')


# attr_dict (MXSymbolListAttr: every node's attributes, hidden keys also listed without their
# underscores) is recorded for the smaller graphs only, to keep the fixtures small.
ATTR_DICT_MAX_NODES = 300


def gen_network(net):
    sym = model_zoo.build(mx, net)
    text = sym.tojson()
    # The JSON must load back to the same text in the reference too, else it is no fixture.
    assert mx.sym.load_json(text).tojson() == text, net
    with open(os.path.join(OUT_DIR, '%s-symbol.json' % net), 'w') as f:
        f.write(text)
    info = describe(sym, model_zoo.input_shapes(net))
    nodes = len(json.loads(text)['nodes'])
    if nodes < ATTR_DICT_MAX_NODES:
        info['attr_dict'] = sym.attr_dict()
    write_json(os.path.join(OUT_DIR, '%s-shapes.json' % net), info)
    return nodes


# Shapes used to check inference on the upgraded legacy graph.
LEGACY_SHAPES = {'data': (4, 10)}


def gen_legacy():
    path = os.path.join(OUT_DIR, 'legacy-0.8-symbol.json')
    sym = mx.sym.load(path)
    expected = describe(sym, LEGACY_SHAPES)
    expected['attr_dict'] = sym.attr_dict()
    expected['list_attr'] = sym.list_attr()
    expected['list_inputs'] = sym.list_inputs()
    expected['tojson'] = sym.tojson()
    write_json(os.path.join(OUT_DIR, 'legacy-0.8-expected.json'), expected)


def main(argv):
    os.makedirs(OUT_DIR, exist_ok=True)
    nets = argv or list(model_zoo.NETWORKS)
    for net in nets:
        if net == 'legacy-0.8':
            continue
        nodes = gen_network(net)
        size = os.path.getsize(os.path.join(OUT_DIR, '%s-symbol.json' % net))
        print('%-20s %6d nodes  %8d bytes' % (net, nodes, size))
    if not argv or 'legacy-0.8' in argv:
        gen_legacy()
        print('legacy-0.8 expected written')


if __name__ == '__main__':
    main(sys.argv[1:])
