#!/usr/bin/env python3
"""Inversion from the command line: invert writes a code of the right shape for W and W+ and says
when it resized the photo; edit takes the code (--codes) and the photo itself (--image); an
unreadable photo and a code of the wrong shape are one clear line each, with no output file.

usage: inversion_test.py LATENTWALK MODEL OUTDIR
"""
import json
import os
import shutil
import struct
import sys
import zlib

import numpy as np

from harness import check, run


def write_png(path, width, height):
    """A face-like picture: a skin-coloured ellipse on a blue background, 8-bit RGB."""
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            inside = ((x - width / 2) / (width * 0.25)) ** 2 + ((y - height / 2) / (height * 0.35)) ** 2 < 1
            row += bytes((200, 150, 120) if inside else (60, 90, 160))
        rows.append(bytes(row))
    body = zlib.compress(b"".join(rows))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", body) + chunk(b"IEND", b""))


def main():
    exe, model, out = sys.argv[1:4]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    photo = os.path.join(out, "photo.png")
    write_png(photo, 128, 96)

    for space, shape in (("wplus", (1, 6, 64)), ("w", (1, 64))):
        code = os.path.join(out, f"code_{space}.npy")
        proc = run([exe, "invert", "--model", model, "--image", photo, "--space", space, "--steps", "30", "--out", code,
                    "--png", os.path.join(out, f"pair_{space}.png"), "--json"])
        report = json.loads(proc.stdout.strip().splitlines()[-1])
        check("resized to the model's 64x64" in proc.stderr, f"no word of the resize: {proc.stderr!r}")
        check(np.load(code).shape == shape, f"{space}: code {np.load(code).shape}, not {shape}")
        check(report["space"] == space and report["psnr"] > 10 and 0 < report["ssim"] <= 1 and len(report["stages"]) == 11,
              report)
        check(os.path.getsize(os.path.join(out, f"pair_{space}.png")) > 0, "no photo/reconstruction pair")
        print(f"{space}: PSNR {report['psnr']:.1f} dB after 30 steps from the {report['start']}, {report['seconds']:.1f} s")

    boundary = os.path.join(model, "boundaries", "w", "smile.npy")
    run([exe, "edit", "--model", model, "--boundary", boundary, "--codes", os.path.join(out, "code_wplus.npy"),
         "--out", os.path.join(out, "edit_codes.png")])
    run([exe, "edit", "--model", model, "--boundary", boundary, "--image", photo, "--invert-steps", "10",
         "--out", os.path.join(out, "edit_image.png")])
    check(all(os.path.getsize(os.path.join(out, f)) > 0 for f in ("edit_codes.png", "edit_image.png")), "no edit strips")

    # A preset starts a walk from the code (relative to the preset's folder), every style row its own.
    def preset(name, start):
        tile = {"label": "photo", "walk": "linear", "direction": os.path.join(os.path.abspath(model), "boundaries", "w", "age.npy"),
                "stride": 2, "period": 4}
        if start:
            tile["start"] = {"code": start, "row": 0}
        path = os.path.join(out, name)
        with open(path, "w") as f:
            json.dump({"version": 1, "model": os.path.abspath(model), "space": "wplus", "seed": 0, "tiles": [tile]}, f)
        return path

    def frame(preset_file, folder):
        run([exe, "view", "--headless", "--preset", preset_file, "--frames", "1", "--size", "128x128",
             "--out", os.path.join(out, folder)])
        with open(os.path.join(out, folder, "frame_0000.png"), "rb") as f:
            return f.read()
    from_code = frame(preset("from_code.json", "code_wplus.npy"), "frames_code")
    from_seed = frame(preset("from_seed.json", None), "frames_seed")
    check(from_code != from_seed, "the tile started from the photo's code draws another picture than the seed's")

    # Bad input: one line, non-zero, nothing written.
    junk = os.path.join(out, "junk.png")
    with open(junk, "wb") as f:
        f.write(b"not a picture")
    wrong = os.path.join(out, "wrong.npy")
    np.save(wrong, np.zeros((1, 7), dtype=np.float32))
    for args, words, never in (
            (["invert", "--model", model, "--image", junk, "--out", os.path.join(out, "never.npy")], "junk.png", "never.npy"),
            (["edit", "--model", model, "--boundary", boundary, "--codes", wrong, "--out", os.path.join(out, "never.png")],
             "wrong.npy", "never.png")):
        proc = run([exe] + args, ok=False)
        lines = proc.stderr.strip().splitlines()
        check(proc.returncode != 0 and len(lines) == 1 and words in lines[0], f"{args}: {proc.returncode} {proc.stderr!r}")
        check(not os.path.exists(os.path.join(out, never)), f"{never} written after an error")
        print(lines[0])
    proc = run([exe, "view", "--headless", "--preset", preset("bad_start.json", "wrong.npy"), "--frames", "1",
                "--out", os.path.join(out, "frames_bad")], ok=False)
    lines = proc.stderr.strip().splitlines()
    check(proc.returncode != 0 and len(lines) == 1 and "wrong.npy" in lines[0], f"a wrong start code: {proc.stderr!r}")
    print(lines[0])
    print("ok")


if __name__ == "__main__":
    main()
