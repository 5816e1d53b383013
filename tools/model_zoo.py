"""Standard network definitions written once for both MXNet 1.9.1 and Loom.

Every builder takes the framework module as its first argument (`mxnet` or `loom`, both used
as `mx`) and returns a Symbol, so the same code produces the reference graph (through
tools/gen_symbol_fixtures.py) and the graph under test (tests/python/test_model_zoo.py).

Layer names follow the conventions of MXNet's classic example symbols where those gave layers
explicit names (`fc1`, `conv0`, `stage1_unit1_bn1`, `softmax`, ...); everything else is named
automatically, so `build()` wraps each builder in a fresh NameManager to make the automatic
names (`convolution0`, `_plus3`, ...) the same in both frameworks.

The parameters are deliberately spelled in several ways (tuples, lists, 1-tuples, ints, bools,
floats such as 2e-5, numpy dtypes, strings) because each spelling is written verbatim into the
JSON, which the fixtures compare byte for byte.

NETWORKS maps a fixture name to (builder, keyword arguments, input shapes).
"""
import numpy as np

# --------------------------------------------------------------------------- small helpers


def _conv_bn_relu(mx, data, num_filter, kernel, stride=(1, 1), pad=(0, 0), name=None,
                  num_group=1, bn_kwargs=None):
    """Convolution (no bias) -> BatchNorm -> ReLU, named <name>_conv / _bn / _relu."""
    conv = mx.sym.Convolution(data=data, num_filter=num_filter, kernel=kernel, stride=stride,
                              pad=pad, num_group=num_group, no_bias=True,
                              name=None if name is None else '%s_conv' % name)
    bn = mx.sym.BatchNorm(data=conv, name=None if name is None else '%s_bn' % name,
                          **(bn_kwargs or {}))
    return mx.sym.Activation(data=bn, act_type='relu',
                             name=None if name is None else '%s_relu' % name)


# --------------------------------------------------------------------------- MLP


def mlp(mx, num_classes=10, hidden=(128, 64)):
    """Three fully connected layers (two hidden, ReLU) and a softmax classifier."""
    data = mx.sym.Variable('data')
    net = mx.sym.Flatten(data=data)
    for i, width in enumerate(hidden):
        net = mx.sym.FullyConnected(data=net, num_hidden=width, name='fc%d' % (i + 1))
        net = mx.sym.Activation(data=net, act_type='relu', name='relu%d' % (i + 1))
    net = mx.sym.FullyConnected(data=net, num_hidden=num_classes, name='fc%d' % (len(hidden) + 1))
    return mx.sym.SoftmaxOutput(data=net, name='softmax')


def mlp_attrs(mx, num_classes=10):
    """An MLP that exercises attributes: AttrScope (hidden ctx_group), per-variable lr_mult /
    wd_mult / shape / init hints, a PReLU (its gamma gets an initializer hint on compose),
    a leaky ReLU, Dropout, scalar arithmetic and an explicit `elemwise_add`."""
    data = mx.sym.Variable('data', shape=(0, 20))
    with mx.AttrScope(ctx_group='dev1'):
        w1 = mx.sym.Variable('fc1_weight', lr_mult=2.0, wd_mult=0.0)
        fc1 = mx.sym.FullyConnected(data=data, weight=w1, num_hidden=32, name='fc1')
        act1 = mx.sym.LeakyReLU(data=fc1, act_type='prelu', name='prelu1')
    with mx.AttrScope(ctx_group='dev2'):
        fc2 = mx.sym.FullyConnected(data=act1, num_hidden=32, no_bias=True, name='fc2')
        act2 = mx.sym.LeakyReLU(data=fc2, act_type='leaky', slope=0.1)
        skip = mx.sym.elemwise_add(act2, act1 * 0.5, name='skip')
        drop = mx.sym.Dropout(data=skip - 1, p=0.25)
    fc3 = mx.sym.FullyConnected(data=drop, num_hidden=num_classes, name='fc3',
                                attr={'lr_mult': '0.5'})
    return mx.sym.SoftmaxOutput(data=fc3, name='softmax', normalization='batch',
                                grad_scale=1.0)


# --------------------------------------------------------------------------- LeNet


def lenet(mx, num_classes=10):
    """LeNet-5 style: (conv 5x5 -> tanh -> max pool 2x2) x 2 -> FC 500 -> tanh -> FC."""
    data = mx.sym.Variable('data')
    net = data
    for num_filter in (20, 50):
        net = mx.sym.Convolution(data=net, kernel=(5, 5), num_filter=num_filter)
        net = mx.sym.Activation(data=net, act_type='tanh')
        net = mx.sym.Pooling(data=net, pool_type='max', kernel=(2, 2), stride=(2, 2))
    net = mx.sym.Flatten(data=net)
    net = mx.sym.FullyConnected(data=net, num_hidden=500)
    net = mx.sym.Activation(data=net, act_type='tanh')
    net = mx.sym.FullyConnected(data=net, num_hidden=num_classes)
    return mx.sym.SoftmaxOutput(data=net, name='softmax')


# --------------------------------------------------------------------------- AlexNet


def alexnet(mx, num_classes=1000):
    """AlexNet with local response normalisation after the first two convolutions and
    dropout in the classifier."""
    data = mx.sym.Variable('data')
    layers = [  # (num_filter, kernel, stride, pad, lrn, pool)
        (96, (11, 11), (4, 4), (0, 0), True, True),
        (256, (5, 5), (1, 1), (2, 2), True, True),
        (384, (3, 3), (1, 1), (1, 1), False, False),
        (384, (3, 3), (1, 1), (1, 1), False, False),
        (256, (3, 3), (1, 1), (1, 1), False, True),
    ]
    net = data
    for i, (num_filter, kernel, stride, pad, lrn, pool) in enumerate(layers, 1):
        net = mx.sym.Convolution(data=net, num_filter=num_filter, kernel=kernel, stride=stride,
                                 pad=pad, name='conv%d' % i)
        net = mx.sym.Activation(data=net, act_type='relu', name='relu%d' % i)
        if lrn:
            net = mx.sym.LRN(data=net, alpha=0.0001, beta=0.75, knorm=2, nsize=5)
        if pool:
            net = mx.sym.Pooling(data=net, pool_type='max', kernel=(3, 3), stride=(2, 2))
    net = mx.sym.Flatten(data=net)
    for i in (6, 7):
        net = mx.sym.FullyConnected(data=net, num_hidden=4096, name='fc%d' % i)
        net = mx.sym.Activation(data=net, act_type='relu', name='relu%d' % i)
        net = mx.sym.Dropout(data=net, p=0.5, name='drop%d' % i)
    net = mx.sym.FullyConnected(data=net, num_hidden=num_classes, name='fc8')
    return mx.sym.SoftmaxOutput(data=net, name='softmax')


# --------------------------------------------------------------------------- VGG

_VGG_LAYERS = {11: (1, 1, 2, 2, 2), 13: (2, 2, 2, 2, 2), 16: (2, 2, 3, 3, 3),
               19: (2, 2, 4, 4, 4)}


def vgg(mx, num_layers=11, batch_norm=False, num_classes=1000):
    """VGG-11/13/16/19: stacks of 3x3 convolutions (optionally batch-normalised) separated by
    2x2 max pooling, then two dropout-regularised 4096-wide layers."""
    data = mx.sym.Variable('data')
    net = data
    filters = (64, 128, 256, 512, 512)
    for stage, (repeat, num_filter) in enumerate(zip(_VGG_LAYERS[num_layers], filters), 1):
        for j in range(1, repeat + 1):
            suffix = '%d_%d' % (stage, j)
            net = mx.sym.Convolution(data=net, kernel=(3, 3), pad=[1, 1], num_filter=num_filter,
                                     name='conv' + suffix)
            if batch_norm:
                net = mx.sym.BatchNorm(data=net, name='bn' + suffix)
            net = mx.sym.Activation(data=net, act_type='relu', name='relu' + suffix)
        net = mx.sym.Pooling(data=net, pool_type='max', kernel=(2, 2), stride=(2, 2),
                             name='pool%d' % stage)
    net = mx.sym.Flatten(data=net, name='flatten')
    for i in (6, 7):
        net = mx.sym.FullyConnected(data=net, num_hidden=4096, name='fc%d' % i)
        net = mx.sym.Activation(data=net, act_type='relu', name='relu%d' % i)
        net = mx.sym.Dropout(data=net, p=0.5, name='drop%d' % i)
    net = mx.sym.FullyConnected(data=net, num_hidden=num_classes, name='fc8')
    return mx.sym.SoftmaxOutput(data=net, name='softmax')


# --------------------------------------------------------------------------- ResNet v1


def _resnet_v1_unit(mx, data, num_filter, stride, dim_match, name, bottleneck, bn_kwargs):
    """Post-activation residual unit: conv-bn-relu ... conv-bn, add the shortcut, relu."""
    if bottleneck:
        plan = [(num_filter // 4, (1, 1), stride, (0, 0)),
                (num_filter // 4, (3, 3), (1, 1), (1, 1)),
                (num_filter, (1, 1), (1, 1), (0, 0))]
    else:
        plan = [(num_filter, (3, 3), stride, (1, 1)),
                (num_filter, (3, 3), (1, 1), (1, 1))]
    net = data
    for i, (filters, kernel, conv_stride, pad) in enumerate(plan, 1):
        net = mx.sym.Convolution(data=net, num_filter=filters, kernel=kernel,
                                 stride=conv_stride, pad=pad, no_bias=True,
                                 name='%s_conv%d' % (name, i))
        net = mx.sym.BatchNorm(data=net, name='%s_bn%d' % (name, i), **bn_kwargs)
        if i < len(plan):
            net = mx.sym.Activation(data=net, act_type='relu', name='%s_relu%d' % (name, i))
    if dim_match:
        shortcut = data
    else:
        shortcut = mx.sym.Convolution(data=data, num_filter=num_filter, kernel=(1, 1),
                                      stride=stride, no_bias=True, name='%s_sc' % name)
        shortcut = mx.sym.BatchNorm(data=shortcut, name='%s_sc_bn' % name, **bn_kwargs)
    net = mx.sym.elemwise_add(net, shortcut, name='%s_add' % name)
    return mx.sym.Activation(data=net, act_type='relu', name='%s_relu' % name)


def resnet_v1(mx, units=(2, 2, 2, 2), filters=(64, 64, 128, 256, 512), num_classes=1000,
              bottleneck=False, small_input=False, dtype='float32'):
    """ResNet v1 (He et al. 2015). ImageNet style: 7x7/2 stem and 3x3/2 max pool; small_input
    (CIFAR) style: one 3x3 convolution. dtype='float16' casts the body to half precision and
    the logits back, as MXNet's training scripts do."""
    bn_kwargs = {'fix_gamma': False, 'eps': 1e-5, 'momentum': 0.9}
    data = mx.sym.Variable('data')
    net = data
    if dtype == 'float16':
        net = mx.sym.Cast(data=net, dtype=np.float16)
    if small_input:
        net = mx.sym.Convolution(data=net, num_filter=filters[0], kernel=(3, 3), pad=(1, 1),
                                 no_bias=True, name='conv0')
        net = mx.sym.BatchNorm(data=net, name='bn0', **bn_kwargs)
        net = mx.sym.Activation(data=net, act_type='relu', name='relu0')
    else:
        net = mx.sym.Convolution(data=net, num_filter=filters[0], kernel=(7, 7), stride=(2, 2),
                                 pad=(3, 3), no_bias=True, name='conv0')
        net = mx.sym.BatchNorm(data=net, name='bn0', **bn_kwargs)
        net = mx.sym.Activation(data=net, act_type='relu', name='relu0')
        net = mx.sym.Pooling(data=net, kernel=(3, 3), stride=(2, 2), pad=(1, 1),
                             pool_type='max', name='pool0')
    for stage, count in enumerate(units):
        stride = (1, 1) if stage == 0 else (2, 2)
        for unit in range(count):
            net = _resnet_v1_unit(mx, net, filters[stage + 1], stride if unit == 0 else (1, 1),
                                  unit > 0 or (stage == 0 and filters[0] == filters[1]
                                               and not bottleneck),
                                  'stage%d_unit%d' % (stage + 1, unit + 1), bottleneck,
                                  bn_kwargs)
    net = mx.sym.Pooling(data=net, global_pool=True, kernel=(7, 7), pool_type='avg',
                         name='pool1')
    net = mx.sym.Flatten(data=net)
    net = mx.sym.FullyConnected(data=net, num_hidden=num_classes, name='fc1')
    if dtype == 'float16':
        net = mx.sym.Cast(data=net, dtype='float32')
    return mx.sym.SoftmaxOutput(data=net, name='softmax')


# --------------------------------------------------------------------------- ResNet v2


def _resnet_v2_unit(mx, data, num_filter, stride, dim_match, name, bottleneck, memonger):
    """Pre-activation unit (He et al. 2016): bn-relu-conv blocks; the projection shortcut
    starts from the first activation; the identity shortcut is added with `+`."""
    bn = dict(fix_gamma=False, eps=2e-5, momentum=0.9)
    if bottleneck:
        plan = [(int(num_filter * 0.25), (1, 1), (1, 1), (0, 0)),
                (int(num_filter * 0.25), (3, 3), stride, (1, 1)),
                (num_filter, (1, 1), (1, 1), (0, 0))]
    else:
        plan = [(num_filter, (3, 3), stride, (1, 1)),
                (num_filter, (3, 3), (1, 1), (1, 1))]
    net = data
    first_act = None
    for i, (filters, kernel, conv_stride, pad) in enumerate(plan, 1):
        net = mx.sym.BatchNorm(data=net, name='%s_bn%d' % (name, i), **bn)
        net = mx.sym.Activation(data=net, act_type='relu', name='%s_relu%d' % (name, i))
        if first_act is None:
            first_act = net
        net = mx.sym.Convolution(data=net, num_filter=filters, kernel=kernel,
                                 stride=conv_stride, pad=pad, no_bias=True, workspace=256,
                                 name='%s_conv%d' % (name, i))
    if dim_match:
        shortcut = data
    else:
        shortcut = mx.sym.Convolution(data=first_act, num_filter=num_filter, kernel=(1, 1),
                                      stride=stride, no_bias=True, workspace=256,
                                      name='%s_sc' % name)
    if memonger:
        shortcut._set_attr(mirror_stage='True')
    return net + shortcut


def resnet_v2(mx, units=(2, 2, 2, 2), filters=(64, 64, 128, 256, 512), num_classes=1000,
              bottleneck=False, small_input=False, memonger=False):
    """Pre-activation ResNet (v2): input BatchNorm with fixed gamma, stem, stages of
    pre-activation units, final bn-relu, global average pooling, classifier."""
    data = mx.sym.Variable('data')
    net = mx.sym.BatchNorm(data=data, fix_gamma=True, eps=2e-5, momentum=0.9, name='bn_data')
    if small_input:
        net = mx.sym.Convolution(data=net, num_filter=filters[0], kernel=(3, 3), stride=(1, 1),
                                 pad=(1, 1), no_bias=True, name='conv0', workspace=256)
    else:
        net = mx.sym.Convolution(data=net, num_filter=filters[0], kernel=(7, 7), stride=(2, 2),
                                 pad=(3, 3), no_bias=True, name='conv0', workspace=256)
        net = mx.sym.BatchNorm(data=net, fix_gamma=False, eps=2e-5, momentum=0.9, name='bn0')
        net = mx.sym.Activation(data=net, act_type='relu', name='relu0')
        net = mx.sym.Pooling(data=net, kernel=(3, 3), stride=(2, 2), pad=(1, 1),
                             pool_type='max')
    for stage, count in enumerate(units):
        for unit in range(count):
            stride = (1 if stage == 0 or unit > 0 else 2,) * 2
            net = _resnet_v2_unit(mx, net, filters[stage + 1], stride, unit > 0,
                                  'stage%d_unit%d' % (stage + 1, unit + 1), bottleneck,
                                  memonger)
    net = mx.sym.BatchNorm(data=net, fix_gamma=False, eps=2e-5, momentum=0.9, name='bn1')
    net = mx.sym.Activation(data=net, act_type='relu', name='relu1')
    net = mx.sym.Pooling(data=net, global_pool=True, kernel=(7, 7), pool_type='avg',
                         name='pool1')
    net = mx.sym.Flatten(data=net)
    net = mx.sym.FullyConnected(data=net, num_hidden=num_classes, name='fc1')
    return mx.sym.SoftmaxOutput(data=net, name='softmax')


# --------------------------------------------------------------------------- Inception-BN


def _inception_bn_conv(mx, data, num_filter, kernel, stride=(1, 1), pad=(0, 0), name='',
                       suffix=''):
    conv = mx.sym.Convolution(data=data, num_filter=num_filter, kernel=kernel, stride=stride,
                              pad=pad, name='conv_%s%s' % (name, suffix))
    bn = mx.sym.BatchNorm(data=conv, fix_gamma=False, eps=1e-05, name='bn_%s%s' % (name, suffix))
    return mx.sym.Activation(data=bn, act_type='relu', name='relu_%s%s' % (name, suffix))


def _inception_bn_a(mx, data, c1, c3r, c3, cd3r, cd3, pool, proj, name):
    """Four branches: 1x1; 1x1 -> 3x3; 1x1 -> 3x3 -> 3x3; pool -> 1x1 projection."""
    conv = _inception_bn_conv
    b1 = conv(mx, data, c1, (1, 1), name='%s_1x1' % name)
    b2 = conv(mx, data, c3r, (1, 1), name='%s_3x3' % name, suffix='_reduce')
    b2 = conv(mx, b2, c3, (3, 3), pad=(1, 1), name='%s_3x3' % name)
    b3 = conv(mx, data, cd3r, (1, 1), name='%s_double_3x3' % name, suffix='_reduce')
    b3 = conv(mx, b3, cd3, (3, 3), pad=(1, 1), name='%s_double_3x3_0' % name)
    b3 = conv(mx, b3, cd3, (3, 3), pad=(1, 1), name='%s_double_3x3_1' % name)
    b4 = mx.sym.Pooling(data=data, kernel=(3, 3), stride=(1, 1), pad=(1, 1), pool_type=pool,
                        name='%s_pool_%s_pool' % (pool, name))
    b4 = conv(mx, b4, proj, (1, 1), name='%s_proj' % name)
    return mx.sym.Concat(b1, b2, b3, b4, name='ch_concat_%s_chconcat' % name)


def _inception_bn_b(mx, data, c3r, c3, cd3r, cd3, name):
    """Grid reduction: two strided convolution branches and a strided max pool."""
    conv = _inception_bn_conv
    b1 = conv(mx, data, c3r, (1, 1), name='%s_3x3' % name, suffix='_reduce')
    b1 = conv(mx, b1, c3, (3, 3), stride=(2, 2), pad=(1, 1), name='%s_3x3' % name)
    b2 = conv(mx, data, cd3r, (1, 1), name='%s_double_3x3' % name, suffix='_reduce')
    b2 = conv(mx, b2, cd3, (3, 3), pad=(1, 1), name='%s_double_3x3_0' % name)
    b2 = conv(mx, b2, cd3, (3, 3), stride=(2, 2), pad=(1, 1), name='%s_double_3x3_1' % name)
    b3 = mx.sym.Pooling(data=data, kernel=(3, 3), stride=(2, 2), pad=(1, 1), pool_type='max',
                        name='max_pool_%s_pool' % name)
    return mx.sym.Concat(b1, b2, b3, name='ch_concat_%s_chconcat' % name)


def inception_bn(mx, num_classes=1000):
    """BN-Inception (Ioffe & Szegedy 2015)."""
    conv = _inception_bn_conv
    data = mx.sym.Variable('data')
    net = conv(mx, data, 64, (7, 7), stride=(2, 2), pad=(3, 3), name='1')
    net = mx.sym.Pooling(data=net, kernel=(3, 3), stride=(2, 2), name='pool_1',
                         pool_type='max', pooling_convention='full')
    net = conv(mx, net, 64, (1, 1), name='2_red')
    net = conv(mx, net, 192, (3, 3), pad=(1, 1), name='2')
    net = mx.sym.Pooling(data=net, kernel=(3, 3), stride=(2, 2), name='pool_2',
                         pool_type='max', pooling_convention='full')
    net = _inception_bn_a(mx, net, 64, 64, 64, 64, 96, 'avg', 32, '3a')
    net = _inception_bn_a(mx, net, 64, 64, 96, 64, 96, 'avg', 64, '3b')
    net = _inception_bn_b(mx, net, 128, 160, 64, 96, '3c')
    net = _inception_bn_a(mx, net, 224, 64, 96, 96, 128, 'avg', 128, '4a')
    net = _inception_bn_a(mx, net, 192, 96, 128, 96, 128, 'avg', 128, '4b')
    net = _inception_bn_a(mx, net, 160, 128, 160, 128, 160, 'avg', 128, '4c')
    net = _inception_bn_a(mx, net, 96, 128, 192, 160, 192, 'avg', 128, '4d')
    net = _inception_bn_b(mx, net, 128, 192, 192, 256, '4e')
    net = _inception_bn_a(mx, net, 352, 192, 320, 160, 224, 'avg', 128, '5a')
    net = _inception_bn_a(mx, net, 352, 192, 320, 192, 224, 'max', 128, '5b')
    net = mx.sym.Pooling(data=net, kernel=(7, 7), stride=(1, 1), global_pool=True,
                         pool_type='avg', name='global_pool')
    net = mx.sym.Flatten(data=net, name='flatten')
    net = mx.sym.FullyConnected(data=net, num_hidden=num_classes, name='fc1')
    return mx.sym.SoftmaxOutput(data=net, name='softmax')


# --------------------------------------------------------------------------- Inception-v3


def _v3_conv(mx, data, num_filter, kernel=(1, 1), stride=(1, 1), pad=(0, 0), name=None,
             suffix=''):
    conv = mx.sym.Convolution(data=data, num_filter=num_filter, kernel=kernel, stride=stride,
                              pad=pad, no_bias=True, name='%s%s_conv2d' % (name, suffix))
    bn = mx.sym.BatchNorm(data=conv, eps=0.001, fix_gamma=True,
                          name='%s%s_batchnorm' % (name, suffix))
    return mx.sym.Activation(data=bn, act_type='relu', name='%s%s_relu' % (name, suffix))


def _v3_block_35(mx, data, proj, name):
    c = _v3_conv
    b1 = c(mx, data, 64, name='%s_conv' % name)
    b2 = c(mx, data, 48, name='%s_tower' % name, suffix='_conv')
    b2 = c(mx, b2, 64, kernel=(5, 5), pad=(2, 2), name='%s_tower' % name, suffix='_conv_1')
    b3 = c(mx, data, 64, name='%s_tower_1' % name, suffix='_conv')
    b3 = c(mx, b3, 96, kernel=(3, 3), pad=(1, 1), name='%s_tower_1' % name, suffix='_conv_1')
    b3 = c(mx, b3, 96, kernel=(3, 3), pad=(1, 1), name='%s_tower_1' % name, suffix='_conv_2')
    b4 = mx.sym.Pooling(data=data, kernel=(3, 3), stride=(1, 1), pad=(1, 1), pool_type='avg',
                        name='avg_pool_%s_pool' % name)
    b4 = c(mx, b4, proj, name='%s_tower_2' % name, suffix='_conv')
    return mx.sym.Concat(b1, b2, b3, b4, name='ch_concat_%s_chconcat' % name)


def _v3_reduce_35(mx, data, name):
    c = _v3_conv
    b1 = c(mx, data, 384, kernel=(3, 3), stride=(2, 2), name='%s_conv' % name)
    b2 = c(mx, data, 64, name='%s_tower' % name, suffix='_conv')
    b2 = c(mx, b2, 96, kernel=(3, 3), pad=(1, 1), name='%s_tower' % name, suffix='_conv_1')
    b2 = c(mx, b2, 96, kernel=(3, 3), stride=(2, 2), name='%s_tower' % name, suffix='_conv_2')
    b3 = mx.sym.Pooling(data=data, kernel=(3, 3), stride=(2, 2), pool_type='max',
                        name='max_pool_%s_pool' % name)
    return mx.sym.Concat(b1, b2, b3, name='ch_concat_%s_chconcat' % name)


def _v3_block_17(mx, data, c7, name):
    """Factorised 7x7 convolutions (1x7 then 7x1)."""
    c = _v3_conv
    b1 = c(mx, data, 192, name='%s_conv' % name)
    b2 = c(mx, data, c7, name='%s_tower' % name, suffix='_conv')
    b2 = c(mx, b2, c7, kernel=(1, 7), pad=(0, 3), name='%s_tower' % name, suffix='_conv_1')
    b2 = c(mx, b2, 192, kernel=(7, 1), pad=(3, 0), name='%s_tower' % name, suffix='_conv_2')
    b3 = c(mx, data, c7, name='%s_tower_1' % name, suffix='_conv')
    for i, (kernel, pad) in enumerate([((7, 1), (3, 0)), ((1, 7), (0, 3)),
                                       ((7, 1), (3, 0)), ((1, 7), (0, 3))], 1):
        b3 = c(mx, b3, 192 if i == 4 else c7, kernel=kernel, pad=pad,
               name='%s_tower_1' % name, suffix='_conv_%d' % i)
    b4 = mx.sym.Pooling(data=data, kernel=(3, 3), stride=(1, 1), pad=(1, 1), pool_type='avg',
                        name='avg_pool_%s_pool' % name)
    b4 = c(mx, b4, 192, name='%s_tower_2' % name, suffix='_conv')
    return mx.sym.Concat(b1, b2, b3, b4, name='ch_concat_%s_chconcat' % name)


def _v3_reduce_17(mx, data, name):
    c = _v3_conv
    b1 = c(mx, data, 192, name='%s_tower' % name, suffix='_conv')
    b1 = c(mx, b1, 320, kernel=(3, 3), stride=(2, 2), name='%s_tower' % name, suffix='_conv_1')
    b2 = c(mx, data, 192, name='%s_tower_1' % name, suffix='_conv')
    b2 = c(mx, b2, 192, kernel=(1, 7), pad=(0, 3), name='%s_tower_1' % name, suffix='_conv_1')
    b2 = c(mx, b2, 192, kernel=(7, 1), pad=(3, 0), name='%s_tower_1' % name, suffix='_conv_2')
    b2 = c(mx, b2, 192, kernel=(3, 3), stride=(2, 2), name='%s_tower_1' % name,
           suffix='_conv_3')
    b3 = mx.sym.Pooling(data=data, kernel=(3, 3), stride=(2, 2), pool_type='max',
                        name='max_pool_%s_pool' % name)
    return mx.sym.Concat(b1, b2, b3, name='ch_concat_%s_chconcat' % name)


def _v3_block_8(mx, data, pool, name):
    """Expanded filter bank: the 3x3 branches split into parallel 1x3 and 3x1 convolutions."""
    c = _v3_conv
    b1 = c(mx, data, 320, name='%s_conv' % name)
    b2 = c(mx, data, 384, name='%s_tower' % name, suffix='_conv')
    b2a = c(mx, b2, 384, kernel=(1, 3), pad=(0, 1), name='%s_tower' % name, suffix='_mixed_conv')
    b2b = c(mx, b2, 384, kernel=(3, 1), pad=(1, 0), name='%s_tower' % name,
            suffix='_mixed_conv_1')
    b3 = c(mx, data, 448, name='%s_tower_1' % name, suffix='_conv')
    b3 = c(mx, b3, 384, kernel=(3, 3), pad=(1, 1), name='%s_tower_1' % name, suffix='_conv_1')
    b3a = c(mx, b3, 384, kernel=(1, 3), pad=(0, 1), name='%s_tower_1' % name,
            suffix='_mixed_conv')
    b3b = c(mx, b3, 384, kernel=(3, 1), pad=(1, 0), name='%s_tower_1' % name,
            suffix='_mixed_conv_1')
    b4 = mx.sym.Pooling(data=data, kernel=(3, 3), stride=(1, 1), pad=(1, 1), pool_type=pool,
                        name='%s_pool_%s_pool' % (pool, name))
    b4 = c(mx, b4, 192, name='%s_tower_2' % name, suffix='_conv')
    return mx.sym.Concat(b1, b2a, b2b, b3a, b3b, b4, name='ch_concat_%s_chconcat' % name)


def inception_v3(mx, num_classes=1000):
    """Inception-v3 (Szegedy et al. 2015); works for inputs from 75x75 up (299x299 nominal)."""
    c = _v3_conv
    data = mx.sym.Variable('data')
    net = c(mx, data, 32, kernel=(3, 3), stride=(2, 2), name='conv')
    net = c(mx, net, 32, kernel=(3, 3), name='conv_1')
    net = c(mx, net, 64, kernel=(3, 3), pad=(1, 1), name='conv_2')
    net = mx.sym.Pooling(data=net, kernel=(3, 3), stride=(2, 2), pool_type='max', name='pool')
    net = c(mx, net, 80, name='conv_3')
    net = c(mx, net, 192, kernel=(3, 3), name='conv_4')
    net = mx.sym.Pooling(data=net, kernel=(3, 3), stride=(2, 2), pool_type='max', name='pool1')
    net = _v3_block_35(mx, net, 32, 'mixed')
    net = _v3_block_35(mx, net, 64, 'mixed_1')
    net = _v3_block_35(mx, net, 64, 'mixed_2')
    net = _v3_reduce_35(mx, net, 'mixed_3')
    for i, c7 in enumerate((128, 160, 160, 192)):
        net = _v3_block_17(mx, net, c7, 'mixed_%d' % (4 + i))
    net = _v3_reduce_17(mx, net, 'mixed_8')
    net = _v3_block_8(mx, net, 'avg', 'mixed_9')
    net = _v3_block_8(mx, net, 'max', 'mixed_10')
    net = mx.sym.Pooling(data=net, global_pool=True, kernel=(8, 8), pool_type='avg',
                         name='global_pool')
    net = mx.sym.Flatten(data=net, name='flatten')
    net = mx.sym.FullyConnected(data=net, num_hidden=num_classes, name='fc1')
    return mx.sym.SoftmaxOutput(data=net, name='softmax')


# --------------------------------------------------------------------------- MobileNet v1


def mobilenet(mx, num_classes=1000, multiplier=1.0):
    """MobileNet v1: a strided 3x3 convolution, then 13 depthwise-separable blocks (3x3
    depthwise convolution with num_group == channels, 1x1 pointwise convolution)."""
    def width(c):
        return int(c * multiplier)
    bn = {'fix_gamma': False, 'eps': 1e-3, 'momentum': 0.9}
    data = mx.sym.Variable('data')
    net = _conv_bn_relu(mx, data, width(32), [3, 3], stride=[2, 2], pad=[1, 1], name='conv_1',
                        bn_kwargs=bn)
    blocks = [(32, 64, 1), (64, 128, 2), (128, 128, 1), (128, 256, 2), (256, 256, 1),
              (256, 512, 2)] + [(512, 512, 1)] * 5 + [(512, 1024, 2), (1024, 1024, 1)]
    for i, (cin, cout, stride) in enumerate(blocks, 2):
        net = _conv_bn_relu(mx, net, width(cin), (3, 3), stride=(stride, stride), pad=(1, 1),
                            num_group=width(cin), name='conv_%d_dw' % i, bn_kwargs=bn)
        net = _conv_bn_relu(mx, net, width(cout), (1, 1), name='conv_%d' % i, bn_kwargs=bn)
    net = mx.sym.Pooling(data=net, kernel=(7, 7), global_pool=True, pool_type='avg',
                         name='pool6')
    net = mx.sym.Flatten(data=net, name='flatten')
    net = mx.sym.FullyConnected(data=net, num_hidden=num_classes, name='fc7')
    return mx.sym.SoftmaxOutput(data=net, name='softmax')


# --------------------------------------------------------------------------- DenseNet

_DENSENET_BLOCKS = {121: (6, 12, 24, 16), 169: (6, 12, 32, 32), 201: (6, 12, 48, 32)}


def densenet(mx, num_layers=121, growth_rate=32, blocks=None, reduction=0.5, bn_size=4,
             dropout=0.0, num_classes=1000):
    """DenseNet-BC (Huang et al. 2017): every layer of a dense block sees the Concat of all
    earlier feature maps of the block; transitions halve channels and resolution. Auto names
    throughout, except the stem and classifier."""
    blocks = blocks or _DENSENET_BLOCKS[num_layers]
    bn = {'fix_gamma': False, 'eps': 2e-5}
    data = mx.sym.Variable('data')
    channels = 2 * growth_rate
    net = mx.sym.Convolution(data=data, num_filter=channels, kernel=(7, 7), stride=(2, 2),
                             pad=(3, 3), no_bias=True, name='conv0')
    net = mx.sym.BatchNorm(data=net, name='bn0', **bn)
    net = mx.sym.Activation(data=net, act_type='relu', name='relu0')
    net = mx.sym.Pooling(data=net, kernel=(3, 3), stride=(2, 2), pad=(1, 1), pool_type='max',
                         name='pool0')
    for b, count in enumerate(blocks):
        features = [net]
        for _ in range(count):
            x = features[0] if len(features) == 1 else mx.sym.Concat(*features, dim=1)
            x = mx.sym.BatchNorm(data=x, **bn)
            x = mx.sym.Activation(data=x, act_type='relu')
            x = mx.sym.Convolution(data=x, num_filter=bn_size * growth_rate, kernel=(1, 1),
                                   no_bias=True)
            x = mx.sym.BatchNorm(data=x, **bn)
            x = mx.sym.Activation(data=x, act_type='relu')
            x = mx.sym.Convolution(data=x, num_filter=growth_rate, kernel=(3, 3), pad=(1, 1),
                                   no_bias=True)
            if dropout:
                x = mx.sym.Dropout(data=x, p=dropout)
            features.append(x)
        net = mx.sym.Concat(*features, dim=1)
        channels += count * growth_rate
        if b + 1 < len(blocks):
            channels = int(channels * reduction)
            net = mx.sym.BatchNorm(data=net, **bn)
            net = mx.sym.Activation(data=net, act_type='relu')
            net = mx.sym.Convolution(data=net, num_filter=channels, kernel=(1, 1), no_bias=True)
            net = mx.sym.Pooling(data=net, kernel=(2, 2), stride=(2, 2), pool_type='avg')
    net = mx.sym.BatchNorm(data=net, name='bn_final', **bn)
    net = mx.sym.Activation(data=net, act_type='relu', name='relu_final')
    net = mx.sym.Pooling(data=net, global_pool=True, kernel=(1, 1), pool_type='avg',
                         name='pool_final')
    net = mx.sym.Flatten(data=net)
    net = mx.sym.FullyConnected(data=net, num_hidden=num_classes, name='fc')
    return mx.sym.SoftmaxOutput(data=net, name='softmax')


# --------------------------------------------------------------------------- LSTM LM


def lstm_lm(mx, seq_len=5, num_layers=2, num_hidden=32, num_embed=16, vocab_size=50,
            dropout=0.2):
    """Word-level LSTM language model unrolled over seq_len steps.

    Shared per-layer weights (l<i>_i2h_weight, ...), begin states from `zeros` with an unknown
    batch dimension (shape (0, H), filled in by shape inference), gates from one SliceChannel
    of 4 outputs, cell and hidden updates with `*` and `+`, step outputs stacked with
    expand_dims + Concat, flattened with Reshape (-1, H), softmax over the vocabulary."""
    data = mx.sym.Variable('data')
    label = mx.sym.Variable('softmax_label')
    embed = mx.sym.Embedding(data=data, input_dim=vocab_size, output_dim=num_embed,
                             name='embed')
    steps = mx.sym.SliceChannel(data=embed, num_outputs=seq_len, axis=1, squeeze_axis=1)
    params, states = [], []
    for i in range(num_layers):
        params.append({k: mx.sym.Variable('l%d_%s' % (i, k))
                       for k in ('i2h_weight', 'i2h_bias', 'h2h_weight', 'h2h_bias')})
        states.append([mx.sym.zeros(shape=(0, num_hidden), name='l%d_begin_state_%d' % (i, j),
                                    __layout__='NC') for j in range(2)])
    outputs = []
    for t in range(seq_len):
        x = steps[t]
        for i in range(num_layers):
            p = params[i]
            h, c = states[i]
            prefix = 't%d_l%d_' % (t, i)
            i2h = mx.sym.FullyConnected(data=x, weight=p['i2h_weight'], bias=p['i2h_bias'],
                                        num_hidden=num_hidden * 4, name=prefix + 'i2h')
            h2h = mx.sym.FullyConnected(data=h, weight=p['h2h_weight'], bias=p['h2h_bias'],
                                        num_hidden=num_hidden * 4, name=prefix + 'h2h')
            gates = mx.sym.SliceChannel(i2h + h2h, num_outputs=4, name=prefix + 'slice')
            in_gate = mx.sym.Activation(gates[0], act_type='sigmoid', name=prefix + 'i')
            forget_gate = mx.sym.Activation(gates[1], act_type='sigmoid', name=prefix + 'f')
            in_transform = mx.sym.Activation(gates[2], act_type='tanh', name=prefix + 'c')
            out_gate = mx.sym.Activation(gates[3], act_type='sigmoid', name=prefix + 'o')
            c = forget_gate * c + in_gate * in_transform
            h = out_gate * mx.sym.Activation(c, act_type='tanh')
            states[i] = [h, c]
            x = h
            if dropout > 0 and i + 1 < num_layers:
                x = mx.sym.Dropout(data=x, p=dropout)
        outputs.append(mx.sym.expand_dims(x, axis=1))
    net = mx.sym.Concat(*outputs, dim=1)
    net = mx.sym.Reshape(net, shape=(-1, num_hidden))
    net = mx.sym.FullyConnected(data=net, num_hidden=vocab_size, name='pred')
    label = mx.sym.Reshape(label, shape=(-1,))
    return mx.sym.SoftmaxOutput(data=net, label=label, name='softmax')


def lstm_fused_lm(mx, num_layers=2, num_hidden=32, num_embed=16, vocab_size=50):
    """The same language model on the fused RNN operator: batch-major embedding swapped to
    time-major, RNN(mode='lstm') with auto-created parameters and states, swapped back."""
    data = mx.sym.Variable('data')
    label = mx.sym.Variable('softmax_label')
    embed = mx.sym.Embedding(data=data, input_dim=vocab_size, output_dim=num_embed,
                             name='embed')
    net = mx.sym.SwapAxis(embed, dim1=0, dim2=1)
    net = mx.sym.RNN(data=net, state_size=num_hidden, num_layers=num_layers, mode='lstm',
                     p=0.1, name='lstm')
    net = mx.sym.transpose(net, axes=(1, 0, 2))
    net = mx.sym.Reshape(net, shape=(-1, num_hidden))
    net = mx.sym.FullyConnected(data=net, num_hidden=vocab_size, name='pred')
    label = mx.sym.Reshape(label, shape=(-1,))
    return mx.sym.SoftmaxOutput(data=net, label=label, name='softmax')


# --------------------------------------------------------------------------- operator mix


def ops_mix(mx):
    """Not a published network: one graph touching many operators and parameter spellings the
    networks above do not (dilation, deconvolution, lp pooling, enum and optional parameters,
    operator aliases such as `concat`/`split`/`reshape`, Reshape's special codes, reductions
    with axis tuples, ops with several visible outputs, a multi-head Group output)."""
    data = mx.sym.Variable('data')
    tokens = mx.sym.Variable('tokens')
    # image branch: data (N, 3, 8, 8)
    net = mx.sym.Convolution(data=data, num_filter=4, kernel=(3, 3), dilate=(2, 2), pad=(2, 2),
                             cudnn_tune='off', workspace=512, name='dilated')
    net = mx.sym.Deconvolution(data=net, num_filter=2, kernel=(4, 4), stride=(2, 2),
                               pad=(1, 1), no_bias=True)
    bn = mx.sym.BatchNorm(data=net, output_mean_var=True, momentum=0.95, axis=1, name='bnm')
    y = bn[0]
    lp = mx.sym.Pooling(data=y, kernel=(3, 3), stride=(2, 2), pad=(1, 1), pool_type='lp',
                        p_value=2)
    avg = mx.sym.Pooling(data=y, kernel=(2, 2), stride=(2, 2), pool_type='avg',
                         count_include_pad=False)
    up = mx.sym.UpSampling(avg + lp, scale=2, sample_type='nearest', num_args=1)
    net = mx.sym.concat(up, y, dim=1)
    net = mx.sym.InstanceNorm(data=net, eps=1e-3)
    net = mx.sym.LeakyReLU(data=net, act_type='elu', slope=0.3)
    net = mx.sym.Pad(data=net, mode='constant', pad_width=(0, 0, 0, 0, 1, 1, 1, 1),
                     constant_value=0.5)
    halves = mx.sym.split(net, num_outputs=2, axis=1)
    net = mx.sym.swapaxes(halves[0], dim1=2, dim2=3) * mx.sym.transpose(halves[1],
                                                                       axes=(0, 1, 3, 2))
    pooled = mx.sym.sum(net, axis=(2, 3), keepdims=True)
    net = mx.sym.broadcast_mul(net, mx.sym.sigmoid(pooled))
    net = mx.sym.Reshape(net, shape=(0, -3, -2))
    net = mx.sym.reshape(net, shape=(-4, 1, -1, 0, 0), reverse=False)
    net = mx.sym.mean(net, axis=1, exclude=True)
    net = mx.sym.L2Normalization(mx.sym.flatten(net), mode='instance')
    image_logits = mx.sym.FullyConnected(data=net, num_hidden=5, name='image_fc')
    # sequence branch: tokens (N, 6)
    emb = mx.sym.Embedding(data=tokens, input_dim=20, output_dim=8, dtype='float32',
                           name='tok_embed')
    att = mx.sym.batch_dot(emb, emb, transpose_b=True)
    att = mx.sym.softmax(att, axis=-1, temperature=0.5)
    ctx = mx.sym.batch_dot(att, emb)
    ctx = mx.sym.slice_axis(ctx, axis=1, begin=1, end=None)
    ctx = mx.sym.clip(ctx, a_min=-1.0, a_max=1.0)
    seq = mx.sym.FullyConnected(data=ctx, num_hidden=5, flatten=False, name='seq_fc')
    seq = mx.sym.LayerNorm(seq, axis=-1, eps=1e-5)
    seq = mx.sym.max(seq, axis=1)
    seq = mx.sym.log_softmax(seq, axis=1)
    logits = mx.sym.Cast(image_logits, dtype='float16') + mx.sym.cast(seq, dtype=np.float16)
    logits = mx.sym.Cast(logits, dtype=np.float32)
    cls = mx.sym.SoftmaxOutput(data=logits, name='cls', use_ignore=True, ignore_label=-1,
                               smooth_alpha=0.1)
    aux_loss = mx.sym.make_loss(mx.sym.mean(mx.sym.square(mx.sym.stop_gradient(bn[1]))))
    legacy_loss = mx.sym.MakeLoss(mx.sym.norm(ctx, ord=2, axis=(1, 2)), grad_scale=0.5,
                                  normalization='batch')
    picked = mx.sym.pick(seq, mx.sym.argmax(seq, axis=1), axis=-1, keepdims=True)
    return mx.sym.Group([cls, aux_loss, legacy_loss, mx.sym.BlockGrad(picked), bn[2]])


# --------------------------------------------------------------------------- registry

NETWORKS = {
    'mlp': (mlp, {}, {'data': (2, 1, 28, 28)}),
    'mlp-attrs': (mlp_attrs, {}, {'data': (4, 20)}),
    'lenet': (lenet, {}, {'data': (2, 1, 28, 28)}),
    'alexnet': (alexnet, {}, {'data': (2, 3, 224, 224)}),
    'vgg11': (vgg, {'num_layers': 11, 'num_classes': 10}, {'data': (2, 3, 32, 32)}),
    'vgg16-bn': (vgg, {'num_layers': 16, 'batch_norm': True, 'num_classes': 10},
                 {'data': (2, 3, 32, 32)}),
    'resnet18-v1': (resnet_v1, {}, {'data': (2, 3, 64, 64)}),
    'resnet20-v1-cifar': (resnet_v1, {'units': (3, 3, 3), 'filters': (16, 16, 32, 64),
                                      'num_classes': 10, 'small_input': True,
                                      'dtype': 'float16'},
                          {'data': (2, 3, 32, 32)}),
    'resnet18-v2': (resnet_v2, {'memonger': True}, {'data': (2, 3, 64, 64)}),
    'resnet50-v2': (resnet_v2, {'units': (3, 4, 6, 3), 'filters': (64, 256, 512, 1024, 2048),
                                'bottleneck': True},
                    {'data': (2, 3, 64, 64)}),
    'inception-bn': (inception_bn, {}, {'data': (2, 3, 64, 64)}),
    'inception-v3': (inception_v3, {}, {'data': (2, 3, 75, 75)}),
    'mobilenet': (mobilenet, {'num_classes': 10}, {'data': (2, 3, 32, 32)}),
    'densenet121': (densenet, {'num_layers': 121}, {'data': (2, 3, 32, 32)}),
    'lstm-lm': (lstm_lm, {}, {'data': (2, 5), 'softmax_label': (2, 5)}),
    'lstm-fused-lm': (lstm_fused_lm, {}, {'data': (2, 5), 'softmax_label': (2, 5)}),
    'ops-mix': (ops_mix, {}, {'data': (2, 3, 8, 8), 'tokens': (2, 6)}),
}


def build(mx, net):
    """The symbol of fixture `net`, built under a fresh NameManager (so auto names start at 0)."""
    builder, kwargs, _ = NETWORKS[net]
    with mx.name.NameManager():
        return builder(mx, **kwargs)


def input_shapes(net):
    return dict(NETWORKS[net][2])
