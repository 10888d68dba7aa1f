#!/usr/bin/env python3
"""`latentwalk bench --json` on this machine: every path reported, the host path timed at each
size with its one copy through host memory counted, and the CUDA path either timed (from host
memory, and from GPU memory with a CUDA LibTorch, then without a host copy) or reported
unavailable with the reason.

usage: bench_test.py LATENTWALK MODEL
"""
import json
import subprocess
import sys


def main():
    latentwalk, model = sys.argv[1:3]
    proc = subprocess.run([latentwalk, "bench", "--model", model, "--sizes", "64,128", "--frames", "10", "--json"],
                          capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        sys.exit(f"FAIL: bench exited {proc.returncode}:\n{proc.stderr}")
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    sinks = {s["sink"]: s for s in report["sinks"]}
    assert set(sinks) == {"host-staging", "cuda-shared"}, sinks.keys()
    host = sinks["host-staging"]
    assert host["available"], host
    assert [z["size"] for z in host["sizes"]] == [64, 128], host
    for z in host["sizes"]:
        assert 0 < z["handoff_ms"]["p50"] <= z["handoff_ms"]["p99"], z
        assert z["source"] == "host memory", z
        assert z["host_copies_per_frame"] == 1, z
        assert z["host_bytes_per_frame"] == z["size"] * z["size"] * 4, z
    cuda = sinks["cuda-shared"]
    if cuda["available"]:
        # With a CUDA LibTorch (the generator on the GPU) the viewer's own path is timed too.
        sources = {z["source"] for z in cuda["sizes"]}
        assert sources == ({"host memory", "GPU memory"} if report["generator"]["device"] == "cuda" else {"host memory"}), sources
        for z in cuda["sizes"]:
            # From host memory one copy up; from GPU memory (a CUDA LibTorch) none at all.
            assert z["host_copies_per_frame"] == (1 if z["source"] == "host memory" else 0), z
    else:
        assert "CUDA" in cuda["reason"], cuda
    gen = report["generator"]
    assert gen["ms"]["p50"] > 0 and gen["resolution"] == [64, 64], gen
    print("ok", json.dumps(report))


if __name__ == "__main__":
    main()
