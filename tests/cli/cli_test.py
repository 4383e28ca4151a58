#!/usr/bin/env python3
"""Tests of the spectide command line on the bundled media and on bad files.

usage: cli_test.py SPECTIDE DATA_DIR CASE

Every expected value is computed here, independently of the program: ring
counts and frequencies from the RAPSD definition, a numpy RAPSD of PNGs
decoded here, f_max from the CSV by the definition, a numpy librosa-style
log-mel spectrogram, noise variances measured on the written WAV files.
"""
import os
import struct
import subprocess
import sys
import tempfile
import wave
import zlib

import numpy as np

SPECTIDE, DATA, CASE = sys.argv[1], sys.argv[2], sys.argv[3]
PHOTOS = ["astronaut.png", "camera.png", "chelsea.png", "coffee.png"]
SPEECH = os.path.join(DATA, "speech-front-center.wav")
MUSIC = os.path.join(DATA, "music-frozen-bubble.ogg")


# Under AddressSanitizer (scripts/test.sh --sanitize): fontconfig keeps
# start-up allocations for the life of the process; lsan.supp names it, and
# the slow unwinder is needed to see its frames. Ignored by a normal build.
ENV = dict(os.environ)
ENV["ASAN_OPTIONS"] = ENV.get("ASAN_OPTIONS", "detect_leaks=1") + ":fast_unwind_on_malloc=0"
ENV["LSAN_OPTIONS"] = "suppressions=" + os.path.join(os.path.dirname(os.path.abspath(__file__)), "lsan.supp") + ":print_suppressions=0"


def run(*args, expect=0):
    result = subprocess.run([SPECTIDE, *args], capture_output=True, text=True, timeout=200, env=ENV)
    if result.returncode != expect:
        raise AssertionError(
            f"spectide {' '.join(args)}: exit {result.returncode}, expected {expect}\n"
            f"stdout: {result.stdout}\nstderr: {result.stderr}")
    return result


def check(condition, message):
    if not condition:
        raise AssertionError(message)
    print("ok:", message)


def read_csv(path):
    with open(path) as f:
        header = f.readline().strip().split(",")
        rows = [line.strip().split(",") for line in f if line.strip()]
    return header, rows


# ---------------------------------------------------------------- PNG I/O

def read_png(path):
    """8/16-bit gray or RGB(A), non-interlaced: values in [0,1], shape (h, w, c)."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert interlace == 0 and colour in (0, 2, 4, 6)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[colour]
    bpp = channels * depth // 8
    stride = width * bpp
    raw = zlib.decompress(idat)
    out = np.zeros((height, stride), dtype=np.uint8)
    previous = np.zeros(stride, dtype=np.int32)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = np.frombuffer(raw, np.uint8, stride, y * (stride + 1) + 1).astype(np.int32)
        cur = np.zeros(stride, dtype=np.int32)
        for i in range(stride):
            a = cur[i - bpp] if i >= bpp else 0
            b = previous[i]
            c = previous[i - bpp] if i >= bpp else 0
            if kind == 0:
                p = 0
            elif kind == 1:
                p = a
            elif kind == 2:
                p = b
            elif kind == 3:
                p = (a + b) // 2
            else:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                p = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            cur[i] = (line[i] + p) & 255
        out[y] = cur
        previous = cur
    if depth == 16:
        values = out.reshape(height, width * channels, 2).astype(np.uint32)
        values = (values[..., 0] << 8 | values[..., 1]) / 65535.0
    else:
        values = out / 255.0
    return values.reshape(height, width, channels)


def write_png16(path, rgb):
    """rgb in [0,1], shape (h, w, 3): a 16-bit RGB PNG (filter 0)."""
    h, w, _ = rgb.shape
    samples = np.round(rgb * 65535).astype(">u2").reshape(h, w * 3)
    raw = b"".join(b"\x00" + samples[y].tobytes() for y in range(h))

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 16, 2, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    open(path, "wb").write(png)


# ------------------------------------------------------------ RAPSD here

def rapsd_reference(x):
    """docs/conventions.md / pysteps: |fftshift(fft2)|^2/(MN), rings round(r) of centred coordinates."""
    h, w = x.shape
    power = np.abs(np.fft.fftshift(np.fft.fft2(x))) ** 2 / (w * h)
    yc = np.arange(h) - (h // 2 if h % 2 == 0 else (h - 1) // 2)
    xc = np.arange(w) - (w // 2 if w % 2 == 0 else (w - 1) // 2)
    r = np.round(np.hypot(*np.meshgrid(xc, yc))).astype(int)
    big = max(w, h)
    rings = big // 2 if big % 2 == 0 else (big - 1) // 2 + 1
    values = np.array([power[r == k].mean() for k in range(rings)])
    return np.arange(rings) / big, values


def ring_count(w, h):
    big = max(w, h)
    return big // 2 if big % 2 == 0 else (big - 1) // 2 + 1


def parse_alpha(line):
    return float(line.split("alpha")[1].split()[0].rstrip(","))


# ----------------------------------------------------------------- WAV I/O

def write_wav_float(path, samples, rate):
    data = np.asarray(samples, dtype="<f4").tobytes()
    fmt = struct.pack("<HHIIHH", 3, 1, rate, rate * 4, 4, 32)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(data)) + data
    open(path, "wb").write(b"RIFF" + struct.pack("<I", len(body)) + body)


def read_wav(path):
    """PCM16 or float32 mono/multi WAV -> float64 (frames, channels), rate."""
    data = open(path, "rb").read()
    assert data[:4] == b"RIFF" and data[8:12] == b"WAVE"
    pos, fmt, samples = 12, None, None
    while pos + 8 <= len(data):
        kind, length = struct.unpack("<4sI", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"fmt ":
            fmt = struct.unpack("<HHIIHH", body[:16])
        elif kind == b"data":
            samples = body
        pos += 8 + length + (length & 1)
    tag, channels, rate, _, _, bits = fmt
    if tag == 0xFFFE:
        tag = struct.unpack("<H", data[data.find(b"fmt ") + 8 + 24:][:2])[0]
    if tag == 3 and bits == 32:
        x = np.frombuffer(samples, "<f4").astype(np.float64)
    elif tag == 1 and bits == 16:
        x = np.frombuffer(samples, "<i2") / 32768.0
    else:
        raise ValueError(f"{path}: WAV format {tag}/{bits} not handled by the test")
    return x.reshape(-1, channels), rate


# --------------------------------------------------------------- the cases

def case_photo_alpha():
    for name in PHOTOS:
        out = run("rapsd", os.path.join(DATA, name)).stdout
        alpha = parse_alpha(out)
        check(1.8 <= alpha <= 3.0, f"{name}: alpha {alpha:.3f} in [1.8, 3.0]")
    out = run("rapsd", "--average", *[os.path.join(DATA, n) for n in PHOTOS]).stdout
    alpha = parse_alpha(out)
    check(1.8 <= alpha <= 3.0, f"log-domain mean of the photos: alpha {alpha:.3f} in [1.8, 3.0]")


def case_rapsd_csv():
    with tempfile.TemporaryDirectory() as tmp:
        spectra = {}
        for name in ["chelsea.png", "camera.png", "astronaut.png"]:
            csv = os.path.join(tmp, name + ".csv")
            run("rapsd", "--csv", csv, os.path.join(DATA, name))
            header, rows = read_csv(csv)
            spectra[name] = (np.array([float(r[0]) for r in rows]), np.array([float(r[1]) for r in rows]))
            if name == "astronaut.png":
                continue  # only needed for the average below
            image = read_png(os.path.join(DATA, name))
            h, w, c = image.shape
            check(header == ["freq", "power"], f"{name}: CSV header freq,power")
            check(len(rows) == ring_count(w, h), f"{name}: {len(rows)} rows = ring count of {w}x{h}")
            freq, power = spectra[name]
            check(np.allclose(freq, np.arange(len(rows)) / max(w, h), rtol=1e-7, atol=1e-12),
                  f"{name}: frequencies r/L")
            # Green channel (gray as is), x = 2v - 1, RAPSD by brute force.
            x = 2.0 * image[:, :, 1 if c >= 3 else 0] - 1.0
            _, expected = rapsd_reference(x)
            error = np.max(np.abs(power - expected) / expected)
            check(error < 1e-3, f"{name}: RAPSD equals a numpy RAPSD of the decoded PNG (max rel. error {error:.2e})")

        # --average: rows on the shared ring axis, 10^(mean log10 P) (same sizes here).
        csv = os.path.join(tmp, "avg.csv")
        run("rapsd", "--average", "--csv", csv, *[os.path.join(DATA, n) for n in ["astronaut.png", "camera.png"]])
        header, rows = read_csv(csv)
        mean = 10 ** ((np.log10(spectra["astronaut.png"][1]) + np.log10(spectra["camera.png"][1])) / 2)
        got = np.array([float(r[1]) for r in rows])
        check(header[:2] == ["freq", "power"] and len(rows) == 256, "--average CSV: freq,power,..., 256 rings")
        check(np.allclose(got, mean, rtol=1e-6), "--average CSV is the log-domain mean (same sizes)")

        # fmax: CSV layout and the value by definition from the RAPSD CSV.
        fcsv = os.path.join(tmp, "fmax.csv")
        photo = os.path.join(DATA, "chelsea.png")
        run("fmax", "--schedule", "rectified-flow", "--steps", "11", "--csv", fcsv, photo)
        header, rows = read_csv(fcsv)
        check(header == ["t", "fmax", "fmax_fit"] and len(rows) == 11, "fmax CSV: header t,fmax,fmax_fit, 11 rows")
        rfreq, rpower = spectra["chelsea.png"]
        for row in rows:
            t, fmax = float(row[0]), float(row[1])
            if t >= 1.0:
                continue
            floor = t * t / (1 - t) ** 2  # tau s^2 / a^2, rectified flow a = 1 - t, s = t
            above = np.nonzero(rpower[1:] > floor)[0]
            expected = rfreq[1:][above[-1]] if above.size else 0.0
            if abs(fmax - expected) > 1e-9:
                raise AssertionError(f"fmax at t={t}: {fmax}, by definition {expected}")
        check(True, "fmax(t) of rectified flow = largest ring frequency above t^2/(1-t)^2")
        run("fmax", "--schedule", "all", "--steps", "5", "--csv", fcsv, "--plot", os.path.join(tmp, "f.svg"), photo)
        header, rows = read_csv(fcsv)
        # Every schedule core lists (a new row in core's table needs no edit here).
        names = run("schedules", "--names").stdout.split()
        check(header == ["schedule", "t", "fmax", "fmax_fit"] and len(rows) == len(names) * 5
              and [row[0] for row in rows[::5]] == names,
              f"fmax --schedule all CSV: schedule,t,fmax,fmax_fit and {len(names)} schedules x 5 rows")
        check(open(os.path.join(tmp, "f.svg")).read(200).lstrip().startswith("<?xml"), "fmax --plot .svg is SVG")


def make_bad_images(tmp):
    bad = {}
    bad["missing"] = os.path.join(tmp, "missing.png")
    bad["truncated"] = os.path.join(tmp, "truncated.png")
    whole = open(os.path.join(DATA, "astronaut.png"), "rb").read()
    open(bad["truncated"], "wb").write(whole[: len(whole) // 2])
    bad["text"] = os.path.join(tmp, "text.png")
    open(bad["text"], "w").write("this is not an image\n")
    bad["empty"] = os.path.join(tmp, "empty.png")
    open(bad["empty"], "wb").close()
    bad["folder"] = os.path.join(tmp, "folder.png")
    os.mkdir(bad["folder"])
    bad["enormous"] = os.path.join(tmp, "enormous.png")
    write_png_header_only(bad["enormous"], 100000, 100000)
    bad["wav named .png"] = os.path.join(tmp, "sound.png")
    open(bad["wav named .png"], "wb").write(open(SPEECH, "rb").read())
    return bad


def png_chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def write_png_header_only(path, width, height):
    """A well-formed PNG whose header claims width x height RGB pixels but
    whose data holds one row: a decoder must refuse it from the header."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    row = zlib.compress(b"\0" + b"\x80" * 3 * 16)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", row)
                + png_chunk(b"IEND", b""))


def case_bad_images():
    with tempfile.TemporaryDirectory() as tmp:
        bad = make_bad_images(tmp)
        out = os.path.join(tmp, "out")
        os.mkdir(out)
        good = os.path.join(DATA, "camera.png")
        for kind, path in bad.items():
            runs = [
                ("rapsd", "--csv", f"{out}/r.csv", "--plot", f"{out}/r.png", path),
                ("rapsd", "--average", "--csv", f"{out}/r.csv", good, path),
                ("fmax", "--schedule", "all", "--csv", f"{out}/f.csv", "--plot", f"{out}/f.png", path),
                ("tide", "--sigma", "0.5", "--out-dir", f"{out}/tide", path),
            ]
            if kind == "folder":
                # A folder is an input now (walked for images): an empty one has none.
                runs[0] = ("rapsd", "--plot", f"{out}/r.png", path)
            for args in runs[:1] + runs[2:] if kind != "missing" else runs:
                result = run(*args, expect=1)
                check(path in result.stderr, f"{kind}: spectide {args[0]} exits 1 naming the file: {result.stderr.strip()}")
                check(os.listdir(out) == [], f"{kind}: spectide {args[0]} leaves no output (not even temporary files)")
        # The format comes from the content, as PIL reads it: a PNG named .jpg is a PNG.
        disguised = os.path.join(tmp, "photo.jpg")
        open(disguised, "wb").write(open(os.path.join(DATA, "astronaut.png"), "rb").read())
        as_jpg = run("rapsd", disguised).stdout.split(":", 1)[1]
        as_png = run("rapsd", os.path.join(DATA, "astronaut.png")).stdout.split(":", 1)[1]
        check(as_jpg == as_png, f"a PNG named .jpg is read as the PNG it is:{as_jpg.strip()}")


def case_png16_and_tide():
    with tempfile.TemporaryDirectory() as tmp:
        photo = os.path.join(DATA, "chelsea.png")
        image = read_png(photo)
        png16 = os.path.join(tmp, "chelsea16.png")
        write_png16(png16, image[:, :, :3])
        a8 = parse_alpha(run("rapsd", photo).stdout)
        a16 = parse_alpha(run("rapsd", png16).stdout)
        check(abs(a8 - a16) < 0.01, f"16-bit PNG reads as the 8-bit one: alpha {a16:.3f} vs {a8:.3f}")

        out = os.path.join(tmp, "tide")
        result = run("tide", "--schedule", "rectified-flow", "--t", "0.5", "--out-dir", out, photo)
        files = sorted(os.listdir(out))
        check(files == ["lowpass.png", "noisy.png", "tide.png", "wiener.png"], f"tide writes the 4 files: {files}")
        h, w, _ = image.shape
        for name in ["noisy.png", "lowpass.png", "wiener.png"]:
            shape = read_png(os.path.join(out, name)).shape
            check(shape[:2] == (h, w), f"{name} is {w}x{h}")
        # f_max printed = largest ring above s^2/a^2 = 1 at t = 0.5, from the numpy RAPSD.
        freq, power = rapsd_reference(2.0 * image[:, :, 1] - 1.0)
        above = np.nonzero(power[1:] > 1.0)[0]
        expected = freq[1:][above[-1]]
        printed = float(result.stdout.split("f_max")[1].split()[0])
        check(abs(printed - expected) < 6e-5, f"tide prints f_max {printed} = {expected:.4f} by definition")
        # The low-passed image has no power above f_max (ideal cut), measured here.
        low = read_png(os.path.join(out, "lowpass.png"))[:, :, 1] * 2.0 - 1.0
        f2, p2 = rapsd_reference(low)
        ratio = p2[f2 > expected * 1.2].mean() / power[f2 > expected * 1.2].mean()
        check(ratio < 0.05, f"lowpass.png: power above f_max down to {ratio:.3g} of the photo's (8-bit rounding left)")
        # The noisy image is visibly noisier: its RAPSD at high frequency is the noise, ~1 before clipping.
        noisy = read_png(os.path.join(out, "noisy.png"))[:, :, 1] * 2.0 - 1.0
        f3, p3 = rapsd_reference(noisy)
        check(p3[f3 > 0.3].mean() > 100 * power[f3 > 0.3].mean(), "noisy.png: high frequencies under noise")


def case_bad_audio():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out")
        os.mkdir(out)
        bad = {}
        bad["unreadable"] = os.path.join(tmp, "text.wav")
        open(bad["unreadable"], "w").write("RIFF? no, just text\n")
        whole = open(SPEECH, "rb").read()
        bad["truncated wav"] = os.path.join(tmp, "cut.wav")
        open(bad["truncated wav"], "wb").write(whole[: len(whole) // 2])
        ogg = open(MUSIC, "rb").read()
        bad["truncated ogg"] = os.path.join(tmp, "cut.ogg")
        open(bad["truncated ogg"], "wb").write(ogg[: len(ogg) // 3])
        bad["empty"] = os.path.join(tmp, "empty.wav")
        open(bad["empty"], "wb").close()
        bad["header only"] = os.path.join(tmp, "header.wav")
        write_wav_float(bad["header only"], [], 16000)
        bad["unknown format"] = os.path.join(tmp, "noise.xyz")
        open(bad["unknown format"], "wb").write(bytes(np.random.default_rng(1).integers(0, 256, 5000, dtype=np.uint8)))
        bad["NaN samples"] = os.path.join(tmp, "nan.wav")
        x = np.zeros(16000, dtype=np.float32)
        x[5000] = np.nan
        write_wav_float(bad["NaN samples"], x, 16000)
        bad["missing"] = os.path.join(tmp, "missing.wav")
        bad["folder"] = tmp
        bad["png named .wav"] = os.path.join(tmp, "picture.wav")
        open(bad["png named .wav"], "wb").write(open(os.path.join(DATA, "camera.png"), "rb").read())
        for kind, path in bad.items():
            for args in [("audio", "--csv", f"{out}/a.csv", "--plot", f"{out}/a.png", path),
                         ("mfcc", "--csv", f"{out}/m.csv", path),
                         ("melspec", "--csv", f"{out}/m.csv", path),
                         ("tide-audio", "--sigma-db", "-30", "--mode", "mask", path, f"{out}/o.wav")]:
                result = run(*args, expect=1)
                check(path in result.stderr, f"{kind}: spectide {args[0]} exits 1 naming the file: {result.stderr.strip()}")
                check(os.listdir(out) == [], f"{kind}: spectide {args[0]} leaves no output")


def tone_plus_noise(rate, seconds, tone_hz, amplitude, noise_variance, seed):
    rng = np.random.default_rng(seed)
    n = int(rate * seconds)
    t = np.arange(n) / rate
    tone = amplitude * np.sin(2 * np.pi * tone_hz * t)
    return tone, rng.normal(0.0, np.sqrt(noise_variance), n)


def welch_db(x, n=2048):
    w = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n) / n)
    frames = [x[i:i + n] * w for i in range(0, len(x) - n + 1, n // 2)]
    p = np.mean([np.abs(np.fft.rfft(f)) ** 2 for f in frames], axis=0) / np.sum(w * w)
    return np.fft.rfftfreq(n, 1.0), p


def case_tide_audio():
    rate, tone_hz = 16000, 1000.0  # 1000 Hz = bin 128 of 2048 at 16 kHz
    tone, noise = tone_plus_noise(rate, 4.0, tone_hz, 0.5, 1e-4, 7)
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "in.wav")
        write_wav_float(src, tone + noise, rate)
        out = os.path.join(tmp, "mask.wav")
        result = run("tide-audio", "--sigma-db", "-20", "--mode", "mask", src, out)
        y, out_rate = read_wav(out)
        y = y[:, 0]
        check(out_rate == rate and len(y) == len(tone), "mask keeps the rate and the length")
        inner = slice(4096, len(y) - 4096)  # away from the file's edges
        t = np.arange(len(y)) / rate
        basis = np.stack([np.sin(2 * np.pi * tone_hz * t), np.cos(2 * np.pi * tone_hz * t)], 1)[inner]
        coef = np.linalg.lstsq(basis, y[inner], rcond=None)[0]
        amplitude = np.hypot(*coef)
        check(abs(20 * np.log10(amplitude / 0.5)) < 0.1, f"mask keeps the tone: amplitude {amplitude:.4f} (0.5 in)")
        freq, p_in = welch_db((tone + noise)[inner])
        _, p_out = welch_db(y[inner])
        far = np.abs(freq * rate - tone_hz) > 100.0
        removed = 10 * np.log10(np.mean(p_in[far]) / np.mean(p_out[far]))
        check(removed >= 40.0, f"mask removes {removed:.1f} dB of the noise (>= 40) away from the tone")
        check("above water" in result.stdout, "mask prints the share above water")

        out = os.path.join(tmp, "noise.wav")
        for level in (-30.0, -12.0):
            run("tide-audio", "--sigma-db", str(level), "--seed", "3", "--mode", "noise", src, out)
            y, _ = read_wav(out)
            added = y[:, 0] - (tone + noise).astype(np.float32)
            measured = 10 * np.log10(np.var(added))
            check(abs(measured - level) < 0.2, f"noise at {level} dBFS: measured variance {measured:.3f} dB")
        # schedule form: sigma = s/a, rectified flow at t = 0.2: s/a = 0.25
        run("tide-audio", "--schedule", "rectified-flow", "--t", "0.2", "--mode", "noise", src, out)
        y, _ = read_wav(out)
        measured = 10 * np.log10(np.var(y[:, 0] - (tone + noise).astype(np.float32)))
        check(abs(measured - 20 * np.log10(0.25)) < 0.2, f"noise from rectified flow t=0.2 (s/a=0.25): {measured:.3f} dB")


# librosa's defaults, written out here with numpy (librosa is not a dependency).
def hz_to_mel(f):
    f = np.asarray(f, dtype=np.float64)
    mel = f / (200.0 / 3)
    log_region = f >= 1000.0
    return np.where(log_region, 15.0 + np.log(np.maximum(f, 1e-10) / 1000.0) / (np.log(6.4) / 27.0), mel)


def mel_to_hz(m):
    m = np.asarray(m, dtype=np.float64)
    return np.where(m >= 15.0, 1000.0 * np.exp((np.log(6.4) / 27.0) * (m - 15.0)), m * 200.0 / 3)


def mel_filters(sr, n_fft, n_mels):
    fft_freqs = np.arange(n_fft // 2 + 1) * sr / n_fft
    mel_f = mel_to_hz(np.linspace(hz_to_mel(0.0), hz_to_mel(sr / 2.0), n_mels + 2))
    fdiff = np.diff(mel_f)
    ramps = mel_f[:, None] - fft_freqs[None, :]
    lower = -ramps[:-2] / fdiff[:-1, None]
    upper = ramps[2:] / fdiff[1:, None]
    weights = np.maximum(0, np.minimum(lower, upper))
    return weights * (2.0 / (mel_f[2:n_mels + 2] - mel_f[:n_mels]))[:, None]


def log_mel_reference(y, sr, n_fft=2048, hop=512, n_mels=128):
    padded = np.pad(y, n_fft // 2)
    frames = 1 + (len(padded) - n_fft) // hop
    w = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n_fft) / n_fft)
    stft = np.stack([np.fft.rfft(padded[j * hop:j * hop + n_fft] * w) for j in range(frames)], 1)
    S = mel_filters(sr, n_fft, n_mels) @ (np.abs(stft) ** 2)
    return 10 * np.log10(np.maximum(1e-10, S))  # (n_mels, frames)


def case_mel():
    with wave.open(SPEECH) as f:
        rate = f.getframerate()
        y = np.frombuffer(f.readframes(f.getnframes()), "<i2") / 32768.0
    with tempfile.TemporaryDirectory() as tmp:
        csv = os.path.join(tmp, "mel.csv")
        run("melspec", "--csv", csv, SPEECH)
        header, rows = read_csv(csv)
        frames = 1 + len(y) // 512
        check(header == ["frame"] + [f"m{k}" for k in range(128)], "melspec header frame,m0..m127")
        check(len(rows) == frames, f"melspec: {len(rows)} frames = 1 + floor({len(y)}/512)")
        got = np.array([[float(v) for v in r[1:]] for r in rows]).T
        log_mel_written = got
        expected = log_mel_reference(y, rate)
        audible = expected > expected.max() - 80
        error = np.max(np.abs(got - expected)[audible])
        check(error < 0.02, f"melspec equals a numpy librosa-default log-mel within {error:.4f} dB")

        csv = os.path.join(tmp, "mfcc.csv")
        run("mfcc", "--csv", csv, SPEECH)
        header, rows = read_csv(csv)
        check(header == ["frame"] + [f"c{k}" for k in range(20)] and len(rows) == frames,
              "mfcc header frame,c0..c19 and one row per frame")
        n = 128
        k = np.arange(n)
        dct = np.sqrt(2.0 / n) * np.cos(np.pi * (2 * k[None, :] + 1) * k[:, None] / (2 * n))
        dct[0] /= np.sqrt(2.0)
        # The DCT is checked on the program's own log-mel (itself checked above).
        mfcc_expected = (dct @ log_mel_written)[:20]
        got = np.array([[float(v) for v in r[1:]] for r in rows]).T
        error = np.max(np.abs(got - mfcc_expected))
        check(error < 2e-3, f"mfcc equals the orthonormal DCT-II of the log-mel within {error:.2e}")

        run("mfcc", "--hop", "256", "--n-mfcc", "13", "--rate", "16000", "--csv", csv, SPEECH)
        header, rows = read_csv(csv)
        resampled = int(np.floor(len(y) * 16000 / rate + 0.5))
        check(len(header) == 14 and len(rows) == 1 + resampled // 256,
              f"mfcc --rate 16000 --hop 256 --n-mfcc 13: {len(rows)} x {len(header) - 1}")


def case_audio():
    with tempfile.TemporaryDirectory() as tmp:
        rate, variance = 22050, 0.01
        white = np.random.default_rng(11).normal(0, np.sqrt(variance), rate * 6)
        src = os.path.join(tmp, "white.wav")
        write_wav_float(src, white, rate)
        csv = os.path.join(tmp, "a.csv")
        out = run("audio", "--csv", csv, src).stdout
        header, rows = read_csv(csv)
        check(header == ["freq_hz", "power"] and len(rows) == 1025, "audio CSV: freq_hz,power, n_fft/2+1 rows")
        freq = np.array([float(r[0]) for r in rows])
        power = np.array([float(r[1]) for r in rows])
        check(np.allclose(freq, np.arange(1025) * rate / 2048), "audio CSV frequencies k*rate/n_fft")
        median = 10 * np.log10(np.median(power[1:-1]))
        check(abs(median - 10 * np.log10(variance)) < 0.2, f"white noise of variance 0.01 reads {median:.2f} dB (-20)")
        slope = float(out.split("slope")[1].split()[0])
        monotonicity = float(out.split("monotonicity")[1].split()[0])
        check(abs(slope) < 0.3, f"white noise: slope {slope} dB/octave ~ 0")
        check(0.2 <= monotonicity <= 0.8, f"white noise: monotonicity {monotonicity} ~ 0.5")

        out = run("audio", "--plot", os.path.join(tmp, "both.png"), SPEECH, MUSIC).stdout
        alphas = [parse_alpha(line) for line in out.splitlines() if "alpha" in line]
        check(len(alphas) == 2 and all(1.0 < a < 4.0 for a in alphas),
              f"speech and music: mel-spectrogram RAPSD alphas {alphas}")
        check(read_png(os.path.join(tmp, "both.png")).shape[1] == 1600, "audio --plot writes the comparison")
        out = run("audio", "--average", SPEECH, MUSIC).stdout
        check("log-domain mean of 2 files" in out, "audio --average prints one result")


def case_usage():
    for command in ["rapsd", "fmax", "tide", "schedules", "audio", "mfcc", "melspec", "tide-audio",
                    "merge", "report"]:
        result = run(command, "--help")
        check(result.stdout.startswith("usage: spectide " + command), f"spectide {command} --help")
    photo = os.path.join(DATA, "camera.png")
    for args in [("rapsd", "--bogus", photo), ("rapsd",), ("rapsd", "--channel", "purple", photo),
                 ("fmax", photo), ("fmax", "--schedule", "nope", photo), ("fmax", "--schedule", "rf", "--steps", "x", photo),
                 ("tide", "--sigma", "1", photo), ("tide", "--schedule", "rf", "--out-dir", "/tmp", photo),
                 ("tide", "--schedule", "rf", "--t", "1", "--out-dir", "/tmp", photo),
                 ("rapsd", "--plot", "x.jpg", photo), ("audio", "--n-fft", "1000", SPEECH),
                 ("mfcc", SPEECH), ("tide-audio", "--mode", "noise", SPEECH, "x.wav"),
                 ("tide-audio", "--sigma-db", "-20", "--mode", "loud", SPEECH, "x.wav"),
                 ("nonsense",), ()]:
        result = run(*args, expect=2)
        check(result.stderr.strip() != "", f"spectide {' '.join(args)}: exit 2 with a message")
    out = run("schedules").stdout
    check(all(name in out for name in ["rectified-flow", "sd3", "cosine", "ddpm", "scaled-linear", "edm"]),
          "schedules lists the six schedules")


CASES = {name[5:]: fn for name, fn in globals().items() if name.startswith("case_")}
if __name__ == "__main__":
    CASES[CASE]()
