#!/usr/bin/env python3
"""The quality direction from the command line: generate --quality adds a "quality" score column
(boundary train's input) judged by the truth or the discriminator; evaluate-quality reports the
boundary's realism gain beside truncation's, the diversity kept and each factor's drift; a bad
judge, or a model without a quality boundary, is one clear line and a non-zero exit.

usage: quality_test.py LATENTWALK MODEL OUTDIR
"""
import json
import math
import os
import shutil
import sys

import numpy as np

from harness import check, run


def one_line_error(proc, words, what):
    lines = [l for l in proc.stderr.splitlines() if l.strip()]
    check(proc.returncode != 0, f"{what}: exited 0")
    check(len(lines) == 1 and words in lines[0], f"{what}: expected one line with '{words}', got:\n{proc.stderr}")


def main():
    exe, model, out = sys.argv[1:4]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)

    samples = os.path.join(out, "samples")
    run([exe, "generate", "--model", model, "--n", "40", "--quality", "truth", "--out", samples])
    scores = np.load(os.path.join(samples, "scores.npy"))
    with open(os.path.join(samples, "attributes.json")) as f:
        attrs = json.load(f)
    check(scores.shape == (40, 13), f"12 factors and the quality column, got {scores.shape}")
    check(attrs["attributes"][-1] == "quality" and attrs["quality_judge"] == "truth", f"attributes.json: {attrs}")
    quality = scores[:, -1]
    check(np.all(np.isfinite(quality)) and np.all(quality < 0) and np.all(quality > -1),
          f"the truth judge is minus a mean pixel distance in (0, 1): {quality[:5]}")
    check(quality.std() > 0, "the truth judge tells images apart")
    train = run([exe, "boundary", "train", "--latents", os.path.join(samples, "w.npy"), "--scores",
                 os.path.join(samples, "scores.npy"), "--attribute", "quality", "--ratio", "0.25",
                 "--out", os.path.join(out, "quality.npy"), "--json"])
    check(json.loads(train.stdout)["attribute"] == "quality", "boundary train takes the quality column")

    bad = run([exe, "generate", "--model", model, "--n", "4", "--quality", "beauty", "--out", os.path.join(out, "bad")], ok=False)
    one_line_error(bad, "truth", "an unknown judge")
    check(not os.path.exists(os.path.join(out, "bad")), "an unknown judge leaves no output folder")

    proc = run([exe, "evaluate-quality", "--model", model, "--n", "24", "--alphas", "1,2", "--psis", "0.8", "--json"])
    j = json.loads(proc.stdout)
    check(j["critic"] == "truth" and j["space"] == "w", f"defaults: {j['critic']}, {j['space']}")
    check(len(j["truncation"]) == 1 and len(j["quality_boundary"]) == 2, "one truncation, two alphas")
    for m in j["quality_boundary"]:
        for key in ("realism_gain", "diversity_loss", "truncation_gain_at_same_loss", "worst_drift_std"):
            check(math.isfinite(m[key]), f"alpha {m['alpha']}: {key} = {m[key]}")
        check(len(m["factor_drift_std"]) == 12, "a drift per factor")
    check(j["truncation"][0]["image_diversity"] < j["before"]["image_diversity"], "truncation narrows the images")

    def least_real(walk):
        return json.loads(run([exe, "evaluate-quality", "--model", model, "--n", "40", "--worst", "0.5", "--walk", walk,
                               "--alphas", "1", "--psis", "0.8", "--json"]).stdout)
    dp, linear = least_real("dp"), least_real("linear")
    check(dp["walk"] == "dp" and dp["judged"] == 20, f"density-preserving steps on the 20 least real: {dp['walk']}, {dp['judged']}")
    check(dp["before"] == linear["before"], "the same 20 images either way")
    check(dp["quality_boundary"][0]["factor_drift_std"] != linear["quality_boundary"][0]["factor_drift_std"],
          "a density-preserving step is not the linear one")
    bad = run([exe, "evaluate-quality", "--model", model, "--n", "24", "--space", "z", "--walk", "dp"], ok=False)
    one_line_error(bad, "in W", "density-preserving steps in Z")

    bad = run([exe, "evaluate-quality", "--model", model, "--n", "24", "--critic", "beauty"], ok=False)
    one_line_error(bad, "truth", "an unknown critic")
    bare = os.path.join(out, "bare_model")
    shutil.copytree(model, bare, ignore=shutil.ignore_patterns("quality.npy", "quality.json"))
    bad = run([exe, "evaluate-quality", "--model", bare, "--n", "24"], ok=False)
    one_line_error(bad, "no quality boundary", "a model without a quality boundary")
    print("quality: OK")


if __name__ == "__main__":
    main()
