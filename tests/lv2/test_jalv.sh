#!/usr/bin/env bash
# spectide.lv2 live in jalv on a JACK dummy server: sndfile-jackplay feeds
# white noise, then 1/f (pink) noise, into the plugin; `jalv -p` prints the
# output controls. The spectral slope must read ~0 dB/octave for white and
# ~-3 dB/octave for pink (both generated here with numpy). The console
# command `monitors` prints the output controls (-p prints nothing for a
# plugin without a UI in jalv 1.6).
set -euo pipefail
# Debian's interpreter (python3-numpy), even when another python3 comes first in PATH.
python=/usr/bin/python3; [ -x "$python" ] || python=$(command -v python3)
for tool in jackd jalv sndfile-jackplay jack_lsp; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed"; exit 77; }
done
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
server=spectide_jalv_$$
export JACK_DEFAULT_SERVER=$server
jack_pid= jalv_pid=
cleanup() {
  exec 3>&- 2>/dev/null || true
  [ -n "$jalv_pid" ] && kill "$jalv_pid" 2>/dev/null || true
  [ -n "$jalv_pid" ] && wait "$jalv_pid" 2>/dev/null || true
  [ -n "$jack_pid" ] && kill "$jack_pid" 2>/dev/null || true
  [ -n "$jack_pid" ] && wait "$jack_pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

"$python" - "$tmp" "$here" <<'PY'
import sys
import numpy as np
sys.path.insert(0, sys.argv[2])
from wavio import write_float_wav
rate, rng = 48000, np.random.default_rng(11)
white = 0.1 * rng.standard_normal(6 * rate)
spectrum = np.fft.rfft(rng.standard_normal(6 * rate))
f = np.fft.rfftfreq(6 * rate, 1 / rate)
spectrum[1:] /= np.sqrt(f[1:])  # power ~ 1/f: -3.01 dB per octave
spectrum[0] = 0
pink = np.fft.irfft(spectrum)
pink *= 0.1 / pink.std()
write_float_wav(f"{sys.argv[1]}/white.wav", white, rate)
write_float_wav(f"{sys.argv[1]}/pink.wav", pink, rate)
PY

jackd --no-realtime -n "$server" -d dummy -r 48000 -p 256 >"$tmp/jackd.log" 2>&1 &
jack_pid=$!
for _ in $(seq 50); do jack_lsp >/dev/null 2>&1 && break; sleep 0.1; done
jack_lsp >/dev/null 2>&1 || { echo "FAIL: jackd did not start"; cat "$tmp/jackd.log"; exit 1; }

mkfifo "$tmp/stdin"
# Line-buffered: the log is read while jalv runs.
stdbuf -oL jalv -x -n stjalv -c averaging=0.5 urn:spectide:mono <"$tmp/stdin" >"$tmp/jalv.log" 2>&1 &
jalv_pid=$!
exec 3>"$tmp/stdin"
for _ in $(seq 100); do jack_lsp 2>/dev/null | grep -q '^stjalv:in$' && break; sleep 0.1; done
jack_lsp 2>/dev/null | grep -q '^stjalv:in$' || { echo "FAIL: jalv did not come up"; cat "$tmp/jalv.log"; exit 1; }

last_slope() { grep -a 'slope = ' "$tmp/jalv.log" | tail -n 1 | sed 's/.*slope = *//' || true; }
status=0
for noise in white pink; do
  sndfile-jackplay --autoconnect=stjalv:in "$tmp/$noise.wav" >"$tmp/play.log" 2>&1 &
  play_pid=$!
  sleep 4.5   # 6 s of noise; read while it still plays, after the 0.5 s average settled
  echo monitors >&3
  sleep 0.3
  slope=$(last_slope)
  kill "$play_pid" 2>/dev/null || true
  wait "$play_pid" 2>/dev/null || true
  expected=0; [ $noise = pink ] && expected=-3.01
  echo "$noise noise: jalv reports slope = ${slope:-none} dB/octave (expected $expected)"
  python3 -c "import sys; sys.exit(0 if abs(float('${slope:-nan}') - $expected) < 0.5 else 1)" ||
    { echo "FAIL: slope of $noise noise"; status=1; }
  sleep 1.5   # the average forgets this noise before the next one
done
grep -a -E 'above_bins|alpha|latency' "$tmp/jalv.log" | tail -n 3 || true
[ $status -eq 0 ] || tail -n 20 "$tmp/jalv.log"
exit $status
