#!/usr/bin/python3
"""The viewer's window handled as a user under a window manager handles it (run under xvfb-run;
twm manages the window, xdotool plays the user): minimised and restored, and resized to sizes
large and small, ten times over, with Vulkan validation on. The viewer must stay up, report no
validation message, draw its next screenshot at the window's final size, and end promptly on
SIGTERM (as a closed window: exit 0) with its live capture written whole. On stage a projector's window is moved, resized and hidden; none of it may stop the show.

usage: window_faults_test.py LATENTWALK MODEL OUTDIR
"""
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import time

from harness import check

SIZES = [(640, 360), (200, 120), (1100, 620), (333, 517), (96, 64), (900, 500)]
FINAL = (800, 450)


def xdotool(*args):
    done = subprocess.run(["xdotool", *map(str, args)], capture_output=True, text=True, timeout=30)
    check(done.returncode == 0, f"xdotool {' '.join(map(str, args))}: {done.stderr.strip()}")
    return done.stdout.strip()


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def osc_message(address):
    """An OSC message without arguments: the address and an empty type tag, each padded to 4."""
    def padded(text):
        raw = text.encode() + b"\0"
        return raw + b"\0" * (-len(raw) % 4)
    return padded(address) + padded(",")


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    check(head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG")
    return struct.unpack(">II", head[16:24])


def window_of(viewer):
    deadline = time.time() + 120
    while time.time() < deadline:
        check(viewer.poll() is None, "the viewer ended before its window opened")
        found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "^latentwalk"], capture_output=True, text=True)
        if found.returncode == 0 and found.stdout.split():
            return found.stdout.split()[0]
        time.sleep(0.2)
    sys.exit("FAIL: no viewer window appeared in 120 s")


def becomes_visible(window, wanted):
    """Whether the window's mapped state becomes `wanted` within 15 s (the window manager acts)."""
    for _ in range(150):
        time.sleep(0.1)
        found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "^latentwalk"], capture_output=True, text=True)
        if (window in found.stdout.split()) == wanted:
            return True
    return False


def minimise_and_resize(viewer, window):
    for round_ in range(10):
        xdotool("windowminimize", window)
        check(becomes_visible(window, False), f"round {round_}: the window did not minimise (is twm managing it?)")
        time.sleep(1.0)  # frames come due while it is minimised
        check(viewer.poll() is None, f"round {round_}: the viewer ended when minimised")
        xdotool("windowmap", window)  # a window manager restores an iconified window asked to map
        check(becomes_visible(window, True), f"round {round_}: the window did not come back")
        width, height = SIZES[round_ % len(SIZES)]
        xdotool("windowsize", window, width, height)
        time.sleep(0.4)
        check(viewer.poll() is None, f"round {round_}: the viewer ended when resized to {width}x{height}")
    xdotool("windowsize", window, *FINAL)
    deadline = time.time() + 30
    while time.time() < deadline and f"Geometry: {FINAL[0]}x{FINAL[1]}" not in xdotool("getwindowgeometry", window):
        time.sleep(0.2)
    time.sleep(2.0)  # the viewer remakes its swapchain at the new size on its next frames


def screenshot_after(viewer, port, folder):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.sendto(osc_message("/screenshot"), ("127.0.0.1", port))
    deadline = time.time() + 60
    while time.time() < deadline:
        shots = [f for f in os.listdir(folder) if f.startswith("latentwalk-shot-") and f.endswith(".png")]
        if shots:
            time.sleep(0.5)  # written whole by rename, but give the check a settled file
            return os.path.join(folder, shots[0])
        check(viewer.poll() is None, "the viewer ended before its screenshot")
        time.sleep(0.2)
    sys.exit("FAIL: no screenshot 60 s after /screenshot")


def main():
    exe, model, out = sys.argv[1:4]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    config = os.path.join(out, "twmrc")
    with open(config, "w") as f:
        # New windows placed without a click; Xvfb has only the "fixed" core font, which twm's
        # defaults do not name (without it twm exits and nothing manages the window).
        f.write("RandomPlacement\nNoGrabServer\n")
        f.writelines(f'{what}Font "fixed"\n' for what in ("Title", "Resize", "Menu", "Icon", "IconManager"))
    twm = subprocess.Popen(["twm", "-f", config], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)  # twm takes the screen before the viewer's window maps
    check(twm.poll() is None, "twm did not start")
    port = free_udp_port()
    err_path = os.path.join(out, "viewer.err")
    env = dict(os.environ, LW_VULKAN_VALIDATION="1")
    with open(err_path, "w") as err:
        viewer = subprocess.Popen([exe, "view", "--model", model, "--size", "640x360", "--osc-port", str(port),
                                   "--recordings", out, "--capture", os.path.join(out, "show.mp4")], stdout=subprocess.DEVNULL, stderr=err, env=env)
    try:
        window = window_of(viewer)
        minimise_and_resize(viewer, window)
        shot = screenshot_after(viewer, port, out)
        check(png_size(shot) == FINAL, f"the screenshot is {png_size(shot)}, the window {FINAL}")
        viewer.send_signal(signal.SIGTERM)
        start = time.time()
        try:
            rc = viewer.wait(timeout=30)
        except subprocess.TimeoutExpired:
            sys.exit("FAIL: the viewer still ran 30 s after SIGTERM")
        ended = time.time() - start
    finally:
        if viewer.poll() is None:
            viewer.kill()
        twm.terminate()
    lines = open(err_path).read().strip().splitlines()
    validation = [l for l in lines if "vulkan validation" in l]
    check(not validation, f"{len(validation)} validation message(s), first: {validation[:1]}")
    check(rc == 0, f"the viewer's exit after SIGTERM: {rc} (a negative one: killed by that signal); last words {lines[-3:]}")
    # The live capture ran through it all and was closed whole by the SIGTERM.
    video = os.path.join(out, "show.mp4")
    check(os.path.exists(video), "no capture after SIGTERM: the live capture was lost")
    played = subprocess.run(["ffmpeg", "-v", "error", "-i", video, "-f", "null", "-"], capture_output=True, text=True)
    check(played.returncode == 0 and not played.stderr.strip(), f"the capture does not play whole: {played.stderr[-300:]}")
    print(f"10 rounds of minimise, restore and resize; screenshot at {FINAL[0]}x{FINAL[1]}; "
          f"no validation message; the capture plays; ended {ended:.1f} s after SIGTERM")


if __name__ == "__main__":
    main()
