#!/usr/bin/env bash
# spectide.lv2's X11 UI inside jalv.gtk3 (suil embeds it in GTK through
# ui:parent), on a private Xvfb display and a private JACK dummy server, while
# sndfile-jackplay feeds the bundled music recording into the plugin.
# Checks by pixels (shot.py): the spectrum curve and the water line have
# their colours, the three views are not blank, the spectrogram scrolls
# between two screenshots; the water line moves up when sigma is raised by
# 30 dB with a click on the UI's sigma slider (write_function -> DSP ->
# notify -> plot); a click on the spectrum's title enlarges it; resizing jalv's window
# to 1400x900 and down to the minimum re-lays the views out.
# Skips (77) only when a host binary is missing.
# Environment: LV2_PATH (the built bundle), SPECTIDE_SOURCE, SHOT_DIR (keep
# the screenshots there; the demo uses it).
set -euo pipefail
for tool in Xvfb jackd jalv.gtk3 sndfile-jackplay jack_lsp import convert xdotool xwininfo python3; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed"; exit 77; }
done
here=$(cd "$(dirname "$0")" && pwd)
source_root=${SPECTIDE_SOURCE:-$(cd "$here/../.." && pwd)}
music="$source_root/data/music-frozen-bubble.ogg"
[ -f "$music" ] || { echo "FAIL: missing $music"; exit 1; }
tmp=$(mktemp -d)
shots=${SHOT_DIR:-$tmp}
server=spectide_ui_$$
client=stui$$
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

# A free display number chosen by Xvfb itself (-displayfd): parallel tests never collide.
Xvfb -displayfd 5 -screen 0 1600x1000x24 -nolisten tcp 5>"$tmp/display" >"$tmp/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 100); do [ -s "$tmp/display" ] && break; sleep 0.05; done
[ -s "$tmp/display" ] || { echo "FAIL: Xvfb did not start"; cat "$tmp/xvfb.log"; exit 1; }
export DISPLAY=":$(head -n1 "$tmp/display")"
echo "Xvfb on $DISPLAY, JACK server $server"

jackd --no-realtime -n "$server" -d dummy -r 48000 -p 256 >"$tmp/jackd.log" 2>&1 &
jack_pid=$!
for _ in $(seq 50); do jack_lsp >/dev/null 2>&1 && break; sleep 0.1; done
jack_lsp >/dev/null 2>&1 || { echo "FAIL: jackd did not start"; cat "$tmp/jackd.log"; exit 1; }

mkfifo "$tmp/stdin"
# -n: no menu bar, so the UI fills jalv's window; -b: a plugin->UI ring that
# holds the spectrum, mel and cepstral messages between two GUI updates.
jalv.gtk3 -n -b 1048576 --jack-name="$client" -x urn:spectide:mono <"$tmp/stdin" >"$tmp/jalv.log" 2>&1 &
jalv_pid=$!
exec 3>"$tmp/stdin"
ui_window= top_window=
for _ in $(seq 150); do
  ui_window=$(xwininfo -root -tree 2>/dev/null | awk '/"spectide-ui"/ {print $1; exit}')
  [ -n "$ui_window" ] && break
  sleep 0.1
done
[ -n "$ui_window" ] || { echo "FAIL: the spectide UI window did not appear"; cat "$tmp/jalv.log"; exit 1; }
top_window=$(xwininfo -root -tree | awk '/"jalv.gtk3"/ {print $1; exit}')
echo "UI window $ui_window inside jalv's window $top_window"

sndfile-jackplay --loop=0 --autoconnect="$client:in" "$music" >"$tmp/play.log" 2>&1 &
play_pid=$!
sleep 4   # the 1 s average settles and the spectrogram fills
status=0
import -window "$ui_window" "$shots/lv2-ui-a.png"
sleep 1.5
import -window "$ui_window" "$shots/lv2-ui-b.png"
python3 "$here/shot.py" main "$shots/lv2-ui-a.png" "$shots/lv2-ui-b.png" || status=1

# Sigma -40 -> -10 dBFS by a click on the UI's sigma slider: the UI writes the
# control port (write_function), the DSP moves the tide and sends the new
# water line back. 30 dB of a 120 dB axis: a quarter of the plot height.
row_before=$(python3 "$here/shot.py" water "$shots/lv2-ui-b.png")
read -r click_x click_y < <(python3 "$here/shot.py" slider sigma 960 -10)
xdotool mousemove --window "$ui_window" "$click_x" "$click_y" click 1
sleep 1.5
import -window "$ui_window" "$tmp/sigma.png"
row_after=$(python3 "$here/shot.py" water "$tmp/sigma.png")
echo "water line row: $row_before at -40 dBFS, $row_after at -10 dBFS"
python3 -c "import sys; d = $row_before - $row_after; sys.exit(0 if 40 <= d <= 120 else 1)" ||
  { echo "FAIL: the water line did not move up by a quarter of the plot"; status=1; }
read -r click_x click_y < <(python3 "$here/shot.py" slider sigma 960 -40)
xdotool mousemove --window "$ui_window" "$click_x" "$click_y" click 1

# A click on the spectrum's title enlarges it; another brings the three views back.
xdotool mousemove --window "$ui_window" 100 69 click 1
sleep 1
import -window "$ui_window" "$shots/lv2-ui-enlarged.png"
python3 "$here/shot.py" enlarged "$shots/lv2-ui-enlarged.png" || status=1
xdotool mousemove --window "$ui_window" 100 69 click 1

# The host resizes: 1400x900, then below the minimum (the UI keeps 720x450).
xdotool windowsize "$top_window" 1400 900
sleep 1.5
import -window "$ui_window" "$shots/lv2-ui-1400x900.png"
python3 "$here/shot.py" layout "$shots/lv2-ui-1400x900.png" 1400 900 || status=1
xdotool windowsize "$top_window" 300 200
sleep 1.5
import -window "$ui_window" "$tmp/min.png"
python3 "$here/shot.py" layout "$tmp/min.png" 720 450 || status=1

kill -0 "$jalv_pid" 2>/dev/null || { echo "FAIL: jalv died"; status=1; }
# A clean close: SIGINT makes jalv quit its GTK loop and free the UI through
# suil (GTK widgets first, then our cleanup). Xlib's default handler would
# exit with status 1 on any X error of our connection.
kill -INT "$jalv_pid"
for _ in $(seq 50); do kill -0 "$jalv_pid" 2>/dev/null || break; sleep 0.1; done
jalv_status=0
wait "$jalv_pid" || jalv_status=$?
jalv_pid=
echo "jalv.gtk3 closed with status $jalv_status"
[ "$jalv_status" -eq 0 ] || { echo "FAIL: jalv did not close cleanly"; status=1; }
grep -a -i -E 'X Error|BadWindow|BadMatch|BadDrawable|BadPixmap' "$tmp/jalv.log" &&
  { echo "FAIL: X errors in jalv's log"; status=1; }
[ $status -eq 0 ] || tail -n 20 "$tmp/jalv.log"
exit $status
