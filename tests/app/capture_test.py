#!/usr/bin/env python3
"""Live capture in a window (run under xvfb-run): `view --capture` records the frames as they are
presented into an H.264 video that appears only when capture stops.

usage: capture_test.py LATENTWALK VIDEO_PROBE MODEL OUTDIR
"""
import json
import os
import shutil
import subprocess
import sys

from harness import check


def main():
    exe, probe, model, out = sys.argv[1:5]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    video = os.path.join(out, "capture.mp4")
    proc = subprocess.run([exe, "view", "--model", model, "--frames", "40", "--capture", video], capture_output=True, text=True, timeout=600)
    check(proc.returncode == 0, f"view --capture exited {proc.returncode}: {proc.stderr}")
    check("captured" in proc.stdout, proc.stdout)
    check(os.listdir(out) == ["capture.mp4"], f"left behind: {os.listdir(out)}")
    p = json.loads(subprocess.run([probe, video], capture_output=True, text=True, check=True).stdout)
    check(p["codec"] == "h264" and p["pixel_format"] == "yuv420p" and p["width"] == 1280 and p["height"] == 720, p)
    # Real time at a 60 Hz time base: one frame per presented frame, bar those within one tick.
    check(1 <= p["frames"] <= 40, p)
    # Headless there is no window to capture.
    proc = subprocess.run([exe, "view", "--model", model, "--headless", "--frames", "1", "--capture", video], capture_output=True, text=True)
    check(proc.returncode != 0 and "headless, use record" in proc.stderr, proc.stderr)
    print("ok")


if __name__ == "__main__":
    main()
