#!/usr/bin/env python3
"""Live control over OSC with real clients (liblo's oscsend and python3-liblo) against a headless
viewer: a stride sent with oscsend is the stride of the run; 10,000 random packets (junk bytes,
truncated messages, unknown addresses, NaN, out-of-range values, wrong types, bundles) crash
nothing and are counted; the address listing names what the viewer answers.

usage: osc_test.py LATENTWALK MODEL [PACKETS FRAMES]   (default 10000 packets at a 600-frame run)
"""
import json
import random
import re
import socket
import struct
import subprocess
import sys

import liblo

from harness import check


# /clock/speed 2.0 as bytes, to cut short.
SPEED = b"/clock/speed\0\0\0\0,f\0\0" + struct.pack(">f", 2.0)


def random_packet(rng):
    """Raw bytes (sent on a plain socket) or a liblo message or bundle (sent by liblo)."""
    kind = rng.randrange(6)
    if kind == 0:  # junk bytes
        return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 120)))
    if kind == 1:  # a valid message cut short
        return SPEED[: rng.randrange(1, len(SPEED))]
    if kind == 2:  # an address the viewer does not answer
        return liblo.Message(f"/nowhere/{rng.randrange(1000)}", ("f", rng.random()))
    if kind == 3:  # NaN, infinities and out-of-range values on parameters (never tile 1's stride)
        value = rng.choice([float("nan"), float("inf"), -1e9, 1e9, rng.uniform(-50, 50)])
        return b"/model/truncation\0\0\0,f\0\0" + struct.pack(">f", value)
    if kind == 4:  # wrong types: a string where a number goes, no argument at all
        return liblo.Message("/tile/2/stride", ("s", "four")) if rng.random() < 0.5 else liblo.Message("/clock/speed")
    bundle = liblo.Bundle()  # a bundle of unknown and normalised addresses
    bundle.add(liblo.Message("/norm/clock/speed", ("f", rng.random())))
    bundle.add(liblo.Message("/nowhere", ("i", 3)))
    return bundle


def main():
    exe, model = sys.argv[1:3]
    packets, frames = (int(sys.argv[3]), sys.argv[4]) if len(sys.argv) > 4 else (10000, "600")
    listing = json.loads(subprocess.run([exe, "osc-map", "--model", model, "--json"], capture_output=True, text=True,
                                        check=True).stdout)
    addresses = {a["address"] for a in listing["addresses"]}
    for a in ("/tile/1/stride", "/norm/tile/1/stride", "/clock/speed", "/model/truncation", "/edit/age/alpha",
              "/clock/tap", "/clock/downbeat", "/preset/load", "/record/start", "/screenshot"):
        check(a in addresses, f"osc-map lists no {a}")

    view = subprocess.Popen([exe, "view", "--model", model, "--headless", "--frames", frames, "--osc-port", "0",
                             "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = view.stderr.readline()
    found = re.search(r"OSC on udp 127\.0\.0\.1:(\d+) \(this machine only", line)
    check(found, f"no OSC line on stderr: {line!r}")
    port = int(found.group(1))
    subprocess.run(["oscsend", "localhost", str(port), "/tile/1/stride", "f", "4.0"], check=True)

    rng = random.Random(7)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    target = liblo.Address("127.0.0.1", port)
    for _ in range(packets):
        packet = random_packet(rng)
        if isinstance(packet, bytes):
            sock.sendto(packet, ("127.0.0.1", port))
        else:
            liblo.send(target, packet)
    out, err = view.communicate(timeout=300)
    check(view.returncode == 0, f"view exited {view.returncode}: {err}")
    report = json.loads(out.strip().splitlines()[-1])
    osc = report["osc"]
    check(report["frames"] == int(frames), report["frames"])
    check(report["parameters"]["/tile/1/stride"] == 4.0, f"stride {report['parameters']['/tile/1/stride']}")
    check(osc["packets"] >= 1, osc)
    check(osc["malformed"] > 0 and osc["unknown"] > 0 and osc["rejected"] > 0, osc)
    check(0.0 <= report["parameters"]["/model/truncation"] <= 2.0, "truncation left its range")
    print(f"stride 4.0 after oscsend; {osc['packets']} packets: {osc['applied']} applied, {osc['malformed']} malformed, "
          f"{osc['unknown']} unknown, {osc['rejected']} rejected, {osc['queue_full']} dropped for a full queue; "
          f"pipeline {report['pipeline_fps']:.1f} batches/s")


main()
