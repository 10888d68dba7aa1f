#!/usr/bin/env python3
"""A comparison preset's frames against committed references: `view --headless` and `record`
(at the viewer's headless size) draw frames 0, 30, 45 and 119 of
tests/fixtures/frames/compare_age_stride3.json (the shipped comparison as it was at stride 3)
with exactly the pixels the frame engine drew before the stage redesign, recorded in
compare_age_stride3.frames.json (SHA-256 of the decoded RGB rows): a change to the frame engine
that moves one pixel fails here.

usage: reference_frames_test.py LATENTWALK PRESET REFERENCES OUTDIR [--write]
"""
import hashlib
import json
import os
import shutil
import sys

from harness import run
from view_test import read_png

FRAMES = (0, 30, 45, 119)


def pixel_hash(path):
    width, height, rows = read_png(path)
    return f"{width}x{height}:" + hashlib.sha256(b"".join(rows)).hexdigest()


def main():
    latentwalk, preset, references, out = sys.argv[1:5]
    view_dir, record_dir = os.path.join(out, "view"), os.path.join(out, "record")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)  # latentwalk creates an output folder's last part only
    run([latentwalk, "view", "--headless", "--preset", preset, "--frames", "120", "--out", view_dir])
    seen = {f"view/{k}": pixel_hash(os.path.join(view_dir, f"frame_{k:04d}.png")) for k in FRAMES}
    run([latentwalk, "record", "--preset", preset, "--size", "512x288", "--duration", "4", "--out",
         os.path.join(out, "walk.mp4"), "--png-dir", record_dir])
    seen.update({f"record/{k}": pixel_hash(os.path.join(record_dir, f"frame_{k:04d}.png")) for k in FRAMES})
    if "--write" in sys.argv:
        json.dump({k: v for k, v in seen.items() if k.startswith("view/")}, open(references, "w"), indent=1)
        print(f"wrote {references}")
        return
    expected = json.load(open(references))
    wrong = []
    for key, value in seen.items():
        frame = key.split("/")[1]
        if value != expected[f"view/{frame}"]:
            wrong.append(f"{key}: {value} (expected {expected[f'view/{frame}']})")
    if wrong:
        sys.exit("FAIL: frames differ from the references:\n  " + "\n  ".join(wrong))
    print(f"ok: view and record frames {FRAMES} equal the committed references")


if __name__ == "__main__":
    main()
