#!/usr/bin/env bash
# spectide.lv2 demo: installs the bundle into ~/.lv2, then runs the plugin in
# real hosts over the bundled recordings (data/*.wav, *.ogg, *.flac; the mono
# plugin for mono files, the stereo one, analysing the mid signal, else):
#  - jalv on a private JACK dummy server at the recording's rate, fed by
#    sndfile-jackplay, reports the output controls at the end of each
#    recording, played (looped) for at least 4 s (console command `monitors`)
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

shopt -s nullglob
recordings=("$root"/data/*.wav "$root"/data/*.ogg "$root"/data/*.flac)
shopt -u nullglob
[ ${#recordings[@]} -gt 0 ] || recordings=(/usr/share/sounds/alsa/Front_Center.wav)
mkdir -p "$out"
tmp=$(mktemp -d)
server=spectide_demo_$$
export JACK_DEFAULT_SERVER=$server
jack_pid= jalv_pid= play_pid=
stop_hosts() {
  exec 3>&- 2>/dev/null || true
  for pid in $play_pid $jalv_pid $jack_pid; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  jack_pid= jalv_pid= play_pid=
}
trap 'stop_hosts; rm -rf "$tmp"' EXIT

# Rate, channels and length of a recording: soxi when sox is installed, else
# the WAV header (other formats are then skipped).
describe() {
  if command -v soxi >/dev/null; then
    echo "$(soxi -r "$1") $(soxi -c "$1") $(soxi -D "$1")"
  else
    "$python" -c "import sys; sys.path.insert(0, 'tests/lv2'); from wavio import read_wav
x, r = read_wav(sys.argv[1]); print(r, 1 if x.ndim == 1 else x.shape[1], len(x) / r)" "$1" 2>/dev/null
  fi
}

reading() { grep -a "^\(> \)\?$1 = " "$tmp/jalv.log" | tail -n 1 | sed 's/.* = //'; }
echo "recording,plugin,sample_rate,seconds,times_played,slope_db_per_octave,alpha_mel_rapsd,above_water_bins_pct,above_water_energy_pct" \
  >"$out/readings.csv.tmp"
for recording in "${recordings[@]}"; do
  name=$(basename "${recording%.*}")
  read -r rate channels seconds <<<"$(describe "$recording" || true)"
  if [ -z "${seconds:-}" ]; then
    echo "demo-lv2: skipping $name (install sox to read this format)"; continue
  fi
  plugin=urn:spectide:mono; [ "$channels" -ge 2 ] && plugin=urn:spectide:stereo
  # 1. Live readings in jalv on a JACK dummy server at the recording's rate,
  #    played at least 4 s (looped) so that the 3 s cepstral window fills.
  jackd --no-realtime -n "$server" -d dummy -r "$rate" -p 256 >"$tmp/jackd.log" 2>&1 &
  jack_pid=$!
  for _ in $(seq 50); do jack_lsp >/dev/null 2>&1 && break; sleep 0.1; done
  rm -f "$tmp/stdin"; mkfifo "$tmp/stdin"
  stdbuf -oL jalv -x -n spectide_demo -c sigma_db=-40 -c averaging=3 "$plugin" \
    <"$tmp/stdin" >"$tmp/jalv.log" 2>&1 &
  jalv_pid=$!
  exec 3>"$tmp/stdin"
  for _ in $(seq 100); do [[ $(jack_lsp 2>/dev/null) == *spectide_demo:out* ]] && break; sleep 0.1; done
  loops=$("$python" -c "import math, sys; print(max(1, math.ceil(4.0 / float(sys.argv[1]))))" "$seconds")
  sndfile-jackplay --loop="$loops" "$recording" >/dev/null 2>&1 &
  play_pid=$!
  for _ in $(seq 50); do [[ $(jack_lsp 2>/dev/null) == *jackplay:out_1* ]] && break; sleep 0.05; done
  for port in $(jack_lsp 2>/dev/null | grep '^jackplay:out_'); do
    jack_disconnect "$port" system:playback_1 2>/dev/null || true
    jack_disconnect "$port" system:playback_2 2>/dev/null || true
  done
  if [ "$plugin" = urn:spectide:mono ]; then
    jack_connect jackplay:out_1 spectide_demo:in
  else
    jack_connect jackplay:out_1 spectide_demo:in_l
    jack_connect jackplay:out_2 spectide_demo:in_r
  fi
  wait "$play_pid" 2>/dev/null || true
  play_pid=
  echo monitors >&3
  sleep 0.4
  line="$name,$plugin,$rate,$seconds,$loops,$(reading slope),$(reading alpha),$(reading above_bins),$(reading above_energy)"
  echo "$line" >>"$out/readings.csv.tmp"
  echo "demo-lv2: jalv readings: $line"
  stop_hosts

  # 2. Offline renders of the three auditions in lv2apply (same format as the input).
  extension=${recording##*.}
  for mode in 1:noise 2:mask 3:residual; do
    target="$out/$name-${mode#*:}.$extension"
    lv2apply -i "$recording" -o "$target.tmp" -c audition "${mode%%:*}" -c sigma_db -40 "$plugin"
    mv "$target.tmp" "$target"
  done
  echo "demo-lv2: lv2apply rendered $name-{noise,mask,residual}.$extension (tide -40 dBFS)"
done
mv "$out/readings.csv.tmp" "$out/readings.csv"
echo "demo-lv2: results in $out"
