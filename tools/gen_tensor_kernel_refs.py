"""Prints the MXNet 1.9.1 numbers hard-coded in tests/ops/test_tensor_kernels.cc and
tests/python/test_tensor_kernels.py (tie handling of max's gradient, broadcast_maximum's tie
rule, pick's clip/wrap modes, arange with repeat, linspace without endpoint, eye with k, the
nanprod gradient). Run with the reference interpreter: /opt/mxnet-venv/bin/python
tools/gen_tensor_kernel_refs.py"""
import mxnet as mx


def grad_of(fn, x, head=None):
    x = mx.nd.array(x)
    x.attach_grad()
    with mx.autograd.record():
        y = fn(x)
    y.backward(None if head is None else mx.nd.array(head))
    return x.grad.asnumpy().tolist()


print('max axis=1 grad, head (1,2):',
      grad_of(lambda x: mx.nd.max(x, axis=1), [[1, 3, 3], [2, 2, 1]], [1, 2]))
print('broadcast_maximum lhs grad vs [[2,2,2]]:',
      grad_of(lambda x: mx.nd.broadcast_maximum(x, mx.nd.array([[2, 2, 2]])),
              [[1, 3, 3], [2, 2, 1]]))
print('nanprod axis=1 grad:', grad_of(lambda x: mx.nd.nanprod(x, axis=1),
                                       [[1, float('nan'), 3], [2, 2, float('nan')]], [1, 1]))
data = mx.nd.array([[1, 2, 3], [4, 5, 6]])
index = mx.nd.array([5, -1])
print('pick clip:', mx.nd.pick(data, index, axis=1, mode='clip').asnumpy().tolist())
print('pick wrap:', mx.nd.pick(data, index, axis=1, mode='wrap').asnumpy().tolist())
print('arange(2, 8, 2, repeat=2):', mx.nd.arange(2, 8, 2, repeat=2).asnumpy().tolist())
print('linspace(0, 1, 5, endpoint=False):',
      mx.nd.linspace(0, 1, 5, endpoint=False).asnumpy().tolist())
print('eye(3, 4, k=1):', mx.nd.eye(3, 4, k=1).asnumpy().tolist())
print('argmax([[1,3,3]], axis=1):', mx.nd.argmax(mx.nd.array([[1, 3, 3]]), axis=1).asnumpy())
x = mx.nd.array([[3, 1, 2], [0, 5, 4]])
print('topk k=2:', mx.nd.topk(x, k=2).asnumpy().tolist())
print('topk both axis=0:', [a.asnumpy().tolist() for a in mx.nd.topk(x, k=2, axis=0, ret_typ='both')])
print('topk mask k=1 ascend:', mx.nd.topk(x, k=1, ret_typ='mask', is_ascend=True).asnumpy().tolist())
print('argsort axis=None:', mx.nd.argsort(x, axis=None).asnumpy().tolist())
