#!/usr/bin/env bash
# spectide.lv2 in lv2apply (lilv-utils): no features, optional ports NULL,
# run() one frame at a time. Checks, with values computed here:
#  - pass-through is bit-exact on a real recording (32-bit float WAV);
#  - audition "noise": out - in has the variance sigma^2 within 0.2 dB;
#  - audition "mask": bins under water lose >= 40 dB, the tones above it
#    survive, delayed by the reported latency (the FFT size).
set -euo pipefail
# Debian's interpreter (python3-numpy), even when another python3 comes first in PATH.
python=/usr/bin/python3; [ -x "$python" ] || python=$(command -v python3)
for tool in lv2apply; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed"; exit 77; }
done
"$python" -c 'import numpy' 2>/dev/null || { echo "SKIP: python3-numpy is not installed"; exit 77; }
source_root=${SPECTIDE_SOURCE:?}
recording=$(ls "$source_root"/data/*.wav 2>/dev/null | sed -n 1p || true)
[ -n "$recording" ] || recording=/usr/share/sounds/alsa/Front_Center.wav
[ -f "$recording" ] || { echo "FAIL: no recording (data/*.wav or alsa-utils' Front_Center.wav)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
exec "$python" "$(dirname "$0")/lv2apply_check.py" "$recording" "$tmp"
