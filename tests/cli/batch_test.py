#!/usr/bin/env python3
"""Batches of images through `spectide rapsd`: folders, file lists, standard
input, --jobs, --skip-bad, the progress line and the memory of a run.

usage: batch_test.py SPECTIDE DATA_DIR CASE
CASE: inputs | skip_bad | jobs | limits | progress | memory

Expectations are derived here: the order of a folder is the byte order of
the full paths of its image files (what `find DIR -type f | LC_ALL=C sort`
gives, computed here with os.walk and sorted()), a run with --skip-bad must
print exactly what the run over the good files alone prints, and so on.
"""
import os
import pty
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

import numpy as np
from PIL import Image

SPECTIDE, DATA, CASE = sys.argv[1:4]
EXTENSIONS = (".png", ".jpg", ".jpeg", ".jpe", ".jfif", ".tif", ".tiff", ".webp")


def run(*args, expect=0, stdin=None, env=None):
    result = subprocess.run([SPECTIDE, *args], capture_output=True, text=True, timeout=300,
                            input=stdin, env=env)
    if result.returncode != expect:
        raise AssertionError(f"spectide {' '.join(args)}: exit {result.returncode}, expected {expect}\n"
                             f"stdout: {result.stdout[-2000:]}\nstderr: {result.stderr[-2000:]}")
    return result


def check(condition, message):
    if not condition:
        raise AssertionError(message)
    print("ok:", message)


def printed_paths(stdout):
    return [line.split(": ")[0] for line in stdout.splitlines() if ": " in line]


def make_images(folder, count, seed, size=(48, 40)):
    """`count` small distinct images (crops of the photos), cycling formats."""
    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(seed)
    source = np.asarray(Image.open(os.path.join(DATA, "astronaut.png")))
    paths = []
    for i in range(count):
        w, h = size
        x0, y0 = (int(v) for v in rng.integers(0, 400, 2))
        image = Image.fromarray(source[y0:y0 + h, x0:x0 + w])
        extension = [".png", ".jpg", ".webp", ".tif"][i % 4]
        path = os.path.join(folder, f"img{i:04d}{extension}")
        image.save(path, **({"quality": 90} if extension == ".jpg" else {}))
        paths.append(path)
    return paths


def expected_walk(root, ancestors=()):
    """Image files under root, hidden names left out, links followed except
    one back to a folder being walked; sorted as full paths (what
    `find -L root -type f | LC_ALL=C sort` lists, less hidden and non-image
    names)."""
    info = os.stat(root)
    ancestors = ancestors + ((info.st_dev, info.st_ino),)
    found = []
    for name in os.listdir(root):
        path = os.path.join(root, name)
        if name.startswith("."):
            continue
        if os.path.isdir(path):
            inner = os.stat(path)
            if (inner.st_dev, inner.st_ino) not in ancestors:
                found += expected_walk(path, ancestors)
        elif name.lower().endswith(EXTENSIONS):
            found.append(path)
    return sorted(found, key=lambda p: p.encode())


# ------------------------------------------------------------------ cases

def case_inputs():
    with tempfile.TemporaryDirectory() as tmp:
        root = os.path.join(tmp, "set")
        make_images(os.path.join(root, "a"), 3, 1)
        make_images(os.path.join(root, "a.b"), 2, 2)
        make_images(os.path.join(root, "deep", "er", "est"), 2, 3)
        make_images(os.path.join(root, ".hidden"), 2, 4)
        shutil.copy(os.path.join(DATA, "camera.png"), os.path.join(root, "a.png"))
        shutil.copy(os.path.join(DATA, "camera.png"), os.path.join(root, "Z.PNG"))
        shutil.copy(os.path.join(DATA, "camera.png"), os.path.join(root, ".dot.png"))
        shutil.copy(os.path.join(DATA, "camera.png"), os.path.join(root, "._mac.jpg"))
        open(os.path.join(root, "notes.txt"), "w").write("not an image\n")
        os.symlink(os.path.join(DATA, "coffee.png"), os.path.join(root, "linked.png"))
        os.symlink(root, os.path.join(root, "deep", "loop"))  # a link back: not walked again
        expected = expected_walk(root)
        check(len(expected) == 10, f"the test's own walk finds 10 images ({len(expected)})")
        out = run("rapsd", root).stdout
        check(printed_paths(out) == expected,
              "a folder is walked recursively in the byte order of its full paths, hidden names "
              "and other extensions left out, links to files followed, a link back not walked")

        csv_folder = os.path.join(tmp, "folder.csv")
        run("rapsd", "--average", "--csv", csv_folder, root)
        listing = os.path.join(tmp, "list.txt")
        with open(listing, "w") as f:
            f.write("\n".join(expected) + "\n")
        csv_list = os.path.join(tmp, "list.csv")
        run("rapsd", "--average", "--csv", csv_list, "--files-from", listing)
        check(open(csv_folder).read() == open(csv_list).read(),
              "--average over the folder equals --average over its file list (same CSV bytes)")
        csv_stdin = os.path.join(tmp, "stdin.csv")
        run("rapsd", "--average", "--csv", csv_stdin, "--files-from", "-", stdin="\n".join(expected) + "\r\n\n")
        check(open(csv_folder).read() == open(csv_stdin).read(),
              "--files-from - reads the list from standard input (CRLF and empty lines allowed)")
        find = subprocess.run(["find", "-L", root, "-type", "f"], capture_output=True, text=True).stdout
        sorted_find = subprocess.run(["sort"], input=find, capture_output=True, text=True,
                                     env=dict(os.environ, LC_ALL="C")).stdout
        images = [p for p in sorted_find.splitlines() if p.lower().endswith(EXTENSIONS) and "/." not in p]
        check(images == expected, "that order is `find -L DIR -type f | LC_ALL=C sort` (less the hidden names)")

        # Mixed: a file, a folder, then a list (read after the arguments).
        sub = os.path.join(root, "a")
        small_list = os.path.join(tmp, "small.txt")
        with open(small_list, "w") as f:
            f.write(os.path.join(DATA, "chelsea.png") + "\n" + os.path.join(root, "deep") + "\n")
        out = run("rapsd", os.path.join(DATA, "camera.png"), sub, "--files-from", small_list).stdout
        want = ([os.path.join(DATA, "camera.png")] + expected_walk(sub) + [os.path.join(DATA, "chelsea.png")]
                + expected_walk(os.path.join(root, "deep")))
        check(printed_paths(out) == want, "files, folders and a list mix, in the order given (list last)")

        empty = os.path.join(tmp, "empty")
        os.mkdir(empty)
        result = run("rapsd", empty, expect=1)
        check(empty in result.stderr and "no image file" in result.stderr,
              f"a folder without images: exit 1 naming it ({result.stderr.strip()})")
        result = run("rapsd", "--files-from", os.path.join(tmp, "missing.txt"), expect=1)
        check("missing.txt" in result.stderr, f"a missing list: exit 1 naming it ({result.stderr.strip()})")


def write_png_header_only(path, width, height):
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 17))
                + chunk(b"IEND", b""))


def case_skip_bad():
    with tempfile.TemporaryDirectory() as tmp:
        good = os.path.join(tmp, "good")
        paths = make_images(good, 40, 5, size=(64, 56))
        mixed = os.path.join(tmp, "mixed")
        shutil.copytree(good, mixed)
        bad = {}
        whole = open(paths[1], "rb").read()  # a JPEG
        bad["img0005.jpg"] = ("truncated JPEG", whole[: len(whole) // 2])
        bad["img0013.png"] = ("text named .png", b"this is not an image\n")
        bad["img0021.jpg"] = ("empty file", b"")
        bad["img0030.webp"] = ("truncated WebP", open(paths[2], "rb").read()[:60])
        for name, (_, content) in bad.items():
            open(os.path.join(mixed, name), "wb").write(content)
        write_png_header_only(os.path.join(mixed, "img0033.png"), 70000, 70000)
        bad["img0033.png"] = ("enormous header", None)
        for name in bad:
            os.remove(os.path.join(good, name)) if os.path.exists(os.path.join(good, name)) else None

        csv_good = os.path.join(tmp, "good.csv")
        reference = run("rapsd", "--average", "--csv", csv_good, good)
        csv_mixed = os.path.join(tmp, "mixed.csv")
        result = run("rapsd", "--average", "--csv", csv_mixed, "--skip-bad", mixed, expect=3)
        # (The summary's last line is the provenance: it counts the skipped files.)
        check(open(csv_good).read() == open(csv_mixed).read()
              and result.stdout.splitlines()[:2] == reference.stdout.splitlines()[:2],
              "--skip-bad: the result equals the run without the unreadable files; exit 3")
        check(f"{len(bad)} files skipped" in result.stdout.splitlines()[2], "the provenance counts them")
        for name, (kind, _) in bad.items():
            line = [l for l in result.stderr.splitlines() if name in l]
            check(len(line) == 1 and ": " in line[0].split(name, 1)[1],
                  f"--skip-bad names the {kind} with a reason: {line[0] if line else '(nothing)'}")
        check(f"{len(bad)} files skipped" in result.stderr,
              f"--skip-bad ends with the count: {result.stderr.strip().splitlines()[-1]}")
        per_file = run("rapsd", "--skip-bad", "--jobs", "3", mixed, expect=3)
        check(per_file.stdout.replace(mixed, good) == run("rapsd", good).stdout,
              "--skip-bad without --average: the same lines as the good files")

        os.remove(csv_mixed)
        result = run("rapsd", "--average", "--csv", csv_mixed, mixed, expect=1)
        first = sorted(bad)[0]
        before = sorted(os.listdir(mixed)).index(first)
        check(first in result.stderr and f"after {before} files done" in result.stderr,
              f"without --skip-bad the first unreadable file stops the run, saying how many were done: "
              f"{result.stderr.strip()}")
        check(not os.path.exists(csv_mixed), "a stopped run leaves no output file")


def case_jobs():
    with tempfile.TemporaryDirectory() as tmp:
        folder = os.path.join(tmp, "set")
        make_images(folder, 30, 6, size=(96, 72))
        for name in ["astronaut.png", "chelsea.png", "coffee.png", "camera.png"]:
            shutil.copy(os.path.join(DATA, name), os.path.join(folder, name))
        outputs = {}
        for jobs in ["1", "2", "3", "8"]:
            csv = os.path.join(tmp, f"j{jobs}.csv")
            out = run("rapsd", "--average", "--csv", csv, "--jobs", jobs, folder).stdout
            lines = run("rapsd", "--jobs", jobs, folder).stdout
            outputs[jobs] = (open(csv).read(), out, lines)
        check(all(v == outputs["1"] for v in outputs.values()),
              "--jobs 1, 2, 3 and 8 print and write the same bytes (per-file lines, --average CSV)")
        result = run("rapsd", "--jobs", "0", folder)
        check(result.stdout == outputs["1"][2], "--jobs 0 (one per CPU) too")
        # Any file order: the accumulator's sums are exact integers.
        files = sorted(os.path.join(folder, name) for name in os.listdir(folder))
        shuffled = [files[i] for i in np.random.default_rng(11).permutation(len(files))]
        accumulators = []
        for jobs, order in [("1", files), ("3", shuffled), ("2", shuffled[::-1])]:
            acc = os.path.join(tmp, f"order{len(accumulators)}.stacc")
            csv = os.path.join(tmp, f"order{len(accumulators)}.csv")
            run("rapsd", "--average", "--accumulate", acc, "--csv", csv, "--jobs", jobs, "--files-from", "-",
                stdin="\n".join(order) + "\n")
            accumulators.append((open(acc, "rb").read(), open(csv).read()))
        check(all(a == accumulators[0] for a in accumulators),
              "any file order and any --jobs: the same accumulator and CSV bytes")
        for bad in ["-1", "257", "x"]:
            run("rapsd", "--jobs", bad, folder, expect=2)
        check(True, "--jobs -1, 257 and x are usage errors")


def case_limits():
    with tempfile.TemporaryDirectory() as tmp:
        photo = os.path.join(DATA, "camera.png")
        env = dict(os.environ, SPECTIDE_MAX_PIXELS="100000")
        result = run("rapsd", photo, expect=1, env=env)
        check("too large" in result.stderr and "512x512" in result.stderr,
              f"SPECTIDE_MAX_PIXELS refuses a larger image from its header: {result.stderr.strip()}")
        big = os.path.join(tmp, "enormous.png")
        write_png_header_only(big, 65536, 65536)
        result = run("rapsd", big, expect=1)
        check("too large" in result.stderr, f"65536x65536 header refused before decoding: {result.stderr.strip()}")
        jpeg = os.path.join(tmp, "cut.jpg")
        Image.open(photo).save(jpeg, quality=90)
        data = open(jpeg, "rb").read()
        open(jpeg, "wb").write(data[:-len(data) // 3])
        result = run("rapsd", jpeg, os.path.join(DATA, "chelsea.png"), expect=1)
        check("cut.jpg" in result.stderr and "Premature end" in result.stderr,
              f"a damaged JPEG is reported, the process does not exit inside libjpeg: {result.stderr.strip().splitlines()[0]}")


def case_progress():
    with tempfile.TemporaryDirectory() as tmp:
        folder = os.path.join(tmp, "set")
        make_images(folder, 12, 7)
        env = dict(os.environ, SPECTIDE_PROGRESS_DELAY="0")
        result = run("rapsd", "--jobs", "2", folder, env=env)
        check("files/s" not in result.stderr, "no progress line when stderr is not a terminal")
        # stderr on a pseudo-terminal, stdout a pipe.
        leader, follower = pty.openpty()
        process = subprocess.Popen([SPECTIDE, "rapsd", "--jobs", "2", folder], stdout=subprocess.PIPE,
                                   stderr=follower, env=env)
        os.close(follower)
        stdout = process.stdout.read()
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait(timeout=120)
        os.close(leader)
        terminal = b"".join(chunks).decode(errors="replace")
        check(process.returncode == 0 and len(stdout.splitlines()) == 12, "the run on a terminal works")
        check("12 files" in terminal and "files/s" in terminal and "0 skipped" in terminal,
              f"on a terminal a progress line shows files done, files/s and skipped: {terminal.strip()[-80:]!r}")


def peak_rss_kib(*args):
    # Under AddressSanitizer freed memory waits in a quarantine (256 MB):
    # without it, a sanitized build's memory is flat too.
    env = dict(os.environ)
    env["ASAN_OPTIONS"] = env.get("ASAN_OPTIONS", "") + ":quarantine_size_mb=0:thread_local_quarantine_size_kb=0"
    process = subprocess.Popen([SPECTIDE, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    process.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise AssertionError(f"spectide {' '.join(args)} failed")
    return usage.ru_maxrss


def case_memory():
    with tempfile.TemporaryDirectory() as tmp:
        few = os.path.join(tmp, "few")
        make_images(few, 40, 8, size=(320, 240))
        many = os.path.join(tmp, "many")
        os.mkdir(many)
        names = sorted(os.listdir(few))
        for i in range(400):  # hard links: 10x the files, no more disk
            os.link(os.path.join(few, names[i % len(names)]), os.path.join(many, f"{i:04d}-{names[i % len(names)]}"))
        small = peak_rss_kib("rapsd", "--jobs", "2", few)
        large = peak_rss_kib("rapsd", "--jobs", "2", many)
        check(large - small < 4096, f"peak RSS does not grow with the number of files: {small} KiB for 40, "
                                    f"{large} KiB for 400")


CASES = {name[5:]: fn for name, fn in globals().items() if name.startswith("case_")}
if __name__ == "__main__":
    CASES[CASE]()
