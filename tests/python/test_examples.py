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


def test_symbol_tutorial(tmp_path):
    result = run_example('symbol_tutorial.py', tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "['data', 'fc1_weight', 'fc1_bias', 'fc2_weight', 'fc2_bias', 'out_label']" in out
    assert "['data', 'myweight', 'fc1_bias']" in out
    assert "['data', 'layer1_fc_weight', 'layer1_fc_bias', 'layer2_fc_weight', " \
        "'layer2_fc_bias']" in out
    assert "['softmax_output', 'regression_output']" in out
    assert "'output': {'_plus0_output': (2, 3)}" in out
    assert 'number of outputs = 1' in out
    assert '[[1.5 2. ]]' in out
    assert 'True\nTrue' in out
