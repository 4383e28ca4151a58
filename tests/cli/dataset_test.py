#!/usr/bin/env python3
"""Tests of the dataset commands: rapsd --average / --accumulate over files,
folders and file lists, merge, report, --skip-bad, damaged accumulators.

usage: dataset_test.py SPECTIDE DATA_DIR CASE

Expected values are computed here: the log-domain mean on the rings (same
sizes) and on the grid f_k = 2^(-16 + k/64) (mixed sizes: each image's rings
interpolated in log-log inside its own range), written out with numpy from
the definitions in docs/conventions.md; the 95% band with Student's t from
its closed form for 4 degrees of freedom; a numpy RAPSD of the decoded PNGs.
Equalities between runs (folder = file list, shards merged = one run, report
= --average) are byte for byte.
"""
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

import numpy as np

import cli_test
from cli_test import check, read_csv, read_png, rapsd_reference, run, write_png16

SPECTIDE, DATA, CASE = sys.argv[1], sys.argv[2], sys.argv[3]
PHOTOS = [os.path.join(DATA, n) for n in cli_test.PHOTOS]


def power_law_image(rng, height, width, alpha=2.2):
    """Gray noise with a power-law spectrum, values in [0,1], as RGB."""
    fy = np.fft.fftfreq(height)[:, None]
    fx = np.fft.fftfreq(width)[None, :]
    f = np.hypot(fx, fy)
    f[0, 0] = 1.0 / max(width, height)
    field = np.fft.ifft2(np.fft.fft2(rng.normal(size=(height, width))) * f ** (-alpha / 2)).real
    field = (field - field.min()) / (field.max() - field.min())
    return np.repeat(field[:, :, None], 3, axis=2)


def make_set(folder, sizes, seed):
    """PNG files of the given (height, width) sizes; returns their paths."""
    rng = np.random.default_rng(seed)
    paths = []
    for i, (h, w) in enumerate(sizes):
        path = os.path.join(folder, f"img{i:03d}.png")
        write_png16(path, power_law_image(rng, h, w))
        paths.append(path)
    return paths


def csv_columns(path):
    header, rows = read_csv(path)
    return header, {name: np.array([float(r[i]) for r in rows]) for i, name in enumerate(header)}


def spectrum_csv(tmp, path):
    """The per-image RAPSD as spectide writes it (freq, power)."""
    out = os.path.join(tmp, "one.csv")
    run("rapsd", "--csv", out, path)
    _, columns = csv_columns(out)
    return columns["freq"], columns["power"]


def t_975_df4():
    """Student t quantile 0.975 for 4 degrees of freedom, closed form."""
    p = 0.975
    a = 4 * p * (1 - p)
    q = np.cos(np.arccos(np.sqrt(a)) / 3) / np.sqrt(a)
    return 2 * np.sqrt(q - 1)


def grid_reference(spectra):
    """Mean and count of log10 P on the grid f_k = 2^(-16 + k/64), each
    spectrum (freq r/L, power) interpolated linearly in log-log between its
    rings, only inside [1/L, r_last/L]."""
    grid = 2.0 ** (-16 + np.arange(15 * 64 + 1) / 64.0)
    total = np.zeros(grid.size)
    count = np.zeros(grid.size, dtype=int)
    for freq, power in spectra:
        f, p = freq[1:], power[1:]
        inside = (grid >= f[0] * (1 - 1e-12)) & (grid <= f[-1] * (1 + 1e-12))
        values = np.interp(np.log10(grid[inside]), np.log10(f), np.log10(p))
        total[inside] += values
        count[inside] += 1
    mean = np.where(count > 0, total / np.maximum(count, 1), np.nan)
    return grid, mean, count


# ------------------------------------------------------------------ cases

def case_dataset_mean():
    """--average on the rings (one size) and on the grid (mixed sizes)
    against numpy, with the band and the counts."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = os.path.join(tmp, "same")
        os.mkdir(folder)
        paths = make_set(folder, [(64, 64)] * 4 + [(48, 64)], seed=1)  # L = 64 for all five
        csv = os.path.join(tmp, "same.csv")
        out = run("rapsd", "--average", "--csv", csv, folder).stdout
        header, c = csv_columns(csv)
        check(header == ["freq", "power", "ci_low", "ci_high", "count", "sd_log10", "mean_power"],
              "CSV header freq,power,ci_low,ci_high,count,sd_log10,mean_power")
        check("log-domain mean of 5 images, 32 rings" in out, "one ring axis (L = 64): 32 rings")
        logs = []
        for path in paths:
            image = read_png(path)
            _, power = rapsd_reference(2.0 * image[:, :, 1] - 1.0)
            logs.append(np.log10(power))
        logs = np.array(logs)
        mean, sd = logs.mean(axis=0), logs.std(axis=0, ddof=1)
        check(len(c["freq"]) == 32 and np.allclose(c["freq"], np.arange(32) / 64), "rings r/64")
        error = np.max(np.abs(np.log10(c["power"]) - mean))
        check(error < 5e-4, f"geometric mean equals numpy's RAPSD log-mean (max {error:.2e} in log10)")
        check(np.all(c["count"] == 5), "count 5 at every ring")
        error = np.max(np.abs(c["sd_log10"] - sd))
        check(error < 1e-3, f"sd of log10 P over images (max error {error:.2e})")
        half = t_975_df4() * c["sd_log10"] / np.sqrt(5)
        mean_csv = np.log10(c["power"])
        error = max(np.max(np.abs(np.log10(c["ci_high"]) - (mean_csv + half))),
                    np.max(np.abs(np.log10(c["ci_low"]) - (mean_csv - half))))
        check(error < 1e-7, f"95% band = mean +- t(0.975, 4) sd / sqrt(5), t from its closed form ({error:.1e})")
        arithmetic = np.mean(10.0 ** logs, axis=0)
        error = np.max(np.abs(c["mean_power"] / arithmetic - 1))
        check(error < 2e-3, f"arithmetic mean of P (max rel. error {error:.1e})")

        # Mixed sizes: the grid, against a numpy interpolation of spectide's own
        # per-image RAPSD CSVs (so the comparison is of the averaging alone).
        mixed = PHOTOS + make_set(folder, [(40, 90), (77, 50)], seed=2)[:2]
        csv = os.path.join(tmp, "mixed.csv")
        out = run("rapsd", "--average", "--csv", csv, *mixed).stdout
        check("(mixed sizes)" in out, "mixed sizes: the grid")
        _, c = csv_columns(csv)
        grid, mean, count = grid_reference([spectrum_csv(tmp, p) for p in mixed])
        covered = count > 0
        check(np.allclose(c["freq"][1:], grid[covered], rtol=1e-8), "rows: DC, then every covered grid point")
        check(np.array_equal(c["count"][1:].astype(int), count[covered]), "counts per grid point")
        error = np.max(np.abs(np.log10(c["power"][1:]) - mean[covered]))
        check(error < 1e-7, f"grid mean = numpy log-log interpolation inside each range ({error:.1e})")
        check(c["freq"][0] == 0 and c["count"][0] == len(mixed), "DC apart, every image")


def case_dataset_inputs():
    """A folder (recursive, sorted, images only), its file list, stdin and
    the files themselves give the same bytes."""
    with tempfile.TemporaryDirectory() as tmp:
        root = os.path.join(tmp, "set")
        os.makedirs(os.path.join(root, "b", "deeper"))
        os.makedirs(os.path.join(root, "a"))
        files = make_set(os.path.join(root, "a"), [(32, 40), (50, 50)], seed=3)
        files += make_set(os.path.join(root, "b", "deeper"), [(64, 33)], seed=4)
        shutil.copy(PHOTOS[1], os.path.join(root, "b", "camera.PNG"))
        files.append(os.path.join(root, "b", "camera.PNG"))
        open(os.path.join(root, "notes.txt"), "w").write("not an image\n")
        open(os.path.join(root, ".hidden.png"), "w").write("not an image either\n")
        os.symlink(root, os.path.join(root, "b", "loop"))  # a loop: not walked twice
        single = run("rapsd", root).stdout.splitlines()
        expected = sorted(files)
        check([line.split(":")[0] for line in single] == expected,
              f"folder walk: sorted, recursive, images only, no loop ({len(single)} files)")
        listing = os.path.join(tmp, "list.txt")
        open(listing, "w").write("\n".join(reversed(files)) + "\n\n")
        outputs = {}
        for name, args, stdin in [("folder", [root], None), ("list", ["--files-from", listing], None),
                                  ("stdin", ["--files-from", "-"], "\n".join(files) + "\n"),
                                  ("files", files, None)]:
            csv = os.path.join(tmp, name + ".csv")
            acc = os.path.join(tmp, name + ".stacc")
            result = subprocess.run([SPECTIDE, "rapsd", "--average", "--accumulate", acc, "--csv", csv, *args],
                                    capture_output=True, text=True, input=stdin, timeout=200, env=cli_test.ENV)
            check(result.returncode == 0, f"--average over the {name}: exit 0")
            outputs[name] = (result.stdout, open(csv, "rb").read(), open(acc, "rb").read())
        same = all(outputs[k] == outputs["folder"] for k in outputs)
        check(same, "folder, file list, stdin and the files: same summary, CSV and accumulator bytes")


def case_dataset_merge():
    """Shards accumulated apart and merged = one run, byte for byte, in any
    order; report = --average."""
    with tempfile.TemporaryDirectory() as tmp:
        images = PHOTOS + make_set(tmp, [(70, 70), (33, 90), (120, 64)], seed=5)
        shards = [images[0::3], images[1::3], images[2::3]]
        accs = []
        for i, shard in enumerate(shards):
            acc = os.path.join(tmp, f"shard{i}.stacc")
            out = run("rapsd", "--accumulate", acc, *shard).stdout
            check(f"accumulated {len(shard)} images" in out, f"shard {i}: {len(shard)} images accumulated")
            accs.append(acc)
        whole = os.path.join(tmp, "whole.stacc")
        run("rapsd", "--accumulate", whole, *images)
        merged = {}
        for order in ([0, 1, 2], [2, 0, 1], [1, 2, 0]):
            out = os.path.join(tmp, "m%d%d%d.stacc" % tuple(order))
            run("merge", "-o", out, *[accs[i] for i in order])
            merged[tuple(order)] = open(out, "rb").read()
        # (a + b) + c through an intermediate file
        ab = os.path.join(tmp, "ab.stacc")
        run("merge", "--output", ab, accs[0], accs[1])
        abc = os.path.join(tmp, "ab_c.stacc")
        run("merge", "-o", abc, ab, accs[2])
        reference = open(whole, "rb").read()
        check(all(b == reference for b in merged.values()), "merge in any order = one run, byte for byte")
        check(open(abc, "rb").read() == reference, "(a + b) + c = one run, byte for byte")
        report_csv, report_png = os.path.join(tmp, "r.csv"), os.path.join(tmp, "r.png")
        average_csv, average_png = os.path.join(tmp, "a.csv"), os.path.join(tmp, "a.png")
        report = run("report", "--csv", report_csv, "--plot", report_png, *accs).stdout
        average = run("rapsd", "--average", "--csv", average_csv, "--plot", average_png, *images).stdout
        check(report == average, "report of the shards prints what --average prints")
        check(open(report_csv, "rb").read() == open(average_csv, "rb").read(), "same CSV bytes")
        check(open(report_png, "rb").read() == open(average_png, "rb").read(), "same plot bytes")
        check(read_png(report_png).shape[:2] == (600, 800), "the plot is an 800x600 PNG")
        # The per-image fits: the mean of the alphas rapsd prints one by one.
        alphas = [cli_test.parse_alpha(line) for line in run("rapsd", *images).stdout.splitlines()]
        line = [l for l in report.splitlines() if l.startswith("per-image fits")][0]
        mean_alpha = float(line.split("alpha mean")[1].split(",")[0])
        check(abs(mean_alpha - np.mean(alphas)) < 2e-3,
              f"per-image alpha mean {mean_alpha} = mean of the single fits {np.mean(alphas):.4f}")
        check("7 images" in report.splitlines()[0], "report counts 7 images")


def case_dataset_bad():
    """--skip-bad: exit 3, the bad file named, the result of the others;
    without it: exit 1 after the files done, no output. Damaged, truncated,
    future and mismatched accumulators are refused with a reason."""
    with tempfile.TemporaryDirectory() as tmp:
        good = PHOTOS[:3]
        truncated = os.path.join(tmp, "cut.png")
        whole = open(PHOTOS[3], "rb").read()
        open(truncated, "wb").write(whole[: len(whole) // 2])
        text = os.path.join(tmp, "text.png")
        open(text, "w").write("not an image\n")
        out = os.path.join(tmp, "out")
        os.mkdir(out)
        clean = run("rapsd", "--average", "--csv", f"{out}/clean.csv", *good).stdout
        result = run("rapsd", "--average", "--skip-bad", "--csv", f"{out}/skip.csv",
                     "--accumulate", f"{out}/skip.stacc", good[0], truncated, good[1], text, good[2], expect=3)
        check(truncated in result.stderr and text in result.stderr, "--skip-bad names each bad file")
        check("2 files skipped, 3 used" in result.stderr, "--skip-bad ends with a count")
        check(result.stdout.splitlines()[:2] == clean.splitlines()[:2],
              "the result equals the run without the bad files")
        check("2 files skipped" in result.stdout.splitlines()[2], "provenance counts the skipped files")
        check(open(f"{out}/skip.csv", "rb").read() == open(f"{out}/clean.csv", "rb").read(),
              "and so does the CSV, byte for byte")
        for f in os.listdir(out):
            os.remove(os.path.join(out, f))
        result = run("rapsd", "--average", "--csv", f"{out}/r.csv", "--accumulate", f"{out}/r.stacc",
                     good[0], good[1], truncated, good[2], expect=1)
        check(truncated in result.stderr and "after 2 files done" in result.stderr,
              "without --skip-bad: exit 1 at the bad file, saying how many were done")
        check(os.listdir(out) == [], "and no output, not even a temporary file")

        acc = os.path.join(tmp, "good.stacc")
        run("rapsd", "--accumulate", acc, *good)
        data = open(acc, "rb").read()
        damaged = {}
        damaged["truncated"] = data[: len(data) - 100]
        flipped = bytearray(data)
        flipped[len(data) // 2] ^= 0x10
        damaged["a flipped bit"] = bytes(flipped)
        future = bytearray(data)
        future[8:12] = struct.pack("<I", 2)
        future[-4:] = struct.pack("<I", zlib.crc32(bytes(future[:-4])) & 0xFFFFFFFF)
        damaged["version 2"] = bytes(future)
        damaged["empty"] = b""
        damaged["a PNG"] = open(PHOTOS[0], "rb").read()
        reasons = {"truncated": "damaged or truncated", "a flipped bit": "damaged or truncated",
                   "version 2": "later spectide", "empty": "empty file", "a PNG": "not a spectide accumulator"}
        for kind, content in damaged.items():
            path = os.path.join(tmp, "bad.stacc")
            open(path, "wb").write(content)
            for args in [("report", "--csv", f"{out}/r.csv", path), ("merge", "-o", f"{out}/m.stacc", acc, path)]:
                result = run(*args, expect=1)
                check(path in result.stderr and reasons[kind] in result.stderr,
                      f"{kind}: spectide {args[0]} exits 1 naming the file and why: {result.stderr.strip()}")
                check(os.listdir(out) == [], f"{kind}: spectide {args[0]} writes nothing")
        luma = os.path.join(tmp, "luma.stacc")
        run("rapsd", "--channel", "luma", "--accumulate", luma, good[0])
        result = run("merge", "-o", f"{out}/m.stacc", acc, luma, expect=1)
        check("channel luma" in result.stderr and "channel green" in result.stderr,
              f"green + luma refused: {result.stderr.strip()}")
        for args in [("merge", acc), ("merge", "-o"), ("report",), ("merge", "-x", "a", acc),
                     ("report", "--plot", "x.jpg", acc), ("rapsd", "--csv", "x.csv", tmp)]:
            result = run(*args, expect=2)
            check(result.stderr.strip() != "", f"spectide {' '.join(args)}: exit 2 with a message")
        for command in ["merge", "report"]:
            check(run(command, "--help").stdout.startswith("usage: spectide " + command), f"spectide {command} --help")


def run_with(env_changes, *args):
    """spectide with some environment variables set (None: removed)."""
    env = dict(cli_test.ENV)
    for name, value in env_changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return subprocess.run([SPECTIDE, *args], capture_output=True, text=True, timeout=200, env=env)


def case_dataset_wisdom():
    """FFTW wisdom kept between runs: written where SPECTIDE_WISDOM or the
    XDG cache says, rewritten only when it grew, never over a file that is
    not wisdom, and the results are the same bytes with and without it."""
    with tempfile.TemporaryDirectory() as tmp:
        # Sizes with large prime factors: each takes a planner search.
        os.makedirs(os.path.join(tmp, "set"))
        files = make_set(os.path.join(tmp, "set"), [(37, 53), (61, 64), (97, 101), (48, 80)], seed=11)

        def average(env_changes, name):
            csv = os.path.join(tmp, name + ".csv")
            result = run_with(env_changes, "rapsd", "--average", "--jobs", "2", "--csv", csv, *files)
            check(result.returncode == 0, f"{name}: exit 0 ({result.stderr.strip()})")
            return result, open(csv, "rb").read()

        home = os.path.join(tmp, "home")
        _, without = average({"SPECTIDE_WISDOM": "off", "HOME": home}, "off")
        check(not os.path.exists(home), "SPECTIDE_WISDOM=off: no wisdom file written")

        default = os.path.join(home, ".cache", "spectide", "fftwf-wisdom")
        _, first = average({"SPECTIDE_WISDOM": None, "XDG_CACHE_HOME": None, "HOME": home}, "cold")
        check(open(default).read().startswith("(fftw-"), "wisdom written to ~/.cache/spectide/")
        check(first == without, "with wisdom being made: the same bytes as without")
        before = os.stat(default)
        _, again = average({"SPECTIDE_WISDOM": None, "XDG_CACHE_HOME": None, "HOME": home}, "warm")
        after = os.stat(default)
        check(again == without, "planned from the wisdom file: the same bytes as without")
        check((after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns),
              "wisdom that did not grow: the file is not rewritten")

        xdg = os.path.join(tmp, "xdg")
        average({"SPECTIDE_WISDOM": None, "XDG_CACHE_HOME": xdg, "HOME": home}, "xdg")
        check(os.path.exists(os.path.join(xdg, "spectide", "fftwf-wisdom")),
              "XDG_CACHE_HOME/spectide/fftwf-wisdom when XDG_CACHE_HOME is set")

        other = os.path.join(tmp, "notes.txt")
        open(other, "w").write("my notes\n")
        result, out = average({"SPECTIDE_WISDOM": other}, "not-wisdom")
        check(open(other).read() == "my notes\n" and other in result.stderr
              and "not FFTW wisdom" in result.stderr,
              "a file that is not wisdom: named on stderr, left as it was")
        check(out == without, "... and the same bytes")

        result, out = average({"SPECTIDE_WISDOM": xdg}, "folder")
        check(xdg in result.stderr and "is a folder" in result.stderr and out == without,
              "SPECTIDE_WISDOM naming a folder: named on stderr, same bytes")

        blocked = os.path.join(tmp, "notes.txt", "wisdom")  # under a file: cannot be written
        result, out = average({"SPECTIDE_WISDOM": blocked}, "unwritable")
        check(blocked in result.stderr and "not saved" in result.stderr and out == without,
              "a wisdom file that cannot be written: named on stderr, the run succeeds, same bytes")


CASES = {name[5:]: fn for name, fn in globals().items() if name.startswith("case_")}
if __name__ == "__main__":
    CASES[CASE]()
