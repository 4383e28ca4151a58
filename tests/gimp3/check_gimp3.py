#!/usr/bin/env python3
"""Measures what the GIMP 3 batch run exported (run-batch-tests.sh).

usage: check_gimp3.py OUTDIR MODE T LOG CLI

The original, noisy, low-pass and Wiener layers of one mode (rgb8, gray16,
rgba-float) and the plug-in's CSV and returned numbers, against
  - an independent numpy reference of the documented conventions
    (tests/gegl/reference.py: counter-based noise, pysteps RAPSD, f_max,
    ideal low-pass, Wiener), on the pixels GIMP exported;
  - the spectide command line on the same pixels: `spectide rapsd` (alpha,
    c, R^2, the CSV) and `spectide tide` (f_max and its 8-bit layers).
"""
import os
import re
import subprocess
import sys

import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "gegl"))
sys.path.insert(0, os.path.join(here, "..", "gimp"))
import reference  # noqa: E402
from tiff_reader import read_tiff  # noqa: E402

failures = []


def check(condition, message):
    print(("ok   " if condition else "FAIL ") + message, flush=True)
    if not condition:
        failures.append(message)


def read_csv(path):
    lines = open(path).read().split()
    assert lines[0] == "freq,power", f"{path}: header {lines[0]!r}"
    data = np.array([[float(v) for v in line.split(",")] for line in lines[1:]])
    return data[:, 0], data[:, 1]


def main():
    outdir, mode, t, log, cli = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4], sys.argv[5]
    text = open(log).read()
    prefix = os.path.join(outdir, mode)
    layers = {}
    for name in ("original", "noisy", "lowpass", "wiener"):
        path = f"{prefix}-{name}.tif"
        check(os.path.exists(path), f"{mode}: {name} layer exported")
        if not os.path.exists(path):
            return
        layers[name] = read_tiff(path)
    original = layers["original"]
    colors = 3 if original.shape[2] >= 3 else 1
    x0 = [2.0 * original[:, :, c] - 1.0 for c in range(colors)]
    analysis = x0[1] if colors == 3 else x0[0]
    a, s = reference.rectified_flow(t)
    floor = s * s / (a * a)

    # Returned numbers, from the batch log.
    match = re.search(rf"SPECTIDE {mode} rapsd alpha (\S+) c (\S+) r2 (\S+) fmax (\S+)", text)
    check(match is not None, f"{mode}: rapsd reported alpha, c, R^2, f_max")
    noise = re.search(rf"SPECTIDE {mode} noise fmax (\S+) group (.*?) layers (\d+)", text)
    check(noise is not None and int(noise.group(3)) == 3, f"{mode}: noise procedure made a group of 3 layers")
    if not match or not noise:
        return
    alpha, c, r2, fmax = map(float, match.groups())
    names = dict(re.findall(rf"SPECTIDE {mode} layer (\w+) (.*)", text))
    check(names.get("noisy", "").startswith("noisy t="), f"{mode}: noisy layer named {names.get('noisy')!r}")
    check(names.get("lowpass", "").startswith("low-pass f="), f"{mode}: low-pass layer named {names.get('lowpass')!r}")
    check(names.get("wiener") == "Wiener", f"{mode}: Wiener layer named {names.get('wiener')!r}")

    # RAPSD and f_max against numpy.
    freq, power = reference.rapsd(analysis)
    f_csv, p_csv = read_csv(prefix + "-rapsd.csv")
    same = len(f_csv) == len(freq) and np.allclose(f_csv, freq, rtol=1e-6) and \
        np.allclose(p_csv, power, rtol=1e-3, atol=1e-9 * power.max())
    check(same, f"{mode}: CSV = numpy pysteps RAPSD of the analysis channel ({len(freq)} rings)")
    want_fmax = reference.fmax_measured(freq, power, floor)
    check(abs(fmax - want_fmax) < 1e-9 and abs(float(noise.group(1)) - want_fmax) < 1e-9,
          f"{mode}: f_max {fmax:.6g} (rapsd) and {float(noise.group(1)):.6g} (noise) = numpy {want_fmax:.6g}")

    # The same pixels through the command line.
    out = subprocess.run([cli, "rapsd", "--csv", prefix + "-cli.csv", prefix + "-original.tif"],
                         capture_output=True, text=True)
    cli_fit = re.search(r"alpha (\S+)\s+c (\S+)\s+R\^2 (\S+)", out.stdout)
    check(out.returncode == 0 and cli_fit is not None, f"{mode}: spectide rapsd ran ({out.stdout.strip()})")
    if cli_fit:
        cli_alpha, cli_c, cli_r2 = map(float, cli_fit.groups())
        check(abs(alpha - cli_alpha) < 1.5e-3 and abs(c - cli_c) < 1.5e-3 and abs(r2 - cli_r2) < 1.5e-4,
              f"{mode}: alpha {alpha:.4f} c {c:.4f} R^2 {r2:.4f} = spectide rapsd's "
              f"{cli_alpha} {cli_c} {cli_r2} (printed to 3-4 decimals)")
        f_cli, p_cli = read_csv(prefix + "-cli.csv")
        # Two float32 pipelines from the same 16-bit values: DC (the squared
        # sum of a whole image) differs by ~1e-5 relative.
        worst = np.max(np.abs(p_csv - p_cli) / np.maximum(np.abs(p_cli), 1e-12))
        check(len(f_cli) == len(f_csv) and worst < 1e-4,
              f"{mode}: CSV = spectide rapsd --csv on the same pixels (max relative difference {worst:.2g})")
    tide_dir = prefix + "-tide"
    out = subprocess.run([cli, "tide", "--schedule", "rectified-flow", "--t", str(t), "--seed", "7",
                          "--out-dir", tide_dir, prefix + "-original.tif"], capture_output=True, text=True)
    cli_fmax = re.search(r"f_max (\S+) cycles/pixel", out.stdout)
    check(out.returncode == 0 and cli_fmax is not None and abs(float(cli_fmax.group(1)) - fmax) < 6e-5,
          f"{mode}: f_max = spectide tide's {cli_fmax.group(1) if cli_fmax else '?'}")

    # Layers against numpy (each mode's precision) and against spectide tide's PNGs.
    want, _ = reference.views(x0, analysis, a, s, 1.0, 7)
    step = {"rgb8": 1 / 255, "gray16": 1 / 65535, "rgba-float": 0.0}[mode]
    tolerance = 0.5 * step + 2e-5
    for name, view in (("noisy", "noisy"), ("lowpass", "low-pass"), ("wiener", "wiener")):
        got = layers[name][:, :, :colors]
        target = np.stack([0.5 * (p + 1.0) for p in want[view]], axis=2)
        if step:  # integer layers clamp to [0, 1]
            target = np.clip(target, 0.0, 1.0)
        error = np.abs(got - target).max()
        check(error <= tolerance, f"{mode}: {name} layer = numpy reference, max error {error:.2g} "
                                  f"(<= {tolerance:.2g})")
        png = os.path.join(tide_dir, name + ".png")
        if os.path.exists(png):
            tide = reference.read_rgba(png)[:, :, :colors]
            steps = np.abs(np.clip(got, 0, 1) - tide).max() * 255
            check(steps <= 1.0001, f"{mode}: {name} layer = spectide tide's {name}.png to {steps:.2f} "
                                   "of an 8-bit step (<= 1)")
    if original.shape[2] in (2, 4):
        check(np.array_equal(layers["noisy"][:, :, -1], original[:, :, -1]), f"{mode}: alpha kept")


main()
sys.exit(1 if failures else 0)
