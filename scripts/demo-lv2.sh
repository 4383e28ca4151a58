#!/usr/bin/env bash
# spectide.lv2 demo: installs the bundle into ~/.lv2, then runs the plugin in
# real hosts over the bundled recordings (data/*.wav):
#  - jalv on a private JACK dummy server, fed by sndfile-jackplay, reports the
#    output controls at the end of each recording, played (looped) for at
#    least 4 s (console command `monitors`)
#    -> demo-out/lv2/readings.csv;
#  - lv2apply renders the three auditions of each recording at a -40 dBFS
#    tide -> demo-out/lv2/NAME-{noise,mask,residual}.wav.
# Usage: scripts/demo-lv2.sh [BUILD_DIR]   (default: build; built if needed)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build=${1:-build}
out=$root/demo-out/lv2
python=/usr/bin/python3; [ -x "$python" ] || python=$(command -v python3)

bundle=$build/lv2_plugin/spectide.lv2
if [ ! -f "$bundle/spectide_dsp.so" ]; then
  [ -f "$build/build.ninja" ] || meson setup "$build"
  ninja -C "$build"
fi
install_dir=$HOME/.lv2/spectide.lv2
mkdir -p "$install_dir"
cp "$bundle"/*.ttl "$bundle"/*.so "$install_dir"/
echo "demo-lv2: installed spectide.lv2 into $install_dir"
# Only the installed copy and the system plugins: what a user's host sees.
export LV2_PATH=$HOME/.lv2:/usr/lib/lv2
lv2info urn:spectide:mono | sed -n '/Presets:/,/Port 0:/p' | grep -v 'Port 0' || true

recordings=("$root"/data/*.wav)
[ -e "${recordings[0]}" ] || recordings=(/usr/share/sounds/alsa/Front_Center.wav)
mkdir -p "$out"
tmp=$(mktemp -d)
server=spectide_demo_$$
export JACK_DEFAULT_SERVER=$server
jack_pid= jalv_pid=
cleanup() {
  exec 3>&- 2>/dev/null || true
  [ -n "$jalv_pid" ] && { kill "$jalv_pid" 2>/dev/null; wait "$jalv_pid" 2>/dev/null; } || true
  [ -n "$jack_pid" ] && { kill "$jack_pid" 2>/dev/null; wait "$jack_pid" 2>/dev/null; } || true
  rm -rf "$tmp"
}
trap cleanup EXIT

# 1. Live readings in jalv.
jackd --no-realtime -n "$server" -d dummy -r 48000 -p 256 >"$tmp/jackd.log" 2>&1 &
jack_pid=$!
for _ in $(seq 50); do jack_lsp >/dev/null 2>&1 && break; sleep 0.1; done
mkfifo "$tmp/stdin"
stdbuf -oL jalv -x -n spectide_demo -c sigma_db=-40 -c averaging=3 urn:spectide:mono \
  <"$tmp/stdin" >"$tmp/jalv.log" 2>&1 &
jalv_pid=$!
exec 3>"$tmp/stdin"
for _ in $(seq 100); do jack_lsp 2>/dev/null | grep -q '^spectide_demo:in$' && break; sleep 0.1; done
reading() { grep -a "^\(> \)\?$1 = " "$tmp/jalv.log" | tail -n 1 | sed 's/.* = //'; }
echo "recording,seconds,times_played,slope_db_per_octave,alpha_mel_rapsd,above_water_bins_pct,above_water_energy_pct" \
  >"$out/readings.csv.tmp"
for recording in "${recordings[@]}"; do
  name=$(basename "$recording" .wav)
  seconds=$("$python" -c "import sys; sys.path.insert(0, 'tests/lv2'); from wavio import read_wav; x, r = read_wav(sys.argv[1]); print(round(len(x) / r, 2))" "$recording")
  # Played at least 4 s (looped) so that the 3 s window of the cepstral view fills.
  loops=$("$python" -c "import math, sys; print(max(1, math.ceil(4.0 / float(sys.argv[1]))))" "$seconds")
  sndfile-jackplay --loop="$loops" --autoconnect=spectide_demo:in "$recording" >/dev/null 2>&1 || true
  echo monitors >&3
  sleep 0.4
  line="$name,$seconds,$loops,$(reading slope),$(reading alpha),$(reading above_bins),$(reading above_energy)"
  echo "$line" >>"$out/readings.csv.tmp"
  echo "demo-lv2: jalv readings for $name: $line"
done
mv "$out/readings.csv.tmp" "$out/readings.csv"

# 2. Offline renders of the auditions in lv2apply.
for recording in "${recordings[@]}"; do
  name=$(basename "$recording" .wav)
  for mode in 1:noise 2:mask 3:residual; do
    lv2apply -i "$recording" -o "$out/$name-${mode#*:}.wav.tmp" -c audition "${mode%%:*}" \
      -c sigma_db -40 urn:spectide:mono
    mv "$out/$name-${mode#*:}.wav.tmp" "$out/$name-${mode#*:}.wav"
  done
  echo "demo-lv2: lv2apply rendered $name-{noise,mask,residual}.wav (tide -40 dBFS)"
done
echo "demo-lv2: results in $out"
