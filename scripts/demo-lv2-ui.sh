#!/usr/bin/env bash
# spectide.lv2 UI demo: jalv.gtk3 shows the plugin's X11 UI on a private Xvfb
# display, on a private JACK dummy server, while sndfile-jackplay feeds the
# bundled recordings; screenshots of the UI window:
#   demo-out/lv2-ui.png         music (data/music-frozen-bubble.ogg), pointer over the spectrum
#   demo-out/lv2-ui-speech.png  speech (data/speech-front-center.wav)
# Usage: scripts/demo-lv2-ui.sh [BUILD_DIR]   (default: build; built if needed)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build=${1:-build}
out=${SPECTIDE_DEMO_OUT:-$root/demo-out}
for tool in Xvfb jackd jalv.gtk3 sndfile-jackplay jack_lsp import xdotool xwininfo; do
  command -v "$tool" >/dev/null || { echo "demo-lv2-ui: $tool is not installed (scripts/deps.sh)" >&2; exit 1; }
done
if [ ! -f "$build/lv2_plugin/spectide.lv2/spectide_ui.so" ]; then
  [ -f "$build/build.ninja" ] || meson setup "$build"
  ninja -C "$build"
fi
export LV2_PATH=$(cd "$build/lv2_plugin" && pwd):/usr/lib/lv2
mkdir -p "$out"
tmp=$(mktemp -d)
server=spectide_uidemo_$$
client=spectide_ui_demo
export JACK_DEFAULT_SERVER=$server
xvfb_pid= jack_pid= jalv_pid= play_pid=
cleanup() {
  exec 3>&- 2>/dev/null || true
  for pid in $play_pid $jalv_pid $jack_pid $xvfb_pid; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$tmp"
}
trap cleanup EXIT

Xvfb -displayfd 5 -screen 0 1280x800x24 -nolisten tcp 5>"$tmp/display" >"$tmp/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 100); do [ -s "$tmp/display" ] && break; sleep 0.05; done
export DISPLAY=":$(head -n1 "$tmp/display")"
jackd --no-realtime -n "$server" -d dummy -r 48000 -p 256 >"$tmp/jackd.log" 2>&1 &
jack_pid=$!
for _ in $(seq 50); do jack_lsp >/dev/null 2>&1 && break; sleep 0.1; done
mkfifo "$tmp/stdin"
jalv.gtk3 -n -b 1048576 --jack-name="$client" -x -c averaging=1 urn:spectide:mono \
  <"$tmp/stdin" >"$tmp/jalv.log" 2>&1 &
jalv_pid=$!
exec 3>"$tmp/stdin"
ui_window=
for _ in $(seq 150); do
  ui_window=$(xwininfo -root -tree 2>/dev/null | awk '/"spectide-ui"/ {print $1; exit}')
  [ -n "$ui_window" ] && break
  sleep 0.1
done
[ -n "$ui_window" ] || { echo "demo-lv2-ui: the UI did not appear" >&2; cat "$tmp/jalv.log" >&2; exit 1; }

shoot() { # recording, output, pointer x y (a hover readout in the spectrum)
  sndfile-jackplay --loop=0 --autoconnect="$client:in" "$1" >/dev/null 2>&1 &
  play_pid=$!
  sleep 1
  # "reset peaks" (second tool row): the held peaks start from this recording.
  xdotool mousemove --window "$ui_window" 526 44 click 1
  sleep 5   # the spectrogram fills most of its 6 s
  xdotool mousemove --window "$ui_window" "$3" "$4"
  sleep 0.5
  import -window "$ui_window" "$2.tmp.png"
  mv "$2.tmp.png" "$2"
  kill "$play_pid" 2>/dev/null || true
  wait "$play_pid" 2>/dev/null || true
  play_pid=
  echo "demo-lv2-ui: $(basename "$1") -> $2"
}
shoot "$root/data/music-frozen-bubble.ogg" "$out/lv2-ui.png" 330 150
shoot "$root/data/speech-front-center.wav" "$out/lv2-ui-speech.png" 600 150
