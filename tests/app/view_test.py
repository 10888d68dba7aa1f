#!/usr/bin/env python3
"""`latentwalk view` end to end on lavapipe, validation on (any message fails the run).

usage: view_test.py headless LATENTWALK MODEL OUTDIR
       view_test.py window   LATENTWALK MODEL OUTDIR     (run under xvfb-run)
       view_test.py bench    LATENTWALK MODEL OUTDIR     (the throughput figures; nothing asserted
                                                          about speed: it depends on what else runs)
"""
import json
import os
import struct
import sys
import zlib

from harness import last_json as run


def read_png(path):
    """Decodes an 8-bit RGB PNG (what latentwalk writes) into (width, height, rows of bytes)."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    pos, idat, width, height = 8, b"", 0, 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour == 2, "expected 8-bit RGB"
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride, rows, prev = width * 3, [], bytearray(width * 3)
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - 3] if i >= 3 else 0
            b = prev[i]
            c = prev[i - 3] if i >= 3 else 0
            if f == 1: line[i] = (line[i] + a) & 255
            elif f == 2: line[i] = (line[i] + b) & 255
            elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, rows


def check_common(report, frames):
    assert report["frames"] == frames, report
    assert report["sink"] == "host-staging", report
    assert "CUDA" in report["sink_reason"], report
    assert report["validation"] == {"errors": 0, "warnings": 0}, report
    for stage in ("generate", "handoff", "draw", "frame"):
        assert report["ms"][stage]["p50"] > 0, (stage, report)


def resolved(preset, folder):
    """The preset's paths made absolute against its folder, as the viewer reads them."""
    fix = lambda p: os.path.normpath(os.path.join(folder, p)) if p else p
    preset = json.loads(json.dumps(preset))
    for key in ("model", "density"):
        if key in preset:
            preset[key] = fix(preset[key])
    for item in preset["tiles"] + preset.get("edits", []) + preset.get("hold", []):
        if "direction" in item:
            item["direction"] = fix(item["direction"])
    return preset


def overlaps(a, b):
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def check_no_panel_covers_a_tile(latentwalk, model, out, env):
    """At 1280x720, 960x540 and at UI scale 2, the panels (as ImGui drew them) stay clear of the
    tiles, which keep a usable size, and the tiles' pixels are generated images."""
    for size, scale in (("1280x720", "1"), ("960x540", "1"), ("1280x720", "2")):
        shot = os.path.join(out, f"layout_{size}_{scale}.png")
        report = run([latentwalk, "view", "--model", model, "--frames", "20", "--size", size, "--ui-scale", scale,
                      "--screenshot", shot, "--json"], env)
        ui = report["ui"]
        assert len(ui["windows"]) == 2 and len(ui["tile_rects"]) == 2, ui
        for tile in ui["tile_rects"]:
            assert tile[2] >= 200 and tile[3] >= 200, (size, scale, tile)
            for window in ui["windows"]:
                assert not overlaps(tile, window), f"{size} at scale {scale}: window {window} covers tile {tile}"
        w, h, rows = read_png(shot)
        for x, y, tw, th in ui["tile_rects"]:
            values = [rows[int(y + th * fy)][int(x + tw * fx) * 3 + c] for fy in (0.3, 0.5, 0.7) for fx in (0.3, 0.5, 0.7)
                      for c in range(3)]
            mean = sum(values) / len(values)
            assert max(values) - min(values) > 20 and mean > 40, f"{size} at scale {scale}: tile at {x},{y} looks empty"
    print("no panel covers a tile at 1280x720, 960x540 or UI scale 2")


def check_directions_panel_fits(latentwalk, model, out, env):
    """The Directions panel lists every direction, cuts no name off and keeps each alpha slider
    at least 8 em wide, from a small window to UI scale 2 (where the slider moves under its name)."""
    for size, scale in (("960x540", "1"), ("1280x720", "1"), ("1280x720", "2")):
        report = run([latentwalk, "view", "--model", model, "--frames", "5", "--size", size, "--ui-scale", scale,
                      "--panel", "directions", "--json"], env)
        fit = report["ui"]["directions"]
        assert fit["available"] >= 10, fit  # the shipped model's W boundaries and discovered directions
        assert fit["listed"] == fit["available"] and fit["clipped_names"] == 0, (size, scale, fit)
        assert fit["narrowest_slider"] >= 8 * 13 * float(scale), (size, scale, fit)
    print("the Directions panel lists every direction unclipped at 960x540, 1280x720 and UI scale 2")


def check_preset_window_matches_headless(latentwalk, model, out, env):
    """A preset's frame at time T: the same pixels in a window and headless; and a preset
    saved from the viewer loads back to the same settings."""
    age = os.path.join(model, "boundaries", "w", "age.npy")
    preset = {"version": 1, "model": model, "space": "w", "seed": 4, "truncation": 0.8,
              "edits": [{"direction": os.path.join(model, "boundaries", "w", "smile.npy"), "alpha": 1.5}],
              "hold": [{"direction": os.path.join(model, "boundaries", "w", "eyeglasses.npy")}],
              "tiles": [{"label": "linear", "walk": "linear", "direction": age, "stride": 3, "period": 4},
                        {"label": "dp", "walk": "dp", "direction": age, "stride": 3, "period": 4, "easing": "sine"},
                        {"label": "noise", "walk": "noise", "period": 8}]}
    path = os.path.join(out, "walk.json")
    with open(path, "w") as f:
        json.dump(preset, f)
    win_png, head_png = os.path.join(out, "window_t.png"), os.path.join(out, "headless_t.png")
    saved, again = os.path.join(out, "saved.json"), os.path.join(out, "saved_again.json")
    common = ["--preset", path, "--time", "2.5", "--size", "640x360", "--json"]
    run([latentwalk, "view", *common, "--paused", "--no-ui", "--frames", "3", "--screenshot", win_png,
         "--save-preset", saved], env)
    run([latentwalk, "view", *common, "--headless", "--frames", "1", "--screenshot", head_png], env)
    window, headless = read_png(win_png), read_png(head_png)
    assert window[:2] == headless[:2] == (640, 360), (window[:2], headless[:2])
    differing = sum(a != b for a, b in zip(window[2], headless[2]))
    assert differing == 0, f"{differing} of 360 rows differ between the window and headless frames at t = 2.5"
    # Saved from the viewer, read back by it and saved again: byte for byte the same file, and
    # every setting the original named kept.
    run([latentwalk, "view", "--preset", saved, "--headless", "--frames", "1", "--save-preset", again, "--json"], env)
    assert open(saved).read() == open(again).read(), "a saved preset changed on its way through the viewer"
    kept = resolved(json.load(open(saved)), out)
    for key, value in resolved(preset, out).items():
        if key in ("tiles", "edits", "hold"):
            for mine, theirs in zip(value, kept[key]):
                for k, v in mine.items():
                    assert theirs[k] == v, (key, k, v, theirs[k])
        else:
            assert kept[key] == value, (key, value, kept[key])
    print(f"window and headless frames at t = 2.5 identical; preset round trip ok ({saved})")


def main():
    mode, latentwalk, model, out = sys.argv[1:5]
    env = dict(os.environ, LW_VULKAN_VALIDATION="1")
    os.makedirs(out, exist_ok=True)
    if mode == "headless":
        # Validation costs CPU time: check it on a short run, and the throughput on the
        # acceptance command as a user runs it (validation off in release builds).
        checked = run([latentwalk, "view", "--model", model, "--headless", "--frames", "20", "--json"], env)
        check_common(checked, 20)
        frames_dir = os.path.join(out, "frames")
        plain = dict(os.environ, LW_VULKAN_VALIDATION="0")
        report = run([latentwalk, "view", "--model", model, "--headless", "--frames", "120", "--out", frames_dir, "--json"], plain)
        assert report["frames"] == 120 and "validation" not in report, report
        names = sorted(os.listdir(frames_dir))
        assert names == [f"frame_{i:04d}.png" for i in range(120)], names[:5]
        w, h, rows = read_png(os.path.join(frames_dir, "frame_0119.png"))
        assert (w, h) == (512, 288), (w, h)
        # The render thread runs no LibTorch operator, and nothing rebuilt the scene.
        assert report["render_thread_torch_calls"] == 0 and report["scene_rebuilds"] == 0, report
        # Successive frames differ: the walk moves.
        assert read_png(os.path.join(frames_dir, "frame_0000.png"))[2] != rows, "the first and last frames are identical"
        # --set moves a live parameter before the first frame: another stride, other frames.
        moved_dir = os.path.join(out, "moved")
        moved = run([latentwalk, "view", "--model", model, "--headless", "--frames", "120", "--out", moved_dir,
                     "--set", "/tile/1/stride=6", "--set", "/clock/speed=0.5", "--json"], plain)
        assert moved["parameters"]["/tile/1/stride"] == 6 and moved["parameters"]["/clock/speed"] == 0.5, moved
        assert moved["scene_rebuilds"] == 0, moved
        assert read_png(os.path.join(moved_dir, "frame_0119.png"))[2] != rows, "--set changed nothing"
    elif mode == "bench":
        # The acceptance command as a user runs it (validation off), its throughput reported.
        plain = dict(os.environ, LW_VULKAN_VALIDATION="0")
        report = run([latentwalk, "view", "--model", model, "--headless", "--frames", "120", "--json"], plain)
        assert report["generator_only_fps"] > 0 and report["pipeline_fps"] > 0, report
        print(f"pipeline {report['pipeline_fps']:.1f} batches/s, generator alone {report['generator_only_fps']:.1f} "
              f"batches/s, ratio {report['throughput_ratio']:.2f} ({report['device']})")
    else:
        shot = os.path.join(out, "shot.png")
        report = run([latentwalk, "view", "--model", model, "--frames", "60", "--screenshot", shot, "--json"], env)
        check_common(report, 60)
        w, h, rows = read_png(shot)
        assert (w, h) == (1280, 720), (w, h)
        # The panel's title bar (ImGui's dark style: blue) at the top left ...
        r, g, b = rows[8][60 * 3:60 * 3 + 3]
        assert b > r + 40, f"no panel title bar at (60, 8): {(r, g, b)}"
        # ... and a generated image in the right tile: varied pixels, not the background.
        values = [rows[y][x * 3 + c] for y in range(200, 520, 16) for x in range(700, 1200, 16) for c in range(3)]
        mean = sum(values) / len(values)
        spread = (sum((v - mean) ** 2 for v in values) / len(values)) ** 0.5
        assert mean > 40 and spread > 5, f"the right tile looks empty (mean {mean:.1f}, std {spread:.1f})"
        # The screenshot's frame waits for the compare plots: one per tile, drawn at the bottom right.
        assert report["plotted_paths"] == 2, report
        # Each panel opens in front on request and draws in the window: paused at t = 0, two runs
        # on the Directions panel draw the same pixels there, the Model panel others.
        def panel_region(panel, name):
            path = os.path.join(out, f"panel_{name}.png")
            run([latentwalk, "view", "--model", model, "--frames", "20", "--paused", "--panel", panel,
                 "--screenshot", path, "--json"], env)
            return [row[10 * 3:360 * 3] for row in read_png(path)[2][80:400]]
        directions, again, model_panel = panel_region("directions", "a"), panel_region("directions", "b"), panel_region("model", "c")
        assert directions == again, "the directions panel drew differently in two runs at the same time"
        assert directions != model_panel, "the directions and model panels look the same"
        check_no_panel_covers_a_tile(latentwalk, model, out, env)
        check_directions_panel_fits(latentwalk, model, out, env)
        check_preset_window_matches_headless(latentwalk, model, out, env)
    print("ok", json.dumps(report))


if __name__ == "__main__":
    main()
