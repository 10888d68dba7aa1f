#!/usr/bin/env python3
"""A live set re-rendered offline: a headless viewer driven over OSC (oscsend, mid-run) saves its
session with --save-automation; record --automation replays it to the very same frames, byte for
byte, and at twice the frame rate its even frames are those frames again.

usage: automation_test.py LATENTWALK MODEL OUTDIR
"""
import filecmp
import json
import os
import re
import shutil
import subprocess
import sys
import time

from harness import check


def main():
    exe, model, out = sys.argv[1:4]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    live, perf = os.path.join(out, "live"), os.path.join(out, "perf.json")
    view = subprocess.Popen([exe, "view", "--model", model, "--headless", "--frames", "150", "--size", "256x144", "--out", live,
                             "--save-automation", perf, "--osc-port", "0", "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    port = re.search(r"OSC on udp 127\.0\.0\.1:(\d+)", view.stderr.readline()).group(1)
    # A performer's moves spread over the run: strides, speeds and truncations every 50 ms.
    for i in range(60):
        if view.poll() is not None:
            break
        subprocess.run(["oscsend", "localhost", port, "/tile/1/stride", "f", str(2.0 + (i % 7))], check=True)
        subprocess.run(["oscsend", "localhost", port, "/norm/clock/speed", "f", str(0.05 + 0.01 * (i % 5))], check=True)
        time.sleep(0.05)
    _, err = view.communicate(timeout=300)
    check(view.returncode == 0, f"view exited {view.returncode}: {err}")
    timeline = json.load(open(perf))
    moves = [e for e in timeline["events"] if e[0] > 0 and e[1] == "/tile/1/stride"]
    check(len(timeline["frames"]) == 150, f"{len(timeline['frames'])} frames recorded")
    check(moves, "no stride moved after the first frame: the OSC messages came too late to test a replay")

    replay = os.path.join(out, "replay")
    run = subprocess.run([exe, "record", "--automation", perf, "--fps", "30", "--size", "256x144", "--png-dir", replay,
                          "--out", os.path.join(out, "replay.mp4"), "--json"], capture_output=True, text=True)
    check(run.returncode == 0, run.stderr)
    names = sorted(os.listdir(live))
    check(len(names) == 150 and sorted(os.listdir(replay)) == names, "not the same 150 frames")
    differ = [n for n in names if not filecmp.cmp(os.path.join(live, n), os.path.join(replay, n), shallow=False)]
    check(not differ, f"{len(differ)} replayed frames differ from the live ones, first {differ[:3]}")

    double = os.path.join(out, "double")
    run = subprocess.run([exe, "record", "--automation", perf, "--fps", "60", "--size", "256x144", "--png-dir", double,
                          "--out", os.path.join(out, "double.mp4")], capture_output=True, text=True)
    check(run.returncode == 0, run.stderr)
    check(len(os.listdir(double)) == 299, f"{len(os.listdir(double))} frames at 60 fps, not 299")
    for k in (0, 40, 100, 149):
        same = filecmp.cmp(os.path.join(live, f"frame_{k:04d}.png"), os.path.join(double, f"frame_{2 * k:04d}.png"), shallow=False)
        check(same, f"60 fps frame {2 * k} is not the live frame {k}")
    print(f"150 live frames with {len(moves)} stride moves mid-run: replayed byte-identical at 30 fps, and at 60 fps "
          f"its even frames are the live ones")


main()
