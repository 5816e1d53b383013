"""Planned executor memory for ResNet-50 (v2) and Inception-BN at batch 32, 3x224x224, for
training (grad_req 'write' on every parameter, none on data and label, as Module binds) and
inference, in Loom and, when the reference MXNet 1.9.1 is installed (/opt/mxnet-venv or
$MXNET_PYTHON), in MXNet measured in the same run.

The figure compared is the "Total N MB allocated" line of Executor.debug_str() (MXNet's
storage_allocated_bytes; Loom's planned bytes): the executor's internal memory, user arrays
(arguments, gradients, aux states) excluded. Loom also prints exact bytes and the figure with
the mirror option (MXNET_BACKWARD_DO_MIRROR=1) for training, and a breakdown by planner feature
(LOOM_EXEC_PLANNER=blocks, LOOM_EXEC_INPLACE_GRAD_SUM=0).

Loom binds with LOOM_EXEC_PLAN_ONLY=1 so that planning does not need every kernel; MXNet runs
with MXNET_SUBGRAPH_BACKEND=NONE so both plan the same, unfused graph.

Usage: PYTHONPATH=bindings/python:build/bindings/python python3 tools/bench/mem_plan.py
"""
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))  # tools/, for model_zoo
MXNET_PYTHON = os.environ.get('MXNET_PYTHON', '/opt/mxnet-venv/bin/python')
NETS = ('resnet50-v2', 'inception-bn')
BATCH = 32


def measure(mx, is_loom, mirror=False):
    import model_zoo  # pylint: disable=import-outside-toplevel
    rows = []
    for net in NETS:
        sym = model_zoo.build(mx, net)
        args = sym.list_arguments()
        for train in (True, False):
            if mirror and not train:
                continue
            req = {a: ('write' if train and a not in ('data', 'softmax_label') else 'null')
                   for a in args}
            start = time.time()
            ex = sym.simple_bind(mx.cpu(), grad_req=req, data=(BATCH, 3, 224, 224))
            bind_s = time.time() - start
            lines = ex.debug_str().split('\n')
            mb = int(lines[-3].split()[1])
            exact = ex.planned_bytes if is_loom else None
            rows.append({'net': net, 'train': train, 'mb': mb, 'bytes': exact,
                         'bind_s': round(bind_s, 3)})
            del ex
    return rows


def run_mxnet():
    if not os.path.exists(MXNET_PYTHON):
        return None
    env = dict(os.environ, MXNET_SUBGRAPH_BACKEND='NONE', PYTHONPATH='')
    out = subprocess.run([MXNET_PYTHON, os.path.abspath(__file__), '--mxnet-child'], env=env,
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        print('MXNet run failed:\n' + out.stderr[-2000:])
        return None
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    if '--mxnet-child' in sys.argv:
        import mxnet  # pylint: disable=import-outside-toplevel
        rows = measure(mxnet, False)
        os.environ['MXNET_BACKWARD_DO_MIRROR'] = '1'  # read at each bind
        rows += measure(mxnet, False, mirror=True)
        print(json.dumps(rows))
        return
    os.environ['LOOM_EXEC_PLAN_ONLY'] = '1'
    import loom  # pylint: disable=import-outside-toplevel
    loom_rows = measure(loom, True)
    os.environ['MXNET_BACKWARD_DO_MIRROR'] = '1'
    mirror_rows = {r['net']: r for r in measure(loom, True, mirror=True)}
    del os.environ['MXNET_BACKWARD_DO_MIRROR']
    # where the savings come from: MXNet-style block reuse without in-place gradient sums
    os.environ['LOOM_EXEC_PLANNER'] = 'blocks'
    os.environ['LOOM_EXEC_INPLACE_GRAD_SUM'] = '0'
    baseline_rows = measure(loom, True)
    os.environ['LOOM_EXEC_INPLACE_GRAD_SUM'] = '1'
    blocks_rows = measure(loom, True)
    del os.environ['LOOM_EXEC_PLANNER']
    os.environ['LOOM_EXEC_INPLACE_GRAD_SUM'] = '0'
    nofold_rows = measure(loom, True)
    del os.environ['LOOM_EXEC_INPLACE_GRAD_SUM']
    mx_rows = run_mxnet()
    print('Planned executor memory, batch %d, 3x224x224 (MB = "Total N MB allocated")' % BATCH)
    header = '%-13s %-9s %10s %14s %10s %8s' % ('network', 'mode', 'Loom MB', 'Loom bytes',
                                               'MXNet MB', 'ratio')
    print(header)
    print('-' * len(header))
    for i, row in enumerate(loom_rows):
        mx_mb = mx_rows[i]['mb'] if mx_rows else None
        ratio = '%.3f' % (row['mb'] / mx_mb) if mx_mb else '-'
        print('%-13s %-9s %10d %14d %10s %8s' % (row['net'], 'training' if row['train'] else
                                                 'inference', row['mb'], row['bytes'],
                                                 mx_mb if mx_mb is not None else '-', ratio))
    mx_mirror = {r['net']: r for r in mx_rows[len(loom_rows):]} if mx_rows else {}
    for net, row in mirror_rows.items():
        theirs = mx_mirror.get(net, {}).get('mb')
        ratio = '%.3f' % (row['mb'] / theirs) if theirs else '-'
        print('%-13s %-9s %10d %14d %10s %8s' % (net, 'mirror', row['mb'], row['bytes'],
                                                 theirs if theirs is not None else '-', ratio))
    print()
    print('Loom MB by planner feature (block reuse = MXNet\'s scheme over Loom\'s graph)')
    header = '%-13s %-9s %14s %14s %14s %10s' % ('network', 'mode', 'blocks only',
                                                 '+grad sums', 'packing only', 'both')
    print(header)
    print('-' * len(header))
    for base, blocks, nofold, row in zip(baseline_rows, blocks_rows, nofold_rows, loom_rows):
        print('%-13s %-9s %14d %14d %14d %10d' % (row['net'], 'training' if row['train'] else
                                                  'inference', base['mb'], blocks['mb'],
                                                  nofold['mb'], row['mb']))
    if not mx_rows:
        print('(MXNet 1.9.1 not found at %s: Loom only)' % MXNET_PYTHON)


if __name__ == '__main__':
    main()
