#!/usr/bin/env bash
# spectide:noise-lowpass in GIMP 2.10's GEGL tool (Tools > GEGL Operation),
# under a private Xvfb: the tool is opened through GIMP's action search ("/"),
# the operation picked from its list, applied with OK at its defaults (t 0.3,
# seed 1, split view), and the layer, exported through a batch command, is
# compared with the operation's output in the gegl command on the same photo.
# The list holds only the GEGL operations GIMP has no menu item for, sorted
# by title; with Debian 12's GIMP 2.10.34 and GEGL 0.4.42 "Noise as
# Low-pass" is the fourth from the end (the test says so if that changes).
# usage: run-gegl-tool-test.sh GEGL_PLUGINS_DIR OP_FOLDER SOURCE_ROOT SHOT_DIR
set -uo pipefail
gegl_plugins_dir=$1 op_folder=$2 source_root=$3 shot_dir=$4
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
for tool in gimp-2.10 gegl Xvfb import xdotool; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed (scripts/deps.sh installs it)"; exit 1; }
done
python=/usr/bin/python3

tmp=$(mktemp -d)
xvfb_pid=
gimp_pid=
# Stops a process we started: TERM, then KILL if it is still there after 10 s
# (a GUI GIMP with an unsaved image may not quit on TERM alone).
stop() { # pid
  [ -n "$1" ] || return 0
  kill "$1" 2>/dev/null || return 0
  for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$1" 2>/dev/null
  wait "$1" 2>/dev/null
}
cleanup() {
  exec 3>&- 2>/dev/null
  stop "$gimp_pid"
  stop "$xvfb_pid"
  rm -rf "$tmp"
}
trap cleanup EXIT

display=$((120 + ($$ + 150) % 300))
while [ -e "/tmp/.X11-unix/X$display" ] || [ -e "/tmp/.X$display-lock" ]; do
  display=$((display + 1))
done
Xvfb ":$display" -screen 0 1280x1024x24 -nolisten tcp >"$tmp/xvfb.log" 2>&1 &
xvfb_pid=$!
export DISPLAY=":$display"
for _ in $(seq 50); do
  xdotool getmouselocation >/dev/null 2>&1 && break
  sleep 0.1
done

export GIMP2_DIRECTORY=$tmp/gimpdir GEGL_PATH="$gegl_plugins_dir:$op_folder"
make_test_photo "$source_root" "$tmp/photo.png" 384x256
mkdir -p "$shot_dir"
# The operation at its defaults in the gegl command: the reference.
gegl "$tmp/photo.png" -o "$tmp/gegl.png" -- spectide:noise-lowpass >"$tmp/gegl.log" 2>&1 ||
  { echo "FAIL: gegl did not run the operation"; cat "$tmp/gegl.log"; exit 1; }
# A first start makes the profile; then GIMP with its UI reads batch
# commands from a FIFO held open (-b -), so that the test can send the
# export once the tool has run.
timeout 120 gimp-2.10 -i -d -f -n -b '(gimp-quit 0)' >/dev/null 2>&1
mkfifo "$tmp/commands"
log=$tmp/gimp.log
gimp-2.10 -d -f -s -n -b - <"$tmp/commands" >"$log" 2>&1 &
gimp_pid=$!
exec 3>"$tmp/commands"
echo "(define spectide-image (car (gimp-file-load RUN-NONINTERACTIVE \"$tmp/photo.png\" \"$tmp/photo.png\")))" >&3
echo "(gimp-display-new spectide-image)" >&3

status=0
fail() { echo "FAIL $*"; import -window root "$shot_dir/gimp-gegl-tool-failed.png" 2>/dev/null; status=1; }
wait_window() { # title regex
  local window=
  for _ in $(seq 600); do
    window=$(xdotool search --onlyvisible --name "$1" 2>/dev/null | sed -n 1p)
    [ -n "$window" ] && break
    kill -0 "$gimp_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "$window"
}
focus() { xdotool windowfocus "$1" 2>/dev/null; sleep 0.3; }

image_window=$(wait_window "photo.*GIMP")
[ -n "$image_window" ] || { fail "the image window never appeared"; tail -20 "$log"; exit 1; }
sleep 2
focus "$image_window"
xdotool key slash
search=$(wait_window "^Search Actions$")
[ -n "$search" ] || { fail "the action search did not open"; exit 1; }
focus "$search"
xdotool type --delay 40 "GEGL Operation"
sleep 1.5
xdotool key Return
tool=$(wait_window "^GEGL Operation$")
[ -n "$tool" ] || { fail "the GEGL Operation dialog did not open"; exit 1; }
sleep 1.5
eval "$(xdotool getwindowgeometry --shell "$tool")"
# The operation list is the combo box at the top of the dialog: open it,
# go to its end, three up, take it.
xdotool mousemove $((X + 183)) $((Y + 61)) click 1
sleep 1.5
xdotool key End Up Up Up Return
sleep 8 # the whole-image preview renders on the canvas
xdotool mousemove 1279 1023
sleep 0.5
import -window "$tool" "$shot_dir/gimp-gegl-tool.png"
echo "screenshot: $shot_dir/gimp-gegl-tool.png ($(identify -format '%wx%h' "$shot_dir/gimp-gegl-tool.png"))"
# OK (bottom right; Return would reach the focused combo box): applies the
# operation to the layer.
eval "$(xdotool getwindowgeometry --shell "$tool")"
xdotool mousemove $((X + WIDTH - 50)) $((Y + HEIGHT - 21)) click 1
for _ in $(seq 100); do
  xdotool search --onlyvisible --name "^GEGL Operation$" >/dev/null 2>&1 || break
  sleep 0.1
done
echo "(file-png-save-defaults RUN-NONINTERACTIVE spectide-image (car (gimp-image-get-active-drawable spectide-image)) \"$tmp/tool.png\" \"$tmp/tool.png\")" >&3
for _ in $(seq 300); do
  [ -s "$tmp/tool.png" ] && [ "$(grep -c "batch command executed successfully" "$log")" = 3 ] && break
  sleep 0.1
done
[ -s "$tmp/tool.png" ] || { fail "the layer was not exported after OK"; tail -20 "$log"; }
if [ -s "$tmp/tool.png" ]; then
  "$python" - "$here/../gegl" "$tmp/tool.png" "$tmp/gegl.png" "$tmp/photo.png" <<'PY' || status=1
import sys
sys.path.insert(0, sys.argv[1])
import numpy as np
import reference
tool, gegl, photo = (reference.read_rgba(p)[:, :, :3] for p in sys.argv[2:5])
steps = np.abs(tool - np.clip(gegl, 0, 1)).max() * 255
changed = np.abs(tool - photo).max() * 255
if steps <= 1.0001 and changed > 10:
    print(f"ok   GIMP 2.10's GEGL tool applied spectide:noise-lowpass: the layer = the gegl command's "
          f"output to {steps:.2f} of an 8-bit step (the photo changed by up to {changed:.0f})")
else:
    print(f"FAIL GIMP 2.10's GEGL tool: layer vs gegl output {steps:.1f} steps, vs the photo {changed:.1f} "
          "(another operation picked? the tool's list may have changed)")
    sys.exit(1)
PY
fi
exit $status
