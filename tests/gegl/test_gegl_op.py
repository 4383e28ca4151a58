#!/usr/bin/env python3
"""spectide:noise-lowpass in GEGL's own command line (`gegl`), against an
independent numpy reference of the documented conventions (reference.py)
and against the layers `spectide tide` writes for the same photo, seed and
schedule.

usage: test_gegl_op.py GEGL_PLUGINS_DIR OP_FOLDER SOURCE_ROOT [SPECTIDE_CLI]
Runs the real `gegl` binary with GEGL_PATH=GEGL_PLUGINS_DIR:OP_FOLDER (GEGL_PATH
replaces GEGL's default path, so its own plug-ins come first).
"""
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference  # noqa: E402

failures = []


def check(condition, message):
    print(("ok   " if condition else "FAIL ") + message, flush=True)
    if not condition:
        failures.append(message)


def run(command, env=None, timeout=120):
    # gegl --info prints a class pointer as text: decode leniently.
    result = subprocess.run(command, env=env, timeout=timeout, capture_output=True)
    output = (result.stdout + result.stderr).decode("utf-8", errors="replace")
    return result.returncode, output


def main():
    plugins_dir, op_folder, source_root = sys.argv[1:4]
    cli = sys.argv[4] if len(sys.argv) > 4 and os.access(sys.argv[4], os.X_OK) else None
    gegl = shutil.which("gegl")
    if not gegl:
        print("FAIL: the gegl command is missing (scripts/deps.sh installs it)")
        return 1
    env = dict(os.environ, GEGL_PATH=f"{plugins_dir}:{op_folder}")
    tmp = tempfile.mkdtemp()
    try:
        return run_cases(gegl, env, cli, source_root, tmp)
    finally:
        shutil.rmtree(tmp)


def make_photos(source_root, tmp):
    photo = os.path.join(tmp, "photo.png")
    subprocess.run(["convert", os.path.join(source_root, "data", "chelsea.png"), "-resize",
                    "160x120^", "-gravity", "center", "-extent", "160x120", "-strip",
                    "PNG24:" + photo], check=True)
    gray = os.path.join(tmp, "gray.png")
    subprocess.run(["convert", photo, "-colorspace", "Gray", "-strip", "-define", "png:color-type=0",
                    "-depth", "8", "PNG:" + gray], check=True)
    alpha = os.path.join(tmp, "alpha.png")
    subprocess.run(["convert", photo, "(", "-size", "160x120", "gradient:white-gray20", ")",
                    "-alpha", "off", "-compose", "CopyOpacity", "-composite", "-strip",
                    "PNG32:" + alpha], check=True)
    return photo, gray, alpha


def gegl_op(gegl, env, source, out, properties):
    code, log = run([gegl, source, "-o", out, "--", "spectide:noise-lowpass", *properties], env)
    ok = code == 0 and os.path.exists(out)
    if not ok:
        print(log)
    return ok


def run_cases(gegl, env, cli, source_root, tmp):
    photo, gray, alpha = make_photos(source_root, tmp)
    code, listing = run([gegl, "--list-all"], env)
    check("spectide:noise-lowpass" in listing.split(), "gegl --list-all lists spectide:noise-lowpass")
    code, info = run([gegl, "--info", "spectide:noise-lowpass"], env)
    for name in ("schedule", "t", "sigma", "tau", "seed", "view", "channel"):
        check(name in info, f"gegl --info shows the property {name}")

    pixels = reference.read_rgba(photo)
    x0 = [2.0 * pixels[:, :, c] - 1.0 for c in range(3)]
    # One tolerance for 16-bit PNG output against float64 numpy: a code
    # value is 1.5e-5; float32 FFTs add ~1e-6.
    tolerance = 1e-4

    def compare(name, got, want_planes):
        want = np.stack([np.clip(0.5 * (p + 1.0), 0.0, 1.0) for p in want_planes], axis=2)
        error = np.abs(got[:, :, :want.shape[2]] - want).max()
        check(error < tolerance, f"{name}: max |gegl - numpy| = {error:.2g} (< {tolerance})")

    cases = [
        ("rectified flow t=0.3", ["t=0.3", "seed=7"], 0.7, 0.3, 1.0, 7, "green"),
        ("cosine t=0.5 tau=2", ["schedule=cosine", "t=0.5", "tau=2", "seed=3"], None, None, 2.0, 3,
         "green"),
        ("sigma=0.2 (overrides t)", ["sigma=0.2", "t=0.9", "seed=11"], 1.0, 0.2, 1.0, 11, "green"),
        ("luma analysis channel", ["t=0.4", "seed=7", "channel=luma"], 0.6, 0.4, 1.0, 7, "luma"),
    ]
    for label, properties, a, s, tau, seed, channel in cases:
        if a is None:
            # cosine: abar(t) = cos^2(((t+0.008)/1.008) pi/2) / cos^2((0.008/1.008) pi/2)
            abar = (np.cos((0.5 + 0.008) / 1.008 * np.pi / 2) / np.cos(0.008 / 1.008 * np.pi / 2)) ** 2
            a, s = np.sqrt(abar), np.sqrt(1.0 - abar)
        if channel == "luma":
            analysis = 0.2126 * x0[0] + 0.7152 * x0[1] + 0.0722 * x0[2]
        else:
            analysis = x0[1]
        want, fcut = reference.views(x0, analysis, a, s, tau, seed)
        for view in ("noisy", "low-pass", "wiener", "split"):
            out = os.path.join(tmp, f"{view}.png")
            if not gegl_op(gegl, env, photo, out, properties + [f"view={view}"]):
                check(False, f"{label}, {view}: gegl ran")
                continue
            got = reference.read_rgba(out)
            if view == "split":
                half = got.shape[1] // 2
                planes = [np.concatenate([n[:, :half], lp[:, half:]], axis=1)
                          for n, lp in zip(want["noisy"], want["low-pass"])]
                compare(f"{label}, split (noisy | low-pass at column {half})", got, planes)
            else:
                compare(f"{label}, {view} (f_max {fcut:.4g})", got, want[view])
            check(np.abs(got[:, :, 3] - 1.0).max() == 0.0, f"{label}, {view}: opaque stays opaque")

    # Gray: one channel (channel 0's noise), not three.
    gpix = reference.read_rgba(gray)[:, :, 0]
    gx0 = 2.0 * gpix - 1.0
    want, _ = reference.views([gx0], gx0, 0.7, 0.3, 1.0, 7)
    for view in ("noisy", "wiener"):
        out = os.path.join(tmp, f"gray-{view}.png")
        if gegl_op(gegl, env, gray, out, ["t=0.3", "seed=7", f"view={view}"]):
            got = reference.read_rgba(out)
            compare(f"gray, {view}", got[:, :, :1], want[view])
            check(np.abs(got[:, :, 0] - got[:, :, 2]).max() < 1e-6, f"gray, {view}: stays gray")

    # Alpha passes through; colours as without alpha.
    apix = reference.read_rgba(alpha)
    out = os.path.join(tmp, "alpha-lowpass.png")
    if gegl_op(gegl, env, alpha, out, ["t=0.3", "seed=7", "view=low-pass"]):
        got = reference.read_rgba(out)
        check(np.abs(got[:, :, 3] - apix[:, :, 3]).max() < 1e-4, "alpha passes through")
        ax0 = [2.0 * apix[:, :, c] - 1.0 for c in range(3)]
        want, _ = reference.views(ax0, ax0[1], 0.7, 0.3, 1.0, 7)
        compare("alpha image, low-pass of the colours", got, want["low-pass"])

    # a(t) = 0: x_t / a undefined, the input comes back.
    out = os.path.join(tmp, "t1.png")
    if gegl_op(gegl, env, photo, out, ["t=1", "view=noisy"]):
        error = np.abs(reference.read_rgba(out) - pixels).max()
        check(error < 1e-4, f"t = 1 (a = 0): the input passes through (max diff {error:.2g})")

    # Tiny images.
    for size in ("1x1", "2x3"):
        tiny = os.path.join(tmp, f"tiny-{size}.png")
        subprocess.run(["convert", "-size", size, "xc:#808040", "PNG24:" + tiny], check=True)
        out = os.path.join(tmp, f"tiny-{size}-out.png")
        check(gegl_op(gegl, env, tiny, out, ["t=0.5", "view=wiener"]), f"{size} image: filtered")

    # The same photo, seed and schedule through `spectide tide`: its 8-bit
    # layers are the op's to within half a code value.
    if cli:
        tide_dir = os.path.join(tmp, "tide")
        code, log = run([cli, "tide", "--schedule", "rectified-flow", "--t", "0.3", "--seed", "7",
                         "--out-dir", tide_dir, photo])
        check(code == 0, "spectide tide ran")
        for view, name in (("noisy", "noisy"), ("low-pass", "lowpass"), ("wiener", "wiener")):
            out = os.path.join(tmp, f"cli-{view}.png")
            if code == 0 and gegl_op(gegl, env, photo, out, ["t=0.3", "seed=7", f"view={view}"]):
                got = np.clip(reference.read_rgba(out)[:, :, :3], 0, 1)
                layer = reference.read_rgba(os.path.join(tide_dir, name + ".png"))[:, :, :3]
                error = np.abs(got - layer).max() * 255
                check(error <= 0.51, f"{view}: gegl against spectide tide's {name}.png, "
                                     f"max {error:.2f} of an 8-bit step (<= 0.5: rounding)")
    else:
        print("info: the spectide CLI is not built: no comparison with spectide tide")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
