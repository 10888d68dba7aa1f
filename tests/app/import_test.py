#!/usr/bin/env python3
"""latentwalk import end to end: a stand-in NVlabs pickle (StyleGAN3-T and a StyleGAN2 training
snapshot) imported from the command line; `sample --latents/--codes --npy` gives NVlabs' images of
exactly those codes (to 1e-3, the contract's clamp applied to both); discover and
evaluate-directions run on it (the boundary view, no predictor needed); the viewer draws the model
headless at its resolution when the window parts are built.

Usage: import_test.py LATENTWALK PICKLES_DIR WORK_DIR view|no-view
"""
import json
import pathlib
import shutil
import subprocess
import sys

import numpy as np

from harness import run


def output(*args):
    return run(args).stdout


def close(ours, theirs, what):
    diff = float(np.abs(ours - np.clip(theirs, -1, 1)).max())
    print(f"{what}: max |ours - NVlabs| {diff:.2e}")
    if ours.shape != theirs.shape or diff > 1e-3:
        sys.exit(f"FAIL: {what}: shapes {ours.shape} vs {theirs.shape}, max difference {diff}")


def main():
    lw, pickles, work, view = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3]), sys.argv[4]
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    report = json.loads(output(lw, "import", pickles / "sg3t_64.pkl", "--out", work / "sg3t", "--json"))
    assert report["architecture"] == "StyleGAN3-T" and report["resolution"] == 64, report
    manifest = json.loads((work / "sg3t" / "manifest.json").read_text())
    assert manifest["source"] == "NVlabs pickle: sg3t_64.pkl" and manifest["num_ws"] == 16, manifest

    output(lw, "sample", "--model", work / "sg3t", "--latents", pickles / "sg3t_64_z.npy", "--npy", work / "z_images.npy")
    close(np.load(work / "z_images.npy"), np.load(pickles / "sg3t_64_img_psi1.npy"), "sample --latents (psi 1)")
    output(lw, "sample", "--model", work / "sg3t", "--latents", pickles / "sg3t_64_z.npy", "--truncation", "0.7",
        "--npy", work / "z07_images.npy")
    close(np.load(work / "z07_images.npy"), np.load(pickles / "sg3t_64_img_psi07.npy"), "sample --truncation 0.7")
    output(lw, "sample", "--model", work / "sg3t", "--codes", pickles / "sg3t_64_wplus.npy", "--space", "wplus",
        "--npy", work / "wplus_images.npy", "--out", work / "wplus.png")
    close(np.load(work / "wplus_images.npy"), np.load(pickles / "sg3t_64_img_wplus.npy"), "sample --codes (W+)")
    assert (work / "wplus.png").stat().st_size > 0

    # No predictor: evaluate-directions matches directions against boundaries by cosine, or says what it needs.
    w_dim = int(manifest["w_dim"])
    directions = np.random.default_rng(3).standard_normal((3, w_dim)).astype(np.float32)
    np.save(work / "directions.npy", directions)
    (work / "boundaries").mkdir()
    np.save(work / "boundaries" / "along_first.npy", -2 * directions[:1])
    np.save(work / "boundaries" / "other.npy", np.random.default_rng(4).standard_normal((1, w_dim)).astype(np.float32))
    evaluate = [lw, "evaluate-directions", "--model", work / "sg3t", "--space", "w", "--directions", work / "directions.npy"]
    refused = subprocess.run([str(a) for a in evaluate], capture_output=True, text=True)
    assert refused.returncode != 0 and "no attribute predictor" in refused.stderr and "--boundaries" in refused.stderr, refused.stderr
    matched = json.loads(output(*evaluate, "--boundaries", work / "boundaries", "--json"))
    first = matched["directions"][0]
    assert first["best_boundary"] == "along_first" and abs(first["boundary_cosine"]["along_first"] + 1) < 1e-5, first
    assert "selectivity" not in first and "semantic" not in matched, matched

    # DP-LaSE on the imported model: discover runs (a tiny budget: it shows the path, not quality),
    # and its directions get the boundary view, walked with the density and correction it learned.
    found = work / "discovered"
    output(lw, "discover", "--model", work / "sg3t", "--space", "w", "--layer", "1", "--k", "2", "--steps", "10",
        "--samples", "200", "--density-steps", "20", "--correction-warmup", "5", "--batch", "4", "--out", found)
    assert np.load(found / "directions.npy").shape == (2, w_dim)
    own = json.loads(output(lw, "evaluate-directions", "--model", work / "sg3t", "--space", "w", "--directions",
                         found / "directions.npy", "--density", found, "--boundaries", work / "boundaries", "--n", "8",
                         "--json"))
    assert [d["best_boundary"] in ("along_first", "other") for d in own["directions"]] == [True, True], own
    print(f"discover on the imported model: 2 directions, best |cos| with a boundary "
          f"{max(d['best_boundary_abs_cosine'] for d in own['directions']):.2f}")

    snapshot = json.loads(output(lw, "import", pickles / "snapshot.pkl", "--out", work / "snapshot", "--json"))
    assert snapshot["discriminator"] == "imported as the realism scorer", snapshot
    assert json.loads((work / "snapshot" / "manifest.json").read_text())["discriminator"]["file"] == "discriminator.pt"

    if view == "view":
        stats = json.loads(output(lw, "view", "--model", work / "sg3t", "--headless", "--frames", "3", "--out", work / "frames",
                               "--json").strip().splitlines()[-1])
        frames = sorted((work / "frames").glob("frame_*.png"))
        assert stats["frames"] == 3 and len(frames) == 3, (stats, frames)
        print(f"view: 3 headless frames of the imported model, sink {stats['sink']}")
    print("ok")


if __name__ == "__main__":
    main()
