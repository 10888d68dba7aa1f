#!/usr/bin/env python3
"""DP-LaSE's commands end to end on the default model, on a small budget: discover (and its exact
resume), evaluate-directions, and compare-walks in Z (closed form) and W (learned F and C).

usage: dplase_test.py LATENTWALK MODEL OUTDIR
"""
import json
import os
import shutil
import subprocess
import sys

import numpy as np

from harness import check, last_json as report, run

TINY = ["--k", "3", "--samples", "600", "--density-steps", "60", "--correction-warmup", "30", "--batch", "4"]


def main():
    exe, model, out = sys.argv[1:4]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    discover = [exe, "discover", "--model", model]

    # Z: a run of 12 steps straight, and one stopped at 6 and resumed to 12: the same directions.
    straight, resumed = os.path.join(out, "z-straight"), os.path.join(out, "z-resumed")
    run(discover + ["--space", "z", "--layer", "0", "--steps", "12", "--out", straight] + TINY)
    run(discover + ["--space", "z", "--layer", "0", "--steps", "6", "--out", resumed] + TINY)
    proc = run(discover + ["--space", "z", "--layer", "0", "--steps", "12", "--out", resumed] + TINY)
    check("resuming at step 36" in proc.stderr, f"the second run did not resume at step 36:\n{proc.stderr}")
    a, b = np.load(os.path.join(straight, "directions.npy")), np.load(os.path.join(resumed, "directions.npy"))
    check(a.shape == (3, 64) and a.dtype == np.float32, f"directions.npy is {a.shape} {a.dtype}")
    check(np.array_equal(a, b), f"a resumed run differs from a straight one by {np.abs(a - b).max()}")
    check(np.allclose(np.linalg.norm(a, axis=1), 1, atol=1e-5), "directions are not unit rows")
    for name in ("density.pt", "correction.pt", "contact_sheet.png", "summary.json"):
        check(os.path.getsize(os.path.join(straight, name)) > 0, f"discover wrote no {name}")
    # Another setting is not silently resumed from the same folder.
    proc = subprocess.run(discover + ["--space", "z", "--layer", "1", "--steps", "12", "--out", resumed] + TINY,
                          capture_output=True, text=True)
    check(proc.returncode != 0 and "other settings" in proc.stderr, f"a mismatched resume was not refused: {proc.stderr}")
    # Nor is a run of another model (here one trained for a single step).
    other = os.path.join(out, "other-model")
    run([exe, "train-demo", "--out", other, "--work", os.path.join(out, "other-work"), "--predictor-steps", "1",
         "--gan-steps", "1", "--batch", "2", "--encoder-steps", "0", "--fresh"])
    proc = subprocess.run([exe, "discover", "--model", other, "--space", "z", "--layer", "0", "--steps", "12",
                           "--out", resumed] + TINY, capture_output=True, text=True)
    check(proc.returncode != 0 and "another model" in proc.stderr, f"a resume with another model was not refused: {proc.stderr}")

    dirs = os.path.join(straight, "directions.npy")
    r = report([exe, "evaluate-directions", "--model", model, "--space", "z", "--directions", dirs, "--n", "12",
                "--points", "3", "--json"])
    check(r["walk"] == "closed-form" and len(r["directions"]) == 3, r)
    names = set(r["directions"][0]["pearson"])
    check("SynthFaces dataset" in r["change_unit"], r["change_unit"])
    for d in r["directions"]:
        check(d["best_factor"] in names and 0 <= d["abs_pearson"] <= 1, d)
        check(abs(abs(d["pearson"][d["best_factor"]]) - d["abs_pearson"]) < 1e-9, d)
        # Selectivity: the best factor's share of the squared standardised changes, from the changes reported.
        squared = {f: c * c for f, c in d["change_sd"].items()}
        check(set(squared) == names and max(squared, key=squared.get) == d["best_factor"], d)
        check(abs(d["selectivity"] - squared[d["best_factor"]] / sum(squared.values())) < 1e-6, d)
        check(d["semantic"] == (d["selectivity"] >= r["semantic_at"]), d)
    check(r["semantic"] == sum(d["semantic"] for d in r["directions"]), r)
    # The label-based view: each direction against the model's InterFaceGAN boundaries by cosine.
    for d in r["directions"]:
        cosines = d["boundary_cosine"]
        check({"age", "smile"} <= set(cosines) and all(-1 - 1e-6 <= c <= 1 + 1e-6 for c in cosines.values()), d)
        check(d["best_boundary"] == max(cosines, key=lambda b: abs(cosines[b])), d)
        check(abs(d["best_boundary_abs_cosine"] - abs(cosines[d["best_boundary"]])) < 1e-9, d)

    # Z, closed form: density-preserving walks keep the exact log-density; linear ones do not.
    plot = os.path.join(out, "compare-z.png")
    r = report([exe, "compare-walks", "--model", model, "--space", "z", "--directions", dirs, "--n", "30",
                "--strides", "2,6", "--plot", plot, "--json"])
    check(r["dp_walk"] == "closed-form" and r["log_density"] == "gaussian", r)
    at6 = {x["kind"]: x for x in r["results"] if x["stride"] == 6}
    check(at6["dp"]["dlogp"] <= 0.01 * at6["linear"]["dlogp"], at6)
    check(at6["linear"]["dlogp"] > 10, at6)
    check(os.path.getsize(plot) > 1000, "no plot")

    # W, learned: the run's own F and C judge and correct the walks.
    wdir = os.path.join(out, "w")
    run(discover + ["--space", "w", "--layer", "0", "--steps", "4", "--out", wdir] + TINY)
    r = report([exe, "compare-walks", "--model", model, "--space", "w", "--directions",
                os.path.join(wdir, "directions.npy"), "--density", wdir, "--n", "20", "--strides", "6", "--json"])
    check(r["dp_walk"] == "learned" and r["log_density"] == "learned" and len(r["results"]) == 2, r)
    for x in r["results"]:
        check(all(np.isfinite([x["dlogp"], x["realism"], x["realism_change"], x["identity_drift"]])), x)

    # A sweep's row: F and C taken from the run above (F not refitted: the same file), two layers'
    # features side by side, each channel standardised.
    swept = os.path.join(out, "w-swept")
    run(discover + ["--space", "w", "--layer", "0,2", "--normalise-features", "--from", wdir, "--correction-warmup", "0",
                    "--steps", "4", "--out", swept, "--k", "3", "--samples", "600", "--batch", "4"])
    with open(os.path.join(wdir, "density.pt"), "rb") as a, open(os.path.join(swept, "density.pt"), "rb") as b:
        check(a.read() == b.read(), "--from refitted the density")
    summary = json.load(open(os.path.join(swept, "summary.json")))["settings"]
    check(summary["layer"] == "0,2" and summary["normalise_features"] and summary["from"].endswith("w"), summary)
    check(np.load(os.path.join(swept, "directions.npy")).shape[0] == 3, "the swept run wrote no directions")
    for bad, said in ((["--layer", "2,2"], "twice"), (["--layer", "1,x"], "a list such as"), (["--layer", "1,"], "a list such as"),
                      (["--layer", "0, 2"], "a list such as"), (["--from", os.path.join(out, "nowhere")], "no finished discover run"),
                      (["--from", straight], "another space or model")):
        proc = subprocess.run(discover + ["--space", "w", "--steps", "1", "--out", os.path.join(out, "never")] + bad,
                              capture_output=True, text=True)
        check(proc.returncode != 0 and said in proc.stderr, f"{bad} was not refused clearly: {proc.stderr}")
    print("ok")


if __name__ == "__main__":
    main()
