"""Independent numpy reference of spectide's image conventions
(docs/conventions.md), written from the documented definitions, not from the
C code: the counter-based Gaussian noise, the pysteps RAPSD, f_max, the ideal
radial low-pass and the Wiener filter. Shared by the GEGL and GIMP 3 tests.
"""
import subprocess

import numpy as np

GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def _mix(z):
    """SplitMix64's output function, in wrapping uint64 arithmetic."""
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def gaussian(seed, indices):
    """N(0,1) of (seed, index): SplitMix64 outputs 2i+1 and 2i+2 of the stream
    seeded with seed, Box-Muller with u1 = ((w1 >> 11) + 0.5) 2^-53,
    u2 = (w2 >> 11) 2^-53."""
    with np.errstate(over="ignore"):
        counter = np.uint64(2) * indices.astype(np.uint64) + np.uint64(1)
        w1 = _mix(np.uint64(seed) + counter * GOLDEN)
        w2 = _mix(np.uint64(seed) + (counter + np.uint64(1)) * GOLDEN)
    u1 = ((w1 >> np.uint64(11)).astype(np.float64) + 0.5) * 2.0 ** -53
    u2 = (w2 >> np.uint64(11)).astype(np.float64) * 2.0 ** -53
    return np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)


def channel_noise(seed, color, height, width):
    """eps of colour channel c at (x, y): index c*W*H + y*W + x."""
    n = width * height
    return gaussian(seed, np.arange(color * n, (color + 1) * n, dtype=np.uint64)).reshape(height, width)


def centred(n):
    return np.arange(n) - (n // 2 if n % 2 == 0 else (n - 1) // 2)


def rapsd(x):
    """pysteps rapsd: |fftshift(fft2 x)|^2/(MN), mean over rings round(r)."""
    h, w = x.shape
    power = np.abs(np.fft.fftshift(np.fft.fft2(x))) ** 2 / (w * h)
    ring = np.round(np.hypot(*np.meshgrid(centred(w), centred(h)))).astype(int)
    size = max(h, w)
    rings = size // 2 if size % 2 == 0 else (size - 1) // 2 + 1
    sums = np.bincount(ring.ravel(), power.ravel(), minlength=rings)[:rings]
    counts = np.bincount(ring.ravel(), minlength=rings)[:rings]
    return np.arange(rings) / size, sums / counts


def fmax_measured(freq, power, floor):
    """Largest f (DC excluded) whose power is above the floor; 0 if none."""
    above = np.nonzero(power[1:] > floor)[0]
    return float(freq[1 + above[-1]]) if len(above) else 0.0


def bin_rings(h, w):
    """Ring of every bin of an unshifted fft2: round(|(kx, ky)|), each index
    taken as its distance to 0 modulo the size."""
    ky = np.minimum(np.arange(h), h - np.arange(h))
    kx = np.minimum(np.arange(w), w - np.arange(w))
    return np.round(np.hypot(*np.meshgrid(kx, ky))).astype(int)


def ideal_lowpass(x, fcut):
    h, w = x.shape
    keep = bin_rings(h, w) / max(h, w) <= fcut
    return np.real(np.fft.ifft2(np.fft.fft2(x) * keep))


def wiener(noisy, ring_power, a, s):
    """W = a^2 S / (a^2 S + s^2) per ring (bins beyond the last ring take
    the last ring's power) applied to x_t / a."""
    h, w = noisy.shape
    rings = np.minimum(bin_rings(h, w), len(ring_power) - 1)
    signal = a * a * ring_power[rings]
    gain = np.where(s == 0, 1.0, np.where(signal > 0, signal / (signal + s * s), 0.0))
    return np.real(np.fft.ifft2(np.fft.fft2(noisy) * gain))


def rectified_flow(t):
    return 1.0 - t, t


def views(x0_planes, analysis, a, s, tau, seed):
    """noisy, low-pass and Wiener planes (x scale) of every colour plane."""
    freq, power = rapsd(analysis)
    fcut = fmax_measured(freq, power, tau * s * s / (a * a))
    out = {"noisy": [], "low-pass": [], "wiener": []}
    for c, x0 in enumerate(x0_planes):
        h, w = x0.shape
        noisy = x0 + (s / a) * channel_noise(seed, c, h, w)
        out["noisy"].append(noisy)
        out["low-pass"].append(ideal_lowpass(x0, fcut))
        out["wiener"].append(wiener(noisy, rapsd(x0)[1], a, s))
    return out, fcut


def read_rgba(path):
    """Pixels of an image file as (h, w, 4) floats in [0, 1], read through
    ImageMagick at 16 bits: the PNG's code values, no colour conversion
    (gray images give R = G = B, opaque images alpha 1)."""
    size = subprocess.check_output(["identify", "-format", "%w %h\n", path], text=True)
    width, height = map(int, size.split("\n")[0].split())
    raw = subprocess.check_output(["convert", path, "-depth", "16", "-endian", "MSB", "rgba:-"])
    return np.frombuffer(raw, dtype=">u2").reshape(height, width, 4) / 65535.0
