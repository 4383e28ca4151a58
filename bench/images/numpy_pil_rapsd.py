#!/usr/bin/env python3
"""The reference loop of the image benchmark: what a researcher writes with
numpy and PIL to get the log-domain mean RAPSD of a folder of images.

usage: numpy_pil_rapsd.py FOLDER_OR_IMAGE...   (folders: sorted, not recursive)

Per image: PIL decode, green channel (gray as is), x = 2v - 1 in float32,
np.fft.rfft2, ring sums with np.bincount (ring tables cached per size, as in
bench/rapsd/numpy_rapsd.py), log10 P interpolated onto a fixed log-spaced
grid (64 points per octave), summed. Prints the image count and the fitted
alpha of the mean, so the work cannot be skipped.
"""
import os
import sys

import numpy as np
from PIL import Image

tables = {}


def ring_tables(height, width):
    key = (height, width)
    if key not in tables:
        longest = max(height, width)
        rings = longest // 2 if longest % 2 == 0 else (longest - 1) // 2 + 1
        half = width // 2 + 1
        ky = np.arange(height)
        yc = np.minimum(ky, height - ky)[:, None]
        xc = np.arange(half)[None, :]
        ring = np.minimum(np.rint(np.sqrt(xc * xc + yc * yc)).astype(np.int64), rings).ravel()
        weight = np.full(half, 2.0)
        weight[0] = 1.0
        if width % 2 == 0:
            weight[-1] = 1.0
        weight = np.broadcast_to(weight, (height, half)).ravel()
        counts = np.bincount(ring, weights=weight, minlength=rings + 1)
        tables[key] = (ring, weight, counts, rings, np.arange(rings) / longest)
    return tables[key]


def rapsd(x):
    ring, weight, counts, rings, freq = ring_tables(*x.shape)
    spectrum = np.fft.rfft2(x)
    power = (spectrum.real ** 2 + spectrum.imag ** 2).ravel() * weight
    return freq, np.bincount(ring, weights=power, minlength=rings + 1)[:rings] / (counts[:rings] * x.size)


def main():
    paths = []
    for arg in sys.argv[1:]:
        if os.path.isdir(arg):
            paths += [os.path.join(arg, n) for n in sorted(os.listdir(arg))]
        else:
            paths.append(arg)
    grid = 2.0 ** (-16 + np.arange(15 * 64 + 1) / 64)
    log_grid = np.log10(grid)
    sums = np.zeros_like(grid)
    counts = np.zeros_like(grid)
    for path in paths:
        with Image.open(path) as image:
            v = np.asarray(image)
        if v.ndim == 3:
            v = v[:, :, 1]
        x = (v.astype(np.float32) * np.float32(2.0 / 255.0)) - np.float32(1.0)
        freq, power = rapsd(x)
        inside = (grid >= freq[1]) & (grid <= freq[-1])
        sums[inside] += np.interp(log_grid[inside], np.log10(freq[1:]), np.log10(power[1:]))
        counts[inside] += 1
    covered = counts > 0
    mean = sums[covered] / counts[covered]
    slope = np.polyfit(log_grid[covered], mean, 1)[0]
    print(f"{len(paths)} images, alpha {-slope:.3f}")


if __name__ == "__main__":
    main()
