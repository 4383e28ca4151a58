#!/usr/bin/env python3
"""numpy RAPSD timing for bench_rapsd: np.fft.rfft2 + np.bincount.

Usage: numpy_rapsd.py SIZE REPEATS  -> prints the median seconds of one RAPSD.
Like st_rapsd, the ring index and the Hermitian weights of the half spectrum
are computed once before timing; only the transform and the ring sums count.
"""
import sys
import time

import numpy as np


def ring_tables(height, width):
    longest = max(height, width)
    rings = longest // 2 if longest % 2 == 0 else (longest - 1) // 2 + 1
    half = width // 2 + 1
    ky = np.arange(height)
    yc = np.minimum(ky, height - ky)[:, None]
    xc = np.arange(half)[None, :]
    ring = np.rint(np.sqrt(xc * xc + yc * yc)).astype(np.int64)
    ring = np.minimum(ring, rings)  # corners go to a discarded slot
    weight = np.full(half, 2.0)
    weight[0] = 1.0
    if width % 2 == 0:
        weight[-1] = 1.0
    weight = np.broadcast_to(weight, (height, half))
    counts = np.bincount(ring.ravel(), weights=weight.ravel(), minlength=rings + 1)
    return ring.ravel(), weight.ravel(), counts, rings


def rapsd(image, ring, weight, counts, rings):
    spectrum = np.fft.rfft2(image)
    power = (spectrum.real ** 2 + spectrum.imag ** 2).ravel() * weight
    sums = np.bincount(ring, weights=power, minlength=rings + 1)
    return sums[:rings] / (counts[:rings] * image.size)


def main():
    size, repeats = int(sys.argv[1]), int(sys.argv[2])
    image = np.random.default_rng(1).standard_normal((size, size)).astype(np.float32)
    tables = ring_tables(size, size)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = rapsd(image, *tables)
        times.append(time.perf_counter() - start)
    # White noise reads ~1: a sanity check that the timed code is a RAPSD.
    if abs(result[1:].mean() - 1.0) > 0.05:
        sys.exit("numpy RAPSD of white noise is not ~1")
    print(f"{np.median(times):.6f}")


if __name__ == "__main__":
    main()
