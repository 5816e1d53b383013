"""MXNet's Symbol tutorial ("Symbol - Neural network graphs and auto-differentiation"), run on
Loom: the parts this version supports, in the tutorial's order, printing what it describes.

    PYTHONPATH=bindings/python:build/bindings/python python3 bindings/python/examples/symbol_tutorial.py

Parts left out need operators or tools Loom does not have yet (dot, reshape, broadcast_to,
Convolution, BatchNorm, Pooling, Concat, cast, mx.viz). The GPU part runs when a GPU is present.
"""
import os
import tempfile

import loom as mx


def section(title):
    print('\n=== %s ===' % title)


section('Basic operators')
a = mx.sym.Variable('a')
b = mx.sym.Variable('b')
c = a + b
print((a, b, c))
d = a * b  # elementwise multiplication
print(d, d.list_arguments())

section('Basic neural networks')
net = mx.sym.Variable('data')
net = mx.sym.FullyConnected(data=net, name='fc1', num_hidden=128)
net = mx.sym.Activation(data=net, name='relu1', act_type='relu')
net = mx.sym.FullyConnected(data=net, name='fc2', num_hidden=10)
net = mx.sym.SoftmaxOutput(data=net, name='out')
print(net.list_arguments())

print('Explicit weight name:')
net = mx.symbol.Variable('data')
w = mx.symbol.Variable('myweight')
net = mx.symbol.FullyConnected(data=net, weight=w, name='fc1', num_hidden=128)
print(net.list_arguments())

section('More complicated composition')
lhs = mx.symbol.Variable('data1')
rhs = mx.symbol.Variable('data2')
net = mx.symbol.FullyConnected(data=lhs + rhs, name='fc1', num_hidden=128)
print(net.list_arguments())

data = mx.symbol.Variable('data')
net1 = mx.symbol.FullyConnected(data=data, name='fc1', num_hidden=10)
print(net1.list_arguments())
net2 = mx.symbol.Variable('data2')
net2 = mx.symbol.FullyConnected(data=net2, name='fc2', num_hidden=10)
composed = net2(data2=net1, name='composed')
print(composed.list_arguments())

print('Prefix naming:')
data = mx.sym.Variable('data')
net = data
n_layer = 2
for i in range(n_layer):
    with mx.name.Prefix('layer%d_' % (i + 1)):
        net = mx.sym.FullyConnected(data=net, name='fc', num_hidden=100)
print(net.list_arguments())

section('Group multiple symbols')
net = mx.sym.Variable('data')
fc1 = mx.sym.FullyConnected(data=net, name='fc1', num_hidden=128)
net = mx.sym.Activation(data=fc1, name='relu1', act_type='relu')
out1 = mx.sym.SoftmaxOutput(data=net, name='softmax')
out2 = mx.sym.LinearRegressionOutput(data=net, name='regression')
group = mx.sym.Group([out1, out2])
print(group.list_outputs())

section('Shape and type inference')
arg_name = c.list_arguments()
out_name = c.list_outputs()
arg_shape, out_shape, _ = c.infer_shape(a=(2, 3), b=(2, 3))
arg_type, out_type, _ = c.infer_type(a='float32', b='float32')
print({'input': dict(zip(arg_name, arg_shape)), 'output': dict(zip(out_name, out_shape))})
print({'input': dict(zip(arg_name, arg_type)), 'output': dict(zip(out_name, out_type))})

section('Bind with data and evaluate')
ex = c.bind(ctx=mx.cpu(), args={'a': mx.nd.ones([2, 3]), 'b': mx.nd.ones([2, 3])})
ex.forward()
print('number of outputs = %d\nthe first output = \n%s' % (len(ex.outputs),
                                                           ex.outputs[0].asnumpy()))

if mx.context.num_gpus() > 0:
    gpu_device = mx.gpu()
    ex_gpu = c.bind(ctx=gpu_device, args={'a': mx.nd.ones([3, 4], gpu_device) * 2,
                                          'b': mx.nd.ones([3, 4], gpu_device) * 3})
    ex_gpu.forward()
    print('on %s:\n%s' % (gpu_device, ex_gpu.outputs[0].asnumpy()))
else:
    print('(no GPU: skipping the GPU evaluation)')

ex = c.eval(ctx=mx.cpu(), a=mx.nd.ones([2, 3]), b=mx.nd.ones([2, 3]))
print('number of outputs = %d\nthe first output = \n%s' % (len(ex), ex[0].asnumpy()))

print('FullyConnected on cpu:')
data = mx.sym.Variable('data')
fc = mx.sym.FullyConnected(data=data, name='fc1', num_hidden=2)
ex = fc.simple_bind(ctx=mx.cpu(), data=(1, 3))
ex.arg_dict['fc1_weight'][:] = [[1, 0, 0], [0, 1, 0]]
ex.arg_dict['fc1_bias'][:] = [0.5, 0]
print(ex.forward(data=mx.nd.array([[1, 2, 3]]))[0].asnumpy())

section('Load and save')
print(c.tojson())
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, 'symbol-c.json')
    c.save(path)
    c2 = mx.sym.load(path)
print(c.tojson() == c2.tojson())
print(mx.sym.load_json(c.tojson()).tojson() == c.tojson())

section('Variable sharing')
a = mx.sym.Variable('a')
b = mx.sym.Variable('b')
b = a + a * a
data = mx.nd.ones((2, 3)) * 2
ex = b.bind(ctx=mx.cpu(), args={'a': data, 'b': data})
ex.forward()
print(ex.outputs[0].asnumpy())
