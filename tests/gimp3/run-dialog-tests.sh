#!/usr/bin/env bash
# Both dialogs of the GIMP 3 plug-in under a private Xvfb: GIMP 3 with its
# UI runs each procedure RUN-INTERACTIVE from a batch command; the dialog
# window is captured with `import`, checked for a drawn plot / preview, and
# closed with Return (its default button: OK). Then:
#  - RUN-WITH-LAST-VALS repeats what the interactive run ended with (GIMP
#    keeps the config), not the arguments it is given;
#  - the Noise as Low-pass dialog again, with "Add as a non-destructive
#    filter" ticked (Alt+F): OK adds the GEGL operation to the layer's
#    filters and no layers. With SHOT_FILTER_LIST=1 the layer's filter list
#    (Layers dock, fx) is opened and captured too (for docs/; it clicks at
#    the place GIMP 3.0.4's default 1280x1024 layout puts it).
# usage: run-dialog-tests.sh PLUGIN_FOLDER SYSTEM_PLUGIN_DIR GEGL_PLUGINS_DIR OP_FOLDER SOURCE_ROOT SHOT_DIR
set -uo pipefail
plugin_dir=$1 system_plugin_dir=$2 gegl_plugins_dir=$3 op_folder=$4 source_root=$5 shot_dir=$6
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
for tool in gimp-3.0 gimp-console-3.0 Xvfb import xdotool; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed"; exit 1; }
done

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
  stop "$gimp_pid"
  stop "$xvfb_pid"
  rm -rf "$tmp"
}
trap cleanup EXIT

# A display number nobody uses: Xvfb refuses a taken one, so try a few.
display=$((120 + $$ % 300))
for _ in $(seq 20); do
  if [ ! -e "/tmp/.X11-unix/X$display" ] && [ ! -e "/tmp/.X$display-lock" ]; then
    Xvfb ":$display" -screen 0 1280x1024x24 -nolisten tcp >"$tmp/xvfb.log" 2>&1 &
    xvfb_pid=$!
    export DISPLAY=":$display"
    for _ in $(seq 50); do
      xdotool getmouselocation >/dev/null 2>&1 && break
      kill -0 "$xvfb_pid" 2>/dev/null || break
      sleep 0.1
    done
    xdotool getmouselocation >/dev/null 2>&1 && break
    kill "$xvfb_pid" 2>/dev/null
    wait "$xvfb_pid" 2>/dev/null
    xvfb_pid=
  fi
  display=$((display + 1))
done
[ -n "$xvfb_pid" ] || { echo "FAIL: no Xvfb display could be started"; exit 1; }

export GIMP3_DIRECTORY=$tmp/gimpdir
use_gegl_op "$gegl_plugins_dir" "$op_folder"
write_gimprc "$tmp/test.gimprc" "$plugin_dir" "$system_plugin_dir"
printf '(check-updates no)\n(show-welcome-dialog no)\n' >>"$tmp/test.gimprc"
make_test_photo "$source_root" "$tmp/photo.png" 768x512
mkdir -p "$shot_dir"
load="(load \"$here/spectide-tests.scm\")"
# A first start without UI makes the profile (and queries the plug-ins):
# a GUI start into a new profile opens a welcome dialog.
run_gimp3_batch "$tmp/warmup.log" 120 "$tmp/test.gimprc" plug-in-script-fu-eval '(gimp-message "ready")' >/dev/null ||
  { echo "FAIL: GIMP 3 did not start"; tail -20 "$tmp/warmup.log"; exit 1; }

count_color() { # image colour: pixels within 12% of it (antialiased curves)
  convert "$1" -fuzz 12% -fill black +opaque "$2" -fill white -opaque "$2" \
    -colorspace Gray -format '%[fx:int(mean*w*h+0.5)]' info:
}

status=0
log=$tmp/gimp.log
gimp-3.0 -d -f -s -n -g "$tmp/test.gimprc" --batch-interpreter=plug-in-script-fu-eval \
  -b "(begin $load (spectide-dialog \"$tmp/photo.png\" \"rapsd\"))" \
  -b "(begin $load (spectide-dialog \"$tmp/photo.png\" \"noise\"))" \
  -b "(begin $load (spectide-last-values))" \
  -b "(begin $load (spectide-dialog \"$tmp/photo.png\" \"noise\"))" \
  >"$log" 2>&1 &
gimp_pid=$!

wait_window() { # title: prints the window id once visible
  local window=
  for _ in $(seq 1200); do
    window=$(xdotool search --onlyvisible --name "^$1\$" 2>/dev/null | sed -n 1p)
    [ -n "$window" ] && break
    kill -0 "$gimp_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "$window"
}

press() { # window keys...: XTEST key events to the focused window
  local window=$1
  shift
  xdotool windowfocus "$window" 2>/dev/null
  sleep 0.3
  xdotool key "$@"
}

wait_gone() { # title
  for _ in $(seq 300); do
    xdotool search --onlyvisible --name "^$1\$" >/dev/null 2>&1 || return 0
    sleep 0.1
  done
  return 1
}

# shot label title output check(plot|preview) [keys before closing]
shot() {
  local label=$1 title=$2 out=$3 check=$4 keys=${5:-}
  local window
  window=$(wait_window "$title")
  if [ -z "$window" ]; then
    echo "FAIL $label: dialog '$title' never appeared"; tail -20 "$log"; status=1; return
  fi
  sleep 3 # let the plot / preview render
  # The pointer off every widget: no tooltip in the picture.
  xdotool mousemove 1279 1023
  sleep 0.5
  import -window "$window" "$out"
  echo "screenshot: $out ($(identify -format '%wx%h' "$out"))"
  if [ "$check" = plot ]; then
    # The RAPSD curve's colour (SV_COLOR_SIGNAL) and the noise line's
    # (SV_COLOR_NOISE): the plot was drawn, not just cleared.
    local signal noise
    signal=$(count_color "$out" '#1f77b4')
    noise=$(count_color "$out" '#d62728')
    if [ "$signal" -gt 200 ] && [ "$noise" -gt 100 ]; then
      echo "ok   $label: plot drawn ($signal curve pixels, $noise noise-line pixels)"
    else
      echo "FAIL $label: plot blank ($signal curve pixels, $noise noise-line pixels)"; status=1
    fi
  else
    # A photo preview brings thousands of colours; a bare dialog a few hundred.
    local colors
    colors=$(convert "$out" -format '%k' info:)
    if [ "$colors" -gt 3000 ]; then
      echo "ok   $label: preview drawn ($colors colours)"
    else
      echo "FAIL $label: preview blank ($colors colours)"; status=1
    fi
  fi
  if [ -n "$keys" ]; then
    press "$window" $keys
    sleep 1
    import -window "$window" "$out.after-keys.png"
  fi
  press "$window" Return
  wait_gone "$title" || { echo "FAIL $label: Return did not close the dialog"; status=1; }
}

shot rapsd "Radial Power Spectrum" "$shot_dir/gimp3-rapsd-dialog.png" plot
shot noise "Noise as Low-pass" "$shot_dir/gimp3-noise-lowpass-dialog.png" preview
shot noise-filter "Noise as Low-pass" "$tmp/noise-filter.png" preview alt+f

# The filter is on the layer now (no layers were added: see the log check).
if [ "${SHOT_FILTER_LIST:-0}" = 1 ]; then
  for _ in $(seq 100); do grep -q "dialog noise closed layers 1 filters 1" "$log" && break; sleep 0.1; done
  sleep 3
  main=$(xdotool search --onlyvisible --name " – GIMP\$" 2>/dev/null | sed -n 1p)
  xdotool mousemove 1084 547 click 1
  sleep 2
  import -window root -crop 1240x660+0+0 "$shot_dir/gimp3-filter-list.png"
  echo "screenshot: $shot_dir/gimp3-filter-list.png (main window ${main:-?})"
  xdotool key Escape
fi

for _ in $(seq 600); do
  kill -0 "$gimp_pid" 2>/dev/null || break
  grep -q "dialog noise closed layers 1 filters" "$log" && break
  sleep 0.1
done
expect() { # pattern description
  if grep -qE "$1" "$log"; then echo "ok   $2"; else echo "FAIL $2"; status=1; fi
}
expect "SPECTIDE dialog rapsd closed layers 1 filters 0" "Radial Power Spectrum: Close adds nothing"
expect "SPECTIDE dialog noise closed layers 2 filters 0" "Noise as Low-pass: OK adds one layer group"
expect "SPECTIDE last-values noisy t=0.15" "last values kept: RUN-WITH-LAST-VALS repeats the dialog's t=0.15"
expect "SPECTIDE dialog noise closed layers 1 filters 1" \
  "Noise as Low-pass with the filter ticked: one filter on the layer, no layers"
executed=$(grep -c "batch command executed successfully" "$log" || true)
if [ "$executed" -eq 4 ]; then
  echo "ok   all 4 batch commands finished"
else
  echo "FAIL $executed/4 batch commands finished"; status=1; tail -15 "$log"
fi
# GIMP with its UI stays open after a batch: quit it by its PID.
stop "$gimp_pid"
gimp_pid=
exit $status
