#!/usr/bin/env python3
"""Measures what the GIMP batch run exported (tests/gimp/run-batch-tests.sh).

usage: check_layers.py OUTDIR MODE T LOG [CLI]

Independent of the code under test: the RAPSD reference is written here with
numpy (pysteps' definition, docs/conventions.md); when the spectide CLI is given, the
attenuation and the CSV comparison also use `spectide rapsd --csv`.
"""
import math
import os
import re
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tiff_reader import read_tiff, write_tiff  # noqa: E402

failures = []


def check(condition, message):
    print(("ok   " if condition else "FAIL ") + message)
    if not condition:
        failures.append(message)


def rapsd(x):
    """pysteps rapsd: |fftshift(fft2 x)|^2/(MN), mean over rings round(r)."""
    h, w = x.shape
    power = np.abs(np.fft.fftshift(np.fft.fft2(x))) ** 2 / (w * h)
    yc = np.arange(h) - (h // 2 if h % 2 == 0 else (h - 1) // 2)
    xc = np.arange(w) - (w // 2 if w % 2 == 0 else (w - 1) // 2)
    ring = np.round(np.hypot(*np.meshgrid(xc, yc))).astype(int)
    size = max(h, w)
    rings = size // 2 if size % 2 == 0 else (size - 1) // 2 + 1
    sums = np.bincount(ring.ravel(), power.ravel(), minlength=rings)[:rings]
    counts = np.bincount(ring.ravel(), minlength=rings)[:rings]
    return np.arange(rings) / size, sums / counts


def cli_rapsd(cli, path, workdir):
    csv = os.path.join(workdir, os.path.basename(path) + ".cli.csv")
    subprocess.run([cli, "rapsd", "--csv", csv, path], check=True, stdout=subprocess.DEVNULL)
    return read_csv(csv)


def read_csv(path):
    lines = open(path).read().split()
    assert lines[0] == "freq,power", f"{path}: header {lines[0]!r}"
    data = np.array([[float(v) for v in line.split(",")] for line in lines[1:]])
    return data[:, 0], data[:, 1]


def clamped_residual_std(v0, sigma_v):
    """Std (in x = 2v - 1 units) of r = clip(v0 + sigma_v eps, 0, 1) - v0 over
    all pixels, from the truncated-normal moments: r = -v0 below 0, 1 - v0
    above 1, sigma_v z in between."""
    v0 = v0.ravel()
    erf = np.vectorize(math.erf)
    lo, hi = -v0 / sigma_v, (1 - v0) / sigma_v
    cdf_lo, cdf_hi = 0.5 * (1 + erf(lo / math.sqrt(2))), 0.5 * (1 + erf(hi / math.sqrt(2)))
    pdf_lo, pdf_hi = np.exp(-lo * lo / 2) / math.sqrt(2 * math.pi), np.exp(-hi * hi / 2) / math.sqrt(2 * math.pi)
    mean = sigma_v * (pdf_lo - pdf_hi) - v0 * cdf_lo + (1 - v0) * (1 - cdf_hi)
    second = sigma_v ** 2 * ((cdf_hi - cdf_lo) - (hi * pdf_hi - lo * pdf_lo)) + \
        v0 ** 2 * cdf_lo + (1 - v0) ** 2 * (1 - cdf_hi)
    return 2.0 * math.sqrt(second.mean() - mean.mean() ** 2)


def analysis(pixels):
    """x = 2v - 1 of the analysis channel: green for RGB(A), gray as is."""
    channel = 1 if pixels.shape[2] >= 3 else 0
    return 2.0 * pixels[:, :, channel] - 1.0


def main():
    outdir, mode, t, log = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
    cli = sys.argv[5] if len(sys.argv) > 5 and os.access(sys.argv[5], os.X_OK) else None
    text = open(log).read()
    prefix = os.path.join(outdir, mode)

    # Names and count of the layers, from the batch log.
    match = re.search(rf"SPECTIDE {mode} noise fmax ([0-9.e+-]+) group (.*?) layers (\d+)", text)
    check(match is not None, f"{mode}: noise procedure reported its layer group")
    if not match:
        return
    fmax = float(match.group(1))
    check(int(match.group(3)) == 3, f"{mode}: the group holds 3 layers")
    names = dict(re.findall(rf"SPECTIDE {mode} layer (\w+) (.*)", text))
    check(names.get("noisy", "").startswith("noisy t="), f"{mode}: noisy layer named {names.get('noisy')!r}")
    check(names.get("lowpass", "").startswith("low-pass f="), f"{mode}: low-pass layer named {names.get('lowpass')!r}")
    check(names.get("wiener") == "Wiener", f"{mode}: Wiener layer named {names.get('wiener')!r}")

    # original | noisy | low-pass, side by side in one export; the CLI reads
    # the original and the low-pass from TIFFs cut out of it.
    original, noisy, lowpass = np.split(read_tiff(prefix + "-layers.tif"), 3, axis=1)
    if cli:
        for name, pixels in (("original", original), ("lowpass", lowpass)):
            write_tiff(f"{prefix}-{name}.tif", pixels)

    # Attenuation above f_max of the low-pass layer, summed over rings.
    if cli:
        how = "spectide rapsd --csv"
        freq, p_orig = cli_rapsd(cli, prefix + "-original.tif", outdir)
        _, p_low = cli_rapsd(cli, prefix + "-lowpass.tif", outdir)
    else:
        how = "numpy reference (CLI not built)"
        freq, p_orig = rapsd(analysis(original))
        _, p_low = rapsd(analysis(lowpass))
    # f_max comes printed with ~10 digits: a relative margin keeps its own ring below.
    above = freq > fmax * (1 + 1e-6)
    check(0 < fmax < 0.5 and above.any(), f"{mode}: 0 < f_max = {fmax:.4g} < 0.5")
    attenuation = 10 * np.log10(p_orig[above].sum() / max(p_low[above].sum(), 1e-300))
    check(attenuation >= 30, f"{mode}: low-pass power above f_max {attenuation:.1f} dB below the original ({how})")

    # Residual of the noisy layer: x_t/a - x0 = (s/a) eps, rectified flow s = t, a = 1 - t.
    requested = t / (1 - t)
    colors = 3 if original.shape[2] >= 3 else 1
    v0 = original[:, :, :colors]
    residual = 2.0 * (noisy[:, :, :colors] - v0)
    measured = residual.std()
    if mode.endswith("float"):
        expected, how = requested, "requested"
    else:
        # Integer layers clamp v to [0,1]: compare with the std that clamped
        # Gaussian noise of the requested sigma must have on these pixels.
        expected, how = clamped_residual_std(v0, requested / 2.0), "clamped-noise prediction"
        print(f"info {mode}: requested sigma {requested:.5f}; after clamping to [0,1] "
              f"the residual std must be {expected:.5f}")
    error = abs(measured / expected - 1)
    check(error <= 0.03, f"{mode}: noisy residual std {measured:.5f} vs {how} {expected:.5f} ({100 * error:.2f}%)")
    if original.shape[2] in (2, 4):
        check(np.array_equal(noisy[:, :, -1], original[:, :, -1]), f"{mode}: alpha kept")

    # The plug-in's CSV against the CLI (or the numpy reference) on the same pixels.
    f_plugin, p_plugin = read_csv(prefix + "-rapsd.csv")
    if cli:
        how = "spectide rapsd --csv"
        f_ref, p_ref = cli_rapsd(cli, prefix + "-original.tif", outdir)
    else:
        how = "numpy reference (CLI not built)"
        f_ref, p_ref = rapsd(analysis(original))
    same = len(f_ref) == len(f_plugin) and np.allclose(f_plugin, f_ref, rtol=1e-6) and \
        np.allclose(p_plugin, p_ref, rtol=2e-3, atol=1e-9 * p_ref.max())
    check(same, f"{mode}: CSV export matches {how} ({len(f_plugin)} rings)")


main()
sys.exit(1 if failures else 0)
