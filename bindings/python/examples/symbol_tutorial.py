"""MXNet's Symbol tutorial ("Symbol - Neural network graphs and auto-differentiation"), run on
Loom from start to end, in the tutorial's order, printing what the tutorial shows. Plots are
printed as graphviz DOT text (render them with `dot -Tpdf`); without the `graphviz` package
they are skipped with a note. The GPU section runs on the CPU when no GPU is present.

    PYTHONPATH=bindings/python:build/bindings/python python3 bindings/python/examples/symbol_tutorial.py
"""
import os
import pickle
import tempfile

import loom as mx


def section(title):
    print('\n=== %s ===' % title)


def plot(symbol, **kwargs):
    """mx.viz.plot_network, printed: the DOT text of the tutorial's picture."""
    try:
        dot = mx.viz.plot_network(symbol, **kwargs)
    except ImportError as err:
        print('(plot skipped: %s)' % err)
        return
    print(dot.source)


def plot_outline(symbol, **kwargs):
    """For the big pictures: how many boxes and arrows, and the operator boxes' labels."""
    try:
        dot = mx.viz.plot_network(symbol, **kwargs)
    except ImportError as err:
        print('(plot skipped: %s)' % err)
        return
    lines = [line for line in dot.body if '->' not in line]
    print('%d nodes, %d edges' % (len(lines), len(dot.body) - len(lines)))


# ---------------------------------------------------------------- Basic Symbol Composition
section('Basic operators')
a = mx.sym.Variable('a')
b = mx.sym.Variable('b')
c = a + b
print((a, b, c))

# elemental wise multiplication
d = a * b
# matrix multiplication
e = mx.sym.dot(a, b)
# reshape
f = mx.sym.reshape(d + e, shape=(1, 4))
# broadcast
g = mx.sym.broadcast_to(f, shape=(2, 4))
# plot
plot(g)

section('Basic neural networks')
net = mx.sym.Variable('data')
net = mx.sym.FullyConnected(data=net, name='fc1', num_hidden=128)
net = mx.sym.Activation(data=net, name='relu1', act_type="relu")
net = mx.sym.FullyConnected(data=net, name='fc2', num_hidden=10)
net = mx.sym.SoftmaxOutput(data=net, name='out')
plot(net, shape={'data': (100, 200)})
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
data = mx.sym.Variable("data")
net = data
n_layer = 2
for i in range(n_layer):
    with mx.name.Prefix("layer%d_" % (i + 1)):
        net = mx.sym.FullyConnected(data=net, name="fc", num_hidden=100)
print(net.list_arguments())

section('Modularized construction for deep networks')


def ConvFactory(data, num_filter, kernel, stride=(1, 1), pad=(0, 0), name=None, suffix=''):
    conv = mx.sym.Convolution(data=data, num_filter=num_filter, kernel=kernel,
                              stride=stride, pad=pad, name='conv_%s%s' % (name, suffix))
    bn = mx.sym.BatchNorm(data=conv, name='bn_%s%s' % (name, suffix))
    act = mx.sym.Activation(data=bn, act_type='relu', name='relu_%s%s' % (name, suffix))
    return act


prev = mx.sym.Variable(name="Previous Output")
conv_comp = ConvFactory(data=prev, num_filter=64, kernel=(7, 7), stride=(2, 2))
shape = {"Previous Output": (128, 3, 28, 28)}
plot(conv_comp, shape=shape)


def InceptionFactoryA(data, num_1x1, num_3x3red, num_3x3, num_d3x3red, num_d3x3,
                      pool, proj, name):
    # 1x1
    c1x1 = ConvFactory(data=data, num_filter=num_1x1, kernel=(1, 1), name=('%s_1x1' % name))
    # 3x3 reduce + 3x3
    c3x3r = ConvFactory(data=data, num_filter=num_3x3red, kernel=(1, 1),
                        name=('%s_3x3' % name), suffix='_reduce')
    c3x3 = ConvFactory(data=c3x3r, num_filter=num_3x3, kernel=(3, 3), pad=(1, 1),
                       name=('%s_3x3' % name))
    # double 3x3 reduce + double 3x3
    cd3x3r = ConvFactory(data=data, num_filter=num_d3x3red, kernel=(1, 1),
                         name=('%s_double_3x3' % name), suffix='_reduce')
    cd3x3 = ConvFactory(data=cd3x3r, num_filter=num_d3x3, kernel=(3, 3), pad=(1, 1),
                        name=('%s_double_3x3_0' % name))
    cd3x3 = ConvFactory(data=cd3x3, num_filter=num_d3x3, kernel=(3, 3), pad=(1, 1),
                        name=('%s_double_3x3_1' % name))
    # pool + proj
    pooling = mx.sym.Pooling(data=data, kernel=(3, 3), stride=(1, 1), pad=(1, 1),
                             pool_type=pool, name=('%s_pool_%s_pool' % (pool, name)))
    cproj = ConvFactory(data=pooling, num_filter=proj, kernel=(1, 1), name=('%s_proj' % name))
    # concat
    concat = mx.sym.Concat(*[c1x1, c3x3, cd3x3, cproj], name='ch_concat_%s_chconcat' % name)
    return concat


prev = mx.sym.Variable(name="Previous Output")
in3a = InceptionFactoryA(prev, 64, 64, 64, 64, 96, "avg", 32, name="in3a")
plot_outline(in3a, shape=shape)
print(in3a.list_outputs())
print(in3a.infer_shape(**shape)[1])

section('Group multiple symbols')
net = mx.sym.Variable('data')
fc1 = mx.sym.FullyConnected(data=net, name='fc1', num_hidden=128)
net = mx.sym.Activation(data=fc1, name='relu1', act_type="relu")
out1 = mx.sym.SoftmaxOutput(data=net, name='softmax')
out2 = mx.sym.LinearRegressionOutput(data=net, name='regression')
group = mx.sym.Group([out1, out2])
print(group.list_outputs())

# ---------------------------------------------------------------- Symbol Manipulation
section('Shape and type inference')
arg_name = c.list_arguments()  # get the names of the inputs
out_name = c.list_outputs()    # get the names of the outputs
# infers output shape given the shape of input arguments
arg_shape, out_shape, _ = c.infer_shape(a=(2, 3), b=(2, 3))
# infers output type given the type of input arguments
arg_type, out_type, _ = c.infer_type(a='float32', b='float32')
print({'input': dict(zip(arg_name, arg_shape)),
       'output': dict(zip(out_name, out_shape))})
print({'input': dict(zip(arg_name, arg_type)),
       'output': dict(zip(out_name, out_type))})

section('Bind with data and evaluate')
ex = c.bind(ctx=mx.cpu(), args={'a': mx.nd.ones([2, 3]),
                                'b': mx.nd.ones([2, 3])})
ex.forward()
print('number of outputs = %d\nthe first output = \n%s' % (
    len(ex.outputs), ex.outputs[0].asnumpy()))

# The tutorial's GPU evaluation; on a machine without a GPU it runs on the CPU.
gpu_device = mx.gpu() if mx.context.num_gpus() > 0 else mx.cpu()
ex_gpu = c.bind(ctx=gpu_device, args={'a': mx.nd.ones([3, 4], gpu_device) * 2,
                                      'b': mx.nd.ones([3, 4], gpu_device) * 3})
ex_gpu.forward()
print('on %s:\n%s' % (gpu_device, ex_gpu.outputs[0].asnumpy()))

ex = c.eval(ctx=mx.cpu(), a=mx.nd.ones([2, 3]), b=mx.nd.ones([2, 3]))
print('number of outputs = %d\nthe first output = \n%s' % (
    len(ex), ex[0].asnumpy()))

section('Load and save')
c_pickled = pickle.loads(pickle.dumps(c))
print(c_pickled.tojson() == c.tojson())
print(c.tojson())
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, 'symbol-c.json')
    c.save(path)
    c2 = mx.sym.load(path)
print(c.tojson() == c2.tojson())

# ---------------------------------------------------------------- Advanced Usages
section('Type cast')
a = mx.sym.Variable('data')
b = mx.sym.cast(data=a, dtype='float16')
arg, out, _ = b.infer_type(data='float32')
print({'input': arg, 'output': out})

c = mx.sym.cast(data=a, dtype='uint8')
arg, out, _ = c.infer_type(data='int32')
print({'input': arg, 'output': out})

section('Variable sharing')
a = mx.sym.Variable('a')
b = mx.sym.Variable('b')
b = a + a * a

data = mx.nd.ones((2, 3)) * 2
ex = b.bind(ctx=mx.cpu(), args={'a': data, 'b': data})
ex.forward()
print(ex.outputs[0].asnumpy())
