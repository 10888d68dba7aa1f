#!/usr/bin/env python3
"""Live audio driving a headless viewer through a preset's bindings: a 120 bpm metronome (a WAV
this test writes) played into the live analysis with --audio-file; its onsets tap the tempo and
its level moves the truncation. Also: a file that is not audio is one clear line.

usage: audio_test.py LATENTWALK MODEL OUTDIR
"""
import json
import math
import os
import shutil
import struct
import subprocess
import sys
import wave

from harness import check


def write_metronome(path, bpm, seconds, rate=44100):
    frames = bytearray()
    click = 60.0 / bpm
    for i in range(int(seconds * rate)):
        t = i / rate
        since = (t - 0.3) % click if t >= 0.3 else 1.0
        v = 1e-3 * math.sin(2 * math.pi * 50 * t)
        if since < 0.08:
            v += 0.8 * math.sin(2 * math.pi * 1500 * since) * math.exp(-since / 0.02)
        s = int(max(-1.0, min(1.0, v)) * 32767)
        frames += struct.pack("<hh", s, s)  # stereo: the input mixes it to mono
    with wave.open(path, "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(bytes(frames))


def main():
    exe, model, out = sys.argv[1:4]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    track = os.path.join(out, "metronome.wav")
    write_metronome(track, 120.0, 8.0)
    preset = {
        "version": 1, "model": os.path.abspath(model), "space": "w", "bpm": 60,
        "tiles": [{"label": "walk", "walk": "linear", "direction": os.path.join(os.path.abspath(model), "boundaries/w/age.npy"),
                   "stride": 4}],
        "bindings": [
            {"target": "/clock/tap", "source": "audio", "address": "onset", "threshold": 0.5, "hold": 0.2},
            {"target": "/model/truncation", "source": "audio", "address": "level", "in": [0, 0.2], "out": [0.5, 1.0],
             "release": 0.3},
        ],
    }
    preset_path = os.path.join(out, "bound.json")
    with open(preset_path, "w") as f:
        json.dump(preset, f)
    run = subprocess.run([exe, "view", "--preset", preset_path, "--headless", "--frames", "1200", "--audio-file", track,
                          "--json"], capture_output=True, text=True, timeout=300)
    check(run.returncode == 0, f"view exited {run.returncode}: {run.stderr}")
    report = json.loads(run.stdout.strip().splitlines()[-1])
    audio, params = report["audio"], report["parameters"]
    check(audio["hops"] > 100 and audio["dropped_samples"] == 0, audio)
    check(audio["onsets"] >= 4, f"only {audio['onsets']} onsets heard: {audio}")
    check(abs(params["/clock/bpm"] - 120.0) <= 4.0, f"the onsets tapped {params['/clock/bpm']} bpm, not 120")
    check(0.5 <= params["/model/truncation"] <= 1.0, params["/model/truncation"])
    print(f"{audio['hops']} hops analysed live, {audio['onsets']} frames with an onset; the taps set "
          f"{params['/clock/bpm']:.1f} bpm; analysis tempo {audio['bpm']:.1f} bpm")

    junk = os.path.join(out, "junk.wav")
    with open(junk, "wb") as f:
        f.write(b"RIFF not really a wave file at all")
    bad = subprocess.run([exe, "view", "--headless", "--frames", "2", "--audio-file", junk], capture_output=True, text=True)
    check(bad.returncode != 0 and len(bad.stderr.strip().splitlines()) == 1 and "junk.wav" in bad.stderr, bad.stderr)


main()
