#!/usr/bin/env python3
"""Tests of spectide shift and spectide compare with answers known in advance.

usage: shift_compare_test.py SPECTIDE DATA_DIR CASE

Images are made here with numpy and PIL from fixed seeds: Gaussian fields
with a power-law spectrum P ~ f^-alpha (periodic, so no edge leakage).

shift: a set at 512 and the same fields box-averaged 2x2 to 256. Below the
256 set's Nyquist, 2x2 averaging keeps each Fourier coefficient times the box
gain cos(pi fx) cos(pi fy) (512-grid frequencies) and adds the aliases, and
the 256 RAPSD holds 1/4 of the 512 RAPSD at the same cycles per image, for any
spectrum: the target needs 4 times the noise variance, log-SNR offset
ln 4 = 2 ln 2 (simple diffusion's 2 ln(512/256)), k = 2 (SD3's sqrt(m/n)),
wherever the box leaves the spectrum intact. That band is derived here from
the box's transfer function and the aliases (ring averages on the 256 grid):
k = 2 / sqrt(R(u)) with R the expected power ratio, so |k/2 - 1| <= 5% where
R is within [1/1.05^2, 1/0.95^2].

compare: a mirror image and a lossless round trip (nearest-neighbour 2x up,
2x2 box down: the same pixels) differ by nothing; two sets drawn from one
ensemble with different seeds are flagged at q < 0.05 on at most 5% of the
rings in at least 19 of 20 pairs (Benjamini-Hochberg keeps the false
discovery rate under 5%: under the null hypothesis at most 5% of the pairs
have any flagged ring); JPEG quality 10 and a half-resolution image blown up
by nearest-neighbour (box 2x down, 2x nearest up: the content of a 2x
nearest-neighbour upsampler) are found (f_dev) below 1/4 cycles/pixel, the
second block harmonic of JPEG (blocks put peaks at 1/8, 1/4, 3/8) and the
half-resolution Nyquist above which the upsampler's images lie. The per-ring
difference and its Welch interval are recomputed here with numpy from each
image's RAPSD (a t quantile by integrating the t density), and the upsampler's onset bound
from its transfer function cos^4(pi fx) cos^4(pi fy).
"""
import io
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
from PIL import Image

import cli_test
from cli_test import check, rapsd_reference, read_csv, run, write_png16

SPECTIDE, DATA, CASE = sys.argv[1], sys.argv[2], sys.argv[3]


def power_law_field(rng, n, alpha):
    """Zero-mean, unit-variance periodic Gaussian field with P ~ f^-alpha."""
    fy = np.fft.fftfreq(n)[:, None]
    fx = np.fft.fftfreq(n)[None, :]
    f = np.hypot(fx, fy)
    f[0, 0] = 1.0
    amplitude = f ** (-alpha / 2.0)
    amplitude[0, 0] = 0.0
    x = np.fft.ifft2(np.fft.fft2(rng.standard_normal((n, n))) * amplitude).real
    return x / x.std()


def save_gray8(values, path):
    Image.fromarray(np.clip(np.round(values * 255.0), 0, 255).astype(np.uint8)).save(path)


def gray_set(folder, n, count, seed, alpha=2.0, std=0.1):
    """count 8-bit gray PNGs n x n, v = 0.5 + std * field; returns the paths."""
    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(seed)
    paths = []
    for i in range(count):
        path = os.path.join(folder, f"{i:03d}.png")
        save_gray8(0.5 + std * power_law_field(rng, n, alpha), path)
        paths.append(path)
    return paths


def columns(path):
    header, rows = read_csv(path)
    out = {}
    for i, name in enumerate(header):
        out[name] = np.array([float(r[i]) if r[i] != "" else np.nan for r in rows])
    return header, out


def gray_of(path):
    """Stored values of a gray image in [0,1] (PIL decodes JPEG with libjpeg's
    defaults, as spectide does), mapped to [-1,1]."""
    return 2.0 * np.asarray(Image.open(path).convert("L"), dtype=np.float64) / 255.0 - 1.0


# ------------------------------------------------------------------ shift

def box_band(n_small=256, alpha=2.0, tolerance=0.05):
    """Cycles per image u (rings of the small image) up to which 2x2 box
    averaging keeps k = 2 / sqrt(R(u)) within the tolerance: R is the ring
    average over the small grid of sum over the 4 aliases of |H|^2 S / S(f),
    H = cos(pi fx) cos(pi fy) the box gain, S = |f|^-alpha (512 grid)."""
    k = np.arange(n_small) - n_small // 2
    kx, ky = np.meshgrid(k, k)
    fx, fy = kx / (2.0 * n_small), ky / (2.0 * n_small)  # 512-grid frequencies
    f0 = np.hypot(fx, fy)
    f0[f0 == 0] = np.nan  # DC: no ring
    total = np.zeros_like(f0)
    for mx in (0.0, 0.5):
        for my in (0.0, 0.5):
            ax = (fx + mx + 0.5) % 1.0 - 0.5
            ay = (fy + my + 0.5) % 1.0 - 0.5
            gain = (np.cos(np.pi * ax) * np.cos(np.pi * ay)) ** 2
            distance = np.hypot(ax, ay)
            distance[distance == 0] = np.nan  # the alias of DC is DC
            total += gain * distance ** (-alpha)
    ratio = total / f0 ** (-alpha)
    r = np.round(np.hypot(kx, ky)).astype(int)
    low, high = 1.0 / (1.0 + tolerance) ** 2, 1.0 / (1.0 - tolerance) ** 2
    u = 0
    for ring in range(1, n_small // 2):
        value = np.nanmean(ratio[r == ring])
        if not low <= value <= high:
            break
        u = ring
    return u


def make_box_pair(tmp, count=6, alpha=2.0):
    big, small = os.path.join(tmp, "s512"), os.path.join(tmp, "s256")
    os.makedirs(big)
    os.makedirs(small)
    rng = np.random.default_rng(512)
    for i in range(count):
        v = np.clip(0.5 + 0.08 * power_law_field(rng, 512, alpha), 0.0, 1.0)
        write_png16(os.path.join(big, f"{i:02d}.png"), np.repeat(v[:, :, None], 3, axis=2))
        box = v.reshape(256, 2, 256, 2).mean(axis=(1, 3))
        write_png16(os.path.join(small, f"{i:02d}.png"), np.repeat(box[:, :, None], 3, axis=2))
    return small, big


def case_shift_box():
    with tempfile.TemporaryDirectory() as tmp:
        small, big = make_box_pair(tmp)
        band = box_band()
        check(band >= 30, f"the box leaves k within 5% up to u = {band} cycles per image")
        csv = os.path.join(tmp, "shift.csv")
        out = run("shift", "--csv", csv, small, big).stdout
        header, c = columns(csv)
        check(header == ["t", "t_shifted", "k", "log_snr_shift", "cycles", "fmax_base",
                         "fmax_target", "weight"], "CSV header")
        inside = np.isfinite(c["k"]) & (c["cycles"] <= band)
        check(inside.sum() >= 20, f"{inside.sum()} rows of t with u* inside the band")
        worst = np.max(np.abs(c["k"][inside] / 2.0 - 1.0))
        check(worst <= 0.05, f"k(256 -> 512) = 2 within 5% over the band (worst {100 * worst:.2f}%)")
        t, tp = c["t"][inside], c["t_shifted"][inside]
        rf = (tp / (1 - tp)) / (t / (1 - t))
        check(np.allclose(rf, c["k"][inside], rtol=1e-6), "k = (t'/(1-t')) / (t/(1-t)) for rectified flow")
        check("SD3 sqrt(m/n) = 2.0000" in out and "2 ln(L_target/L_base) = 1.3863" in out,
              "rules of thumb for 256 -> 512: sqrt(m/n) = 2, 2 ln 2")
        print(f"k over the band: {np.min(c['k'][inside]):.4f} .. {np.max(c['k'][inside]):.4f}")

        # The log-SNR offset (any schedule) against simple diffusion's 2 ln 2.
        cosine = os.path.join(tmp, "cosine.csv")
        run("shift", "--schedule", "cosine", "--csv", cosine, small, big)
        _, c = columns(cosine)
        inside = np.isfinite(c["log_snr_shift"]) & (c["cycles"] <= band)
        worst = np.max(np.abs(c["log_snr_shift"][inside] - 2 * np.log(2)))
        check(inside.sum() >= 20 and worst <= 2 * np.log(1.05),
              f"cosine: log-SNR offset = 2 ln 2 within 2 ln 1.05 over the band (worst {worst:.4f})")

        # Accumulators: the same table as the folders, from .stacc files.
        acc_small, acc_big = os.path.join(tmp, "small.stacc"), os.path.join(tmp, "big.stacc")
        run("rapsd", "--accumulate", acc_small, small)
        run("rapsd", "--accumulate", acc_big, big)
        again = os.path.join(tmp, "again.csv")
        run("shift", "--csv", again, acc_small, acc_big)
        check(open(again).read() == open(csv).read(), "accumulators give the same CSV, byte for byte")
        plot = os.path.join(tmp, "shift.png")
        run("shift", "--plot", plot, acc_small, big)
        check(open(plot, "rb").read(8) == b"\x89PNG\r\n\x1a\n", "the plot is a PNG")


def case_shift_self():
    with tempfile.TemporaryDirectory() as tmp:
        folder = os.path.join(tmp, "set")
        gray_set(folder, 128, 4, seed=3)
        for weight in ("uniform", "logit-normal"):
            csv = os.path.join(tmp, "self.csv")
            out = run("shift", "--weight", weight, "--csv", csv, folder, folder).stdout
            _, rows = read_csv(csv)
            defined = [r for r in rows if r[2] != ""]
            check(len(defined) > 50 and all(r[2] == "1" and r[3] == "0" and r[1] == r[0]
                                             for r in defined),
                  f"{weight}: a set against itself: k = 1, offset 0, t' = t exactly ({len(defined)} rows)")
            check("fitted k = 1.0000 (log-SNR offset 0.0000), spread x/ 1.0000" in out
                  and "one shift fits" in out, f"{weight}: fitted k = 1, no spread")


def case_shift_usage():
    with tempfile.TemporaryDirectory() as tmp:
        folder = os.path.join(tmp, "set")
        gray_set(folder, 64, 2, seed=4)
        run("shift", folder, expect=2)
        run("shift", "--weight", "beta", folder, folder, expect=2)
        run("shift", "--steps", "2", folder, folder, expect=2)
        run("shift", "--schedule", "nope", folder, folder, expect=2)
        err = run("shift", folder, os.path.join(tmp, "missing"), expect=1).stderr
        check("missing" in err, "a missing set is named")
        luma = os.path.join(tmp, "luma.stacc")
        run("rapsd", "--channel", "luma", "--accumulate", luma, folder)
        csv = os.path.join(tmp, "never.csv")
        err = run("shift", "--csv", csv, luma, folder, expect=1).stderr
        check("channel" in err and not os.path.exists(csv),
              "luma against green refused, naming the channel; no CSV left")


# ---------------------------------------------------------------- compare

def t_quantile(p, df):
    """Student t quantile by integrating its density (numpy only)."""
    x = np.linspace(0.0, 60.0, 600001)
    density = (1 + x * x / df) ** (-(df + 1) / 2)
    cdf = np.concatenate([[0], np.cumsum((density[1:] + density[:-1]) / 2 * np.diff(x))])
    cdf /= cdf[-1] * 2  # the half from 0 to infinity (tail beyond 60 is negligible here)
    return float(np.interp(p - 0.5, cdf, x))


def spectide_rapsd(tmp, path):
    """One image's RAPSD as spectide computes it (rapsd --csv): the
    reference below then tests the statistics, not the image decoder."""
    csv = os.path.join(tmp, "one.csv")
    run("rapsd", "--csv", csv, path)
    return columns(csv)[1]["power"]


def welch_reference(tmp, real_paths, gen_paths):
    """Per ring but DC: d (dB) and the Welch 95% interval, in numpy, from
    each image's RAPSD."""
    logs = [np.array([np.log10(spectide_rapsd(tmp, p)[1:]) for p in paths])
            for paths in (real_paths, gen_paths)]
    (r, g) = logs
    d = 10 * (g.mean(axis=0) - r.mean(axis=0))
    vr, vg = r.var(axis=0, ddof=1) / len(r), g.var(axis=0, ddof=1) / len(g)
    df = (vr + vg) ** 2 / (vr ** 2 / (len(r) - 1) + vg ** 2 / (len(g) - 1))
    half = np.array([t_quantile(0.975, x) for x in df]) * 10 * np.sqrt(vr + vg)
    return d, d - half, d + half


def compare(tmp, real, gen, *options):
    csv = os.path.join(tmp, "compare.csv")
    out = run("compare", "--csv", csv, *options, real, gen).stdout
    header, c = columns(csv)
    return out, header, c


def case_compare_lossless():
    with tempfile.TemporaryDirectory() as tmp:
        real = os.path.join(tmp, "real")
        paths = gray_set(real, 128, 8, seed=10)
        mirror, trip = os.path.join(tmp, "mirror"), os.path.join(tmp, "trip")
        os.makedirs(mirror)
        os.makedirs(trip)
        for p in paths:
            image = Image.open(p)
            image.transpose(Image.FLIP_LEFT_RIGHT).save(os.path.join(mirror, os.path.basename(p)))
            image.resize((256, 256), Image.NEAREST).reduce(2).save(os.path.join(trip, os.path.basename(p)))
        out, header, c = compare(tmp, real, mirror)
        check(header == ["freq", "diff_db", "ci_low_db", "ci_high_db", "q", "n_real", "n_gen"],
              "CSV header freq,diff_db,ci_low_db,ci_high_db,q,n_real,n_gen")
        check(len(c["freq"]) == 63 and np.allclose(c["freq"], np.arange(1, 64) / 128),
              "63 rings r/128 compared (DC apart)")
        worst = np.max(np.abs(c["diff_db"]))
        check(worst < 1e-4, f"mirror image: difference 0 at every ring (max {worst:.1e} dB)")
        check(np.all(c["q"] >= 0.05) and "flagged (q < 0.05, Benjamini-Hochberg): 0 of 63" in out
              and "f_dev: none" in out, "mirror image: nothing flagged, no f_dev")
        check(np.all(c["n_real"] == 8) and np.all(c["n_gen"] == 8), "8 images on each side of every ring")
        out, _, c = compare(tmp, real, trip)
        check(np.all(c["diff_db"] == 0) and "0 of 63" in out,
              "nearest 2x up then 2x2 box down is the identity: difference exactly 0, nothing flagged")


def case_compare_null():
    """20 pairs of sets from one ensemble (8 images of 128 x 128 each)."""
    with tempfile.TemporaryDirectory() as tmp:
        shares = []
        for pair in range(20):
            a, b = os.path.join(tmp, f"a{pair}"), os.path.join(tmp, f"b{pair}")
            gray_set(a, 128, 8, seed=1000 + 2 * pair)
            gray_set(b, 128, 8, seed=1001 + 2 * pair)
            _, _, c = compare(tmp, a, b)
            shares.append(float(np.mean(c["q"] < 0.05)))
            shutil.rmtree(a)
            shutil.rmtree(b)
        print("shares flagged:", " ".join(f"{s:.3f}" for s in shares))
        good = sum(s <= 0.05 for s in shares)
        check(good >= 19, f"share flagged at q < 0.05 at most 5% in {good} of 20 pairs")


def case_compare_artefacts():
    with tempfile.TemporaryDirectory() as tmp:
        real = os.path.join(tmp, "real")
        paths = gray_set(real, 128, 8, seed=20)
        jpeg, upsampled = os.path.join(tmp, "jpeg"), os.path.join(tmp, "upsampled")
        os.makedirs(jpeg)
        os.makedirs(upsampled)
        jpeg_paths, up_paths = [], []
        for p in paths:
            base = os.path.basename(p)[:-4]
            image = Image.open(p)
            jpeg_paths.append(os.path.join(jpeg, base + ".jpg"))
            image.save(jpeg_paths[-1], quality=10)
            up_paths.append(os.path.join(upsampled, base + ".png"))
            image.reduce(2).resize((128, 128), Image.NEAREST).save(up_paths[-1])

        out, _, c = compare(tmp, real, jpeg)
        d, low, high = welch_reference(tmp, paths, jpeg_paths)
        error = max(np.max(np.abs(c["diff_db"] - d)), np.max(np.abs(c["ci_low_db"] - low)),
                    np.max(np.abs(c["ci_high_db"] - high)))
        check(error < 1e-4, f"JPEG q10: d and its Welch interval as numpy's (max error {error:.1e} dB)")
        outside = (low > 1) | (high < -1)
        f_dev = c["freq"][np.argmax(outside)] if outside.any() else None
        check(f_dev is not None and f"f_dev = {f_dev:.5g} cycles/pixel" in out,
              f"JPEG q10: f_dev found at {f_dev}, as numpy's first interval outside +-1 dB")
        check(f_dev < 0.25, f"JPEG q10: f_dev = {f_dev:.4f} below 1/4, the block grid's second harmonic")
        check("t_dev = " in out, "JPEG q10: t_dev given")
        print(out)

        out, _, c = compare(tmp, real, upsampled)
        f = np.arange(1, 64) / 128.0
        theta = np.linspace(0, np.pi / 2, 2001)
        gain = np.array([np.mean((np.cos(np.pi * x * np.cos(theta)) * np.cos(np.pi * x * np.sin(theta))) ** 4)
                         for x in f])
        onset = f[np.argmax(10 * np.log10(gain) < -1.0)]
        rows = (c["ci_low_db"] > 1) | (c["ci_high_db"] < -1)
        f_dev = c["freq"][np.argmax(rows)] if rows.any() else None
        check(f_dev is not None and onset <= f_dev < 0.25,
              f"half resolution blown up 2x (nearest): f_dev = {f_dev} in [{onset:.4f}, 1/4): not before "
              f"the transfer cos^4 cos^4 loses 1 dB, below the half-resolution Nyquist")
        print(out)


def case_compare_inputs():
    """Accumulators, @lists and --group-by parent; bad usage."""
    with tempfile.TemporaryDirectory() as tmp:
        real, gen = os.path.join(tmp, "real"), os.path.join(tmp, "gen")
        for name, seed in (("cats", 30), ("dogs", 31)):
            paths = gray_set(os.path.join(real, name), 96, 5, seed=seed)
            os.makedirs(os.path.join(gen, name))
            for p in paths:
                target = os.path.join(gen, name, os.path.basename(p))
                if name == "cats":
                    shutil.copy(p, target)  # cats: the same images
                else:
                    Image.open(p).save(target[:-4] + ".jpg", quality=10)
        out, _, whole = compare(tmp, real, gen)
        acc_real, acc_gen = os.path.join(tmp, "real.stacc"), os.path.join(tmp, "gen.stacc")
        run("rapsd", "--accumulate", acc_real, real)
        run("rapsd", "--accumulate", acc_gen, gen)
        out2, _, again = compare(tmp, acc_real, acc_gen)
        check(out2 == out.replace(real, acc_real).replace(gen, acc_gen) and
              all(np.array_equal(whole[k], again[k], equal_nan=True) for k in whole),
              "accumulators give the same output and CSV as the folders")
        listing = os.path.join(tmp, "gen.txt")
        with open(listing, "w") as f:
            for root, _, names in sorted(os.walk(gen)):
                for n in sorted(names):
                    f.write(os.path.join(root, n) + "\n")
        _, _, listed = compare(tmp, real, "@" + listing)
        check(np.array_equal(listed["diff_db"], whole["diff_db"]), "@LIST gives the folder's result")

        csv = os.path.join(tmp, "classes.csv")
        out = run("compare", "--group-by", "parent", "--csv", csv, real, gen).stdout
        lines = {line.split()[0]: line for line in out.splitlines()[-2:]}
        check("cats" in lines and " 0.0% " in lines["cats"] and lines["cats"].split()[5] == "-",
              "class cats (identical): nothing flagged, no f_dev")
        check("dogs" in lines and lines["dogs"].split()[5] != "-", "class dogs (JPEG q10): an f_dev")
        header, rows = read_csv(csv)
        check(header[0] == "class" and {r[0] for r in rows} == {"*", "cats", "dogs"},
              "--group-by CSV: a class column, '*' for the whole sets")
        err = run("compare", "--group-by", "parent", acc_real, gen, expect=1).stderr
        check("accumulator" in err, "--group-by refuses an accumulator, saying why")
        run("compare", real, expect=2)
        run("compare", "--tolerance-db", "-1", real, gen, expect=2)
        run("compare", "--group-by", "grandparent", real, gen, expect=2)
        one = os.path.join(tmp, "one")
        gray_set(one, 64, 1, seed=5)
        err = run("compare", one, gen, expect=1).stderr
        check("two images" in err, "a set of one image is refused")
        bad = os.path.join(tmp, "bad")
        shutil.copytree(os.path.join(real, "cats"), bad)
        open(os.path.join(bad, "broken.png"), "wb").write(b"\x89PNG\r\n\x1a\n broken")
        run("compare", bad, os.path.join(gen, "cats"), expect=1)
        out = run("compare", "--skip-bad", bad, os.path.join(gen, "cats"), expect=3).stdout
        check("real: " in out and "5 images" in out, "--skip-bad: exit 3, the other 5 images compared")
        plot = os.path.join(tmp, "compare.svg")
        run("compare", "--plot", plot, real, gen)
        check(b"<svg" in open(plot, "rb").read(400), "the plot is an SVG")


def case_fmax_accumulator():
    """fmax reads a dataset once: an accumulator gives the folder's table."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = os.path.join(tmp, "set")
        gray_set(folder, 96, 3, seed=6)
        acc = os.path.join(tmp, "set.stacc")
        run("rapsd", "--accumulate", acc, folder)
        for schedule in ("rectified-flow", "all"):
            a, b = os.path.join(tmp, "a.csv"), os.path.join(tmp, "b.csv")
            out_a = run("fmax", "--schedule", schedule, "--csv", a, folder).stdout
            out_b = run("fmax", "--schedule", schedule, "--csv", b, "--plot",
                        os.path.join(tmp, "b.png"), acc).stdout
            check(open(a).read() == open(b).read() and out_a == out_b,
                  f"fmax --schedule {schedule}: the accumulator gives the folder's CSV and summary")


CASES = {name[5:]: fn for name, fn in globals().items() if name.startswith("case_")}
if __name__ == "__main__":
    CASES[CASE]()
