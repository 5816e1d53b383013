"""Time of one training step (forward(is_train=True) + backward) and of one inference forward on
CPU for the networks of the executor golden fixtures at benchmark batch sizes, in Loom and, when
installed (/opt/mxnet-venv or $MXNET_PYTHON), in MXNet 1.9.1 with its default CPU build
(oneDNN) measured in the same run. Figures are medians over several steps after a warm-up; run
on an otherwise idle machine.

Usage: PYTHONPATH=bindings/python:build/bindings/python python3 tools/bench/train_step.py
       [--steps N] [--nets a,b]
"""
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))  # tools/, for exec_golden and model_zoo
MXNET_PYTHON = os.environ.get('MXNET_PYTHON', '/opt/mxnet-venv/bin/python')
# name -> data shape used here (the fixture recipe's network, benchmark batch)
SHAPES = {
    'mlp': (64, 1, 28, 28),
    'lenet': (64, 1, 28, 28),
    'resnet18-cifar': (32, 3, 32, 32),
    'inception-bn-small': (16, 3, 64, 64),
}


def median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2]


def measure(mx, nets, steps):
    import numpy as np  # pylint: disable=import-outside-toplevel
    import exec_golden  # pylint: disable=import-outside-toplevel
    result = {}
    for net in nets:
        sym = exec_golden.build(mx, net)
        shape = SHAPES[net]
        exe = sym.simple_bind(mx.cpu(), grad_req='write', data=shape, softmax_label=(shape[0],))
        rng = np.random.RandomState(0)
        for name, arr in exe.arg_dict.items():
            if name == 'softmax_label':
                arr[:] = rng.randint(0, 10, arr.shape)
            elif name == 'data':
                arr[:] = rng.uniform(-1, 1, arr.shape)
            else:
                arr[:] = exec_golden.arg_value(name, arr.shape)
        for name, arr in exe.aux_dict.items():
            arr[:] = exec_golden.aux_value(name, arr.shape)

        def sync():
            for g in exe.grad_arrays:
                if g is not None:
                    g.wait_to_read()
            exe.outputs[0].wait_to_read()

        train, infer = [], []
        for i in range(steps + 1):
            start = time.perf_counter()
            exe.forward(is_train=True)
            exe.backward()
            sync()
            if i:
                train.append(time.perf_counter() - start)
        for i in range(steps + 1):
            start = time.perf_counter()
            exe.forward(is_train=False)
            exe.outputs[0].wait_to_read()
            if i:
                infer.append(time.perf_counter() - start)
        result[net] = {'train_ms': median(train) * 1e3, 'infer_ms': median(infer) * 1e3}
    return result


def main():
    steps = 5
    nets = list(SHAPES)
    args = sys.argv[1:]
    if '--steps' in args:
        steps = int(args[args.index('--steps') + 1])
    if '--nets' in args:
        nets = args[args.index('--nets') + 1].split(',')
    if '--mxnet-child' in args:
        import mxnet  # pylint: disable=import-outside-toplevel
        print(json.dumps(measure(mxnet, nets, steps)))
        return
    import loom  # pylint: disable=import-outside-toplevel
    ours = measure(loom, nets, steps)
    ref = None
    if os.path.exists(MXNET_PYTHON):
        child = [MXNET_PYTHON, os.path.abspath(__file__), '--mxnet-child', '--steps', str(steps),
                 '--nets', ','.join(nets)]
        out = subprocess.run(child, env=dict(os.environ, PYTHONPATH=''), capture_output=True,
                             text=True, check=False)
        if out.returncode == 0:
            ref = json.loads(out.stdout.strip().splitlines()[-1])
        else:
            print('MXNet run failed:\n' + out.stderr[-2000:])
    print('CPU time per step (median of %d), ms' % steps)
    print('%-20s %-18s %10s %10s %8s' % ('network', 'data', 'Loom', 'MXNet', 'ratio'))
    for net in nets:
        for key, label in (('train_ms', 'train'), ('infer_ms', 'infer')):
            theirs = ref[net][key] if ref else None
            print('%-20s %-18s %10.1f %10s %8s' % (
                '%s %s' % (net, label), 'x'.join(map(str, SHAPES[net])), ours[net][key],
                '%.1f' % theirs if theirs else '-',
                '%.2f' % (ours[net][key] / theirs) if theirs else '-'))


if __name__ == '__main__':
    main()
