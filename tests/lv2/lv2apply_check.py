"""spectide.lv2 through lv2apply; see test_lv2apply.sh. Independent numpy checks."""
import subprocess
import sys

import numpy as np

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from wavio import read_wav, write_float_wav  # noqa: E402

URI = "urn:spectide:mono"
recording, tmp = sys.argv[1], sys.argv[2]
failures = 0


def check(ok, message):
    global failures
    print(("ok   " if ok else "FAIL ") + message)
    failures += 0 if ok else 1


def apply(samples, rate, controls, name):
    src, dst = f"{tmp}/{name}-in.wav", f"{tmp}/{name}-out.wav"
    write_float_wav(src, samples, rate)
    command = ["lv2apply", "-i", src, "-o", dst]
    for symbol, value in controls.items():
        command += ["-c", symbol, str(value)]
    subprocess.run(command + [URI], check=True, timeout=120)
    out, out_rate = read_wav(dst)
    assert out_rate == rate and out.shape == samples.shape, (out.shape, samples.shape)
    return out


speech, rate = read_wav(recording)
if speech.ndim > 1:
    speech = speech[:, 0].copy()
speech = speech.astype(np.float32)
print(f"recording {recording}: {len(speech)} samples at {rate} Hz")

# 1. Pass-through, bit for bit (audition off is the default).
out = apply(speech, rate, {}, "pass")
check(out.tobytes() == speech.tobytes(), "pass-through is bit-exact on the recording")

# 2. Noise at the tide level.
for sigma_db in (-30.0, -12.0):
    out = apply(speech, rate, {"audition": 1, "sigma_db": sigma_db, "seed": 7}, "noise")
    noise = out.astype(np.float64) - speech
    measured = 10 * np.log10(np.var(noise))
    check(abs(measured - sigma_db) < 0.2,
          f"noise at sigma {sigma_db} dBFS: variance {measured:.3f} dB, expected {sigma_db:.1f} dB")
out2 = apply(speech, rate, {"audition": 1, "sigma_db": -30.0, "seed": 7}, "noise-again")
out3 = apply(speech, rate, {"audition": 1, "sigma_db": -30.0, "seed": 8}, "noise-seed8")
check(out2.tobytes() == apply(speech, rate, {"audition": 1, "sigma_db": -30.0, "seed": 7},
                              "noise-third").tobytes() and out2.tobytes() != out3.tobytes(),
      "same seed, same noise; another seed, other noise")

# 3. Mask: three tones far above the water, white noise far below it.
n_fft = 4096
rng = np.random.default_rng(3)
t = np.arange(4 * rate) / rate
tones = 0.2 * np.sin(2 * np.pi * 440 * t) + 0.1 * np.sin(2 * np.pi * 1250 * t) \
    + 0.05 * np.sin(2 * np.pi * 3100 * t)
hiss = 10 ** (-70 / 20) * rng.standard_normal(len(t))
signal = (tones + hiss).astype(np.float32)
out = apply(signal, rate, {"audition": 2, "sigma_db": -40.0, "fft_size": n_fft}, "mask").astype(np.float64)


def band_power(x, low, high):
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x)))) ** 2
    freq = np.fft.rfftfreq(len(x), 1 / rate)
    return spectrum[(freq >= low) & (freq < high)].sum()


# Steady state, aligned by the latency the plugin reports (n_fft).
start, stop = 2 * n_fft, len(t) - 2 * n_fft
aligned_out = out[start + n_fft:stop + n_fft] if stop + n_fft <= len(out) else out[start + n_fft:]
aligned_in = signal[start:start + len(aligned_out)].astype(np.float64)
for low, high in ((5000, 20000), (1700, 2600)):
    removed_db = 10 * np.log10(band_power(aligned_in, low, high) / band_power(aligned_out, low, high))
    check(removed_db >= 40, f"mask removes {removed_db:.1f} dB of the hiss under water in {low}-{high} Hz")
tone_error = aligned_out - tones[start:start + len(aligned_out)]
snr = 10 * np.log10(np.mean(tones ** 2) / np.mean(tone_error ** 2))
check(snr > 40, f"tones survive, aligned by a latency of {n_fft} samples: tone/error {snr:.1f} dB")
sys.exit(1 if failures else 0)
