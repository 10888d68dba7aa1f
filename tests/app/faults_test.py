#!/usr/bin/python3
"""Faults a long session meets, survived: the output disk fills during a recording (a 400 KB
tmpfs in a mount namespace of its own), and SIGKILL in the middle of record, generate, discover
and import. After each: a clear error where there was a chance to give one, the file that was at
the output path before untouched, nothing damaged at the final path, and the same command run
again succeeds.

usage: faults_test.py LATENTWALK MODEL PRESET PICKLE OUT quick|discover
"""
import glob
import os
import shutil
import signal
import subprocess
import sys
import time

import numpy as np

from harness import check

SKIP = 77  # CTest's SKIP_RETURN_CODE for this test


def playable(video):
    run = subprocess.run(["ffmpeg", "-v", "error", "-i", video, "-f", "null", "-"], capture_output=True, text=True)
    return run.returncode == 0 and not run.stderr.strip()


def disk_fills_during_record(exe, preset, out):
    folder = os.path.join(out, "full")
    os.makedirs(folder)
    before = os.urandom(100_000)
    open(os.path.join(out, "before.bin"), "wb").write(before)
    # The namespace's own mount: nothing outside this test sees the small disk.
    script = f"""
mount -t tmpfs -o size=400k none '{folder}' || exit {SKIP}
cp '{out}/before.bin' '{folder}/walk.mp4'
'{exe}' record --preset '{preset}' --duration 20 --size 512x288 --out '{folder}/walk.mp4' 2>'{out}/full.err'
echo "rc=$?"
ls -A '{folder}'
cp '{folder}/walk.mp4' '{out}/after.bin'
"""
    run = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script],
                         capture_output=True, text=True, timeout=600)
    if run.returncode == SKIP or "rc=" not in run.stdout:
        print(f"SKIP: cannot mount a small tmpfs in a user namespace here ({run.stderr.strip()[:200]})")
        return False
    lines = run.stdout.split()
    rc = int(next(x for x in lines if x.startswith("rc="))[3:])
    left = [x for x in lines if not x.startswith("rc=")]
    err = open(os.path.join(out, "full.err")).read().strip().splitlines()
    check(rc != 0, "record on a full disk exited 0")
    check(err and ("space" in err[-1].lower() or "write" in err[-1].lower()), f"unclear error: {err[-3:]}")
    check(left == ["walk.mp4"], f"the folder holds {left} after the failed record (a temporary left behind?)")
    check(open(os.path.join(out, "after.bin"), "rb").read() == before, "the previous walk.mp4 was changed")
    print(f"disk full: exit {rc}, '{err[-1]}', previous file untouched, nothing else left")
    return True


def kill_when(args, ready, timeout=300):
    """Starts a command, waits until ready() is true, kills it with SIGKILL."""
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + timeout
    while time.time() < deadline and proc.poll() is None and not ready():
        time.sleep(0.05)
    check(proc.poll() is None, f"{args[1]} ended before it could be killed: make it longer")
    proc.send_signal(signal.SIGKILL)
    proc.wait()


def killed_record(exe, preset, out):
    video = os.path.join(out, "killed.mp4")
    args = [exe, "record", "--preset", preset, "--duration", "30", "--size", "512x288", "--out", video]
    kill_when(args, lambda: glob.glob(os.path.join(out, ".killed.mp4.tmp*")) and time.sleep(1) is None)
    check(not os.path.exists(video), "a killed record left a video at the final path")
    run = subprocess.run(args[:4] + ["--duration", "1"] + args[6:], capture_output=True, text=True, timeout=600)
    check(run.returncode == 0 and playable(video), f"record after the kill: {run.stderr}")
    print("record killed mid-video: nothing at the final path; the rerun's video plays")


def complete_npy(path, rows):
    try:
        return np.load(path).shape[0] == rows
    except Exception:
        return False


def killed_generate(exe, model, out):
    folder = os.path.join(out, "generate")
    args = [exe, "generate", "--model", model, "--n", "100000", "--batch", "100", "--out", folder]
    # generate writes its files whole at the end: killed 2 s into 100,000 samples, it is mid-sampling.
    kill_when(args, lambda: time.sleep(2) is None)
    for name in ("z.npy", "w.npy", "scores.npy"):
        path = os.path.join(folder, name)
        check(not os.path.exists(path) or complete_npy(path, 100000), f"a killed generate left a damaged {name}")
    run = subprocess.run(args[:5] + ["500"] + args[6:], capture_output=True, text=True, timeout=600)
    check(run.returncode == 0 and complete_npy(os.path.join(folder, "z.npy"), 500), f"generate after the kill: {run.stderr}")
    print("generate killed mid-sampling: no damaged file; the rerun writes 500 codes")


def killed_discover(exe, model, out):
    folder = os.path.join(out, "discover")
    # A small budget: the density, the correction and the directions each a few hundred steps.
    args = [exe, "discover", "--model", model, "--space", "w", "--k", "2", "--steps", "300", "--batch", "8",
            "--samples", "2000", "--density-steps", "300", "--correction-warmup", "100", "--out", folder]
    kill_when(args, lambda: os.path.exists(os.path.join(folder, "checkpoint.pt")) and time.sleep(0.5) is None)
    for path in glob.glob(os.path.join(folder, "*.npy")):
        check(complete_npy(path, np.load(path).shape[0]), f"a killed discover left a damaged {path}")
    run = subprocess.run(args, capture_output=True, text=True, timeout=900)  # the same command resumes
    check(run.returncode == 0 and complete_npy(os.path.join(folder, "directions.npy"), 2), f"discover after the kill: {run.stderr}")
    check("resum" in run.stderr.lower(), f"the rerun did not say it resumed: {run.stderr[-400:]}")
    print("discover killed mid-training: no damaged file; the same command resumes and writes 2 directions")


def killed_import(exe, pickle, out):
    folder = os.path.join(out, "imported")
    args = [exe, "import", pickle, "--out", folder]
    for delay in (0.2, 0.5, 1.0):
        shutil.rmtree(folder, ignore_errors=True)
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if os.path.exists(folder):  # it finished first: then whole
            check(os.path.exists(os.path.join(folder, "manifest.json")) and os.path.exists(os.path.join(folder, "generator.pt")),
                  f"a killed import left a partial folder: {os.listdir(folder)}")
            continue
        run = subprocess.run(args, capture_output=True, text=True, timeout=600)
        check(run.returncode == 0 and os.path.exists(os.path.join(folder, "manifest.json")), f"import after the kill: {run.stderr}")
    print("import killed at 0.2, 0.5 and 1 s: never a partial folder; each rerun imports")


def main():
    exe, model, preset, pickle, out, part = sys.argv[1:7]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    if part == "discover":  # minutes of training: behind the slow label
        killed_discover(exe, model, out)
        return
    ran_disk = disk_fills_during_record(exe, preset, out)
    killed_record(exe, preset, out)
    killed_generate(exe, model, out)
    killed_import(exe, pickle, out)
    if not ran_disk:
        sys.exit(SKIP)


main()
