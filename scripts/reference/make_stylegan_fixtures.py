#!/usr/bin/env python3
"""Reference fixtures for latentwalk's importer of NVlabs StyleGAN2/StyleGAN3 pickles.

Builds small generators (and one discriminator) with random weights from NVlabs' own
network code, imported at run time from checkouts given on the command line, and writes:

  <out>/<name>.json           module tree: class names, plain attributes (tagged, lossless),
                              parameter and buffer names in registration order
  <out>/<name>_weights.npz    state_dict() as float32, keyed by state-dict name
  <out>/<name>_cases.npz      latents and NVlabs' outputs (float32) to compare against
  <out>/sg2_256_disc.json, <out>/sg2_256_disc_weights.npz   the snapshot's discriminator
  <pickles>/<name>.pkl        dict(G_ema=G) pickled with NVlabs' persistence (never committed)
  <pickles>/sg2_256_snapshot.pkl   training-snapshot-like dict(G, D, G_ema, augment_pipe,
                              training_set_kwargs), laid out as NVlabs' training loop writes it
  <pickles>/sg2_cond.pkl      a conditional generator (c_dim=10), for error tests

This script needs an NVlabs checkout (github.com/NVlabs/stylegan3; optionally
github.com/NVlabs/stylegan2-ada-pytorch) and is not run in CI. Nothing of NVlabs' code is
copied into this repository: the checkout is only put on sys.path while the script runs.
The committed outputs are the fixtures under tests/fixtures/stylegan; the pickles are not.

Usage (from the repository root, with Debian's Python, which has torch, numpy and scipy):

  /usr/bin/python3 scripts/reference/make_stylegan_fixtures.py \\
      --stylegan3 /path/to/NVlabs/stylegan3 \\
      [--stylegan2-ada /path/to/NVlabs/stylegan2-ada-pytorch] \\
      [--out tests/fixtures/stylegan] [--pickles /tmp/lw_nvlabs_pickles]

Runs on the CPU; NVlabs' custom ops fall back to their reference implementations there.
Every output is a deterministic function of the seeds below and the checkouts' code.
"""

import argparse
import copy
import hashlib
import io
import json
import math
import os
import pickle
import pickletools
import subprocess
import sys

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))
DEFAULT_OUT = os.path.join(REPO_ROOT, 'tests', 'fixtures', 'stylegan')
DEFAULT_PICKLES = '/tmp/lw_nvlabs_pickles'

# Keys of a torch.nn.Module's __dict__ that start with '_' but belong to the pickled object's
# own plain state (NVlabs' persistence records the constructor arguments there).
KEEP_PRIVATE = ('_init_args', '_init_kwargs')


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--stylegan3', help='path to an NVlabs/stylegan3 checkout (required)')
    p.add_argument('--stylegan2-ada', dest='stylegan2_ada', default=None,
                   help='path to an NVlabs/stylegan2-ada-pytorch checkout (optional)')
    p.add_argument('--out', default=DEFAULT_OUT, help='fixture folder (default: %(default)s)')
    p.add_argument('--pickles', default=DEFAULT_PICKLES,
                   help='folder for the full pickles, never committed (default: %(default)s)')
    p.add_argument('--_worker', default=None, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args._worker is None and not args.stylegan3:
        p.error('--stylegan3 is required')
    return args


# ---------------------------------------------------------------------------------------------
# Lossless, tagged JSON encoding of the plain Python values a pickle carries.

class Encoder:
    def __init__(self, np, easydict_type):
        self.np = np
        self.easydict_type = easydict_type

    def __call__(self, v):
        np = self.np
        if v is None or isinstance(v, (bool, str)):
            return v
        if isinstance(v, np.ndarray):
            if v.dtype == object:
                raise TypeError('object ndarray cannot be encoded')
            return {'__ndarray__': {'dtype': str(v.dtype), 'shape': list(v.shape),
                                    'data': v.reshape(-1).tolist()}}
        if isinstance(v, np.generic):
            return {'__np_scalar__': {'dtype': str(v.dtype), 'value': v.item()}}
        if isinstance(v, int):
            return int(v)
        if isinstance(v, float):
            return float(v)
        if isinstance(v, tuple):
            return {'__tuple__': [self(x) for x in v]}
        if isinstance(v, (set, frozenset)):
            items = [self(x) for x in v]
            items.sort(key=lambda x: json.dumps(x, sort_keys=True))
            return {'__set__': items}
        if isinstance(v, list):
            return [self(x) for x in v]
        if isinstance(v, dict):
            if not all(isinstance(k, str) for k in v):
                body = {'__dict_items__': [[self(k), self(x)] for k, x in v.items()]}
            else:
                body = {k: self(x) for k, x in v.items()}
            if isinstance(v, self.easydict_type):
                return {'__easydict__': body}
            if type(v) is not dict:
                raise TypeError(f'unexpected dict subclass {type(v)!r}')
            return body
        raise TypeError(f'cannot encode {type(v)!r}: {v!r}')


def class_name_of(obj, persistence):
    """'<module>.<Class>' of the class NVlabs' persistence records for obj."""
    cls = type(obj)
    if persistence.is_persistent(obj):
        orig = cls.__mro__[1]  # the decorator subclasses the original class
        assert orig.__name__ == cls._orig_class_name
        return f'{orig.__module__}.{orig.__name__}', True
    return f'{cls.__module__}.{cls.__qualname__}', False


def describe_network(net, role, config, persistence, easydict_type, source, np, torch):
    enc = Encoder(np, easydict_type)
    root_class, _ = class_name_of(net, persistence)
    modules = {}
    for path, m in net.named_modules():
        cls, is_persistent = class_name_of(m, persistence)
        attrs = {}
        for key, val in m.__dict__.items():
            if key.startswith('_') and key not in KEEP_PRIVATE:
                continue
            if isinstance(val, (torch.Tensor, torch.nn.Module)):
                continue
            attrs[key] = enc(val)

        def names(d):
            return [name if t is not None else {'name': name, 'none': True} for name, t in d.items()]

        entry = {'class_name': cls, 'persistent': is_persistent, 'attributes': attrs,
                 'parameters': names(m._parameters), 'buffers': names(m._buffers)}
        if m._non_persistent_buffers_set:
            entry['non_persistent_buffers'] = sorted(m._non_persistent_buffers_set)
        modules[path] = entry
    return {
        'config': config,
        'role': role,
        role: {'class_name': root_class, 'init_kwargs': enc(net._init_kwargs)},
        'source': source,
        'torch_version': torch.__version__,
        'module_dict_keys': [k for k in net.__dict__.keys() if k.startswith('_') and k not in KEEP_PRIVATE],
        'modules': modules,
    }


def write_json(path, obj):
    with open(path, 'w') as f:
        json.dump(obj, f, indent=1, allow_nan=False)
        f.write('\n')


def save_npz(path, arrays):
    """np.savez's layout (stored, zip64 local headers, '<key>.npy' members in order) with a
    fixed timestamp, so that regenerating the fixtures gives the same bytes."""
    import zipfile
    import numpy as np
    with zipfile.ZipFile(path, 'w', compression=zipfile.ZIP_STORED) as zf:
        for key, a in arrays.items():
            info = zipfile.ZipInfo(key + '.npy', date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED
            with zf.open(info, 'w', force_zip64=True) as f:
                # (not np.ascontiguousarray: it turns 0-d arrays into shape [1])
                np.lib.format.write_array(f, np.array(a, order='C', copy=True), allow_pickle=False)


def state_dict_npz(path, net, np):
    arrays = {}
    for k, v in net.state_dict().items():
        arrays[k] = v.detach().cpu().numpy().astype(np.float32)
    save_npz(path, arrays)


# ---------------------------------------------------------------------------------------------
# Randomisation so every term of the forward pass contributes.

def randomise(net, seed, torch, w_avg=True):
    gen = torch.Generator().manual_seed(seed)

    def randn(shape):
        return torch.randn(shape, generator=gen)

    with torch.no_grad():
        for path, m in net.named_modules():
            for name, p in m._parameters.items():
                if p is None:
                    continue
                if name == 'bias':
                    # Add to whatever the layer was initialised with (0, or 1 for affines, or
                    # [1,0,0,0] for SG3's input affine); stored biases are scaled by bias_gain
                    # in the forward pass, so draw in effective units.
                    gain = float(getattr(m, 'bias_gain', 1.0)) or 1.0
                    p.add_(randn(p.shape) * (0.1 / gain))
                elif name == 'noise_strength':
                    p.copy_(randn(p.shape) * 0.1)
            for name, b in m._buffers.items():
                if b is None:
                    continue
                if name == 'w_avg' and w_avg:
                    b.copy_(randn(b.shape) * 0.5)
                elif name == 'magnitude_ema':
                    b.copy_(torch.rand(b.shape, generator=gen) * 1.5 + 0.5)
            if type(m).__name__ == 'SynthesisInput':
                m.affine.weight.copy_(randn(m.affine.weight.shape) * 0.1)


def check_randomised(net, torch):
    """Every noise_strength, magnitude_ema, bias and w_avg is non-zero / non-default."""
    for name, t in list(net.named_parameters()) + list(net.named_buffers()):
        leaf = name.rsplit('.', 1)[-1]
        if leaf in ('noise_strength', 'bias', 'w_avg'):
            assert bool((t != 0).any()), name
        if leaf == 'magnitude_ema':
            assert float(t) != 1.0, name


def clamp_effect(G, torch, rows=2, seed=0):
    """Largest change in the output when conv_clamp is switched off everywhere: 0 means the
    clamp never acted. Works on a copy."""
    H = copy.deepcopy(G)
    for m in H.modules():
        if getattr(m, 'conv_clamp', None) is not None:
            m.conv_clamp = None
    z = torch.randn([rows, G.z_dim], generator=torch.Generator().manual_seed(seed))
    kw = dict(noise_mode='const', force_fp32=True)
    with torch.no_grad():
        return float((G(z, None, **kw) - H(z, None, **kw)).abs().max())


# ---------------------------------------------------------------------------------------------
# Test cases.

def sg3_input_transform(np, angle_deg=10.0, translate=(0.1, -0.05)):
    """The 3x3 matrix written into synthesis.input.transform: the inverse of the image-space
    transform 'rotate by angle_deg, then translate', as NVlabs' gen_images.py sets it."""
    a = math.radians(angle_deg)
    fwd = np.array([[math.cos(a), math.sin(a), translate[0]],
                    [-math.sin(a), math.cos(a), translate[1]],
                    [0.0, 0.0, 1.0]])
    return np.linalg.inv(fwd)


def make_cases(G, rows, seed, is_sg3, torch, np, store_psi07_image=True):
    gen = torch.Generator().manual_seed(seed)
    z = torch.randn([rows, G.z_dim], generator=gen)
    z_wplus = torch.randn([G.num_ws, G.z_dim], generator=gen)
    kw = dict(noise_mode='const', force_fp32=True)
    out = {}
    with torch.no_grad():
        w_psi1 = G.mapping(z, None, truncation_psi=1)
        img_psi1 = G(z, None, truncation_psi=1, **kw)
        again = G.synthesis(w_psi1, **kw)
        assert torch.equal(again, img_psi1) or float((again - img_psi1).abs().max()) < 1e-6
        w_psi07 = G.mapping(z, None, truncation_psi=0.7, truncation_cutoff=None)
        w_all = G.mapping(z_wplus, None, truncation_psi=1)          # [num_ws, num_ws, w_dim]
        idx = torch.arange(G.num_ws)
        wplus = w_all[idx, idx].unsqueeze(0)                        # row i from z_wplus[i]
        img_wplus = G.synthesis(wplus, **kw)
        out.update(z=z, w_psi1=w_psi1, img_psi1=img_psi1, w_psi07=w_psi07,
                   z_wplus=z_wplus, wplus=wplus, img_wplus=img_wplus)
        if store_psi07_image:
            out['img_psi07'] = G(z, None, truncation_psi=0.7, truncation_cutoff=None, **kw)
        if is_sg3:
            buf = G.synthesis.input.transform
            eye = buf.clone()
            assert torch.equal(eye, torch.eye(3))
            m = torch.from_numpy(sg3_input_transform(np)).to(buf.dtype)
            buf.copy_(m)
            out['transform'] = buf.clone()
            out['img_transform'] = G(z, None, truncation_psi=1, **kw)
            buf.copy_(eye)
            assert torch.equal(G.synthesis.input.transform, torch.eye(3))
            # Sanity: the transform must change the picture.
            assert float((out['img_transform'] - img_psi1).abs().max()) > 1e-2
    return {k: v.detach().cpu().numpy().astype(np.float32) for k, v in out.items()}


# ---------------------------------------------------------------------------------------------

def git_commit(path):
    try:
        return subprocess.check_output(['git', '-C', path, 'rev-parse', 'HEAD'], text=True,
                                       stderr=subprocess.DEVNULL).strip()
    except Exception:
        return None


def import_checkout(path):
    path = os.path.abspath(path)
    sys.path.insert(0, path)
    import numpy as np
    import torch
    import dnnlib
    from torch_utils import persistence
    torch.set_num_threads(1)
    return np, torch, dnnlib, persistence


def dump_pickle(path, obj):
    # NVlabs' training loop writes snapshots with pickle.dump at the default protocol.
    with open(path, 'wb') as f:
        pickle.dump(obj, f)


def verify_pickle(path, key, G, z, ref_img, torch, synthesis_kwargs):
    with open(path, 'rb') as f:
        data = pickle.load(f)
    G2 = data[key]
    with torch.no_grad():
        img = G2(z, None, truncation_psi=1, **synthesis_kwargs)
    d = float((img - ref_img).abs().max())
    assert d == 0.0, f'{path}: reloaded generator differs by {d}'
    return data


def save_generator(G, name, cases_kw, args, ctx, is_sg3, source):
    np, torch, dnnlib, persistence = ctx
    check_randomised(G, torch)
    write_json(os.path.join(args.out, f'{name}.json'),
               describe_network(G, 'generator', name, persistence, dnnlib.EasyDict, source, np, torch))
    state_dict_npz(os.path.join(args.out, f'{name}_weights.npz'), G, np)
    cases = make_cases(G, is_sg3=is_sg3, torch=torch, np=np, **cases_kw)
    return cases


def run_stylegan3(args):
    ctx = import_checkout(args.stylegan3)
    np, torch, dnnlib, persistence = ctx
    source = {'repo': 'NVlabs/stylegan3', 'commit': git_commit(args.stylegan3)}
    made = []

    def build(class_name, common, G_kwargs, seed):
        torch.manual_seed(seed)
        # As NVlabs' training loop does: construct_class_by_name(**G_kwargs, **common_kwargs).
        G = dnnlib.util.construct_class_by_name(**G_kwargs, **common).eval()
        return G

    synth_kw = dict(noise_mode='const', force_fp32=True)

    # Sizes: the committed fixtures should stay near 4 MB in all. What cannot shrink is the
    # 256 px config's noise_const buffers (~0.7 MB) and its images (0.79 MB each), so that
    # config stores one z row and no psi=0.7 image (w_psi07 is stored; truncation only acts in
    # the mapping, and the 64 px configs store img_psi07), and channel counts are kept tiny
    # (channel_max 16 at 256 px, 32 for StyleGAN3 at 64 px).

    # 1. sg2_256: StyleGAN2 (stylegan3 repo), skip architecture, 256 px.
    name = 'sg2_256'
    G_kwargs = dnnlib.EasyDict(class_name='training.networks_stylegan2.Generator', z_dim=64, w_dim=64,
                               mapping_kwargs=dnnlib.EasyDict(num_layers=4),
                               architecture='skip', channel_base=1024, channel_max=16,
                               num_fp16_res=0, conv_clamp=256, fused_modconv_default='inference_only')
    common = dict(c_dim=0, img_resolution=256, img_channels=3)
    G = build(G_kwargs.class_name, common, G_kwargs, seed=1001)
    randomise(G, 2001, torch)
    G.eval()
    cases = save_generator(G, name, dict(rows=1, seed=3001, store_psi07_image=False), args, ctx, False, source)

    # The snapshot's discriminator.
    D_kwargs = dnnlib.EasyDict(class_name='training.networks_stylegan2.Discriminator',
                               block_kwargs=dnnlib.EasyDict(freeze_layers=0),
                               mapping_kwargs=dnnlib.EasyDict(),
                               epilogue_kwargs=dnnlib.EasyDict(mbstd_group_size=4),
                               architecture='resnet', channel_base=1024, channel_max=16)
    torch.manual_seed(1002)
    D = dnnlib.util.construct_class_by_name(**D_kwargs, **common).eval()
    randomise(D, 2002, torch)
    check_randomised(D, torch)
    write_json(os.path.join(args.out, f'{name}_disc.json'),
               describe_network(D, 'discriminator', f'{name}_disc', persistence, dnnlib.EasyDict, source, np, torch))
    state_dict_npz(os.path.join(args.out, f'{name}_disc_weights.npz'), D, np)
    with torch.no_grad():
        img1 = torch.from_numpy(cases['img_psi1'])
        pair = torch.cat([img1[:1], torch.from_numpy(cases['img_wplus'])])
        cases['d_logits'] = D(img1, None, force_fp32=True).numpy().astype(np.float32)
        cases['d_logits_pair'] = D(pair, None, force_fp32=True).numpy().astype(np.float32)
    save_npz(os.path.join(args.out, f'{name}_cases.npz'), cases)
    made.append(name)

    os.makedirs(args.pickles, exist_ok=True)
    pkl = os.path.join(args.pickles, f'{name}.pkl')
    dump_pickle(pkl, dict(G_ema=G))
    z = torch.from_numpy(cases['z'])
    verify_pickle(pkl, 'G_ema', G, z, torch.from_numpy(cases['img_psi1']), torch, synth_kw)

    # Training-snapshot-like pickle, as training/training_loop.py lays it out: modules are
    # deep copies in eval mode with requires_grad off; training_set_kwargs a plain dict.
    augment_kwargs = dnnlib.EasyDict(class_name='training.augment.AugmentPipe', xflip=1, rotate90=1, xint=1,
                                     scale=1, rotate=1, aniso=1, xfrac=1, brightness=1, contrast=1,
                                     lumaflip=1, hue=1, saturation=1)
    augment_pipe = dnnlib.util.construct_class_by_name(**augment_kwargs).train().requires_grad_(False)
    training_set_kwargs = dnnlib.EasyDict(class_name='training.dataset.ImageFolderDataset', path='x.zip',
                                          resolution=256, use_labels=False, max_size=None, xflip=False)
    snapshot = dict(G=G, D=D, G_ema=G, augment_pipe=augment_pipe, training_set_kwargs=dict(training_set_kwargs))
    for key, value in snapshot.items():
        if isinstance(value, torch.nn.Module):
            snapshot[key] = copy.deepcopy(value).eval().requires_grad_(False)
    spkl = os.path.join(args.pickles, f'{name}_snapshot.pkl')
    dump_pickle(spkl, snapshot)
    data = verify_pickle(spkl, 'G_ema', G, z, torch.from_numpy(cases['img_psi1']), torch, synth_kw)
    with torch.no_grad():
        dl = data['D'](torch.from_numpy(cases['img_psi1']), None, force_fp32=True).numpy()
    assert np.array_equal(dl, cases['d_logits'])

    def save_small(G, name, seed, is_sg3):
        """Cases (two rows), the G_ema pickle, and a check that the pickle draws the same."""
        cases = save_generator(G, name, dict(rows=2, seed=seed + 2000), args, ctx, is_sg3, source)
        save_npz(os.path.join(args.out, f'{name}_cases.npz'), cases)
        pkl = os.path.join(args.pickles, f'{name}.pkl')
        dump_pickle(pkl, dict(G_ema=G))
        verify_pickle(pkl, 'G_ema', G, torch.from_numpy(cases['z']), torch.from_numpy(cases['img_psi1']),
                      torch, synth_kw)
        made.append(name)

    # 2./3. StyleGAN3 T and R at 64 px.
    sg3_common = dict(c_dim=0, img_resolution=64, img_channels=3)
    sg3 = [
        ('sg3t_64', dict(conv_kernel=3, use_radial_filters=False, channel_base=512, channel_max=32,
                         conv_clamp=256), 1101),
        # conv_clamp=1.5 so the clamp inside filtered_lrelu acts (256 never does with these
        # weights; layer outputs peak near 4).
        ('sg3r_64', dict(conv_kernel=1, use_radial_filters=True, channel_base=1024, channel_max=32,
                         conv_clamp=1.5), 1201),
    ]
    for name, extra, seed in sg3:
        G_kwargs = dnnlib.EasyDict(class_name='training.networks_stylegan3.Generator', z_dim=64, w_dim=64,
                                   mapping_kwargs=dnnlib.EasyDict(num_layers=2), num_fp16_res=0,
                                   magnitude_ema_beta=0.5 ** (32 / (20 * 1e3)), **extra)
        G = build(G_kwargs.class_name, sg3_common, G_kwargs, seed)
        randomise(G, seed + 1000, torch)
        G.eval()
        effect = clamp_effect(G, torch)
        assert (effect > 1e-2) == (G_kwargs.conv_clamp < 10), (name, effect)
        print(f'{name}: switching conv_clamp off changes the image by up to {effect:.4f}')
        save_small(G, name, seed, True)

    # 4./5. StyleGAN2's other generator architectures at 64 px: orig (RGB from the last block
    # only) and resnet (1x1 upsampling skips scaled by sqrt(1/2)).
    for name, arch, seed in [('sg2orig_64', 'orig', 1501), ('sg2resnet_64', 'resnet', 1601)]:
        G_kwargs = dnnlib.EasyDict(class_name='training.networks_stylegan2.Generator', z_dim=32, w_dim=32,
                                   mapping_kwargs=dnnlib.EasyDict(num_layers=2), architecture=arch,
                                   channel_base=256, channel_max=16, num_fp16_res=0, conv_clamp=256)
        G = build(G_kwargs.class_name, dict(c_dim=0, img_resolution=64, img_channels=3), G_kwargs, seed)
        randomise(G, seed + 1000, torch)
        G.eval()
        save_small(G, name, seed, False)

    # Conditional StyleGAN2 for error tests (pickle only).
    G_kwargs = dnnlib.EasyDict(class_name='training.networks_stylegan2.Generator', z_dim=64, w_dim=64,
                               mapping_kwargs=dnnlib.EasyDict(num_layers=2), architecture='skip',
                               channel_base=512, channel_max=32, num_fp16_res=0, conv_clamp=256)
    G = build(G_kwargs.class_name, dict(c_dim=10, img_resolution=64, img_channels=3), G_kwargs, 1301)
    randomise(G, 2301, torch)
    G.eval()
    with torch.no_grad():
        c = torch.nn.functional.one_hot(torch.tensor([3]), 10).float()
        img = G(torch.randn([1, 64], generator=torch.Generator().manual_seed(3301)), c, **synth_kw)
        assert img.shape == (1, 3, 64, 64)
    dump_pickle(os.path.join(args.pickles, 'sg2_cond.pkl'), dict(G_ema=G))
    return made


def run_stylegan2_ada(args):
    ctx = import_checkout(args.stylegan2_ada)
    np, torch, dnnlib, persistence = ctx
    source = {'repo': 'NVlabs/stylegan2-ada-pytorch', 'commit': git_commit(args.stylegan2_ada)}
    name = 'sg2ada_64'
    # As stylegan2-ada-pytorch's train.py composes G_kwargs (synthesis_kwargs is a nested dict
    # there); num_fp16_res=4 as its 'auto' config, so that use_fp16 is True on the upper
    # blocks (outputs are computed with force_fp32=True). conv_clamp=1.5 rather than the
    # usual 256 so that the clamp acts (layer outputs peak near 3 with these weights).
    G_kwargs = dnnlib.EasyDict(class_name='training.networks.Generator', z_dim=64, w_dim=64,
                               mapping_kwargs=dnnlib.EasyDict(num_layers=2),
                               synthesis_kwargs=dnnlib.EasyDict(channel_base=512, channel_max=16,
                                                                num_fp16_res=4, conv_clamp=1.5))
    torch.manual_seed(1401)
    G = dnnlib.util.construct_class_by_name(**G_kwargs, c_dim=0, img_resolution=64, img_channels=3).eval()
    randomise(G, 2401, torch)
    G.eval()
    effect = clamp_effect(G, torch)
    assert effect > 1e-2, effect
    print(f'{name}: switching conv_clamp off changes the image by up to {effect:.4f}')
    cases = save_generator(G, name, dict(rows=2, seed=3401), args, ctx, False, source)
    save_npz(os.path.join(args.out, f'{name}_cases.npz'), cases)
    os.makedirs(args.pickles, exist_ok=True)
    pkl = os.path.join(args.pickles, f'{name}.pkl')
    dump_pickle(pkl, dict(G_ema=G))
    verify_pickle(pkl, 'G_ema', G, torch.from_numpy(cases['z']), torch.from_numpy(cases['img_psi1']),
                  torch, dict(noise_mode='const', force_fp32=True))
    return [name]


# ---------------------------------------------------------------------------------------------
# Pickle inspection: globals and protocols, without loading anything.

STRING_OPS = {'SHORT_BINUNICODE', 'BINUNICODE', 'BINUNICODE8', 'UNICODE',
              'SHORT_BINSTRING', 'BINSTRING', 'STRING'}
BYTES_OPS = {'SHORT_BINBYTES', 'BINBYTES', 'BINBYTES8'}
LEGACY_TORCH_MAGIC = 0x1950a86a20f9469cfc6c


def scan_one_pickle(f):
    """Walk one pickle from the stream f; return (protocol, globals, byte blobs, persid count)."""
    stack, marks, memo = [], [], {}
    protocol, found, blobs, persids = None, [], [], 0
    for op, arg, _pos in pickletools.genops(f):
        n = op.name
        if n == 'PROTO':
            protocol = arg
            continue
        if n in STRING_OPS or n in BYTES_OPS:
            stack.append(arg)
            if n in BYTES_OPS:
                blobs.append(arg)
            continue
        if n == 'MEMOIZE':
            memo[len(memo)] = stack[-1]
            continue
        if n in ('PUT', 'BINPUT', 'LONG_BINPUT'):
            memo[arg] = stack[-1]
            continue
        if n in ('GET', 'BINGET', 'LONG_BINGET'):
            stack.append(memo[arg])
            continue
        if n == 'GLOBAL':
            module, qual = arg.split(' ', 1)
            found.append(f'{module}.{qual}')
            stack.append(None)
            continue
        if n == 'STACK_GLOBAL':
            qual = stack.pop()
            module = stack.pop()
            found.append(f'{module}.{qual}')
            stack.append(None)
            continue
        if n == 'MARK':
            marks.append(len(stack))
            continue
        if n in ('BINPERSID', 'PERSID'):
            persids += 1
        before = op.stack_before
        if pickletools.markobject in before:
            del stack[marks.pop():]
            k = before.index(pickletools.markobject)
            if k:
                del stack[len(stack) - k:]
        elif before:
            del stack[len(stack) - len(before):]
        stack.extend([None] * len(op.stack_after))
    return protocol, found, blobs, persids


def scan_legacy_torch_save(blob):
    """torch.save(..., _use_new_zipfile_serialization=False) bytes: magic, protocol version,
    sys_info, the object, the storage keys, then raw storage data."""
    f = io.BytesIO(blob)
    parts = []
    for _ in range(5):
        parts.append(scan_one_pickle(f))
    return parts


def inspect_pickle(path):
    with open(path, 'rb') as f:
        data = f.read()
    protocol, found, blobs, _ = scan_one_pickle(io.BytesIO(data))
    inner_globals, inner_protocols, inner_persids, n_legacy = {}, set(), 0, 0
    for blob in blobs:
        try:
            magic = pickle.loads(blob[:64]) if blob[:1] == b'\x80' else None
        except Exception:
            magic = None
        if magic != LEGACY_TORCH_MAGIC:
            continue
        n_legacy += 1
        for proto, g, _b, p in scan_legacy_torch_save(blob):
            inner_protocols.add(proto)
            inner_persids += p
            for x in g:
                inner_globals[x] = inner_globals.get(x, 0) + 1
    outer = {}
    for x in found:
        outer[x] = outer.get(x, 0) + 1
    return dict(protocol=protocol, globals=outer, nested_torch_save_blobs=n_legacy,
                nested_protocols=sorted(p for p in inner_protocols if p is not None),
                nested_globals=inner_globals, nested_persistent_ids=inner_persids)


# ---------------------------------------------------------------------------------------------

def summary(args, names):
    import numpy as np
    print('\n== fixtures in', args.out)
    total = 0
    for fn in sorted(os.listdir(args.out)):
        p = os.path.join(args.out, fn)
        size = os.path.getsize(p)
        total += size
        print(f'  {fn:32s} {size:9d} bytes')
    print(f'  total {total} bytes ({total / 1e6:.2f} MB)')
    for name in names:
        cases = np.load(os.path.join(args.out, f'{name}_cases.npz'))
        print(f'-- {name}_cases.npz')
        for k in cases.files:
            a = cases[k]
            print(f'  {k:14s} {str(list(a.shape)):20s} min {a.min():+.4f} max {a.max():+.4f} '
                  f'mean {a.mean():+.4f} std {a.std():.4f}')
    print('\n== pickles in', args.pickles)
    for fn in sorted(os.listdir(args.pickles)):
        p = os.path.join(args.pickles, fn)
        info = inspect_pickle(p)
        sha = hashlib.sha256(open(p, 'rb').read()).hexdigest()[:16]
        print(f'-- {fn}: {os.path.getsize(p)} bytes, sha256 {sha}…, protocol {info["protocol"]}, '
              f'{info["nested_torch_save_blobs"]} nested legacy torch.save blobs '
              f'(protocols {info["nested_protocols"]}, {info["nested_persistent_ids"]} persistent ids)')
        for g, c in sorted(info['globals'].items()):
            print(f'    global {g}  ({c} GLOBAL/STACK_GLOBAL op{"s" if c > 1 else ""})')
        for g, c in sorted(info['nested_globals'].items()):
            print(f'    nested global {g}  ({c} op{"s" if c > 1 else ""}, one per nested blob)')


def main():
    args = parse_args()
    args.out = os.path.abspath(args.out)
    args.pickles = os.path.abspath(args.pickles)
    os.makedirs(args.out, exist_ok=True)
    os.makedirs(args.pickles, exist_ok=True)
    if args._worker == 'stylegan3':
        names = run_stylegan3(args)
    elif args._worker == 'stylegan2-ada':
        names = run_stylegan2_ada(args)
    else:
        names = None
    if names is not None:
        print('MADE ' + json.dumps(names))
        return

    # The two checkouts both provide top-level 'training', 'torch_utils' and 'dnnlib'
    # packages, so each runs in its own interpreter.
    made = []
    jobs = [('stylegan3', ['--stylegan3', args.stylegan3])]
    if args.stylegan2_ada:
        jobs.append(('stylegan2-ada', ['--stylegan2-ada', args.stylegan2_ada]))
    for worker, extra in jobs:
        cmd = [sys.executable, os.path.abspath(__file__), '--_worker', worker, '--out', args.out,
               '--pickles', args.pickles] + extra
        res = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
        sys.stdout.write(res.stdout)
        if res.returncode != 0:
            sys.exit(f'{worker} worker failed with status {res.returncode}')
        for line in res.stdout.splitlines():
            if line.startswith('MADE '):
                made += json.loads(line[5:])
    summary(args, made)


if __name__ == '__main__':
    main()
