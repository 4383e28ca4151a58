"""The plugin's mask audition against the command line's; see test_mask_cli.sh.

Both read the same 32-bit float mono WAV (speech, and the music mixed to mono
by SoX). The plugin runs in lv2apply with -c audition 2 (mask) or 3
(residual) and -c sigma_db X; the command line runs tide-audio --mode mask or
residual --sigma-db X, at the plugin's default FFT size (4096: the command
line's default too) and at 16384 (-c fft_size / --n-fft), where each frame's
work is spread over half a hop. The plugin's output is delayed by the latency
it reports on its latency port (read by report_latency: n_fft, plus the
spread above 4096 points), the command line's is not: plugin[i + latency]
must equal cli[i] within 1e-6.
"""
import subprocess
import sys

import numpy as np

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from wavio import read_wav  # noqa: E402

URI = "urn:spectide:mono"
spectide, report_latency, data, tmp = sys.argv[1:5]
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


def compare(name, path, x, rate, controls, options, latency, size):
    """lv2apply's mask and residual against tide-audio's for one setting."""
    global worst_overall
    extra = [arg for symbol, value in controls for arg in ("-c", symbol, str(value))]
    tag = f"{name} n_fft {size}"
    # The water at the sigma port's minimum, -120 dBFS: the plugin gives back
    # its input delayed by the latency, up to the few bins below 1e-12 that
    # a 16-bit recording's quietest frames hold (perfect reconstruction with
    # every bin kept is tested in core and in test_dsp).
    out = f"{tmp}/{name}-{size}-identity.wav"
    subprocess.run(["lv2apply", "-i", path, "-o", out, "-c", "audition", "2", "-c", "sigma_db",
                    "-120"] + extra + [URI], check=True, timeout=600)
    y = read_wav(out)[0].astype(np.float64)
    error = np.max(np.abs(y[latency:] - x[:len(x) - latency]))
    check(error < 1e-5 and np.max(np.abs(y[:latency])) < 1e-6,
          f"{tag}: water at -120 dBFS: the plugin's mask is its input delayed by {latency} "
          f"within {error:.1e}")
    for sigma_db in (-50, -30):
        for audition, mode in ((2, "mask"), (3, "residual")):
            plugin_out = f"{tmp}/{name}-{size}-{mode}-plugin.wav"
            cli_out = f"{tmp}/{name}-{size}-{mode}-cli.wav"
            subprocess.run(["lv2apply", "-i", path, "-o", plugin_out, "-c", "audition",
                            str(audition), "-c", "sigma_db", str(sigma_db)] + extra + [URI],
                           check=True, timeout=600)
            subprocess.run([spectide, "tide-audio", "--sigma-db", str(sigma_db), "--mode", mode]
                           + options + [path, cli_out], check=True, capture_output=True,
                           timeout=600)
            plugin, plugin_rate = read_wav(plugin_out)
            cli, cli_rate = read_wav(cli_out)
            check(plugin_rate == cli_rate == rate and len(plugin) == len(cli) == len(x),
                  f"{tag} {mode}: same rate and length")
            aligned_plugin = plugin[latency:].astype(np.float64)
            aligned_cli = cli[:len(cli) - latency].astype(np.float64)
            difference = np.max(np.abs(aligned_plugin - aligned_cli))
            identical = np.array_equal(plugin[latency:], cli[:len(cli) - latency])
            worst_overall = max(worst_overall, difference)
            removed = 10 * np.log10(np.sum(aligned_cli ** 2) /
                                    np.sum(x[:len(aligned_cli)].astype(np.float64) ** 2))
            if difference > 1e-6:
                # Diagnosis: which shift would align them.
                shifts = range(max(0, latency - size // 2), latency + size // 2 + 1)
                best = min(shifts, key=lambda d: np.max(np.abs(
                    plugin[d:].astype(np.float64) - cli[:len(cli) - d])))
                print(f"     best alignment: plugin shifted by {best} samples")
            check(difference <= 1e-6,
                  f"{tag} at {sigma_db} dBFS, {mode}: plugin (lv2apply, shifted by its reported "
                  f"latency {latency}) = tide-audio within {difference:.1e}"
                  f"{' (bit for bit)' if identical else ''}; output/input energy {removed:.1f} dB")


def reported_latency(controls):
    """The plugin's latency port with these controls (-c pairs, masking)."""
    args = [report_latency, URI, "audition", "2"]
    for symbol, value in controls:
        args += [symbol, str(value)]
    return int(subprocess.run(args, check=True, capture_output=True, text=True,
                              timeout=60).stdout)


# (plugin controls, command-line options): the defaults, and a size whose
# frames are spread over half a hop (latency above the FFT size).
settings = [([], []), ([("fft_size", 16384)], ["--n-fft", "16384"])]
for name, path in inputs:
    x, rate = read_wav(path)
    for controls, options in settings:
        latency = reported_latency(controls)
        size = dict(controls).get("fft_size", 4096)
        check(latency >= size, f"{name}: FFT size {size}: the plugin reports a latency of "
              f"{latency} samples")
        compare(name, path, x, rate, controls, options, latency, size)
print(f"largest |plugin - cli| after the latency: {worst_overall:.2e}")
sys.exit(1 if failures else 0)
