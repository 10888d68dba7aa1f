#!/usr/bin/env python3
"""Music videos end to end on lavapipe: a synthesised beat (latentwalk synth-beat, every hit's time
known) rendered by `record --audio` with the shipped pulse preset. Asserted: the frame count is
duration x fps exactly at 24, 25, 30 and 60 fps
(and NTSC's 29.97, stored as 30000/1001), with an AAC stream at the track's rate and
channels whose length matches the video's within one frame (read back by libavformat through
video_probe); the onset pulses land on the frames of the hits (within one frame); the same
preset and track render byte-identical twice; `view --audio --headless` draws the frames record
draws at the same times; --png-dir writes the sound beside the frames; a corrupt or unsupported
track is one clear line, a non-zero exit and no output file.

usage: music_video_test.py LATENTWALK VIDEO_PROBE PRESET OUTDIR
       music_video_test.py --window LATENTWALK PRESET OUTDIR     (under xvfb-run: the track played live)
"""
import glob
import json
import math
import os
import shutil
import subprocess
import sys
import wave

import numpy as np

from harness import check, last_json, run
from view_test import read_png

SIZE = "96x96"


def frame(path):
    _, _, rows = read_png(path)
    return np.frombuffer(b"".join(rows), dtype=np.uint8).astype(np.float32)


def frame_counts(exe, probe, preset, track, out):
    """duration x fps frames exactly, and the sound beside them within one frame."""
    for fps, exact in ((24, 24), (25, 25), (30, 30), (60, 60), (29.97, 30000 / 1001)):
        video = os.path.join(out, f"mv{fps}.mp4")
        report = last_json([exe, "record", "--preset", preset, "--audio", track, "--fps", str(fps), "--size", SIZE,
                            "--out", video, "--json"])
        p = json.loads(run([probe, video]).stdout)
        frames = round(4 * exact)
        check(p["codec"] == "h264" and p["frames"] == frames and report["frames"] == frames and abs(p["fps"] - exact) < 1e-6,
              f"{fps} fps: {p} {report}")
        a = p.get("audio")
        check(a and a["codec"] == "aac" and a["sample_rate"] == 44100 and a["channels"] == 2, f"{fps} fps audio: {a}")
        video_seconds = p["frames"] / exact
        check(abs(a["stream_seconds"] - video_seconds) <= 1.0 / fps, f"{fps} fps: audio {a} vs video {video_seconds} s")
        # A decoder that ignores the edit list also plays the padding of AAC's last frame (< 1024 samples).
        check(0 <= a["decoded_seconds"] - a["stream_seconds"] < 1024 / 44100, f"{fps} fps: decoded audio {a}")
        print(f"{fps} fps: {p['frames']} frames, AAC {a['sample_rate']} Hz x{a['channels']}, "
              f"{a['stream_seconds']:.4f} s (decoded {a['decoded_seconds']:.4f} s)")


def pulses(exe, preset, track, hits, out):
    """Each hit's frame (or the one after: the detector's error) jumps from the frame before."""
    pngs = os.path.join(out, "pngs")
    run([exe, "record", "--preset", preset, "--audio", track, "--fps", "30", "--size", SIZE, "--out",
         os.path.join(out, "pulse.mp4"), "--png-dir", pngs])
    files = sorted(glob.glob(os.path.join(pngs, "frame_*.png")))
    check(len(files) == 120, f"{len(files)} PNG frames, not 120")
    frames = [frame(f) for f in files]
    change = [0.0] + [float(np.abs(frames[k] - frames[k - 1]).mean()) for k in range(1, len(frames))]
    calm = float(np.median(change))
    missed = []
    for t in hits:
        k = math.ceil(t * 30 - 1e-9)  # the first frame at or after the hit
        near = [change[i] for i in (k, k + 1) if i < len(change)]
        if max(near) < 3 * calm:
            missed.append((t, [round(c, 2) for c in near]))
    check(not missed, f"no pulse at these hits (median change {calm:.2f}): {missed}")
    with wave.open(os.path.join(pngs, "audio.wav")) as w:
        check(w.getframerate() == 44100 and w.getnchannels() == 2 and w.getnframes() == 4 * 44100,
              f"audio.wav: {w.getframerate()} Hz x{w.getnchannels()}, {w.getnframes()} frames")
    print(f"{len(hits)} hits, each a pulse (median frame change {calm:.2f}, at hits "
          f"{min(max(change[math.ceil(t * 30 - 1e-9)], change[math.ceil(t * 30 - 1e-9) + 1]) for t in hits):.2f} or more)")
    return pngs


def identical_twice(exe, preset, track, out):
    a, b = os.path.join(out, "twice_a.mp4"), os.path.join(out, "twice_b.mp4")
    for video in (a, b):
        run([exe, "record", "--preset", preset, "--audio", track, "--fps", "25", "--size", SIZE, "--out", video])
    check(open(a, "rb").read() == open(b, "rb").read(), "the same preset and track rendered twice differ")


def live_equals_record(exe, preset, track, pngs, out):
    """view --audio --headless from --time 1 draws record's frames 30.. (start 1 s at 30 fps)."""
    view_dir = os.path.join(out, "view")
    run([exe, "view", "--headless", "--preset", preset, "--audio", track, "--time", "1", "--frames", "20", "--fps", "30",
         "--size", SIZE, "--out", view_dir])
    start_dir = os.path.join(out, "start")
    run([exe, "record", "--preset", preset, "--audio", track, "--start", "1", "--duration", "1", "--fps", "30",
         "--size", SIZE, "--out", os.path.join(out, "start.mp4"), "--png-dir", start_dir])
    for k in range(20):
        v = open(os.path.join(view_dir, f"frame_{k:04d}.png"), "rb").read()
        s = open(os.path.join(start_dir, f"frame_{k:04d}.png"), "rb").read()
        check(v == s, f"view --audio --time 1 frame {k} differs from record --audio --start 1 frame {k}")
    # Started at 1 s, the walk is where the full render is at 1 s: the clock reads the track.
    full = open(os.path.join(pngs, "frame_0045.png"), "rb").read()
    check(full == open(os.path.join(start_dir, "frame_0015.png"), "rb").read(),
          "record --start 1 frame 15 differs from the full render's frame 45")


def bad_tracks(exe, preset, out):
    video = os.path.join(out, "never.mp4")
    corrupt = os.path.join(out, "corrupt.wav")
    with open(corrupt, "wb") as f:
        f.write(b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 7)
    text = os.path.join(out, "notes.mp3")
    with open(text, "w") as f:
        f.write("not audio at all\n")
    for track in (corrupt, text, os.path.join(out, "missing.flac")):
        proc = subprocess.run([exe, "record", "--preset", preset, "--audio", track, "--fps", "30", "--size", SIZE,
                               "--out", video], capture_output=True, text=True, timeout=120)
        lines = proc.stderr.strip().splitlines()
        check(proc.returncode != 0 and len(lines) == 1 and os.path.basename(track) in lines[0],
              f"{track}: exit {proc.returncode}, stderr {proc.stderr!r}")
        check(not os.path.exists(video) and not glob.glob(os.path.join(out, ".never.mp4*")), f"{track} left a file")
        print(f"{os.path.basename(track)}: {lines[0]}")


def bad_view_flags(exe, preset, track):
    """What a track cannot be combined with, each one line before anything opens."""
    for flags, words in ((["--time", "-1"], "0 or more"), (["--time", "99"], "past the end"),
                         (["--link"], "drop --link"), (["--audio-in", "default"], "drop --audio-in")):
        proc = subprocess.run([exe, "view", "--headless", "--frames", "2", "--preset", preset, "--audio", track] + flags,
                              capture_output=True, text=True, timeout=120)
        lines = [line for line in proc.stderr.strip().splitlines() if not line.startswith("latentwalk view: beat")]
        check(proc.returncode != 0 and len(lines) == 1 and words in lines[0], f"view {flags}: {proc.returncode} {proc.stderr!r}")


def window(exe, preset, out):
    """A window plays the track (silently here: no sound card) and its clock and meters follow it."""
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    track = os.path.join(out, "beat.wav")
    run([exe, "synth-beat", "--seconds", "4", "--out", track])
    report = last_json([exe, "view", "--preset", preset, "--audio", track, "--frames", "120", "--json"])
    t, audio = report["track"], report.get("audio", {})
    check(abs(t["bpm"] - 120) < 0.5 and t["onsets"] == 14 and t["position"] > 0.1, t)
    check(report["parameters"]["/clock/bpm"] == t["bpm"], "the walks do not count the track's beats")
    check(audio.get("onsets", 0) >= 2 and "the track" in audio.get("source", ""), f"the meters missed the track: {audio}")
    print(f"window: {report['frames']} frames played the track to {t['position']:.2f} s at {t['bpm']:.2f} bpm")
    print("ok")


def main():
    if sys.argv[1] == "--window":
        return window(*sys.argv[2:5])
    exe, probe, preset, out = sys.argv[1:5]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    track = os.path.join(out, "beat.flac")
    beat = last_json([exe, "synth-beat", "--seconds", "4", "--out", track, "--json"])
    hits = sorted(beat["kicks"] + beat["hats"])
    check(beat["bpm"] == 120 and len(beat["kicks"]) == 7, beat)
    frame_counts(exe, probe, preset, track, out)
    pngs = pulses(exe, preset, track, hits, out)
    identical_twice(exe, preset, track, out)
    live_equals_record(exe, preset, track, pngs, out)
    bad_tracks(exe, preset, out)
    bad_view_flags(exe, preset, track)
    print("ok")


if __name__ == "__main__":
    main()
