#!/usr/bin/env python3
"""Times NVlabs' own generator at batch 1, to put beside `latentwalk bench --model`.

Needs a checkout of NVlabs/stylegan3 (not part of latentwalk; pass its path) and a torch of the
same version as latentwalk's LibTorch (Debian's python3-torch). Not run in CI.

  make a full-size random-weight network pickle (StyleGAN2 at 256 px, NVlabs' paper256 shape):
    /usr/bin/python3 scripts/reference/time_nvlabs.py --stylegan3 PATH --make sg2-256 --pkl /tmp/sg2_256_full.pkl
  time it (same threads as latentwalk: all cores unless LW_THREADS / --threads says otherwise):
    /usr/bin/python3 scripts/reference/time_nvlabs.py --stylegan3 PATH --pkl /tmp/sg2_256_full.pkl --json

On a CPU NVlabs' code runs its reference ops; on a CUDA device (--device cuda) it runs its own
CUDA kernels (compiled on first use), with fp16 in the layers it marks.
"""
import argparse
import json
import os
import pickle
import statistics
import sys
import time


def shim_removed_modules():
    """NVlabs' code takes one helper each from distutils (gone in Python 3.12) and pkg_resources
    (gone from new setuptools): where they are missing, give it those two helpers only."""
    import types
    try:
        import distutils.util  # noqa: F401
    except ImportError:
        util = types.ModuleType("distutils.util")
        util.strtobool = lambda v: {"y": 1, "yes": 1, "t": 1, "true": 1, "on": 1, "1": 1,
                                    "n": 0, "no": 0, "f": 0, "false": 0, "off": 0, "0": 0}[str(v).lower()]
        package = types.ModuleType("distutils")
        package.util = util
        sys.modules.update({"distutils": package, "distutils.util": util})
    try:
        import pkg_resources  # noqa: F401
    except ImportError:
        import re
        # NVlabs compares torch versions only ('1.11.0a' against '2.11.0+cu130'): major.minor.patch.
        sys.modules["pkg_resources"] = types.ModuleType("pkg_resources")
        sys.modules["pkg_resources"].parse_version = lambda v: tuple(int(n) for n in re.findall(r"\d+", v.split("+")[0])[:3])


def register_built_extensions():
    """NVlabs' custom_ops imports the module torch.utils.cpp_extension.load built by its name;
    torch 2 no longer leaves it importable so: register what load returns under that name."""
    import torch.utils.cpp_extension as extension
    load = extension.load

    def load_and_register(*args, **kwargs):
        module = load(*args, **kwargs)
        sys.modules.setdefault(kwargs.get("name", args[0] if args else ""), module)
        return module
    extension.load = load_and_register


def make(kind, path):
    import torch
    from training import networks_stylegan2, networks_stylegan3
    torch.manual_seed(0)
    res = int(kind.split("-")[1])
    if kind.startswith("sg2"):
        G = networks_stylegan2.Generator(z_dim=512, c_dim=0, w_dim=512, img_resolution=res, img_channels=3,
                                         mapping_kwargs=dict(num_layers=2 if res <= 256 else 8),
                                         channel_base=16384 if res <= 256 else 32768, channel_max=512,
                                         num_fp16_res=4, conv_clamp=256, architecture="skip")
    else:
        G = networks_stylegan3.Generator(z_dim=512, c_dim=0, w_dim=512, img_resolution=res, img_channels=3,
                                         mapping_kwargs=dict(num_layers=2), channel_base=32768, channel_max=512,
                                         num_fp16_res=4, conv_clamp=256, conv_kernel=1 if kind.startswith("sg3r") else 3,
                                         use_radial_filters=kind.startswith("sg3r"))
    with torch.no_grad():
        for name, p in G.named_parameters():
            if name.endswith("noise_strength"):
                p.copy_(torch.randn([]) * 0.1)
    with open(path, "wb") as f:
        pickle.dump({"G_ema": G.eval()}, f)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--stylegan3", required=True)
    ap.add_argument("--pkl", required=True)
    ap.add_argument("--make", help="write a random-weight network instead: sg2-256, sg2-512, sg2-1024, sg3t-256, sg3r-256")
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--threads", type=int, default=int(os.environ.get("LW_THREADS", os.cpu_count())))
    ap.add_argument("--iters", type=int, default=50)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    sys.path.insert(0, args.stylegan3)
    shim_removed_modules()
    if args.device == "cuda":
        register_built_extensions()
    import torch
    if args.make:
        make(args.make, args.pkl)
        return
    torch.set_num_threads(args.threads)
    with open(args.pkl, "rb") as f:
        G = pickle.load(f)["G_ema"].eval().to(args.device)  # NVlabs' own loading runs the pickle's code
    z = torch.randn([1, G.z_dim], device=args.device)
    times = []
    with torch.no_grad():
        for i in range(args.iters + 5):
            if args.device == "cuda":
                torch.cuda.synchronize()
            t = time.perf_counter()
            G(z, None, truncation_psi=1, noise_mode="const")
            if args.device == "cuda":
                torch.cuda.synchronize()
            if i >= 5:
                times.append((time.perf_counter() - t) * 1000)
    out = {"implementation": "NVlabs", "device": args.device, "threads": torch.get_num_threads(),
           "resolution": G.img_resolution, "ms": {"p50": statistics.median(times), "min": min(times)}}
    print(json.dumps(out) if args.json else f"NVlabs generator {G.img_resolution}px on {args.device}, "
          f"{out['threads']} threads: p50 {out['ms']['p50']:.2f} ms per image")


if __name__ == "__main__":
    main()
