#!/usr/bin/python3
"""A long headless run of the stage, played as a performer would, measured.

latentwalk view runs headless for MINUTES with OSC on. This script plays it: parameter moves
every 100 ms (strides, speed, truncation, an edit's alpha), a structure change every 30 s (a
preset loaded by name, in turn, and edits added), a few malformed packets a minute, and a live
capture started and stopped every few minutes. The view prints one line of figures every 10 s
(--stats-every): resident memory and the frame time p99 of its last 1,024 frames.

It checks, after a warm-up: memory grows by less than 1 MB per 10 minutes (the least-squares
slope of the samples), the frame time p99 stays steady (the second half's median p99 within 1.5
times the first half's), every capture is a complete, playable video (ffmpeg decodes
every frame without an error), and the view exits cleanly. Figures go to OUT/soak_report.json.
"""
import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time

import liblo


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--exe", required=True, help="the latentwalk executable")
    p.add_argument("--out", required=True, help="a folder for the captures and the report (emptied first)")
    p.add_argument("--minutes", type=float, default=60.0, help="how long the view runs")
    p.add_argument("--capture-every", type=float, default=4.0, help="minutes between live captures")
    p.add_argument("--capture-length", type=float, default=1.0, help="minutes each capture runs")
    return p.parse_args()


class View:
    """The headless view, its figure lines and its log read on threads of their own."""

    def __init__(self, exe, recordings):
        self.proc = subprocess.Popen(
            [exe, "view", "--headless", "--frames", "2000000000", "--osc-port", "0", "--stats-every", "10",
             "--recordings", recordings, "--json"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.stats, self.report, self.log = [], None, []
        self.port = None
        ready = threading.Event()

        def read_err():
            for line in self.proc.stderr:
                self.log.append(line.rstrip())
                found = re.search(r"OSC on udp [\d.]+:(\d+)", line)
                if found and self.port is None:
                    self.port = int(found.group(1))
                    ready.set()
            ready.set()

        def read_out():
            for line in self.proc.stdout:
                try:
                    j = json.loads(line)
                except ValueError:
                    continue
                if "rss_mb" in j:
                    self.stats.append(j)
                else:
                    self.report = j

        threading.Thread(target=read_err, daemon=True).start()
        threading.Thread(target=read_out, daemon=True).start()
        if not ready.wait(300) or self.port is None:
            self.proc.kill()
            sys.exit("soak: the view did not start listening for OSC:\n" + "\n".join(self.log[-20:]))


def slope_mb_per_10_min(samples):
    xs = [s["seconds"] for s in samples]
    ys = [s["rss_mb"] for s in samples]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return 0.0 if den == 0 else 600.0 * sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / den


def video_check(path):
    """Frames decoded and whether ffmpeg decoded the whole file without an error."""
    probe = subprocess.run(["ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
                            "stream=nb_read_frames", "-of", "csv=p=0", path], capture_output=True, text=True)
    decode = subprocess.run(["ffmpeg", "-v", "error", "-i", path, "-f", "null", "-"], capture_output=True, text=True)
    frames = int(probe.stdout.strip() or 0) if probe.returncode == 0 else 0
    return frames, decode.returncode == 0 and not decode.stderr.strip()


def play(view, minutes, capture_every, capture_length):
    to = liblo.Address("127.0.0.1", view.port)
    raw = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rng = random.Random(7)
    presets = ["compare_age", "music_motion"]
    edits = ["age", "smile", "pose"]
    start = time.monotonic()
    next_structure, next_capture, capturing_until, structures, captures = 30.0, 60.0, None, 0, 0
    while view.proc.poll() is None:
        t = time.monotonic() - start
        if t >= minutes * 60:
            break
        liblo.send(to, "/tile/1/stride", ("f", rng.uniform(1, 8)))
        liblo.send(to, "/norm/clock/speed", ("f", rng.uniform(0.02, 0.2)))
        liblo.send(to, "/model/truncation", ("f", rng.uniform(0.6, 1.0)))
        liblo.send(to, "/edit/%s/alpha" % edits[structures % len(edits)], ("f", rng.uniform(-3, 3)))
        if rng.random() < 0.05:
            raw.sendto(bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 64))), ("127.0.0.1", view.port))
        if t >= next_structure:
            liblo.send(to, "/preset/load", ("s", presets[structures % len(presets)]))
            structures += 1
            next_structure += 30.0
        if capturing_until is None and t >= next_capture and t + capture_length * 60 < minutes * 60:
            liblo.send(to, "/record/start")
            capturing_until, captures = t + capture_length * 60, captures + 1
            next_capture += capture_every * 60
        if capturing_until is not None and t >= capturing_until:
            liblo.send(to, "/record/stop")
            capturing_until = None
        time.sleep(0.1)
    if capturing_until is not None:
        liblo.send(to, "/record/stop")
    return structures, captures


def main():
    a = parse_args()
    shutil.rmtree(a.out, ignore_errors=True)
    recordings = os.path.join(a.out, "recordings")
    os.makedirs(recordings)
    view = View(a.exe, recordings)
    structures, captures = play(view, a.minutes, a.capture_every, a.capture_length)
    time.sleep(5)  # the last capture's frames reach its file
    view.proc.send_signal(signal.SIGINT)
    try:
        code = view.proc.wait(timeout=300)
    except subprocess.TimeoutExpired:
        view.proc.kill()
        sys.exit("soak: the view did not end within 5 minutes of Ctrl-C")
    time.sleep(1)

    warm = min(300.0, 0.25 * a.minutes * 60)
    after = [s for s in view.stats if s["seconds"] >= warm]
    p99 = [s["frame_ms"]["p99"] for s in after if "frame_ms" in s]
    half = len(p99) // 2
    # Medians of the two halves: a capture or a preset load lands in some windows only, so one
    # window's p99 says less than the run's typical one.
    first = statistics.median(p99[:half]) if half else float("nan")
    late = statistics.median(p99[half:]) if half else float("nan")
    videos = []
    for name in sorted(os.listdir(recordings)):
        if name.endswith(".mp4"):
            frames, playable = video_check(os.path.join(recordings, name))
            videos.append({"file": name, "frames": frames, "playable": playable})
    report = {
        "minutes": a.minutes, "exit_code": code, "frames": view.stats[-1]["frames"] if view.stats else 0,
        "samples": len(view.stats), "warm_up_seconds": warm,
        "rss_mb": {"first": after[0]["rss_mb"] if after else None, "last": after[-1]["rss_mb"] if after else None,
                   "max": max(s["rss_mb"] for s in view.stats) if view.stats else None},
        "rss_slope_mb_per_10_min": slope_mb_per_10_min(after) if len(after) >= 2 else None,
        "frame_p99_ms": {"first_half_median": first, "second_half_median": late,
                         "min": min(p99) if p99 else None, "max": max(p99) if p99 else None},
        "osc": view.stats[-1]["osc"] if view.stats else {}, "structure_changes": structures,
        "captures_started": captures, "videos": videos, "stats": view.stats,
    }
    with open(os.path.join(a.out, "soak_report.json"), "w") as f:
        json.dump(report, f, indent=1)

    failures = []
    if code != 0:
        failures.append(f"the view exited {code}: " + " | ".join(view.log[-5:]))
    if report["rss_slope_mb_per_10_min"] is None or report["rss_slope_mb_per_10_min"] >= 1.0:
        failures.append(f"memory slope {report['rss_slope_mb_per_10_min']} MB per 10 min (limit 1)")
    if len(p99) < 2 or late > 1.5 * first:
        failures.append(f"frame time p99 not steady (or too few samples, {len(p99)}): second half {late:.1f} ms, "
                        f"first half {first:.1f} ms (medians)")
    if len(videos) != captures or not all(v["playable"] and v["frames"] > 0 for v in videos):
        failures.append(f"{captures} captures started, videos: {videos}")
    print(f"soak: {a.minutes:g} min, {report['frames']} frames, {structures} structure changes, "
          f"{report['osc'].get('applied', 0)} OSC values applied, {report['osc'].get('rejected', 0)} refused")
    if len(after) >= 2:
        print(f"soak: resident memory {report['rss_mb']['first']:.1f} -> {report['rss_mb']['last']:.1f} MB after a "
              f"{warm:.0f} s warm-up, slope {report['rss_slope_mb_per_10_min']:+.2f} MB per 10 min")
    else:
        print(f"soak: {len(after)} memory sample(s) after the warm-up: too few for a slope")
    print(f"soak: frame time p99 {first:.1f} ms (first half, median), {late:.1f} ms (second half, median)")
    print(f"soak: {len(videos)} captures, {sum(v['playable'] for v in videos)} playable, "
          f"{sum(v['frames'] for v in videos)} frames")
    for f in failures:
        print("soak: FAIL: " + f, file=sys.stderr)
    sys.exit(1 if failures else 0)


main()
