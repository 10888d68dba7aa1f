"""Checks `latentwalk evaluate-model --json` against the default model's acceptance numbers."""
import json
import sys

r = json.load(open(sys.argv[1]))
fails = []
for f in ("eyeglasses", "beard"):
    acc = r["predictor"][f]["accuracy"]
    if acc < 0.97:
        fails.append(f"{f} accuracy {acc:.4f} < 0.97")
    g = r["generated"][f]
    if abs(g["fraction"] - g["dataset_fraction"]) > 0.10:
        fails.append(f"{f} generated fraction {g['fraction']:.3f} vs dataset {g['dataset_fraction']:.3f}")
for f in ("pose", "smile", "age"):
    r2 = r["predictor"][f]["r2"]
    if r2 < 0.90:
        fails.append(f"{f} R^2 {r2:.4f} < 0.90")
for f, g in r["generated"].items():
    if "mean" in g and abs(g["mean"] - g["dataset_mean"]) > 0.15 * g["dataset_std"]:
        fails.append(f"{f} generated mean {g['mean']:.3f} vs dataset {g['dataset_mean']:.3f} (std {g['dataset_std']:.3f})")
print("\n".join(fails) if fails else "default model meets its acceptance numbers")
sys.exit(1 if fails else 0)
