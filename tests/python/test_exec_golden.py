"""One training step of MLP, LeNet, ResNet-18 (CIFAR input) and Inception-BN (64x64 input)
against MXNet 1.9.1 (fixtures from tools/gen_exec_golden.py, recipe in tools/exec_golden.py).

Forward outputs (training and, after the step, inference), every argument gradient and the
updated auxiliary states must match MXNet's to 1e-4 relative to the array's scale. The fixtures
are MXNet-written .params files: loading them tests the reader, and saving the loaded dict must
give the same bytes (which is what MXNet needs to read Loom's files).
"""
import pathlib
import sys

import numpy as np
import pytest

import loom as mx

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = ROOT / 'tests' / 'golden' / 'exec'
sys.path.insert(0, str(ROOT / 'tools'))
import exec_golden  # noqa: E402

NETS = list(exec_golden.NETWORKS)
RTOL = 1e-4


def load_fixture(net):
    return {k: v.asnumpy() for k, v in mx.nd.load(str(FIXTURES / ('%s.params' % net))).items()}


@pytest.fixture(scope='module', params=NETS)
def step(request):
    net = request.param
    return net, exec_golden.run_step(mx, net), load_fixture(net)


def scale_of(ref):
    return float(np.abs(ref).max()) if ref.size else 0.0


def test_same_keys(step):
    _, ours, ref = step
    assert sorted(ours) == sorted(ref)


def test_forward_outputs(step):
    _, ours, ref = step
    for key in ref:
        if key.startswith(('out:', 'infer:')):
            np.testing.assert_allclose(ours[key], ref[key], rtol=RTOL,
                                       atol=RTOL * scale_of(ref[key]), err_msg=key)


def test_aux_states(step):
    _, ours, ref = step
    keys = [k for k in ref if k.startswith('aux:')]
    for key in keys:
        np.testing.assert_allclose(ours[key], ref[key], rtol=RTOL,
                                   atol=RTOL * scale_of(ref[key]), err_msg=key)


def test_gradients(step):
    net, ours, ref = step
    # Gradients that are zero in exact arithmetic (a convolution bias feeding BatchNorm) are
    # rounding noise in both frameworks: they are checked to be noise-sized, not equal.
    net_scale = max(scale_of(ref[k]) for k in ref if k.startswith(('grad:', 'sample:')))
    noise = RTOL * net_scale
    checked = 0
    for key in ref:
        if key.startswith(('grad:', 'sample:')):
            if scale_of(ref[key]) < noise:
                assert scale_of(ours[key]) < noise, key
                continue
            np.testing.assert_allclose(ours[key], ref[key], rtol=RTOL,
                                       atol=RTOL * scale_of(ref[key]), err_msg=key)
            checked += 1
        elif key.startswith('stats:'):
            total, total_abs, total_sq = ref[key]
            if total_abs < noise:
                continue
            assert abs(ours[key][0] - total) <= RTOL * total_abs, key
            np.testing.assert_allclose(ours[key][1:], ref[key][1:], rtol=RTOL, err_msg=key)
    assert checked > 0


@pytest.mark.parametrize('net', NETS)
def test_params_resave_is_byte_identical(net, tmp_path):
    src = FIXTURES / ('%s.params' % net)
    loaded = mx.nd.load(str(src))
    assert isinstance(loaded, dict) and len(loaded) > 5
    out = tmp_path / 'resaved.params'
    mx.nd.save(str(out), loaded)
    assert out.read_bytes() == src.read_bytes()
