#!/usr/bin/env bash
# spectide.lv2 live in jalv on a JACK dummy server: sndfile-jackplay feeds
# white noise, then 1/f (pink) noise, into the plugin (looped); the console
# command `monitors` prints the output controls. The spectral slope must
# settle at ~0 dB/octave for white and ~-3 dB/octave for pink (both
# generated here with numpy): the test polls the readings until four in a
# row are within 0.5 dB/octave, with a deadline, never a fixed wait.
# (-p prints nothing for a plugin without a UI in jalv 1.6.)
set -euo pipefail
# Debian's interpreter (python3-numpy), even when another python3 comes first in PATH.
python=/usr/bin/python3; [ -x "$python" ] || python=$(command -v python3)
for tool in jackd jalv sndfile-jackplay jack_lsp; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed"; exit 77; }
done
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
# A server and a client of our own: parallel tests never share them.
server=spectide_jalv_$$_$RANDOM
client=stjalv$$
export JACK_DEFAULT_SERVER=$server
jack_pid= jalv_pid= play_pid=
cleanup() {
  exec 3>&- 2>/dev/null || true
  for pid in $play_pid $jalv_pid $jack_pid; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$tmp"
}
trap cleanup EXIT

# Polls COMMAND every 0.1 s until it succeeds or SECONDS pass.
wait_for() {
  local seconds=$1; shift
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.1
  done
}
jack_has_port() { local ports; ports=$(jack_lsp 2>/dev/null) || return 1; grep -qx "$1" <<<"$ports"; }

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
wait_for 10 jack_lsp >/dev/null 2>&1 || { echo "FAIL: jackd did not start"; cat "$tmp/jackd.log"; exit 1; }

mkfifo "$tmp/stdin"
# Line-buffered: the log is read while jalv runs.
stdbuf -oL jalv -x -n "$client" -c averaging=0.5 urn:spectide:mono <"$tmp/stdin" >"$tmp/jalv.log" 2>&1 &
jalv_pid=$!
exec 3>"$tmp/stdin"
wait_for 20 jack_has_port "$client:in" || { echo "FAIL: jalv did not come up"; cat "$tmp/jalv.log"; exit 1; }

readings() { grep -ac 'slope = ' "$tmp/jalv.log" || true; }
last_slope() { grep -a 'slope = ' "$tmp/jalv.log" | tail -n 1 | sed 's/.*slope = *//' || true; }
# Asks jalv for the output controls and waits for its answer.
fresh_slope() {
  local before
  before=$(readings)
  echo monitors >&3
  wait_for 5 test "$(readings)" -gt "$before" || return 1
  last_slope
}
status=0
for noise in white pink; do
  expected=0; [ $noise = pink ] && expected=-3.01
  sndfile-jackplay --loop=0 --autoconnect="$client:in" "$tmp/$noise.wav" >"$tmp/play.log" 2>&1 &
  play_pid=$!
  # The previous noise fades from the 0.5 s average; four readings in a row
  # (a quarter of a second apart) within 0.5 dB/octave, within 30 s.
  in_a_row=0 slope=none deadline=$((SECONDS + 30))
  while [ "$in_a_row" -lt 4 ] && [ "$SECONDS" -lt "$deadline" ]; do
    sleep 0.25
    slope=$(fresh_slope) || { slope=none; continue; }
    if [[ $slope =~ ^-?[0-9]+(\.[0-9]+)?$ ]] &&
       awk -v s="$slope" -v e="$expected" 'BEGIN { exit !(s - e < 0.5 && e - s < 0.5) }'; then
      in_a_row=$((in_a_row + 1))
    else
      in_a_row=0
    fi
  done
  kill "$play_pid" 2>/dev/null || true
  wait "$play_pid" 2>/dev/null || true
  play_pid=
  echo "$noise noise: jalv reports slope = $slope dB/octave (expected $expected), $in_a_row readings in a row within 0.5"
  [ "$in_a_row" -ge 4 ] || { echo "FAIL: slope of $noise noise"; status=1; }
done
grep -a -E 'above_bins|alpha|latency' "$tmp/jalv.log" | tail -n 3 || true
[ $status -eq 0 ] || tail -n 20 "$tmp/jalv.log"
exit $status
