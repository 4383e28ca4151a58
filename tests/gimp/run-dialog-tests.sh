#!/usr/bin/env bash
# Screenshots of both dialogs under a private Xvfb: GIMP with its UI runs
# each procedure RUN-INTERACTIVE from a batch command; the dialog window is
# captured with `import`, checked for a drawn plot / preview, then closed by
# pressing Return (its default button).
# usage: run-dialog-tests.sh PLUGIN_BUILD_DIR SYSTEM_PLUGIN_DIR SOURCE_ROOT SHOT_DIR
set -uo pipefail
plugin_dir=$1 system_plugin_dir=$2 source_root=$3 shot_dir=$4
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
for tool in gimp Xvfb import xdotool; do
  if ! command -v "$tool" >/dev/null; then
    echo "SKIP: $tool is not installed (scripts/deps.sh installs it)"
    exit 77
  fi
done

tmp=$(mktemp -d)
xvfb_pid=
gimp_pid=
cleanup() {
  [ -n "$gimp_pid" ] && kill "$gimp_pid" 2>/dev/null
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

# A display number nobody uses.
display=$((120 + $$ % 300))
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

export GIMP2_DIRECTORY=$tmp/gimpdir
write_gimprc "$tmp/test.gimprc" "$plugin_dir" "$system_plugin_dir"
make_test_photo "$source_root" "$tmp/photo.png" 768x512
mkdir -p "$shot_dir"
load="(load \"$here/spectide-tests.scm\")"

# Pixels within 12% of a colour (antialiased curves).
count_color() { # image colour
  convert "$1" -fuzz 12% -fill black +opaque "$2" -fill white -opaque "$2" \
    -colorspace Gray -format '%[fx:int(mean*w*h+0.5)]' info:
}

status=0
# One GIMP session opens both dialogs one after the other (a GIMP start with
# its UI costs seconds); each is captured, checked and closed with Return.
rm -rf "$GIMP2_DIRECTORY/backups"
log=$tmp/gimp.log
gimp -d -f -s -n -g "$tmp/test.gimprc" \
  -b "(begin $load (spectide-dialog \"$tmp/photo.png\" \"rapsd\"))" \
  -b "(begin $load (spectide-dialog \"$tmp/photo.png\" \"noise\"))" \
  -b '(gimp-quit 1)' >"$log" 2>&1 &
gimp_pid=$!

# shot procedure window_title output_png check(plot|preview)
shot() {
  local procedure=$1 title=$2 out=$3 check=$4 window=
  for _ in $(seq 900); do
    window=$(xdotool search --onlyvisible --name "^$title\$" 2>/dev/null | sed -n 1p)
    [ -n "$window" ] && break
    kill -0 "$gimp_pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$window" ]; then
    echo "FAIL $procedure: dialog '$title' never appeared"
    tail -20 "$log"
    status=1
    return
  fi
  sleep 3 # let the plot / preview render
  xdotool windowraise "$window" 2>/dev/null
  sleep 0.5
  import -window "$window" "$out"
  echo "screenshot: $out ($(identify -format '%wx%h' "$out"))"
  if [ "$check" = plot ]; then
    # Pixels of the RAPSD curve's colour (SV_COLOR_SIGNAL) and the noise
    # line's (SV_COLOR_NOISE) prove the plot was drawn, not just cleared.
    local signal noise
    signal=$(count_color "$out" '#1f77b4')
    noise=$(count_color "$out" '#d62728')
    if [ "$signal" -gt 200 ] && [ "$noise" -gt 100 ]; then
      echo "ok   $procedure: plot drawn ($signal curve pixels, $noise noise-line pixels)"
    else
      echo "FAIL $procedure: plot blank ($signal curve pixels, $noise noise-line pixels)"; status=1
    fi
  else
    # A photo preview brings thousands of colours; a bare dialog a few hundred.
    local colors
    colors=$(convert "$out" -format '%k' info:)
    if [ "$colors" -gt 3000 ]; then
      echo "ok   $procedure: preview drawn ($colors colours)"
    else
      echo "FAIL $procedure: preview blank ($colors colours)"; status=1
    fi
  fi
  # XTEST key events (xdotool key --window sends synthetic ones GTK ignores).
  xdotool windowfocus "$window" 2>/dev/null
  sleep 0.3
  xdotool key Return
  for _ in $(seq 100); do
    xdotool search --onlyvisible --name "^$title\$" >/dev/null 2>&1 || break
    sleep 0.1
  done
}

shot rapsd "Radial Power Spectrum" "$shot_dir/gimp-rapsd-dialog.png" plot
shot noise "Noise as Low-pass" "$shot_dir/gimp-noise-lowpass-dialog.png" preview
for _ in $(seq 300); do
  kill -0 "$gimp_pid" 2>/dev/null || break
  sleep 0.1
done
if kill -0 "$gimp_pid" 2>/dev/null; then
  echo "FAIL GIMP did not finish after the dialogs were closed"; status=1
  tail -5 "$log"
  import -window root "$shot_dir/gimp-dialogs-stuck.png"
  kill "$gimp_pid"
else
  executed=$(grep -c "batch command executed successfully" "$log" || true)
  if [ "$executed" -eq 2 ]; then
    echo "ok   Return closed both dialogs and both batch commands finished"
  else
    echo "FAIL $executed/2 dialog batch commands finished cleanly"; status=1
    tail -5 "$log"
  fi
fi
wait "$gimp_pid" 2>/dev/null
gimp_pid=
exit $status
