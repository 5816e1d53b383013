"""mx.viz / mx.visualization: pictures and text summaries of a symbol's graph.

`plot_network` returns a graphviz.Digraph laid out and labelled as MXNet 1.9.1 draws it (one
box per operator with its key parameters, ovals for inputs, parameter variables hidden, and
output shapes / types on the edges when input shapes / types are given). `print_summary`
prints MXNet's layer table: output shape, parameter count and predecessors per operator.
Both read the graph from the symbol's JSON, as MXNet does, so they show exactly what is
saved. The `graphviz` Python package is needed for plotting only, and imported on use.
"""
import json
import re

from .symbol import Symbol

__all__ = ['plot_network', 'print_summary']

# Fill colours of the node kinds (MXNet's palette and assignment).
_INPUT, _WEIGHTED, _ACTIVATION, _NORM, _POOL, _RESHAPE, _SOFTMAX, _OTHER = (
    '#8dd3c7', '#fb8072', '#ffffb3', '#bebada', '#80b1d3', '#fdb462', '#b3de69', '#fccde5')

# Variables with these suffixes are parameters: not drawn (hide_weights) and not a layer.
_PARAMETER_SUFFIXES = ('_weight', '_bias', '_beta', '_gamma', '_moving_var', '_moving_mean',
                       '_running_var', '_running_mean')


def _is_parameter(name):
    return name.endswith(_PARAMETER_SUFFIXES)


def _dims(text):
    """The integers of a tuple attribute such as '(3, 3)' or '[2,2]', as strings."""
    return re.findall(r'\d+', text)


def _joined(attrs, key, default):
    return 'x'.join(_dims(attrs[key])) if key in attrs else default


def _inferred(symbol, known, infer, what):
    """{internal output name: value} from inferring every internal output of `symbol`."""
    internals = symbol.get_internals()
    _, outputs, _ = getattr(internals, infer)(**known)
    if outputs is None:
        raise ValueError('Input %s is incomplete' % what)
    return dict(zip(internals.list_outputs(), outputs))


def _entry_key(node):
    """The internal-output name MXNet's viz reads for an edge leaving `node` (for operators
    with `num_outputs`, the last output, as MXNet does)."""
    if node['op'] == 'null':
        return node['name']
    key = node['name'] + '_output'
    num_outputs = node.get('attrs', {}).get('num_outputs')
    if num_outputs is not None:
        key += str(int(num_outputs) - 1)
    return key


def _node_look(op, name, attrs):
    """(label, fill colour) of an operator node."""
    if op == 'Convolution':
        return ('Convolution\n%s/%s, %s' % (_joined(attrs, 'kernel', ''),
                                             _joined(attrs, 'stride', '1'),
                                             attrs.get('num_filter', '')), _WEIGHTED)
    if op == 'FullyConnected':
        return 'FullyConnected\n%s' % attrs.get('num_hidden', ''), _WEIGHTED
    if op == 'BatchNorm':
        return name, _NORM
    if op in ('Activation', 'LeakyReLU'):
        default = 'leaky' if op == 'LeakyReLU' else ''
        return '%s\n%s' % (op, attrs.get('act_type', default)), _ACTIVATION
    if op == 'Pooling':
        return ('Pooling\n%s, %s/%s' % (attrs.get('pool_type', 'max'),
                                         _joined(attrs, 'kernel', '[]'),
                                         _joined(attrs, 'stride', '1')), _POOL)
    if op in ('Concat', 'Flatten', 'Reshape'):
        return name, _RESHAPE
    if op == 'Softmax':
        return name, _SOFTMAX
    if op == 'Custom':
        return attrs.get('op_type', name), _OTHER
    return name, _OTHER


def _import_digraph():
    try:
        from graphviz import Digraph
    except ImportError:
        raise ImportError('Draw network requires graphviz library '
                          '(the `graphviz` Python package: pip install graphviz)') from None
    return Digraph


def plot_network(symbol, title='plot', save_format='pdf', shape=None, dtype=None,
                 node_attrs={}, hide_weights=True):  # pylint: disable=W0102 (read only)
    """The graph of `symbol` as a graphviz.Digraph named `title` (render it with
    `.render()`, or view `.source`).

    shape / dtype: {input name: shape / dtype}; when given, each edge is labelled with the
    shape (batch axis dropped, e.g. "64x8x8") and/or type ("(float16)") flowing along it.
    node_attrs: graphviz attributes for every node (e.g. {"shape": "oval"}); inputs stay ovals.
    hide_weights: leave out parameter variables (names ending in _weight, _bias, _gamma, ...).
    """
    Digraph = _import_digraph()
    if not isinstance(symbol, Symbol):
        raise TypeError('symbol must be a Symbol')
    shape_dict = _inferred(symbol, shape, 'infer_shape', 'shape') if shape is not None else None
    dtype_dict = _inferred(symbol, dtype, 'infer_type', 'type') if dtype is not None else None
    nodes = json.loads(symbol.tojson())['nodes']

    base_attrs = {'shape': 'box', 'fixedsize': 'true', 'width': '1.3', 'height': '0.8034',
                  'style': 'filled'}
    base_attrs.update(node_attrs or {})
    dot = Digraph(name=title, format=save_format)
    hidden = set()
    for node in nodes:
        op, name = node['op'], node['name']
        attrs = dict(base_attrs)
        if op == 'null':
            if _is_parameter(name):
                # Shown parameters get no node of their own: graphviz draws a plain oval.
                if hide_weights:
                    hidden.add(name)
                continue
            label = name
            attrs['shape'] = 'oval'
            attrs['fillcolor'] = _INPUT
        else:
            label, attrs['fillcolor'] = _node_look(op, name, node.get('attrs', {}))
        dot.node(name=name, label=label, **attrs)

    for node in nodes:
        if node['op'] == 'null':
            continue
        for entry in node['inputs']:
            source = nodes[entry[0]]
            if source['name'] in hidden:
                continue
            label = ''
            key = _entry_key(source)
            if shape_dict is not None and key in shape_dict:
                label = 'x'.join(str(d) for d in shape_dict[key][1:])
            if dtype_dict is not None and key in dtype_dict and dtype_dict[key] is not None:
                label += '(%s)' % dtype_dict[key].__name__
            # Edges point from consumer to producer with the arrow drawn backwards, as MXNet.
            dot.edge(tail_name=node['name'], head_name=source['name'], label=label,
                     dir='back', arrowtail='open')
    return dot


def _weighted_params(node, in_channels, shape_dict):
    """Learnable parameter count of a layer as MXNet's summary counts it."""
    op, attrs = node['op'], node.get('attrs', {})
    no_bias = attrs.get('no_bias') == 'True'
    if op == 'Convolution':
        count = in_channels * int(attrs['num_filter']) // int(attrs.get('num_group', '1'))
        for k in _dims(attrs['kernel']):
            count *= int(k)
        return count if no_bias else count + int(attrs['num_filter'])
    if op == 'FullyConnected':
        return (in_channels + (0 if no_bias else 1)) * int(attrs['num_hidden'])
    if op == 'BatchNorm':
        if shape_dict is None:
            return 0
        return int(shape_dict[node['name'] + '_output'][1]) * 2  # gamma and beta
    if op == 'Embedding':
        return int(attrs['input_dim']) * int(attrs['output_dim'])
    return 0


def print_summary(symbol, shape=None, line_length=120,
                  positions=[.44, .64, .74, 1.]):  # pylint: disable=W0102 (read only)
    """Prints MXNet's summary table of `symbol`: each operator (and the first input) with its
    output shape (when `shape`, {input name: shape}, is given), learnable parameter count and
    predecessor layers, then the total parameter count.

    positions: right edges of the four columns, as fractions of line_length (or in
    characters when the last one is greater than 1).
    """
    if not isinstance(symbol, Symbol):
        raise TypeError('symbol must be Symbol')
    shape_dict = _inferred(symbol, shape, 'infer_shape', 'shape') if shape is not None else None
    graph = json.loads(symbol.tojson())
    nodes = graph['nodes']
    # MXNet's summary treats as "head" the numbers of the first head entry [node, index,
    # version]; in practice this shows node 0 (the data input) as a layer and a predecessor.
    shown_inputs = set(graph['heads'][0])
    positions = list(positions)
    if positions[-1] <= 1:
        positions = [int(line_length * p) for p in positions]

    def print_row(fields):
        line = ''
        for field, end in zip(fields, positions):
            line = (line + str(field))[:end]
            line += ' ' * (end - len(line))
        print(line)

    def output_shape(node):
        if shape_dict is None:
            return []
        key = node['name'] + '_output' if node['op'] != 'null' else node['name']
        return shape_dict[key][1:] if key in shape_dict else []

    def layer(node, out_shape):
        predecessors, in_channels = [], 0
        if node['op'] != 'null':
            for entry in node['inputs']:
                source = nodes[entry[0]]
                if source['op'] != 'null' or entry[0] in shown_inputs:
                    predecessors.append(source['name'])
                    if shape_dict is not None:
                        key = (source['name'] + '_output' if source['op'] != 'null'
                               else source['name'])
                        if key in shape_dict and len(shape_dict[key]) > 1:
                            in_channels += int(shape_dict[key][1])
        params = _weighted_params(node, in_channels, shape_dict)
        print_row(['%s(%s)' % (node['name'], node['op']),
                   'x'.join(str(d) for d in out_shape), params,
                   predecessors[0] if predecessors else ''])
        for name in predecessors[1:]:
            print_row(['', '', '', name])
        return params

    print('_' * line_length)
    print_row(['Layer (type)', 'Output Shape', 'Param #', 'Previous Layer'])
    print('=' * line_length)
    total = 0
    for i, node in enumerate(nodes):
        if node['op'] == 'null' and i > 0:
            continue
        shown = node['op'] != 'null' or i in shown_inputs
        total += layer(node, output_shape(node) if shown else [])
        print(('=' if i == len(nodes) - 1 else '_') * line_length)
    print('Total params: {params}'.format(params=total))
    print('_' * line_length)
