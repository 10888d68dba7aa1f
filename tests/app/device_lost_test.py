#!/usr/bin/python3
"""The Vulkan device lost mid-show. A GPU whose driver resets cannot be made to on lavapipe, so
the tests' own layer (tests/support/device_lost_layer.cpp) plays it: after N queue submissions
every submission, wait and present returns VK_ERROR_DEVICE_LOST. view (headless, or in a window)
and record must then end promptly with one line that says the device was lost, never hang or
crash, and record must leave nothing at its output path. The same commands with the layer in
place but no loss run to the end: the layer itself changes nothing.

usage: device_lost_test.py LATENTWALK MODEL PRESET LAYER_DIR OUTDIR headless|window
"""
import os
import shutil
import subprocess
import sys
import time

from harness import check


def run(args, submissions, timeout=300):
    env = dict(os.environ, VK_LAYER_PATH=LAYER_DIR, VK_INSTANCE_LAYERS="VK_LAYER_LW_device_lost",
               LW_DEVICE_LOST_AFTER=str(submissions), LW_VULKAN_VALIDATION="0")
    start = time.time()
    try:
        done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        sys.exit(f"FAIL: {' '.join(args[1:3])} still running {timeout} s after the device was lost (a hang)")
    return done, time.time() - start


def expect_lost(done, seconds, what):
    lines = done.stderr.strip().splitlines()
    check(done.returncode > 0, f"{what}: exit {done.returncode} with the device lost (stderr: {lines[-5:]})")
    check(lines and "device was lost" in lines[-1], f"{what}: the last line does not say the device was lost: {lines[-5:]}")
    check(not any("terminate called" in l or "Aborted" in l for l in lines), f"{what}: crashed: {lines[-5:]}")
    # About a second here; 30 s leaves room for a loaded machine, not for a wait on a lost device.
    check(seconds < 30, f"{what}: took {seconds:.0f} s to end after the device was lost")
    print(f"{what}: exit {done.returncode} after {seconds:.1f} s: '{lines[-1]}'")


def view(exe, model, out, window):
    args = [exe, "view", "--model", model, "--frames", "120"]
    args += ["--size", "640x360"] if window else ["--headless", "--out", os.path.join(out, "frames")]
    done, _ = run(args, 1_000_000)
    check(done.returncode == 0, f"view with the layer but no loss failed: {done.stderr[-600:]}")
    done, seconds = run(args, 20)
    expect_lost(done, seconds, "view in a window" if window else "headless view")


def record(exe, preset, out):
    folder = os.path.join(out, "videos")
    os.makedirs(folder)
    video = os.path.join(folder, "lost.mp4")
    args = [exe, "record", "--preset", preset, "--duration", "4", "--size", "256x144", "--out", video]
    done, seconds = run(args, 20)
    expect_lost(done, seconds, "record")
    left = os.listdir(folder)
    check(left == [], f"record left {left} behind after the device was lost")
    done, _ = run(args, 1_000_000)
    check(done.returncode == 0 and os.path.getsize(video) > 0, f"record with the layer but no loss: {done.stderr[-600:]}")
    print("record: nothing left at the output path; with no loss the same command records")


def main():
    global LAYER_DIR
    exe, model, preset, LAYER_DIR, out, mode = sys.argv[1:7]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    view(exe, model, out, mode == "window")
    if mode == "headless":
        record(exe, preset, out)
    print("ok")


if __name__ == "__main__":
    main()
