#!/usr/bin/python3
"""Generate pickle test inputs for latentwalk's code-free pickle reader.

latentwalk imports NVlabs StyleGAN2/StyleGAN3 network pickles
(``network-snapshot-*.pkl``) and rosinality ``torch.save`` checkpoints with a
C++ pickle reader that never executes code.  CI has neither NVlabs' sources
nor network access, so this script fabricates the test inputs at test time.

Run it with Debian's interpreter (it needs torch and numpy)::

    /usr/bin/python3 tests/support/pickles/make_test_pickles.py --out DIR \
        [--fixtures tests/fixtures/stylegan] [--verify] [--compare GENUINE_DIR]

How the NVlabs layout is reproduced (written from our reading of the format,
not from NVIDIA's code):

* NVlabs networks are ``torch.nn.Module`` objects whose classes were made
  "persistent".  Such an object pickles as
  ``REDUCE(torch_utils.persistence._reconstruct_persistent_obj, (meta,))``
  where ``meta`` is a plain dict with keys, in this order,
  ``type='class'``, ``version=6``, ``module_src`` (the full source text of the
  defining Python module), ``class_name`` (the *bare* class name, e.g.
  ``'SynthesisLayer'``) and ``state`` (the module's ``__dict__``).  There is no
  BUILD opcode; the state travels inside ``meta``.
* ``state`` is the object's ``__dict__`` exactly as ``torch.nn.Module`` keeps
  it: the bookkeeping fields created by ``Module.__init__`` (``training``,
  ``_parameters``, ``_buffers``, ... ``_modules``; we use real
  ``nn.Module.__init__`` so the key set is that of the installed torch), then
  the plain attributes in assignment order, then ``_init_args`` and
  ``_init_kwargs`` (recorded by the persistence decorator), if the fixture
  lists them.
* ``module_src`` is one string object per defining module, so from its second
  use on pickle refers to it through the memo (BINGET), as in real files.  Here
  it is deliberately hostile Python; a reader that ever runs it creates
  ``/tmp/lw_pwned``.
* Tensors are real torch tensors, so ``torch._utils._rebuild_tensor_v2``,
  ``torch._utils._rebuild_parameter`` and ``torch.storage._load_from_bytes``
  (a nested legacy ``torch.save`` blob) are genuine bytes.
* Fake modules ``torch_utils.persistence`` and ``dnnlib.util`` (with a dict
  subclass ``EasyDict``) are registered in ``sys.modules`` so pickle records
  the same global names.  Our ``_reconstruct_persistent_obj`` never executes
  ``module_src``; it returns the meta dict, which makes the benign outputs safe
  to load back with Python's pickle for verification.

Network content comes from fixtures (``<name>.json`` + ``<name>_weights.npz``,
see ``load_fixture``).  Without fixtures a tiny synthetic StyleGAN2 tree is
used.  See README.md next to this file for the list of generated files.
"""

import argparse
import collections
import glob
import io
import json
import os
import pickle
import pickletools
import re
import struct
import sys
import types

import numpy as np
import torch

HOSTILE_MARKER = '/tmp/lw_pwned'
PERSISTENCE_VERSION = 6

# ---------------------------------------------------------------------------
# Fake modules so that pickle writes the NVlabs global names.
# ---------------------------------------------------------------------------


class EasyDict(dict):
    """Stand-in for dnnlib.util.EasyDict: a dict with attribute access."""

    def __getattr__(self, key):
        try:
            return self[key]
        except KeyError:
            raise AttributeError(key) from None

    def __setattr__(self, key, value):
        self[key] = value

    def __delattr__(self, key):
        del self[key]


class LoadedPersistentObj(dict):
    """What our fake reconstruct function returns: the meta dict, inert."""


def _reconstruct_persistent_obj(meta):
    """Stand-in for the NVlabs hook.  Deliberately never runs meta['module_src']."""
    return LoadedPersistentObj(meta)


def _install_fake_modules():
    def module(name, package=False):
        mod = types.ModuleType(name)
        if package:
            mod.__path__ = []
        sys.modules[name] = mod
        return mod

    def place(package, submodule, obj):
        """Registers obj as package.submodule.<its name>, so pickle writes that global."""
        parent = module(package, package=True)
        child = module(f'{package}.{submodule}')
        setattr(parent, submodule, child)
        obj.__module__ = f'{package}.{submodule}'
        obj.__qualname__ = obj.__name__
        setattr(child, obj.__name__, obj)
        return parent

    place('torch_utils', 'persistence', _reconstruct_persistent_obj)
    place('dnnlib', 'util', EasyDict).EasyDict = EasyDict


_install_fake_modules()

# ---------------------------------------------------------------------------
# Stand-in persistent modules.
# ---------------------------------------------------------------------------

_MODULE_SRC = {}  # module name -> the single str object used for module_src


def module_src_for(module_name):
    """Hostile placeholder for the source text NVlabs embeds per module."""
    src = _MODULE_SRC.get(module_name)
    if src is None:
        path = module_name.replace('.', '/') + '.py'
        src = ('# latentwalk test stand-in for %s. A reader must never run this.\n'
               "import os; os.system('touch %s')\n" % (path, HOSTILE_MARKER))
        # Real module sources are tens of KB (BINUNICODE, not SHORT_BINUNICODE).
        src += '#' + ' padding' * 64 + '\n'
        _MODULE_SRC[module_name] = src
    return src


class PersistentStandIn(torch.nn.Module):
    """Base of the stand-in classes; pickles like an NVlabs persistent object."""

    _lw_class_name = None
    _lw_module_src = None

    def __reduce__(self):
        meta = dict(type='class', version=PERSISTENCE_VERSION,
                    module_src=type(self)._lw_module_src,
                    class_name=type(self)._lw_class_name,
                    state=self.__dict__)
        return (_reconstruct_persistent_obj, (meta,), None)


_STANDIN_CLASSES = {}


def standin_class(qualified_name):
    """'training.networks_stylegan2.SynthesisLayer' -> a PersistentStandIn subclass."""
    cls = _STANDIN_CLASSES.get(qualified_name)
    if cls is None:
        module_name, _, short = qualified_name.rpartition('.')
        module_name = module_name or 'training.networks_stylegan2'
        cls = type(short, (PersistentStandIn,), {
            '_lw_class_name': short,
            '_lw_module_src': module_src_for(module_name),
            '__module__': 'latentwalk_standins',
        })
        _STANDIN_CLASSES[qualified_name] = cls
    return cls


def new_standin(qualified_name):
    cls = standin_class(qualified_name)
    obj = cls.__new__(cls)
    torch.nn.Module.__init__(obj)
    obj.training = False  # snapshots are saved after .eval()
    return obj


class RawReduce:
    """Pickles as REDUCE(func, args) for any func/args we choose."""

    def __init__(self, func, args):
        self.func, self.args = func, args

    def __reduce__(self):
        return (self.func, self.args)


class Hostile:
    """Pickles as GLOBAL posix.system + REDUCE('echo ...'). Never load it in Python."""

    def __reduce__(self):
        return (os.system, ("echo pwned > %s_global" % HOSTILE_MARKER,))


# ---------------------------------------------------------------------------
# Fixtures.
# ---------------------------------------------------------------------------


def decode_value(v):
    """Undo the fixture's lossless tagging of attribute values."""
    if isinstance(v, dict):
        if len(v) == 1:
            (tag, body), = v.items()
            if tag == '__ndarray__':
                arr = np.array(body['data'], dtype=np.dtype(body['dtype']))
                return arr.reshape(body['shape'])
            if tag == '__np_scalar__':
                return np.dtype(body['dtype']).type(body['value'])
            if tag == '__tuple__':
                return tuple(decode_value(x) for x in body)
            if tag == '__easydict__':
                return EasyDict((sys.intern(k), decode_value(x)) for k, x in body.items())
            if tag == '__set__':
                return set(decode_value(x) for x in body)
            if tag == '__dict_items__':  # non-string keys: [[k, v], ...]
                return {decode_value(k): decode_value(x) for k, x in body}
        return {sys.intern(k): decode_value(x) for k, x in v.items()}
    if isinstance(v, list):
        return [decode_value(x) for x in v]
    if isinstance(v, str):
        # Attribute strings in real files come from code constants and are
        # shared objects, which pickle writes once and then fetches from the memo.
        return sys.intern(v)
    return v


def load_fixture(json_path):
    """Returns (fixture dict, {state-dict name: np.ndarray})."""
    with open(json_path) as f:
        fixture = json.load(f)
    npz_path = json_path[:-len('.json')] + '_weights.npz'
    weights = {}
    if os.path.exists(npz_path):
        with np.load(npz_path, allow_pickle=False) as npz:
            weights = {k: npz[k] for k in npz.files}
    return fixture, weights


# NVlabs tensors created with shape [] (0-d).  The fixture .npz files store
# them with shape (1,), so they are turned back into 0-d tensors here.
SCALAR_TENSORS = {'noise_strength', 'magnitude_ema', 'p'}


def _entry_name(entry):
    if isinstance(entry, dict):
        return entry['name'], bool(entry.get('none'))
    return entry, False


def build_tree(fixture, weights, requires_grad=True, rng=None, perturb=0.0):
    """Build the stand-in module tree described by a fixture.

    requires_grad: the Parameters' flag.  Snapshots written by the NVlabs
    training loop have False (it calls requires_grad_(False)); a network
    pickled directly has True.  Both occur in the wild.
    perturb > 0 adds noise to every Parameter (used to make 'G' differ from
    'G_ema' in snapshot.pkl so a reader that picks the wrong key is caught).
    """
    modules = fixture['modules']
    objs = {}
    shared_gains = {}
    for path, spec in modules.items():
        obj = new_standin(spec['class_name'])
        for name, value in spec.get('attributes', {}).items():
            name, value = sys.intern(name), decode_value(value)
            if name == 'act_gain' and isinstance(value, np.generic):
                # act_gain is the activation table's def_gain object itself,
                # so one network shares it between layers (memo BINGET).
                key = (spec['attributes'].get('activation'), value.dtype.str, value.item())
                value = shared_gains.setdefault(key, value)
            obj.__dict__[name] = value
        for kind, store in (('parameters', obj._parameters), ('buffers', obj._buffers)):
            for entry in spec.get(kind, []):
                name, is_none = _entry_name(entry)
                name = sys.intern(name)
                if is_none:
                    store[name] = None
                    continue
                key = '%s.%s' % (path, name) if path else name
                if key not in weights:
                    raise KeyError('fixture %r lacks tensor %r' % (fixture.get('config'), key))
                arr = np.array(weights[key], copy=True)
                if arr.shape == (1,) and name in SCALAR_TENSORS:
                    arr = arr.reshape(())
                t = torch.from_numpy(arr)
                if perturb and kind == 'parameters' and t.is_floating_point() and rng is not None:
                    t = t + torch.from_numpy(rng.standard_normal(t.shape).astype(t.numpy().dtype)) * perturb
                if kind == 'parameters':
                    store[name] = torch.nn.Parameter(t, requires_grad=requires_grad)
                else:
                    store[name] = t
        for name in spec.get('non_persistent_buffers', []):
            obj._non_persistent_buffers_set.add(name)
        objs[path] = obj
        if path:
            parent, _, child = path.rpartition('.')
            child = sys.intern(child)
            if parent not in objs:
                raise ValueError('fixture lists %r before its parent' % path)
            objs[parent]._modules[child] = obj
    _apply_channels_last(objs)
    # _init_args/_init_kwargs come last in a real __dict__ (set after __init__).
    for obj in objs.values():
        for k in ('_init_args', '_init_kwargs'):
            if k in obj.__dict__:
                obj.__dict__[k] = obj.__dict__.pop(k)
    return objs['']


def _atomic_tuple(v):
    return isinstance(v, tuple) and all(isinstance(x, (int, float, str, bool, type(None))) for x in v)


def share_immutable_tuples(src, dst):
    """Make dst reuse src's all-atomic tuples (e.g. _init_args).

    In a real snapshot G_ema started life as copy.deepcopy(G), and deepcopy
    returns such tuples unchanged, so G_ema's tuples are G's objects and pickle
    writes them as memo references (BINGET/LONG_BINGET) into G."""
    def walk(a, b):
        if isinstance(a, dict) and isinstance(b, dict):
            for k in list(b.keys()):
                if k in a:
                    if _atomic_tuple(a[k]) and a[k] == b[k]:
                        b[k] = a[k]
                    else:
                        walk(a[k], b[k])
        elif isinstance(a, list) and isinstance(b, list):
            for i, (x, y) in enumerate(zip(a, b)):
                if _atomic_tuple(x) and x == y:
                    b[i] = x
                else:
                    walk(x, y)
    for (pa, a), (pb, b) in zip(_named_modules(src), _named_modules(dst)):
        assert pa == pb
        walk(a.__dict__, b.__dict__)


def _apply_channels_last(objs):
    """NVlabs stores weights of SynthesisBlocks with channels_last=True in
    channels_last memory format; the pickle then carries non-contiguous strides."""
    for path, obj in objs.items():
        if obj.__dict__.get('channels_last') is True:
            for sub_path, sub in objs.items():
                if path and sub_path.startswith(path + '.'):
                    w = sub._parameters.get('weight')
                    if w is not None and w.dim() == 4:
                        sub._parameters['weight'] = torch.nn.Parameter(
                            w.data.to(memory_format=torch.channels_last), requires_grad=w.requires_grad)


def synthetic_fixture(seed=0):
    """A tiny StyleGAN2-like generator (8x8, 16 channels) in fixture form."""
    rng = np.random.default_rng(seed)
    m = 'training.networks_stylegan2.'
    z = w = 8
    ch = 16
    modules = collections.OrderedDict()
    weights = {}
    f32 = lambda *shape: np.asarray(rng.standard_normal(shape), dtype=np.float32)

    def scal(x):
        return {'__np_scalar__': {'dtype': 'float64', 'value': float(x)}}

    def filt():
        k = np.array([1, 3, 3, 1], np.float32)
        k = np.outer(k, k)
        return k / k.sum()

    def add(path, cls, attrs, params=(), buffers=()):
        modules[path] = {'class_name': m + cls, 'attributes': attrs,
                         'parameters': [p for p, _ in params],
                         'buffers': [b for b, _ in buffers]}
        for name, arr in list(params) + list(buffers):
            weights[(path + '.' if path else '') + name] = arr

    def fc(path, fin, fout, act, lr, bias_init=0):
        add(path, 'FullyConnectedLayer', {
            'in_features': fin, 'out_features': fout, 'activation': act,
            'weight_gain': scal(lr / np.sqrt(fin)), 'bias_gain': lr,
            '_init_args': {'__tuple__': [fin, fout]},
            '_init_kwargs': {'activation': act, 'lr_multiplier': lr} if act != 'linear' else {'bias_init': bias_init}},
            params=[('weight', f32(fout, fin)), ('bias', f32(fout))])

    add('', 'Generator', {
        'z_dim': z, 'c_dim': 0, 'w_dim': w, 'img_resolution': 8, 'img_channels': 3, 'num_ws': 4,
        '_init_args': {'__tuple__': []},
        '_init_kwargs': {'z_dim': z, 'w_dim': w, 'mapping_kwargs': {'__easydict__': {'num_layers': 2}},
                         'channel_base': 128, 'channel_max': ch, 'num_fp16_res': 0, 'conv_clamp': None,
                         'c_dim': 0, 'img_resolution': 8, 'img_channels': 3}})
    add('synthesis', 'SynthesisNetwork', {
        'w_dim': w, 'img_resolution': 8, 'img_resolution_log2': 3, 'img_channels': 3, 'num_fp16_res': 0,
        'block_resolutions': [4, 8], 'num_ws': 4,
        '_init_args': {'__tuple__': []},
        '_init_kwargs': {'w_dim': w, 'img_resolution': 8, 'img_channels': 3, 'channel_base': 128,
                         'channel_max': ch, 'num_fp16_res': 0, 'conv_clamp': None}})
    for res in (4, 8):
        b = 'synthesis.b%d' % res
        add(b, 'SynthesisBlock', {
            'in_channels': 0 if res == 4 else ch, 'w_dim': w, 'resolution': res, 'img_channels': 3,
            'is_last': res == 8, 'architecture': 'skip', 'use_fp16': False, 'channels_last': False,
            'fused_modconv_default': True, 'num_conv': 1 if res == 4 else 2, 'num_torgb': 1,
            '_init_args': {'__tuple__': [0 if res == 4 else ch, ch]},
            '_init_kwargs': {'w_dim': w, 'resolution': res, 'img_channels': 3, 'is_last': res == 8,
                             'use_fp16': False, 'conv_clamp': None}},
            params=[('const', f32(ch, 4, 4))] if res == 4 else [],
            buffers=[('resample_filter', filt())])
        for conv in (['conv1'] if res == 4 else ['conv0', 'conv1']):
            p = b + '.' + conv
            add(p, 'SynthesisLayer', {
                'in_channels': ch, 'out_channels': ch, 'w_dim': w, 'resolution': res,
                'up': 2 if conv == 'conv0' else 1, 'use_noise': True, 'activation': 'lrelu',
                'conv_clamp': None, 'padding': 1, 'act_gain': scal(np.sqrt(2)),
                '_init_args': {'__tuple__': [ch, ch]},
                '_init_kwargs': {'w_dim': w, 'resolution': res, 'up': 2 if conv == 'conv0' else 1,
                                 'resample_filter': [1, 3, 3, 1], 'conv_clamp': None, 'channels_last': False}},
                params=[('weight', f32(ch, ch, 3, 3)), ('noise_strength', f32()), ('bias', f32(ch))],
                buffers=[('resample_filter', filt()), ('noise_const', f32(res, res))])
            fc(p + '.affine', w, ch, 'linear', 1, 1)
        p = b + '.torgb'
        add(p, 'ToRGBLayer', {
            'in_channels': ch, 'out_channels': 3, 'w_dim': w, 'conv_clamp': None,
            'weight_gain': scal(1 / np.sqrt(ch)),
            '_init_args': {'__tuple__': [ch, 3]},
            '_init_kwargs': {'w_dim': w, 'conv_clamp': None, 'channels_last': False}},
            params=[('weight', f32(3, ch, 1, 1)), ('bias', f32(3))])
        fc(p + '.affine', w, ch, 'linear', 1, 1)
    add('mapping', 'MappingNetwork', {
        'z_dim': z, 'c_dim': 0, 'w_dim': w, 'num_ws': 4, 'num_layers': 2, 'w_avg_beta': 0.998,
        '_init_args': {'__tuple__': []},
        '_init_kwargs': {'z_dim': z, 'c_dim': 0, 'w_dim': w, 'num_ws': 4, 'num_layers': 2}},
        buffers=[('w_avg', f32(w))])
    fc('mapping.fc0', z, w, 'lrelu', 0.01)
    fc('mapping.fc1', w, w, 'lrelu', 0.01)
    return {'config': 'synthetic_sg2', 'generator': {}, 'modules': dict(modules)}, weights


# ---------------------------------------------------------------------------
# Helper networks (discriminator, augment pipe, conditional variant).
# ---------------------------------------------------------------------------


def small_discriminator(rng):
    """A minimal stand-in training.networks_stylegan2.Discriminator."""
    m = 'training.networks_stylegan2.'
    f32 = lambda *s: torch.nn.Parameter(torch.from_numpy(rng.standard_normal(s).astype(np.float32)), requires_grad=False)
    d = new_standin(m + 'Discriminator')
    d.__dict__.update(c_dim=0, img_resolution=4, img_resolution_log2=2, img_channels=3, block_resolutions=[])
    ep = new_standin(m + 'DiscriminatorEpilogue')
    ep.__dict__.update(in_channels=8, cmap_dim=0, resolution=4, img_channels=3, architecture='resnet')
    mb = new_standin(m + 'MinibatchStdLayer')
    mb.__dict__.update(group_size=4, num_channels=1)
    ep._modules['mbstd'] = mb
    for name, fin, fout in (('fc', 8 * 16, 8), ('out', 8, 1)):
        layer = new_standin(m + 'FullyConnectedLayer')
        layer._parameters['weight'] = f32(fout, fin)
        layer._parameters['bias'] = f32(fout)
        layer.__dict__.update(in_features=fin, out_features=fout, activation='lrelu' if name == 'fc' else 'linear',
                              weight_gain=np.float64(1 / np.sqrt(fin)), bias_gain=1)
        ep._modules[name] = layer
    d._modules['b4'] = ep
    return d


def augment_pipe(rng):
    """Stand-in training.augment.AugmentPipe with a couple of buffers."""
    ap = new_standin('training.augment.AugmentPipe')
    ap._buffers['p'] = torch.tensor(0.125)
    ap.__dict__.update(xflip=1.0, rotate90=1.0, xint=1.0, xint_max=0.125, scale=1.0, rotate=1.0,
                       aniso=1.0, xfrac=1.0, scale_std=0.2, rotate_max=1.0, aniso_std=0.2, xfrac_std=0.125,
                       brightness=1.0, contrast=1.0, lumaflip=1.0, hue=1.0, saturation=1.0,
                       brightness_std=0.2, contrast_std=0.5, hue_max=1.0, saturation_std=1.0,
                       imgfilter=0.0, imgfilter_bands=[1, 1, 1, 1], imgfilter_std=1.0,
                       noise=0.0, cutout=0.0, noise_std=0.1, cutout_size=0.5)
    ap._buffers['Hz_geom'] = torch.from_numpy(rng.standard_normal(12).astype(np.float32))
    ap._buffers['Hz_fbank'] = torch.from_numpy(rng.standard_normal((4, 43)).astype(np.float32))
    ap.__dict__['_init_args'] = ()
    ap.__dict__['_init_kwargs'] = dict(xflip=1, rotate90=1, xint=1, scale=1, rotate=1, aniso=1, xfrac=1,
                                       brightness=1, contrast=1, lumaflip=1, hue=1, saturation=1)
    return ap


def _find(root, dotted):
    obj = root
    for part in dotted.split('.') if dotted else []:
        obj = obj._modules[part]
    return obj


def make_conditional(fixture, weights, c_dim=10, seed=1, requires_grad=True):
    """G_ema with c_dim=c_dim: root/mapping c_dim changed, mapping.embed added
    (registered before fc0, as NVlabs does) and fc0 widened to z_dim + w_dim."""
    rng = np.random.default_rng(seed)
    G = build_tree(fixture, weights, requires_grad=requires_grad)
    mapping = G._modules['mapping']
    fc0 = mapping._modules['fc0']
    z_dim = mapping.__dict__['z_dim']
    w_dim = mapping.__dict__['w_dim']
    for obj in (G, mapping):
        obj.__dict__['c_dim'] = c_dim
        kw = obj.__dict__.get('_init_kwargs')
        if isinstance(kw, dict) and 'c_dim' in kw:
            kw['c_dim'] = c_dim

    def f32(*s):
        return torch.nn.Parameter(torch.from_numpy(rng.standard_normal(s).astype(np.float32)),
                                  requires_grad=requires_grad)

    # Widen fc0.
    fin = z_dim + w_dim
    fout = fc0._parameters['weight'].shape[0]
    fc0._parameters['weight'] = f32(fout, fin)
    if 'in_features' in fc0.__dict__:  # SG2-ADA's FullyConnectedLayer has no in_features
        fc0.__dict__['in_features'] = fin
    lr = fc0.__dict__.get('bias_gain', 0.01)
    if 'weight_gain' in fc0.__dict__:
        fc0.__dict__['weight_gain'] = np.float64(lr / np.sqrt(fin))
    if isinstance(fc0.__dict__.get('_init_args'), tuple) and fc0.__dict__['_init_args']:
        fc0.__dict__['_init_args'] = (fin,) + fc0.__dict__['_init_args'][1:]

    # New embed layer: FullyConnectedLayer(c_dim, w_dim) with default options.
    embed = new_standin(_qualified_name_of(fc0))
    for k, v in fc0.__dict__.items():
        if k in ('training', '_parameters', '_buffers', '_non_persistent_buffers_set', '_modules') or k.endswith('hooks') \
                or k == '_is_full_backward_hook':
            continue
        embed.__dict__[k] = v
    for k, v in dict(in_features=c_dim, out_features=w_dim, activation='linear').items():
        if k in embed.__dict__:
            embed.__dict__[k] = v
    if 'weight_gain' in embed.__dict__:
        embed.__dict__['weight_gain'] = np.float64(1 / np.sqrt(c_dim))
    if 'bias_gain' in embed.__dict__:
        embed.__dict__['bias_gain'] = 1
    for k in ('lr_multiplier',):
        if k in embed.__dict__:
            embed.__dict__[k] = 1
    if '_init_args' in embed.__dict__:
        embed.__dict__['_init_args'] = (c_dim, w_dim)
        embed.__dict__['_init_kwargs'] = {}
    embed._parameters['weight'] = f32(w_dim, c_dim)
    embed._parameters['bias'] = f32(w_dim)
    # StyleGAN3 keeps 'embed = None' as a plain attribute when c_dim == 0.
    mapping.__dict__.pop('embed', None)
    children = list(mapping._modules.items())
    mapping._modules.clear()
    mapping._modules['embed'] = embed
    for k, v in children:
        mapping._modules[k] = v
    return G


def _qualified_name_of(obj):
    cls = type(obj)
    for q, c in _STANDIN_CLASSES.items():
        if c is cls:
            return q
    raise KeyError(cls)


def with_bad_storage(fixture, weights):
    """G_ema whose first 4-D weight is a tensor view far larger than its storage."""
    G = build_tree(fixture, weights)
    for path, mod in _named_modules(G):
        w = mod._parameters.get('weight')
        if w is not None and w.dim() == 4:
            storage = torch.zeros(4).storage()  # 4 floats
            size = tuple(w.shape)
            stride = tuple(int(s) for s in torch.empty(size).stride())
            bad = RawReduce(torch._utils._rebuild_tensor_v2,
                            (storage, 0, size, stride, False, collections.OrderedDict()))
            mod._parameters['weight'] = RawReduce(torch._utils._rebuild_parameter,
                                                  (bad, False, collections.OrderedDict()))
            return G, (path + '.weight', size, stride)
    raise RuntimeError('no 4-D weight found')


def _named_modules(root, prefix=''):
    yield prefix, root
    for name, child in root._modules.items():
        if child is not None:
            yield from _named_modules(child, prefix + '.' + name if prefix else name)


# ---------------------------------------------------------------------------
# Raw-opcode hostile pickles.
# ---------------------------------------------------------------------------


def recursive_pickle(depth=100000):
    """{'deep': [[[...]]] (depth levels), 'self': L where L == [L]}."""
    out = bytearray(b'\x80\x04')            # PROTO 4
    out += b'}'                             # EMPTY_DICT
    out += b'('                             # MARK
    out += b'X' + struct.pack('<I', 4) + b'deep'  # BINUNICODE
    out += b']' * depth                     # EMPTY_LIST x depth
    out += b'a' * (depth - 1)               # APPEND x (depth-1)
    out += b'X' + struct.pack('<I', 4) + b'self'
    out += b']'                             # EMPTY_LIST
    out += b'q\x00'                         # BINPUT 0
    out += b'h\x00'                         # BINGET 0
    out += b'a'                             # APPEND -> list contains itself
    out += b'u'                             # SETITEMS
    out += b'.'                             # STOP
    return bytes(out)


def oversized_pickle(opcode=b'\x8e'):
    """BINBYTES8 (0x8e) or BINUNICODE8 (0x8d) claiming 2**62 bytes."""
    return b'\x80\x04' + opcode + struct.pack('<Q', 2 ** 62) + b'only a few bytes follow' + b'.'


# ---------------------------------------------------------------------------
# rosinality-style checkpoints (our own minimal modules with rosinality's
# parameter names, so state_dict() order and _metadata are genuine).
# ---------------------------------------------------------------------------


def _blur_kernel(scale=1.0):
    k = torch.tensor([1., 3., 3., 1.])
    k = k[None, :] * k[:, None]
    return k / k.sum() * scale


class _RosEqualLinear(torch.nn.Module):
    def __init__(self, fin, fout):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.randn(fout, fin))
        self.bias = torch.nn.Parameter(torch.randn(fout))


class _RosEqualConv2d(torch.nn.Module):
    def __init__(self, fin, fout, k, bias=True):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.randn(fout, fin, k, k))
        self.bias = torch.nn.Parameter(torch.randn(fout)) if bias else None


class _RosBlur(torch.nn.Module):
    def __init__(self, scale=1.0):
        super().__init__()
        self.register_buffer('kernel', _blur_kernel(scale))


class _RosModConv(torch.nn.Module):
    def __init__(self, fin, fout, k, style_dim, upsample=False):
        super().__init__()
        if upsample:
            self.blur = _RosBlur(4.0)
        self.weight = torch.nn.Parameter(torch.randn(1, fout, fin, k, k))
        self.modulation = _RosEqualLinear(style_dim, fin)


class _RosNoise(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.randn(1))


class _RosFusedLReLU(torch.nn.Module):
    def __init__(self, ch):
        super().__init__()
        self.bias = torch.nn.Parameter(torch.randn(ch))


class _RosStyledConv(torch.nn.Module):
    def __init__(self, fin, fout, style_dim, upsample=False):
        super().__init__()
        self.conv = _RosModConv(fin, fout, 3, style_dim, upsample)
        self.noise = _RosNoise()
        self.activate = _RosFusedLReLU(fout)


class _RosToRGB(torch.nn.Module):
    def __init__(self, fin, style_dim, upsample=True):
        super().__init__()
        if upsample:
            self.upsample = _RosBlur(4.0)
        self.conv = _RosModConv(fin, 3, 1, style_dim)
        self.bias = torch.nn.Parameter(torch.randn(1, 3, 1, 1))


class _RosConstantInput(torch.nn.Module):
    def __init__(self, ch):
        super().__init__()
        self.input = torch.nn.Parameter(torch.randn(1, ch, 4, 4))


class _RosGenerator(torch.nn.Module):
    def __init__(self, size, style_dim, n_mlp, ch):
        super().__init__()
        log_size = int(np.log2(size))
        self.style = torch.nn.Sequential(torch.nn.Identity(),
                                         *[_RosEqualLinear(style_dim, style_dim) for _ in range(n_mlp)])
        self.input = _RosConstantInput(ch)
        self.conv1 = _RosStyledConv(ch, ch, style_dim)
        self.to_rgb1 = _RosToRGB(ch, style_dim, upsample=False)
        self.convs = torch.nn.ModuleList()
        self.upsamples = torch.nn.ModuleList()
        self.to_rgbs = torch.nn.ModuleList()
        self.noises = torch.nn.Module()
        num_layers = (log_size - 2) * 2 + 1
        for i in range(num_layers):
            res = (i + 5) // 2
            self.noises.register_buffer('noise_%d' % i, torch.randn(1, 1, 2 ** res, 2 ** res))
        for _ in range(3, log_size + 1):
            self.convs.append(_RosStyledConv(ch, ch, style_dim, upsample=True))
            self.convs.append(_RosStyledConv(ch, ch, style_dim))
            self.to_rgbs.append(_RosToRGB(ch, style_dim))


class _RosConvLayer(torch.nn.Sequential):
    def __init__(self, fin, fout, k, downsample=False, bias=True, activate=True):
        layers = []
        if downsample:
            layers.append(_RosBlur())
        layers.append(_RosEqualConv2d(fin, fout, k, bias=bias and not activate))
        if activate:
            layers.append(_RosFusedLReLU(fout))
        super().__init__(*layers)


class _RosResBlock(torch.nn.Module):
    def __init__(self, fin, fout):
        super().__init__()
        self.conv1 = _RosConvLayer(fin, fin, 3)
        self.conv2 = _RosConvLayer(fin, fout, 3, downsample=True)
        self.skip = _RosConvLayer(fin, fout, 1, downsample=True, activate=False, bias=False)


class _RosDiscriminator(torch.nn.Module):
    def __init__(self, size, ch):
        super().__init__()
        convs = [_RosConvLayer(3, ch, 1)]
        for _ in range(int(np.log2(size)), 2, -1):
            convs.append(_RosResBlock(ch, ch))
        self.convs = torch.nn.Sequential(*convs)
        self.final_conv = _RosConvLayer(ch + 1, ch, 3)
        self.final_linear = torch.nn.Sequential(_RosEqualLinear(ch * 16, ch), _RosEqualLinear(ch, 1))


def rosinality_checkpoint(with_args=True, size=64, latent=64, n_mlp=4, ch=32, seed=0):
    torch.manual_seed(seed)
    g_ema = _RosGenerator(size, latent, n_mlp, ch)
    g = _RosGenerator(size, latent, n_mlp, ch)
    d = _RosDiscriminator(size, ch)
    g_optim = torch.optim.Adam(g.parameters(), lr=0.002, betas=(0.0, 0.99))
    d_optim = torch.optim.Adam(d.parameters(), lr=0.002, betas=(0.0, 0.99))
    ckpt = {
        'g': g.state_dict(),
        'd': d.state_dict(),
        'g_ema': g_ema.state_dict(),
        'g_optim': g_optim.state_dict(),
        'd_optim': d_optim.state_dict(),
    }
    if with_args:
        ckpt['args'] = argparse.Namespace(
            path='lmdb', arch='stylegan2', iter=800000, batch=16, n_sample=64, size=size, r1=10,
            path_regularize=2, path_batch_shrink=2, d_reg_every=16, g_reg_every=4, mixing=0.9,
            ckpt=None, lr=0.002, channel_multiplier=1, wandb=False, local_rank=0, augment=False,
            augment_p=0, ada_target=0.6, ada_length=500000, ada_every=256,
            latent=latent, n_mlp=n_mlp, start_iter=0, distributed=False)
    ckpt['ada_aug_p'] = 0.0
    return ckpt


# ---------------------------------------------------------------------------
# Code-free pickle inspection (pickletools.genops + a symbolic stack).
# ---------------------------------------------------------------------------


class SymGlobal:
    def __init__(self, module, name):
        self.module, self.name = module, name

    def __repr__(self):
        return '%s.%s' % (self.module, self.name)


class SymCall:
    """Result of REDUCE/NEWOBJ/NEWOBJ_EX: func(args) plus later BUILD/SETITEMS/APPENDS."""

    def __init__(self, func, args):
        self.func, self.args = func, args
        self.state = None
        self.items = {}
        self.appended = []


class SymPersId:
    def __init__(self, pid):
        self.pid = pid


_MARK = object()


def symbolic_load(data, max_ops=10 ** 7):
    """Interpret a pickle without importing or calling anything.

    Returns (root, globals_in_order, stats). Raises ValueError on malformed input.
    """
    stack, memo, globals_seen = [], {}, []
    nops = 0

    def pop_mark():
        items = []
        while True:
            x = stack.pop()
            if x is _MARK:
                return items[::-1]
            items.append(x)

    def setitems(target, pairs):
        if isinstance(target, dict):
            for k, v in pairs:
                try:
                    target[k] = v
                except TypeError:
                    target[id(k)] = v
        elif isinstance(target, SymCall):
            for k, v in pairs:
                target.items[k if isinstance(k, (str, int, float, bytes, tuple)) else id(k)] = v
        else:
            raise ValueError('SETITEM on %r' % type(target))

    for op, arg, pos in pickletools.genops(data):
        nops += 1
        if nops > max_ops:
            raise ValueError('too many opcodes')
        n = op.name
        if n in ('PROTO', 'FRAME'):
            continue
        if n == 'STOP':
            break
        if n == 'MARK':
            stack.append(_MARK)
        elif n in ('EMPTY_DICT',):
            stack.append({})
        elif n in ('EMPTY_LIST',):
            stack.append([])
        elif n == 'EMPTY_TUPLE':
            stack.append(())
        elif n == 'EMPTY_SET':
            stack.append(set())
        elif n in ('TUPLE1', 'TUPLE2', 'TUPLE3'):
            k = int(n[-1])
            t = tuple(stack[-k:])
            del stack[-k:]
            stack.append(t)
        elif n == 'TUPLE':
            stack.append(tuple(pop_mark()))
        elif n == 'LIST':
            stack.append(pop_mark())
        elif n == 'DICT':
            items = pop_mark()
            d = {}
            setitems(d, zip(items[::2], items[1::2]))
            stack.append(d)
        elif n == 'FROZENSET':
            stack.append(('frozenset', tuple(pop_mark())))
        elif n == 'APPEND':
            v = stack.pop()
            t = stack[-1]
            (t if isinstance(t, list) else t.appended).append(v)
        elif n == 'APPENDS':
            items = pop_mark()
            t = stack[-1]
            (t if isinstance(t, list) else t.appended).extend(items)
        elif n == 'ADDITEMS':
            items = pop_mark()
            stack[-1] = stack[-1] | set(id(x) if isinstance(x, (list, dict)) else x for x in items)
        elif n == 'SETITEM':
            v = stack.pop()
            k = stack.pop()
            setitems(stack[-1], [(k, v)])
        elif n == 'SETITEMS':
            items = pop_mark()
            setitems(stack[-1], zip(items[::2], items[1::2]))
        elif n in ('GLOBAL',):
            mod, name = arg.split(' ', 1)
            g = SymGlobal(mod, name)
            globals_seen.append(repr(g))
            stack.append(g)
        elif n == 'STACK_GLOBAL':
            name = stack.pop()
            mod = stack.pop()
            g = SymGlobal(mod, name)
            globals_seen.append(repr(g))
            stack.append(g)
        elif n == 'REDUCE':
            args = stack.pop()
            stack[-1] = SymCall(stack[-1], args)
        elif n == 'NEWOBJ':
            args = stack.pop()
            stack[-1] = SymCall(stack[-1], args)
        elif n == 'NEWOBJ_EX':
            kw = stack.pop()
            args = stack.pop()
            stack[-1] = SymCall(stack[-1], (args, kw))
        elif n == 'BUILD':
            state = stack.pop()
            t = stack[-1]
            if isinstance(t, SymCall):
                t.state = state
        elif n in ('PUT', 'BINPUT', 'LONG_BINPUT'):
            memo[arg] = stack[-1]
        elif n == 'MEMOIZE':
            memo[len(memo)] = stack[-1]
        elif n in ('GET', 'BINGET', 'LONG_BINGET'):
            stack.append(memo[arg])
        elif n == 'POP':
            stack.pop()
        elif n == 'POP_MARK':
            pop_mark()
        elif n == 'DUP':
            stack.append(stack[-1])
        elif n in ('PERSID', 'BINPERSID'):
            stack.append(SymPersId(arg if n == 'PERSID' else stack.pop()))
        elif n in ('NONE',):
            stack.append(None)
        elif n == 'NEWTRUE':
            stack.append(True)
        elif n == 'NEWFALSE':
            stack.append(False)
        elif op.arg is not None:  # ints, floats, strings, bytes
            stack.append(arg)
        else:
            raise ValueError('unhandled opcode %s at %d' % (n, pos))
    else:
        raise ValueError('no STOP opcode')
    if len(stack) != 1:
        raise ValueError('stack has %d items at STOP' % len(stack))
    return stack[0], globals_seen, {'opcodes': nops, 'memo': len(memo)}


PERSIST_FN = 'torch_utils.persistence._reconstruct_persistent_obj'


def persistent_objects(root):
    """Yield (path, meta) for every NVlabs persistent object in a symbolic tree."""
    seen = set()

    def walk(x, path):
        if id(x) in seen:
            return
        if isinstance(x, (dict, list, tuple, SymCall)):
            seen.add(id(x))
        if isinstance(x, SymCall):
            if repr(x.func) == PERSIST_FN and isinstance(x.args, tuple) and x.args and isinstance(x.args[0], dict):
                meta = x.args[0]
                yield path, meta
                state = meta.get('state')
                mods = state.get('_modules') if isinstance(state, dict) else None
                if isinstance(mods, SymCall):
                    for k, v in mods.items.items():
                        yield from walk(v, path + '.' + str(k) if path else str(k))
                if isinstance(state, dict):
                    for k, v in state.items():
                        if k != '_modules':
                            yield from walk(v, path + '/' + str(k))
                return
            yield from walk(x.args, path)
            yield from walk(x.state, path)
            for k, v in x.items.items():
                yield from walk(v, '%s[%s]' % (path, k))
        elif isinstance(x, dict):
            for k, v in x.items():
                yield from walk(v, '%s[%s]' % (path, k) if path else str(k))
        elif isinstance(x, (list, tuple)):
            for v in x:
                yield from walk(v, path)

    yield from walk(root, '')


def layout_summary(data):
    """Globals, meta key order and per-class state keys of an NVlabs pickle."""
    root, globals_seen, stats = symbolic_load(data)
    per_class = collections.OrderedDict()
    meta_keys = set()
    for path, meta in persistent_objects(root):
        meta_keys.add(tuple(meta.keys()))
        cls = meta.get('class_name')
        state = meta.get('state', {})
        entry = per_class.setdefault(cls, {'state_keys': collections.OrderedDict(), 'params': set(), 'buffers': set()})
        for k in state:
            entry['state_keys'][k] = True
        for store, key in (('params', '_parameters'), ('buffers', '_buffers')):
            od = state.get(key)
            if isinstance(od, SymCall):
                entry[store].update(od.items.keys())
    return {
        'protocol': data[1] if data[:1] == b'\x80' else 0,
        'globals': list(collections.OrderedDict.fromkeys(globals_seen)),
        'meta_keys': sorted(meta_keys),
        'classes': per_class,
        'top_keys': list(root.keys()) if isinstance(root, dict) else type(root).__name__,
        'stats': stats,
    }


# ---------------------------------------------------------------------------
# Main.
# ---------------------------------------------------------------------------


def dump(obj, path, protocol=4):
    with open(path, 'wb') as f:
        pickle.dump(obj, f, protocol=protocol)


def find_fixtures(fixtures_dir):
    """Returns [(name, fixture, weights, is_sg3)], discriminators separately."""
    gens, discs = [], []
    if fixtures_dir and os.path.isdir(fixtures_dir):
        for path in sorted(glob.glob(os.path.join(fixtures_dir, '*.json'))):
            name = os.path.basename(path)[:-5]
            try:
                fixture, weights = load_fixture(path)
            except (OSError, ValueError) as e:
                print('skipping %s: %s' % (path, e), file=sys.stderr)
                continue
            if not isinstance(fixture, dict) or 'modules' not in fixture:
                continue
            root_cls = fixture['modules'].get('', {}).get('class_name', '')
            if name.endswith('_disc') or root_cls.endswith('Discriminator'):
                discs.append((name, fixture, weights))
            else:
                is_sg3 = 'stylegan3' in root_cls or any(
                    'stylegan3' in m.get('class_name', '') for m in fixture['modules'].values())
                gens.append((name, fixture, weights, is_sg3))
    return gens, discs


def generate(out_dir, fixtures_dir):
    os.makedirs(out_dir, exist_ok=True)
    rng = np.random.default_rng(1234)
    gens, discs = find_fixtures(fixtures_dir)
    written = {}

    def put(name, data_or_obj, protocol=4):
        path = os.path.join(out_dir, name)
        if isinstance(data_or_obj, (bytes, bytearray)):
            with open(path, 'wb') as f:
                f.write(data_or_obj)
        else:
            dump(data_or_obj, path, protocol)
        written[name] = path

    if not gens:
        fx, w = synthetic_fixture()
        gens = [('synthetic_sg2', fx, w, False)]
        print('no fixtures found; using a synthetic StyleGAN2 tree', file=sys.stderr)

    # A. one G_ema pickle per fixture config.
    for name, fixture, weights, _ in gens:
        put(name + '.pkl', {'G_ema': build_tree(fixture, weights)})

    def size_of(g):
        return sum(a.nbytes for a in g[2].values())

    sg2 = [g for g in gens if not g[3]]
    sg3 = [g for g in gens if g[3]]
    first = sg2[0] if sg2 else gens[0]            # snapshot.pkl
    small = min(sg2 or gens, key=size_of)          # hostile/invalid files stay small
    p2 = min(sg3, key=size_of) if sg3 else small   # protocol 2 (SG3 adds ndarray attributes)

    name, fixture, weights, _ = first
    disc = [d for d in discs if d[0] == name + '_disc'] or discs
    if disc:
        D = build_tree(disc[0][1], disc[0][2], False)
    else:
        D = small_discriminator(rng)
    # The training loop stores dict(training_set_kwargs): a plain dict.
    training_set_kwargs = dict(class_name='training.dataset.ImageFolderDataset', path='datasets/x.zip',
                               resolution=fixture['modules']['']['attributes'].get('img_resolution', 8),
                               use_labels=False, max_size=None, xflip=False)
    G = build_tree(fixture, weights, False, rng=rng, perturb=0.5)
    G_ema = build_tree(fixture, weights, False)
    share_immutable_tuples(G, G_ema)
    put('snapshot.pkl', dict(G=G, D=D, G_ema=G_ema, augment_pipe=augment_pipe(rng),
                             training_set_kwargs=training_set_kwargs))
    put('protocol2.pkl', {'G_ema': build_tree(p2[1], p2[2])}, protocol=2)

    name, fixture, weights, _ = small
    # B. hostile / invalid inputs.
    G = build_tree(fixture, weights)
    for path, mod in _named_modules(G):
        if type(mod)._lw_class_name == 'SynthesisLayer':
            mod.__dict__['payload'] = Hostile()
            break
    else:
        G.__dict__['payload'] = Hostile()
    put('unknown_global_in_generator.pkl', {'G_ema': G})
    put('unknown_global_outside_generator.pkl', {'extra': Hostile(), 'G_ema': build_tree(fixture, weights)})
    valid = pickle.dumps({'G_ema': build_tree(fixture, weights)}, protocol=4)
    put('truncated.pkl', valid[:len(valid) // 2])
    put('recursive.pkl', recursive_pickle())
    put('oversized.pkl', oversized_pickle(b'\x8e'))
    put('oversized_unicode.pkl', oversized_pickle(b'\x8d'))
    put('not_a_generator.pkl', {'hello': [1, 2, 3]})
    sg2_new = [g for g in sg2 if 'networks_stylegan2.' in g[1]['modules']['']['class_name']]
    cond = min(sg2_new, key=size_of) if sg2_new else small
    put('conditional.pkl', {'G_ema': make_conditional(cond[1], cond[2])})
    bad_G, bad_info = with_bad_storage(fixture, weights)
    put('bad_storage.pkl', {'G_ema': bad_G})

    # rosinality checkpoints (torch.save zip, and one legacy non-zip file).
    def save(fname, ckpt, zip_format=True):
        path = os.path.join(out_dir, fname)
        torch.save(ckpt, path, _use_new_zipfile_serialization=zip_format)
        written[fname] = path

    save('rosinality.pt', rosinality_checkpoint(with_args=True))
    save('rosinality_noargs.pt', rosinality_checkpoint(with_args=False))
    save('legacy_torchsave.pt', rosinality_checkpoint(with_args=True), zip_format=False)
    # What rosinality's convert_weight.py writes for NVlabs TF weights.
    ckpt = rosinality_checkpoint(with_args=False)
    save('rosinality_converted.pt', {'g_ema': ckpt['g_ema'], 'latent_avg': torch.randn(64)})

    return written, gens, {'snapshot': first, 'small': small, 'protocol2': p2, 'conditional': cond}, bad_info


def verify(out_dir, gens, chosen, bad_info):
    """Check that every file loads, or fails, as intended, without running hostile code."""
    ok = True

    def check(cond, msg):
        nonlocal ok
        print(('  ok    ' if cond else '  FAIL  ') + msg)
        ok = ok and cond

    def read(name):
        with open(os.path.join(out_dir, name), 'rb') as f:
            return f.read()

    class SafeUnpickler(pickle.Unpickler):
        ALLOWED = {
            ('torch_utils.persistence', '_reconstruct_persistent_obj'),
            ('dnnlib.util', 'EasyDict'),
            ('torch._utils', '_rebuild_tensor_v2'), ('torch._utils', '_rebuild_parameter'),
            ('torch.storage', '_load_from_bytes'), ('collections', 'OrderedDict'),
            ('numpy.core.multiarray', 'scalar'), ('numpy.core.multiarray', '_reconstruct'),
            ('numpy', 'dtype'), ('numpy', 'ndarray'), ('_codecs', 'encode'), ('builtins', 'set'),
            ('copyreg', '_reconstructor'), ('builtins', 'object'),
            # protocol < 3 spells some names the Python 2 way (fix_imports):
            ('__builtin__', 'set'), ('copy_reg', '_reconstructor'), ('__builtin__', 'object'),
        }

        def find_class(self, module, name):
            if (module, name) not in self.ALLOWED:
                raise pickle.UnpicklingError('refused global %s.%s' % (module, name))
            return super().find_class(module, name)

    def safe_load(name):
        return SafeUnpickler(io.BytesIO(read(name))).load()

    def tensors_of(meta_tree, prefix=''):
        state = meta_tree['state']
        for k, v in state['_parameters'].items():
            yield prefix + k, v
        for k, v in state['_buffers'].items():
            yield prefix + k, v
        for k, child in state['_modules'].items():
            yield from tensors_of(child, prefix + k + '.')

    print('verifying', out_dir)
    for name, fixture, weights, _ in gens:
        obj = safe_load(name + '.pkl')
        G = obj['G_ema']
        got = dict(tensors_of(G))
        same = all(v is None or np.array_equal(v.detach().numpy().ravel(), weights[k].ravel()) for k, v in got.items())
        check(set(k for k, v in got.items() if v is not None) == set(weights) and same,
              '%s.pkl: %d tensors equal the fixture' % (name, len(got)))
        check(G['class_name'] == fixture['modules']['']['class_name'].rpartition('.')[2],
              '%s.pkl: root class_name %r' % (name, G['class_name']))
    snap = safe_load('snapshot.pkl')
    check(list(snap) == ['G', 'D', 'G_ema', 'augment_pipe', 'training_set_kwargs'], 'snapshot.pkl keys %s' % list(snap))
    check(snap['G'] is not snap['G_ema'], 'snapshot.pkl: G and G_ema are distinct objects')
    p2 = safe_load('protocol2.pkl')
    check(read('protocol2.pkl')[:2] == b'\x80\x02' and p2['G_ema']['class_name'] == 'Generator',
          'protocol2.pkl loads (config %s)' % chosen['protocol2'][0])
    cond = safe_load('conditional.pkl')['G_ema']
    mp = cond['state']['_modules']['mapping']['state']
    emb = mp['_modules']['embed']['state']['_parameters']['weight']
    fc0 = mp['_modules']['fc0']['state']['_parameters']['weight']
    check(cond['state']['c_dim'] == 10 and list(mp['_modules'])[0] == 'embed' and emb.shape[1] == 10
          and fc0.shape[1] == mp['z_dim'] + mp['w_dim'],
          'conditional.pkl: c_dim=10, embed %s first, fc0 %s' % (tuple(emb.shape), tuple(fc0.shape)))
    check(safe_load('not_a_generator.pkl') == {'hello': [1, 2, 3]}, 'not_a_generator.pkl')
    try:
        safe_load('truncated.pkl')
        check(False, 'truncated.pkl should fail')
    except (pickle.UnpicklingError, EOFError, ValueError) as e:
        check(True, 'truncated.pkl fails: %s' % type(e).__name__)
    # torch itself silently grows a too-small storage in set_(), so check the
    # inconsistency symbolically: the storage blob holds fewer elements than
    # the tensor's size/stride need.
    root, _, _ = symbolic_load(read('bad_storage.pkl'))
    found = []

    def scan(x, seen=set()):
        if id(x) in seen:
            return
        seen.add(id(x))
        if isinstance(x, SymCall):
            if repr(x.func) == 'torch._utils._rebuild_tensor_v2':
                storage_call, offset, size, stride = x.args[:4]
                blob = storage_call.args[0]
                numel = torch.storage._load_from_bytes(blob).size()  # our own bytes
                need = offset + 1 + sum((n - 1) * s for n, s in zip(size, stride))
                if need > numel:
                    found.append((tuple(size), tuple(stride), numel, need))
            for v in (x.args, x.state, list(x.items.values())):
                scan(v)
        elif isinstance(x, dict):
            for v in x.values():
                scan(v)
        elif isinstance(x, (list, tuple)):
            for v in x:
                scan(v)
    scan(root)
    check(len(found) == 1, 'bad_storage.pkl: %s.weight size %s stride %s needs %d elements, storage has %d'
          % (bad_info[0].rpartition('.')[0], found[0][0], found[0][1], found[0][3], found[0][2]) if found else
          'bad_storage.pkl: no inconsistent tensor found')
    # Hostile files: opcode scans only, never pickle.load.
    for name in ('unknown_global_in_generator.pkl', 'unknown_global_outside_generator.pkl'):
        _, gl, _ = symbolic_load(read(name))
        check('posix.system' in gl, '%s carries posix.system' % name)
    _, gl, st = symbolic_load(read('recursive.pkl'))
    check(st['opcodes'] > 200000, 'recursive.pkl parses symbolically (%d opcodes)' % st['opcodes'])
    for name in ('oversized.pkl', 'oversized_unicode.pkl'):
        try:
            symbolic_load(read(name))
            check(False, name + ' should fail')
        except ValueError as e:
            check(True, '%s fails in pickletools: %s' % (name, str(e)[:60]))
    # torch.save checkpoints (created here, contain nothing hostile).
    for name in ('rosinality.pt', 'rosinality_noargs.pt', 'legacy_torchsave.pt', 'rosinality_converted.pt'):
        ck = torch.load(os.path.join(out_dir, name), map_location='cpu')
        g = ck['g_ema']
        check(('args' in ck) == (name in ('rosinality.pt', 'legacy_torchsave.pt')) and 'style.1.weight' in g
              and 'noises.noise_0' in g and 'to_rgbs.0.upsample.kernel' in g,
              '%s: %d g_ema tensors, keys %s' % (name, len(g), list(ck)))
    with open(os.path.join(out_dir, 'rosinality.pt'), 'rb') as f:
        check(f.read(2) == b'PK', 'rosinality.pt is a zip')
    with open(os.path.join(out_dir, 'legacy_torchsave.pt'), 'rb') as f:
        check(f.read(2) == b'\x80\x02', 'legacy_torchsave.pt is a legacy (non-zip) file')
    for marker in (HOSTILE_MARKER, HOSTILE_MARKER + '_global'):
        check(not os.path.exists(marker), '%s was not created' % marker)
    print('globals (pickletools):')
    for name in [g[0] + '.pkl' for g in gens] + ['snapshot.pkl', 'protocol2.pkl', 'conditional.pkl',
                                                 'unknown_global_in_generator.pkl']:
        _, gl, _ = symbolic_load(read(name))
        print('  %-34s %s' % (name, ', '.join(collections.OrderedDict.fromkeys(gl))))
    return ok


def print_layout(path):
    with open(path, 'rb') as f:
        s = layout_summary(f.read())
    print('%s: protocol %d, top-level keys %s, %d opcodes' % (path, s['protocol'], s['top_keys'], s['stats']['opcodes']))
    print('  globals:', ', '.join(s['globals']))
    print('  meta key order:', s['meta_keys'])
    for cls, e in s['classes'].items():
        print('  %-24s state: %s' % (cls, ', '.join(e['state_keys'])))
    return s


def storage_blob_info(blob):
    """(storage class, numel, raw bytes) of a torch.storage._load_from_bytes blob,
    read with pickletools only (a legacy torch.save of one storage)."""
    f = io.BytesIO(blob)
    storage_type = None
    for i in range(5):  # magic, protocol, sys_info, storage record, key list
        for op, arg, pos in pickletools.genops(f):
            if i == 3 and op.name == 'GLOBAL':
                storage_type = arg.replace(' ', '.')
    (count,) = struct.unpack('<q', f.read(8))
    return storage_type, count, f.read()


def canonical(x, seen=None, key=None):
    """Structure of a symbolic pickle tree, for comparing two files' layouts.
    module_src text is replaced by a placeholder; storages by (type, numel, data)."""
    if seen is None:
        seen = set()
    if key == 'module_src' and isinstance(x, str):
        return '<module_src>'
    if isinstance(x, SymGlobal):
        return ('GLOBAL', repr(x))
    if isinstance(x, (dict, list, SymCall)):
        if id(x) in seen:
            return ('SHARED',)
        seen.add(id(x))
    if isinstance(x, SymCall):
        if repr(x.func) == 'torch.storage._load_from_bytes':
            blob = x.args[0]
            if isinstance(blob, SymCall):  # protocol 2: _codecs.encode(str, 'latin1')
                blob = blob.args[0].encode('latin1')
            return ('STORAGE',) + storage_blob_info(blob)
        return ('CALL', canonical(x.func, seen), canonical(x.args, seen), canonical(x.state, seen),
                [(k, canonical(v, seen)) for k, v in x.items.items()], canonical(x.appended, seen))
    if isinstance(x, dict):
        return ('DICT', [(k, canonical(v, seen, k)) for k, v in x.items()])
    if isinstance(x, list):
        return ('LIST', [canonical(v, seen) for v in x])
    if isinstance(x, tuple):
        return ('TUPLE', [canonical(v, seen) for v in x])
    if isinstance(x, set):
        return ('SET', sorted(map(repr, x)))
    return x


def diff_canonical(a, b, path='', out=None, limit=40):
    """List of 'path: genuine=... ours=...' differences between canonical trees."""
    if out is None:
        out = []
    if len(out) >= limit:
        return out
    short = lambda v: (repr(v)[:90] + '...') if len(repr(v)) > 90 else repr(v)
    if type(a) is not type(b):
        out.append('%s: genuine=%s ours=%s' % (path, short(a), short(b)))
    elif isinstance(a, tuple) and a and a[0] in ('CALL', 'DICT', 'LIST', 'TUPLE', 'STORAGE', 'GLOBAL', 'SET', 'SHARED'):
        if a[0] != b[0]:
            out.append('%s: genuine=%s ours=%s' % (path, short(a), short(b)))
        elif a[0] == 'DICT':
            ka, kb = [k for k, _ in a[1]], [k for k, _ in b[1]]
            if ka != kb:
                out.append('%s: keys genuine-only %s ours-only %s%s' % (
                    path, [k for k in ka if k not in kb], [k for k in kb if k not in ka],
                    ' (order differs)' if set(ka) == set(kb) else ''))
            db = dict(b[1])
            for k, v in a[1]:
                if k in db:
                    diff_canonical(v, db[k], '%s/%s' % (path, k), out, limit)
        elif a[0] == 'CALL':
            diff_canonical(a[1], b[1], path + '<func>', out, limit)
            diff_canonical(a[2], b[2], path + '<args>', out, limit)
            diff_canonical(a[3], b[3], path + '<build>', out, limit)
            diff_canonical(('DICT', a[4]), ('DICT', b[4]), path, out, limit)
            diff_canonical(a[5], b[5], path + '<appends>', out, limit)
        elif a[0] == 'STORAGE':
            if a[1:3] != b[1:3]:
                out.append('%s: storage genuine=%s ours=%s' % (path, a[1:3], b[1:3]))
            elif a[3] != b[3]:
                out.append('%s: storage data differs' % path)
        elif a[0] in ('LIST', 'TUPLE'):
            if len(a[1]) != len(b[1]):
                out.append('%s: length genuine=%d ours=%d' % (path, len(a[1]), len(b[1])))
            for i, (x, y) in enumerate(zip(a[1], b[1])):
                diff_canonical(x, y, '%s[%d]' % (path, i), out, limit)
        elif a != b:
            out.append('%s: genuine=%s ours=%s' % (path, short(a), short(b)))
    elif a != b and not (isinstance(a, float) and a != a and b != b):
        out.append('%s: genuine=%s ours=%s' % (path, short(a), short(b)))
    return out


def opcode_histogram(data):
    return collections.Counter(op.name for op, _, _ in pickletools.genops(data))


def compare(out_dir, genuine_dir):
    """Compare our stand-in pickles with genuine NVlabs ones (matched by name)."""
    for gpath in sorted(glob.glob(os.path.join(genuine_dir, '*.pkl'))):
        base = os.path.basename(gpath)
        if base.endswith('_snapshot.pkl'):
            ours_name = 'snapshot.pkl'
        elif 'cond' in base:
            ours_name = 'conditional.pkl'
        else:
            ours_name = base
        opath = os.path.join(out_dir, ours_name)
        print('=== genuine %s  vs  ours %s' % (base, ours_name))
        if not os.path.exists(opath):
            print('  (no counterpart)')
            continue
        with open(gpath, 'rb') as f:
            gdata = f.read()
        with open(opath, 'rb') as f:
            odata = f.read()
        g, o = layout_summary(gdata), layout_summary(odata)
        print('  protocol genuine %d ours %d; top keys genuine %s ours %s' % (
            g['protocol'], o['protocol'], g['top_keys'], o['top_keys']))
        print('  genuine globals:', ', '.join(g['globals']))
        if set(g['globals']) != set(o['globals']):
            print('  globals genuine-only %s ours-only %s' % (sorted(set(g['globals']) - set(o['globals'])),
                                                            sorted(set(o['globals']) - set(g['globals']))))
        if g['meta_keys'] != o['meta_keys']:
            print('  meta keys genuine %s ours %s' % (g['meta_keys'], o['meta_keys']))
        for cls in sorted(set(g['classes']) | set(o['classes'])):
            a, b = g['classes'].get(cls), o['classes'].get(cls)
            if a is None or b is None:
                print('  class %s only in %s' % (cls, 'ours' if a is None else 'genuine'))
                continue
            ka, kb = list(a['state_keys']), list(b['state_keys'])
            if ka != kb:
                print('  %s state keys genuine-only %s ours-only %s%s' % (
                    cls, [k for k in ka if k not in kb], [k for k in kb if k not in ka],
                    ' (order differs)' if set(ka) == set(kb) else ''))
        groot, _, _ = symbolic_load(gdata)
        oroot, _, _ = symbolic_load(odata)
        diffs = diff_canonical(canonical(groot), canonical(oroot), limit=10 ** 6)
        print('  structural differences: %d' % len(diffs))
        # Group differences by path with module names and indices wildcarded.
        groups = collections.Counter()
        for d in diffs:
            where, _, what = d.partition(': ')
            where = re.sub(r'/_modules/[^<]*<args>\[0\]', '/*', where)
            groups[(where[-100:], what[:120])] += 1
        for (where, what), n in groups.most_common(15):
            print('    %4dx %s: %s' % (n, where, what))
        hg, ho = opcode_histogram(gdata), opcode_histogram(odata)
        if hg != ho:
            print('  opcode counts differ:', {k: (hg[k], ho[k]) for k in sorted(set(hg) | set(ho)) if hg[k] != ho[k]})
        else:
            print('  opcode counts identical')
        print('  sizes genuine %d ours %d bytes' % (len(gdata), len(odata)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--out', required=True, help='output directory')
    ap.add_argument('--fixtures', default=None, help='directory of <name>.json + <name>_weights.npz fixtures')
    ap.add_argument('--verify', action='store_true', help='check the outputs load/fail as intended')
    ap.add_argument('--compare', metavar='GENUINE_DIR', help='compare layout with genuine NVlabs pickles')
    args = ap.parse_args()
    written, gens, chosen, bad_info = generate(args.out, args.fixtures)
    for name in sorted(written):
        print('%-40s %9d bytes' % (name, os.path.getsize(written[name])))
    ok = True
    if args.verify:
        ok = verify(args.out, gens, chosen, bad_info)
    if args.compare:
        compare(args.out, args.compare)
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
