#!/usr/bin/env python3
"""Writes each array of the reference cases (tests/fixtures/stylegan/<config>_cases.npz) as
<config>_<key>.npy in OUT, float32 and C order, so the C++ tests read them with lw::read_npy.

Usage: unpack_cases.py FIXTURES_DIR OUT_DIR
"""
import pathlib
import sys

import numpy as np


def main() -> None:
    fixtures, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    for cases in sorted(fixtures.glob("*_cases.npz")):
        config = cases.name[: -len("_cases.npz")]
        with np.load(cases) as data:
            for key in data.files:
                array = np.ascontiguousarray(data[key], dtype=np.float32)
                np.save(out / f"{config}_{key}.npy", array)


if __name__ == "__main__":
    main()
