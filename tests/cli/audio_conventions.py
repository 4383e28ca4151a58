#!/usr/bin/env python3
"""The audio conventions of the spectide command line, against references
written here from their definitions (docs/conventions.md, and librosa's
documentation for mfcc/melspec; librosa itself is not a dependency).

usage: audio_conventions.py SPECTIDE DATA_DIR CASE   (CASE: mel | rates | mask)

  mel    spectide melspec / mfcc against a numpy re-implementation of
         librosa.power_to_db(librosa.feature.melspectrogram(y, sr)) and
         librosa.feature.mfcc(y, sr) with their documented defaults (0.11.0):
         on speech, music, silence, near-silence and a pure tone, with the
         default top_db=80 and with --top-db none.
  rates  white noise of variance v in WAV files at 8, 16, 22.05, 44.1, 48 and
         96 kHz reads v in `spectide audio --csv` at the default analysis rate
         and at explicit --rate values; tide-audio's shares above water
         switch from ~100 % to ~0 % as the water line crosses v.
  mask   tide-audio --mode mask / residual: the water mask against an offline
         weighted overlap-add written here (float64), perfect reconstruction
         with the water below every bin, residual = input - mask bit for bit.
"""
import os
import re
import struct
import subprocess
import sys
import tempfile

import numpy as np

SPECTIDE, DATA, CASE = sys.argv[1], sys.argv[2], sys.argv[3]
SPEECH = os.path.join(DATA, "speech-front-center.wav")
MUSIC = os.path.join(DATA, "music-frozen-bubble.ogg")

ENV = dict(os.environ)
ENV["ASAN_OPTIONS"] = ENV.get("ASAN_OPTIONS", "detect_leaks=1") + ":fast_unwind_on_malloc=0"
ENV["LSAN_OPTIONS"] = "suppressions=" + os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "lsan.supp") + ":print_suppressions=0"


def run(*args, expect=0):
    result = subprocess.run([SPECTIDE, *args], capture_output=True, text=True, timeout=200, env=ENV)
    if result.returncode != expect:
        raise AssertionError(f"spectide {' '.join(args)}: exit {result.returncode}, expected "
                             f"{expect}\nstdout: {result.stdout}\nstderr: {result.stderr}")
    return result


def check(condition, message):
    if not condition:
        raise AssertionError("FAIL: " + message)
    print("ok:", message)


def read_csv_matrix(path):
    with open(path) as f:
        header = f.readline().strip().split(",")
        rows = np.loadtxt(f, delimiter=",", ndmin=2)
    return header, rows


# ------------------------------------------------------------ WAV I/O

def write_wav_float(path, samples, rate):
    x = np.asarray(samples, dtype="<f4")
    channels = 1 if x.ndim == 1 else x.shape[1]
    payload = x.tobytes()
    header = b"RIFF" + struct.pack("<I", 4 + 26 + 8 + len(payload)) + b"WAVE"
    header += b"fmt " + struct.pack("<IHHIIHHH", 18, 3, channels, rate, rate * 4 * channels,
                                    4 * channels, 32, 0)
    with open(path, "wb") as f:
        f.write(header + b"data" + struct.pack("<I", len(payload)) + payload)


def read_wav(path):
    """(samples[frames, channels] as float32/float64 as stored, rate)."""
    with open(path, "rb") as f:
        data = f.read()
    pos, fmt, body = 12, None, None
    while pos + 8 <= len(data):
        kind, size = data[pos:pos + 4], struct.unpack("<I", data[pos + 4:pos + 8])[0]
        if kind == b"fmt ":
            tag, channels, rate, _, _, bits = struct.unpack("<HHIIHH", data[pos + 8:pos + 24])
            if tag == 0xFFFE:
                tag = struct.unpack("<H", data[pos + 32:pos + 34])[0]
            fmt = (tag, channels, rate, bits)
        elif kind == b"data":
            body = data[pos + 8:pos + 8 + size]
        pos += 8 + size + (size & 1)
    tag, channels, rate, bits = fmt
    if tag == 3 and bits == 32:
        x = np.frombuffer(body, "<f4")
    elif tag == 1 and bits == 16:
        x = np.frombuffer(body, "<i2").astype(np.float32) / np.float32(32768.0)
    else:
        raise ValueError(f"{path}: WAV format {tag}/{bits} not handled here")
    return x[:len(x) // channels * channels].reshape(-1, channels), rate


def load_mono(path, tmp):
    """As librosa.load(path, sr=None, mono=True): the mean of the channels.
    Ogg/Vorbis is decoded by SoX (its own libvorbis path, not libsndfile)."""
    if not path.endswith(".wav"):
        decoded = os.path.join(tmp, "decoded.wav")
        subprocess.run(["sox", path, "-e", "floating-point", "-b", "32", decoded], check=True)
        path = decoded
    x, rate = read_wav(path)
    return x.astype(np.float64).mean(axis=1), rate


# ------------------------------------------- librosa's defaults in numpy
# Written from librosa's documentation: stft(center=True, pad_mode='constant',
# window='hann' = scipy's periodic Hann), melspectrogram(power=2.0),
# filters.mel(htk=False, norm='slaney'), power_to_db(ref=1.0, amin=1e-10,
# top_db=80.0), feature.mfcc(dct_type=2, norm='ortho', n_mfcc=20).

def slaney_hz_to_mel(hz):
    hz = np.asarray(hz, dtype=np.float64)
    linear = hz * 3.0 / 200.0
    return np.where(hz >= 1000.0,
                    15.0 + np.log(np.maximum(hz, 1000.0) / 1000.0) * 27.0 / np.log(6.4), linear)


def slaney_mel_to_hz(mel):
    mel = np.asarray(mel, dtype=np.float64)
    return np.where(mel >= 15.0, 1000.0 * np.exp((mel - 15.0) * np.log(6.4) / 27.0),
                    mel * 200.0 / 3.0)


def librosa_mel_basis(sr, n_fft, n_mels, fmin=0.0, fmax=None):
    fmax = sr / 2.0 if fmax is None else fmax
    bin_hz = np.arange(n_fft // 2 + 1) * sr / n_fft
    edges = slaney_mel_to_hz(np.linspace(slaney_hz_to_mel(fmin), slaney_hz_to_mel(fmax),
                                         n_mels + 2))
    basis = np.zeros((n_mels, len(bin_hz)))
    for m in range(n_mels):
        rising = (bin_hz - edges[m]) / (edges[m + 1] - edges[m])
        falling = (edges[m + 2] - bin_hz) / (edges[m + 2] - edges[m + 1])
        basis[m] = np.maximum(0.0, np.minimum(rising, falling)) * 2.0 / (edges[m + 2] - edges[m])
    return basis


def librosa_melspectrogram(y, sr, n_fft=2048, hop=512, n_mels=128):
    padded = np.concatenate([np.zeros(n_fft // 2), y, np.zeros(n_fft // 2)])
    frames = 1 + len(y) // hop
    window = 0.5 - 0.5 * np.cos(2.0 * np.pi * np.arange(n_fft) / n_fft)
    index = np.arange(n_fft)[None, :] + hop * np.arange(frames)[:, None]
    spectrum = np.fft.rfft(padded[index] * window, axis=1)
    power = spectrum.real ** 2 + spectrum.imag ** 2
    return librosa_mel_basis(sr, n_fft, n_mels) @ power.T  # (n_mels, frames)


def librosa_power_to_db(S, top_db=80.0):
    log_spec = 10.0 * np.log10(np.maximum(1e-10, S)) - 10.0 * np.log10(1.0)
    if top_db is not None:
        log_spec = np.maximum(log_spec, log_spec.max() - top_db)
    return log_spec


def orthonormal_dct2(x, n_out):
    n = x.shape[0]
    k = np.arange(n_out)[:, None]
    basis = np.cos(np.pi * k * (2 * np.arange(n)[None, :] + 1) / (2 * n))
    scale = np.where(k == 0, np.sqrt(1.0 / n), np.sqrt(2.0 / n))
    return (scale * basis) @ x


def case_mel():
    worst = {}
    with tempfile.TemporaryDirectory() as tmp:
        rate = 22050
        t = np.arange(3 * rate) / rate
        # The music is decoded once by SoX to a float WAV, which both programs
        # read: the comparison is of the analysis, not of two Vorbis decoders.
        decoded = os.path.join(tmp, "music.wav")
        subprocess.run(["sox", MUSIC, "-e", "floating-point", "-b", "32", decoded], check=True)
        signals = [
            ("speech", *load_mono(SPEECH, tmp)),
            ("music", *load_mono(decoded, tmp)),
            ("silence", np.zeros(2 * rate), rate),
            ("near-silence", 1e-6 * np.random.default_rng(5).standard_normal(2 * rate), rate),
            ("tone", 0.5 * np.sin(2 * np.pi * 440.0 * t), rate),
        ]
        for name, y, sr in signals:
            src = os.path.join(tmp, name + ".wav")
            if name in ("speech", "music"):
                src = SPEECH if name == "speech" else decoded
            else:
                write_wav_float(src, y, sr)
                y = np.asarray(y, np.float32).astype(np.float64)
            S = librosa_melspectrogram(y, sr)
            for top_db in (80.0, None):
                expected = librosa_power_to_db(S, top_db)
                extra = [] if top_db == 80.0 else ["--top-db", "none"]
                label = "default (top_db=80)" if top_db else "--top-db none"
                csv = os.path.join(tmp, "mel.csv")
                run("melspec", *extra, "--csv", csv, src)
                header, rows = read_csv_matrix(csv)
                got = rows[:, 1:].T
                check(got.shape == expected.shape, f"{name}: melspec {got.shape} = librosa's "
                      f"{expected.shape} (1 + floor(samples/512) frames)")
                difference = np.abs(got - expected)
                # Without a floor, bands far below the loudest hold float32
                # rounding (librosa's STFT is float32 too): resolved within
                # 100 dB of the maximum; the rest is reported, not compared.
                resolved = expected >= expected.max() - 100.0
                deep_error = np.max(difference[~resolved]) if np.any(~resolved) else 0.0
                difference = np.where(resolved, difference, 0.0)
                mel_error = np.max(difference)
                where = np.unravel_index(np.argmax(difference), difference.shape)
                depth = expected.max() - expected[where]
                if top_db:
                    floor_ok = np.min(got) >= np.max(got) - 80.0 - 1e-3
                    check(floor_ok, f"{name}: melspec floored at max - 80 dB by default")
                run("mfcc", *extra, "--csv", csv, src)
                header, rows = read_csv_matrix(csv)
                got_mfcc = rows[:, 1:].T
                expected_mfcc = orthonormal_dct2(expected, 20)
                check(header[1:] == [f"c{k}" for k in range(20)] and
                      got_mfcc.shape == expected_mfcc.shape, f"{name}: mfcc 20 x frames")
                mfcc_error = np.max(np.abs(got_mfcc - expected_mfcc))
                scale = np.max(np.abs(expected_mfcc))
                deep = (f"; {deep_error:.2e} dB deeper than 100 dB below" if np.any(~resolved)
                        else "")
                print(f"   {name:12s} {label:20s} melspec max |diff| {mel_error:.2e} dB "
                      f"({depth:.0f} dB below the maximum{deep}), mfcc max |diff| "
                      f"{mfcc_error:.2e} (|mfcc| <= {scale:.0f})")
                check(mel_error < 0.01, f"{name} {label}: melspec = librosa's within "
                      f"{mel_error:.2e} dB")
                check(mfcc_error < (0.002 if top_db else 0.1),
                      f"{name} {label}: mfcc = librosa's within "
                      f"{mfcc_error:.2e}")
                worst[("melspec", label)] = max(worst.get(("melspec", label), 0), mel_error)
                worst[("mfcc", label)] = max(worst.get(("mfcc", label), 0), mfcc_error)
                if name == "silence":
                    check(np.all(got == -100.0) and abs(got_mfcc[0, 0] + 100 * np.sqrt(128)) < 1e-3
                          and np.max(np.abs(got_mfcc[1:])) < 1e-3,
                          f"silence {label}: every band at -100 dB (amin 1e-10; the floor at "
                          f"max - 80 = -180 changes nothing), c0 = -100 sqrt(128), others 0")
        # The floor is what made the MFCCs differ from librosa's (the reason for
        # the default): without it, on speech, the differences are large.
        y, sr = load_mono(SPEECH, tmp)
        csv = os.path.join(tmp, "mfcc.csv")
        run("mfcc", "--top-db", "none", "--csv", csv, SPEECH)
        unfloored = read_csv_matrix(csv)[1][:, 1:].T
        default = orthonormal_dct2(librosa_power_to_db(librosa_melspectrogram(y, sr)), 20)
        gap = np.max(np.abs(unfloored - default))
        check(gap > 10, f"speech: without the floor the MFCCs are {gap:.0f} away from librosa's "
              "default ones")
        run("mfcc", "--top-db", "0", "--csv", csv, SPEECH, expect=2)
        run("mfcc", "--top-db", "loud", "--csv", csv, SPEECH, expect=2)
        check("top_db=80.0" in run("mfcc", "--help").stdout and
              "pad_mode='constant'" in run("melspec", "--help").stdout,
              "--help names the librosa calls with their defaults")
    for (what, label), error in sorted(worst.items()):
        print(f"largest difference, {what} {label}: {error:.2e}")


# --------------------------------------------------------------- rates

RATES = [8000, 16000, 22050, 44100, 48000, 96000]


def case_rates():
    variance = 0.01  # sigma 0.1: -20 dB
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for rate in RATES:
            x = np.random.default_rng(rate).normal(0.0, np.sqrt(variance), 12 * rate)
            src = os.path.join(tmp, f"white{rate}.wav")
            write_wav_float(src, x, rate)
            measured_variance = np.var(x.astype(np.float32).astype(np.float64))
            for analysis in [None] + sorted({16000, 44100, rate}):
                extra = [] if analysis is None else ["--rate", str(analysis)]
                a = 22050 if analysis is None else analysis
                csv = os.path.join(tmp, "a.csv")
                out = run("audio", *extra, "--csv", csv, src).stdout
                check(f"analysed at {a} Hz" in out, f"{rate} Hz file analysed at {a} Hz")
                _, rows = read_csv_matrix(csv)
                freq, power = rows[:, 0], rows[:, 1]
                # The band the analysis represents (docs/conventions.md): all of
                # it at the file's rate, else 0.7 x the lower Nyquist.
                top = a / 2 if a == rate else 0.7 * min(a, rate) / 2
                band = (freq > 0) & (freq <= top + 1e-6)
                level = 10 * np.log10(np.mean(power[band]) / measured_variance)
                # 1/3-octave groups above 100 Hz: flat within the noise of the estimate.
                edges = 100.0 * 2.0 ** (np.arange(0, 20) / 3.0)
                groups = [10 * np.log10(np.mean(power[band & (freq >= lo) & (freq < hi)]) /
                                        measured_variance)
                          for lo, hi in zip(edges[:-1], edges[1:])
                          if np.count_nonzero(band & (freq >= lo) & (freq < hi)) >= 16]
                spread = max(abs(g) for g in groups)
                worst = max(worst, abs(level))
                print(f"   file {rate:5d} Hz, analysis {a:5d} Hz"
                      f"{' (default)' if analysis is None else '          '}: mean over "
                      f"0..{top:.0f} Hz {level:+.3f} dB, 1/3-octave groups within {spread:.2f} dB")
                check(abs(level) < 0.1 and spread < 0.5,
                      f"white noise of variance v at {rate} Hz reads v at {a} Hz: "
                      f"{level:+.3f} dB, groups within {spread:.2f} dB")
            # tide-audio: the shares above water, at the file's rate.
            # (a Welch mean of about 100 frames at 8 kHz: 3 dB is 3.5 standard deviations)
            for offset_db, above in ((-3.0, True), (3.0, False)):
                sigma_db = 10 * np.log10(measured_variance) + offset_db
                out = run("tide-audio", "--sigma-db", f"{sigma_db:.6f}", "--mode", "noise", src,
                          os.path.join(tmp, "o.wav")).stdout
                bins, energy = map(float, re.search(r"above water: ([\d.]+)% of the spectrum "
                                                    r"\(bins\), ([\d.]+)% of the energy",
                                                    out).groups())
                ok = (bins > 99.0 and energy > 99.0) if above else (bins < 1.0 and energy < 1.0)
                check(ok, f"{rate} Hz: water {offset_db:+.0f} dB from v: {bins:.1f}% of the bins, "
                      f"{energy:.1f}% of the energy above water")
    print(f"largest |mean - v| over every file rate and analysis rate: {worst:.3f} dB")


# ---------------------------------------------------------------- mask

def reference_mask(x, level, n_fft=4096):
    """Offline weighted overlap-add in float64, from the documented rule:
    n_fft - hop/2 zeros before the signal, frames every hop = n_fft/4,
    periodic Hann, keep bins with |X|^2/sum(w^2) > level, inverse FFT, Hann
    again, divide by the sum of the squared windows. Also returns, per
    frame, whether any decision was within 1e-4 (relative) of the line."""
    hop = n_fft // 4
    prime = n_fft - hop // 2
    v = np.concatenate([np.zeros(prime), x, np.zeros(2 * n_fft)])
    w = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n_fft) / n_fft)
    norm = np.zeros(hop)
    for m in range(0, n_fft, hop):
        norm += w[m:m + hop] ** 2
    synthesis = w / np.tile(norm, n_fft // hop)
    out = np.zeros(len(v))
    ambiguous = np.zeros(len(v), bool)
    for start in range(0, len(v) - n_fft + 1, hop):
        spectrum = np.fft.rfft(v[start:start + n_fft] * w)
        power = np.abs(spectrum) ** 2 / np.sum(w * w)
        if np.any(np.abs(power - level) < 1e-4 * level):
            ambiguous[start:start + n_fft] = True
        spectrum[power <= level] = 0.0
        out[start:start + n_fft] += np.fft.irfft(spectrum, n_fft) * synthesis
    return out[prime:prime + len(x)], ambiguous[prime:prime + len(x)]


def case_mask():
    with tempfile.TemporaryDirectory() as tmp:
        decoded = os.path.join(tmp, "music.wav")
        subprocess.run(["sox", MUSIC, "-e", "floating-point", "-b", "32", decoded], check=True)
        # The music decoded once to a float WAV (stereo), so that the program's
        # input is known here to the bit: the mean of the channels in float.
        for name, path in (("speech", SPEECH), ("music", decoded)):
            stored, rate = read_wav(path)
            x32 = stored.astype(np.float64).mean(axis=1).astype(np.float32)
            x = x32.astype(np.float64)
            out = os.path.join(tmp, "kept.wav")
            run("tide-audio", "--sigma-db", "-200", "--mode", "mask", path, out)
            identity = read_wav(out)[0][:, 0].astype(np.float64)
            same = np.max(np.abs(identity - x))
            check(len(identity) == len(x) and same < 1e-6,
                  f"{name}: water below every bin: mask = input within {same:.1e} "
                  f"(perfect reconstruction, |x| <= {np.max(np.abs(x)):.2f})")
            for sigma_db in (-50.0, -30.0):
                level = 10 ** (sigma_db / 10)
                kept_path = os.path.join(tmp, "kept.wav")
                drowned_path = os.path.join(tmp, "drowned.wav")
                run("tide-audio", "--sigma-db", str(sigma_db), "--mode", "mask", path, kept_path)
                run("tide-audio", "--sigma-db", str(sigma_db), "--mode", "residual", path,
                    drowned_path)
                kept = read_wav(kept_path)[0][:, 0]
                drowned = read_wav(drowned_path)[0][:, 0]
                check(np.array_equal(drowned, x32 - kept),
                      f"{name} at {sigma_db} dBFS: residual = input - mask, bit for bit in float32")
                expected, ambiguous = reference_mask(x, level)
                error = np.max(np.abs(kept - expected)[~ambiguous])
                energy = 10 * np.log10(np.sum(kept.astype(np.float64) ** 2) / np.sum(x ** 2))
                print(f"   {name} at {sigma_db} dBFS: mask vs float64 reference within "
                      f"{error:.2e} ({np.count_nonzero(ambiguous)} samples near an ambiguous "
                      f"decision left out); kept {energy:.2f} dB of the energy")
                check(error < 1e-5, f"{name} at {sigma_db} dBFS: mask = the offline weighted "
                      f"overlap-add within {error:.1e}")
                check(np.count_nonzero(ambiguous) < len(x) / 4, "few ambiguous decisions")


if __name__ == "__main__":
    {"mel": case_mel, "rates": case_rates, "mask": case_mask}[CASE]()
