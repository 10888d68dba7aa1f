#!/usr/bin/env python3
"""`latentwalk record` end to end on lavapipe: an H.264 video of a preset, frame exact, read back
by libavformat (video_probe); the same frames as the viewer's headless run; an interrupted run
leaves nothing behind; bad input changes no file.

usage: record_test.py LATENTWALK VIDEO_PROBE PRESET OUTDIR
"""
import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import time

from harness import check, last_json, run


def main():
    exe, probe, preset, out = sys.argv[1:5]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    video, pngs = os.path.join(out, "walk.mp4"), os.path.join(out, "pngs")

    # 1 s at 10 fps: 10 frames, H.264, yuv420p, the size asked for.
    report = last_json([exe, "record", "--preset", preset, "--duration", "1", "--fps", "10", "--size", "256x128",
                        "--out", video, "--png-dir", pngs, "--json"])
    check(report["frames"] == 10 and report["width"] == 256 and report["height"] == 128, report)
    check(report["fps"] == 10 and report["seconds"] == 1 and report["render_fps"] > 0 and report["overall_fps"] > 0, report)
    check(len(glob.glob(os.path.join(pngs, "frame_*.png"))) == 10, "not 10 PNG frames")

    # The viewer's headless frames at the same times are the very same images: frame 0 at t = 0
    # and, started with --time 0.5, frame 0 at t = 0.5 (the video's frame 5).
    for t, index in (("0", 0), ("0.5", 5)):
        view_dir = os.path.join(out, f"view-{t}")
        run([exe, "view", "--headless", "--preset", preset, "--time", t, "--frames", "1", "--size", "256x128",
             "--out", view_dir])
        a = open(os.path.join(view_dir, "frame_0000.png"), "rb").read()
        b = open(os.path.join(pngs, f"frame_{index:04d}.png"), "rb").read()
        check(a == b, f"view --time {t} frame 0 differs from the recording's frame {index}")

    # What a player reads back: the frame count, codec, pixel format; the first frame within
    # 35 dB PSNR of the headless PNG.
    p = json.loads(run([probe, video, "--compare", os.path.join(out, "view-0", "frame_0000.png")]).stdout)
    check(p["codec"] == "h264" and p["pixel_format"] == "yuv420p", p)
    check(p["width"] == 256 and p["height"] == 128 and p["frames"] == 10 and abs(p["fps"] - 10) < 1e-6, p)
    check(p["psnr_first_frame"] >= 35.0, p)

    # The container is the one the name asks for: H.264 in Matroska for .mkv, QuickTime for .mov.
    for ext, demuxer in ((".mkv", "matroska"), (".mov", "mov")):
        other = os.path.join(out, "walk" + ext)
        run([exe, "record", "--preset", preset, "--duration", "0.3", "--fps", "10", "--size", "128x64", "--out", other])
        q = json.loads(run([probe, other]).stdout)
        check(demuxer in q["container"] and q["codec"] == "h264" and q["frames"] == 3, f"{ext}: {q}")

    # Interrupted midway (SIGINT, as Ctrl-C): an error exit, the old file untouched, no temporary.
    with open(video, "wb") as f:
        f.write(b"the previous video")
    proc = subprocess.Popen([exe, "record", "--preset", preset, "--duration", "120", "--fps", "30", "--size", "256x128",
                             "--out", video], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while time.time() < deadline and not glob.glob(os.path.join(out, ".walk.mp4.tmp*")):
        time.sleep(0.1)
    check(glob.glob(os.path.join(out, ".walk.mp4.tmp*")), "the recording never started its temporary file")
    time.sleep(1.0)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    check(proc.returncode != 0 and "interrupted" in err, f"an interrupted run exited {proc.returncode}: {err}")
    check(open(video, "rb").read() == b"the previous video", "an interrupted run changed the existing output")
    check(not glob.glob(os.path.join(out, ".walk.mp4.tmp*")), "an interrupted run left its temporary file")
    print("ok")


if __name__ == "__main__":
    main()
