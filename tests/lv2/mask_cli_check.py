"""The plugin's mask audition against the command line's; see test_mask_cli.sh.

Both read the same 32-bit float mono WAV (speech, and the music mixed to mono
by SoX). The plugin runs in lv2apply with -c audition 2 (mask) or 3
(residual) and -c sigma_db X; the command line runs tide-audio --mode mask or
residual --sigma-db X. The plugin's output is delayed by its reported latency
(the FFT size, 4096 by default: the command line's default too), the command
line's is not: plugin[i + 4096] must equal cli[i] within 1e-6.
"""
import subprocess
import sys

import numpy as np

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from wavio import read_wav  # noqa: E402

URI = "urn:spectide:mono"
LATENCY = 4096  # the fft_size default (TTL), which the plugin reports when masking
spectide, data, tmp = sys.argv[1], sys.argv[2], sys.argv[3]
failures = 0
worst_overall = 0.0


def check(ok, message):
    global failures
    print(("ok   " if ok else "FAIL ") + message)
    failures += 0 if ok else 1


inputs = []
for name, source in (("speech", f"{data}/speech-front-center.wav"),
                     ("music", f"{data}/music-frozen-bubble.ogg")):
    path = f"{tmp}/{name}.wav"
    subprocess.run(["sox", source, "-e", "floating-point", "-b", "32", "-c", "1", path],
                   check=True)
    inputs.append((name, path))

for name, path in inputs:
    x, rate = read_wav(path)
    # The water at the sigma port's minimum, -120 dBFS: the plugin gives back
    # its input delayed by the latency, up to the few bins below 1e-12 that
    # a 16-bit recording's quietest frames hold (perfect reconstruction with
    # every bin kept is tested in core and in test_dsp).
    out = f"{tmp}/{name}-identity.wav"
    subprocess.run(["lv2apply", "-i", path, "-o", out, "-c", "audition", "2", "-c", "sigma_db",
                    "-120", URI], check=True, timeout=600)
    y = read_wav(out)[0].astype(np.float64)
    error = np.max(np.abs(y[LATENCY:] - x[:len(x) - LATENCY]))
    check(error < 1e-5 and np.max(np.abs(y[:LATENCY])) < 1e-6,
          f"{name}: water at -120 dBFS: the plugin's mask is its input delayed by {LATENCY} "
          f"within {error:.1e}")
    for sigma_db in (-50, -30):
        for audition, mode in ((2, "mask"), (3, "residual")):
            plugin_out = f"{tmp}/{name}-{mode}-plugin.wav"
            cli_out = f"{tmp}/{name}-{mode}-cli.wav"
            subprocess.run(["lv2apply", "-i", path, "-o", plugin_out, "-c", "audition",
                            str(audition), "-c", "sigma_db", str(sigma_db), URI],
                           check=True, timeout=600)
            subprocess.run([spectide, "tide-audio", "--sigma-db", str(sigma_db), "--mode", mode,
                            path, cli_out], check=True, capture_output=True, timeout=600)
            plugin, plugin_rate = read_wav(plugin_out)
            cli, cli_rate = read_wav(cli_out)
            check(plugin_rate == cli_rate == rate and len(plugin) == len(cli) == len(x),
                  f"{name} {mode}: same rate and length")
            aligned_plugin = plugin[LATENCY:].astype(np.float64)
            aligned_cli = cli[:len(cli) - LATENCY].astype(np.float64)
            difference = np.max(np.abs(aligned_plugin - aligned_cli))
            identical = np.array_equal(plugin[LATENCY:], cli[:len(cli) - LATENCY])
            worst_overall = max(worst_overall, difference)
            removed = 10 * np.log10(np.sum(aligned_cli ** 2) /
                                    np.sum(x[:len(aligned_cli)].astype(np.float64) ** 2))
            if difference > 1e-6:
                # Diagnosis: which shift would align them (a plugin whose mask
                # spreads its work over `delay` samples reports n_fft + delay).
                shifts = range(LATENCY - 8, LATENCY + LATENCY // 4 + 1)
                best = min(shifts, key=lambda d: np.max(np.abs(
                    plugin[d:].astype(np.float64) - cli[:len(cli) - d])))
                print(f"     best alignment: plugin shifted by {best} samples")
            check(difference <= 1e-6,
                  f"{name} at {sigma_db} dBFS, {mode}: plugin (lv2apply, shifted by {LATENCY}) = "
                  f"tide-audio within {difference:.1e}{' (bit for bit)' if identical else ''}; "
                  f"output/input energy {removed:.1f} dB")
print(f"largest |plugin - cli| after the latency: {worst_overall:.2e}")
sys.exit(1 if failures else 0)
