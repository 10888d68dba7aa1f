"""Checks the default model against its acceptance numbers (ctest -L slow).

usage: check_evaluation.py model|edits LATENTWALK MODEL_DIR
  model: `evaluate-model --n 10000` (predictor quality, generated factor statistics)
  edits: `evaluate-edits --space w --n 1000` on the shipped W boundaries (single and conditional)
"""
import json
import subprocess
import sys


def run(*args):
    out = subprocess.run(list(args), check=True, stdout=subprocess.PIPE, text=True).stdout
    return json.loads(out)


def check_model(r):
    fails = []
    for f in ("eyeglasses", "beard"):
        acc = r["predictor"][f]["accuracy"]
        if acc < 0.97:
            fails.append(f"{f} accuracy {acc:.4f} < 0.97")
        g = r["generated"][f]
        if abs(g["fraction"] - g["dataset_fraction"]) > 0.10:
            fails.append(f"{f} generated fraction {g['fraction']:.3f} vs dataset {g['dataset_fraction']:.3f}")
    # The predictor learns from independent draws: within a class its eyeglasses logit must not
    # follow age, which eyeglasses co-occur with (0.55 for a predictor trained on the dataset's
    # own draws).
    leak = r["predictor"]["eyeglasses"]["within_class_correlation"]["age"]
    if abs(leak) > 0.3:
        fails.append(f"eyeglasses logit follows age within a class, r {leak:.2f} (> 0.3)")
    for f in ("pose", "smile", "age"):
        r2 = r["predictor"][f]["r2"]
        if r2 < 0.90:
            fails.append(f"{f} R^2 {r2:.4f} < 0.90")
    for f, g in r["generated"].items():
        if "mean" in g and abs(g["mean"] - g["dataset_mean"]) > 0.15 * g["dataset_std"]:
            fails.append(f"{f} generated mean {g['mean']:.3f} vs dataset {g['dataset_mean']:.3f} (std {g['dataset_std']:.3f})")
    return fails


def check_edits(r):
    fails = []
    for attr in ("pose", "smile", "age", "eyeglasses", "beard"):
        for way in ("up", "down"):
            x = r["single"][attr][way]
            if x < 0.95:
                fails.append(f"{attr} {way} {x:.3f} < 0.95")
    for c in r["conditional"]:
        if c["target"] == "age" and c["conditions"] == ["eyeglasses"]:
            held = c["condition_change"]["eyeglasses"] / c["condition_change_unconditioned"]["eyeglasses"]
            kept = c["target_change"] / c["target_change_unconditioned"]
            if held > 1 / 3:
                fails.append(f"age | eyeglasses: eyeglasses change {held:.3f} of the unconditioned > 1/3")
            if kept < 0.8:
                fails.append(f"age | eyeglasses: age change {kept:.3f} of the unconditioned < 0.8")
            break
    else:
        fails.append("evaluate-edits reported no age | eyeglasses entry")
    return fails


mode, lw, model = sys.argv[1:4]
if mode == "model":
    fails = check_model(run(lw, "evaluate-model", "--model", model, "--n", "10000", "--json"))
else:
    fails = check_edits(run(lw, "evaluate-edits", "--model", model, "--boundaries", f"{model}/boundaries/w",
                            "--space", "w", "--n", "1000", "--json"))
print("\n".join(fails) if fails else f"default model meets its {mode} acceptance numbers")
sys.exit(1 if fails else 0)
