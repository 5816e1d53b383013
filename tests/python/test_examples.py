"""The example scripts under bindings/python/examples run cleanly and print what they claim."""
import os
import pathlib
import subprocess
import sys

import loom

EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / 'bindings' / 'python' / 'examples'


def run_example(name, tmp_path):
    env = dict(os.environ)
    # Run with the same loom this test process imported (in-tree or installed).
    package_root = str(pathlib.Path(loom.__file__).resolve().parents[1])
    extension_dir = str(pathlib.Path(loom.base._LIB.__file__).resolve().parent)
    env['PYTHONPATH'] = os.pathsep.join([package_root, extension_dir,
                                         env.get('PYTHONPATH', '')])
    return subprocess.run([sys.executable, str(EXAMPLES / name)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)


# What MXNet 1.9.1 prints for the same script (import mxnet as mx), outside the DOT text of
# the plots, in order.
TUTORIAL_LINES = [
    '=== Basic operators ===',
    '(<Symbol a>, <Symbol b>, <Symbol _plus0>)',
    '\tbroadcast_to0 -> reshape0 [label="" arrowtail=open dir=back]',
    '=== Basic neural networks ===',
    '\tfc1 -> data [label=200 arrowtail=open dir=back]',
    "['data', 'fc1_weight', 'fc1_bias', 'fc2_weight', 'fc2_bias', 'out_label']",
    'Explicit weight name:',
    "['data', 'myweight', 'fc1_bias']",
    '=== More complicated composition ===',
    "['data1', 'data2', 'fc1_weight', 'fc1_bias']",
    "['data', 'fc1_weight', 'fc1_bias']",
    "['data', 'fc1_weight', 'fc1_bias', 'fc2_weight', 'fc2_bias']",
    'Prefix naming:',
    "['data', 'layer1_fc_weight', 'layer1_fc_bias', 'layer2_fc_weight', 'layer2_fc_bias']",
    '=== Modularized construction for deep networks ===',
    '\tconv_None -> "Previous Output" [label="3x28x28" arrowtail=open dir=back]',
    '24 nodes, 26 edges',
    "['ch_concat_in3a_chconcat_output']",
    '[(128, 256, 28, 28)]',
    '=== Group multiple symbols ===',
    "['softmax_output', 'regression_output']",
    '=== Shape and type inference ===',
    "{'input': {'a': (2, 3), 'b': (2, 3)}, 'output': {'_plus0_output': (2, 3)}}",
    "{'input': {'a': <class 'numpy.float32'>, 'b': <class 'numpy.float32'>}, "
    "'output': {'_plus0_output': <class 'numpy.float32'>}}",
    '=== Bind with data and evaluate ===',
    'number of outputs = 1',
    'the first output = ',
    '[[2. 2. 2.]',
    ' [2. 2. 2.]]',
    '[[5. 5. 5. 5.]',
    'number of outputs = 1',
    '=== Load and save ===',
    'True',
    '  "heads": [[2, 0, 0]], ',
    'True',
    '=== Type cast ===',
    "{'input': [<class 'numpy.float32'>], 'output': [<class 'numpy.float16'>]}",
    "{'input': [<class 'numpy.int32'>], 'output': [<class 'numpy.uint8'>]}",
    '=== Variable sharing ===',
    '[[6. 6. 6.]',
    ' [6. 6. 6.]]',
]


def test_symbol_tutorial(tmp_path):
    result = run_example('symbol_tutorial.py', tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    position = 0
    for expected in TUTORIAL_LINES:
        assert expected in lines[position:], 'missing, in order: %r' % expected
        position = lines.index(expected, position) + 1
