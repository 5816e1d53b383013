"""Bind time and per-forward overhead for a graph of 1,000 tiny operators: a chain of scalar
element-wise ops on a (1,)-shaped array, so the kernels do no work and the time is the
executor's own. Measured in Loom and, when installed (/opt/mxnet-venv or $MXNET_PYTHON), in
MXNet 1.9.1 in the same run.

Usage: PYTHONPATH=bindings/python:build/bindings/python python3 tools/bench/bind_overhead.py
"""
import json
import os
import subprocess
import sys
import time

MXNET_PYTHON = os.environ.get('MXNET_PYTHON', '/opt/mxnet-venv/bin/python')
N_OPS = 1000
N_FORWARD = 200


def chain(mx):
    x = mx.sym.Variable('x')
    net = x
    for i in range(N_OPS):
        net = net + 1.0 if i % 2 == 0 else net * 0.5
    return net


def measure(mx):
    import numpy as np  # pylint: disable=import-outside-toplevel
    sym = chain(mx)
    x = mx.nd.array(np.zeros((1,), dtype=np.float32))
    binds = []
    for _ in range(5):
        start = time.perf_counter()
        ex = sym.bind(mx.cpu(), {'x': x})
        binds.append(time.perf_counter() - start)
    ex.forward()
    ex.outputs[0].wait_to_read()
    start = time.perf_counter()
    for _ in range(N_FORWARD):
        ex.forward()
    ex.outputs[0].wait_to_read()
    fwd = (time.perf_counter() - start) / N_FORWARD
    value = float(ex.outputs[0].asnumpy()[0])
    return {'bind_ms': min(binds) * 1e3, 'forward_ms': fwd * 1e3,
            'per_op_us': fwd / N_OPS * 1e6, 'value': value}


def main():
    if '--mxnet-child' in sys.argv:
        import mxnet  # pylint: disable=import-outside-toplevel
        print(json.dumps(measure(mxnet)))
        return
    import loom  # pylint: disable=import-outside-toplevel
    ours = measure(loom)
    ref = None
    if os.path.exists(MXNET_PYTHON):
        out = subprocess.run([MXNET_PYTHON, os.path.abspath(__file__), '--mxnet-child'],
                             env=dict(os.environ, PYTHONPATH=''), capture_output=True,
                             text=True, check=False)
        if out.returncode == 0:
            ref = json.loads(out.stdout.strip().splitlines()[-1])
        else:
            print('MXNet run failed:\n' + out.stderr[-2000:])
    print('%d-op chain of scalar ops on a (1,) array, %d forwards' % (N_OPS, N_FORWARD))
    print('%-22s %12s %12s %8s' % ('', 'Loom', 'MXNet', 'ratio'))
    for key, label in (('bind_ms', 'bind (ms)'), ('forward_ms', 'forward (ms)'),
                       ('per_op_us', 'per op (us)')):
        theirs = ref[key] if ref else None
        print('%-22s %12.3f %12s %8s' % (label, ours[key],
                                         '%.3f' % theirs if theirs else '-',
                                         '%.3f' % (ours[key] / theirs) if theirs else '-'))
    if ref and abs(ref['value'] - ours['value']) > 1e-3 * max(1.0, abs(ref['value'])):
        print('WARNING: outputs differ: Loom %r, MXNet %r' % (ours['value'], ref['value']))


if __name__ == '__main__':
    main()
