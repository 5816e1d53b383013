"""A 50,000-node graph through the Symbol API: compose, tojson, load_json, names, infer_shape.

The network is a deep residual MLP: a stem FullyConnected, then 9,999 blocks of
x = x + relu(FullyConnected(x)) (5 nodes each: weight, bias, FC, Activation, `+`) and a
SoftmaxOutput, 50,001 nodes in all and 10,000 nodes deep. Every stage checks its result
(byte-identical re-save, node and argument counts, every inferred shape) and prints how long it
took (`pytest -s` shows the table); the whole run should take well under a minute on 2 cores.
Anything quadratic in the number of nodes, or recursive in the graph depth, shows up here.

The work runs in a child interpreter so that a crash (a recursive pass overflowing the stack on
the 10,000-deep chain) fails this test instead of killing the whole pytest session.
"""
import json
import os
import pathlib
import subprocess
import sys
import time

BLOCKS = 9999
HIDDEN = 4
BATCH = 2
NUM_NODES = 4 + 5 * BLOCKS + 2  # data, stem (weight, bias, op), blocks, label, softmax
CHILD_TIMEOUT_S = 300


def build(mx, blocks=BLOCKS, hidden=HIDDEN):
    data = mx.sym.Variable('data')
    x = mx.sym.FullyConnected(data=data, num_hidden=hidden, name='stem')
    for i in range(blocks):
        h = mx.sym.FullyConnected(data=x, num_hidden=hidden, name='fc%d' % i)
        h = mx.sym.Activation(data=h, act_type='relu')
        x = x + h
    return mx.sym.SoftmaxOutput(data=x, name='softmax')


class Timer:
    def __init__(self):
        self.rows = []

    def __call__(self, what, fn, *args, **kwargs):
        start = time.perf_counter()
        result = fn(*args, **kwargs)
        elapsed = time.perf_counter() - start
        self.rows.append((what, elapsed))
        print('  %-42s %8.3f s' % (what, elapsed), flush=True)
        return result


def check_shapes(sym, arg, out, aux):
    names = sym.list_arguments()
    assert arg is not None and len(arg) == len(names)
    shapes = dict(zip(names, arg))
    assert shapes['data'] == (BATCH, HIDDEN)
    assert shapes['stem_weight'] == (HIDDEN, HIDDEN)
    assert shapes['softmax_label'] == (BATCH,)
    for i in range(BLOCKS):
        assert shapes['fc%d_weight' % i] == (HIDDEN, HIDDEN), i
        assert shapes['fc%d_bias' % i] == (HIDDEN,), i
    assert list(out) == [(BATCH, HIDDEN)]
    assert list(aux) == []


def workload():
    import loom as mx
    timer = Timer()
    print('\n%d-node graph (%d residual blocks):' % (NUM_NODES, BLOCKS), flush=True)
    total_start = time.perf_counter()
    with mx.name.NameManager():
        sym = timer('build (compose %d ops)' % (3 * BLOCKS + 2), build, mx)

    text = timer('tojson', sym.tojson)
    graph = json.loads(text)
    assert len(graph['nodes']) == NUM_NODES
    assert len(graph['arg_nodes']) == 2 + 2 * BLOCKS + 2
    assert len(graph['node_row_ptr']) == NUM_NODES + 1
    assert graph['heads'] == [[NUM_NODES - 1, 0, 0]]
    assert graph['nodes'][-2]['name'] == 'softmax_label'
    assert graph['nodes'][-3]['name'] == '_plus%d' % (BLOCKS - 1)

    loaded = timer('load_json', mx.sym.load_json, text)
    again = timer('tojson of the loaded graph', loaded.tojson)
    assert again == text, 'load_json + tojson is not byte-identical'

    arguments = timer('list_arguments', sym.list_arguments)
    assert len(arguments) == 2 * BLOCKS + 4
    assert timer('list_arguments (loaded)', loaded.list_arguments) == arguments
    assert loaded.list_outputs() == ['softmax_output']
    internals = timer('get_internals().list_outputs', lambda: sym.get_internals().list_outputs())
    assert len(internals) == NUM_NODES

    arg, out, aux = timer('infer_shape', sym.infer_shape, data=(BATCH, HIDDEN))
    check_shapes(sym, arg, out, aux)
    arg2, out2, aux2 = timer('infer_shape (loaded)', loaded.infer_shape, data=(BATCH, HIDDEN))
    assert (arg2, out2, aux2) == (arg, out, aux)

    total = time.perf_counter() - total_start
    print('  %-42s %8.3f s' % ('total', total), flush=True)


def test_large_graph_round_trip():
    env = dict(os.environ)
    env['PYTHONPATH'] = os.pathsep.join(p for p in sys.path if p)
    start = time.perf_counter()
    try:
        child = subprocess.run([sys.executable, str(pathlib.Path(__file__).resolve())],
                               env=env, capture_output=True, text=True,
                               timeout=CHILD_TIMEOUT_S)
    except subprocess.TimeoutExpired as err:
        print(err.stdout or '')
        raise AssertionError('the %d-node round trip took over %d s: some Symbol call is '
                             'super-linear in the node count' % (NUM_NODES, CHILD_TIMEOUT_S))
    print(child.stdout)
    print('wall time including interpreter start: %.3f s' % (time.perf_counter() - start))
    assert child.returncode == 0, 'child exited with %d\n--- stdout\n%s\n--- stderr\n%s' % (
        child.returncode, child.stdout[-4000:], child.stderr[-4000:])


if __name__ == '__main__':
    workload()
