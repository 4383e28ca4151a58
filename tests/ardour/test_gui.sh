#!/usr/bin/env bash
# spectide mono in the Ardour GUI (7 or 8) under Xvfb, as a user meets it:
# a session with the plugin on a track that monitors the Dummy backend's pink
# noise is opened in Ardour's mixer; the test checks, on the screen's pixels,
#  1. the inline display in the mixer strip draws the spectrum curve and the
#     water line at the height that the sigma control implies (the expected
#     row is derived from sigma and the display's dB scale, see
#     screenshots.py), and keeps drawing (two captures differ);
#  2. the plugin's own X11 UI, opened by a double-click on the processor, is
#     embedded in Ardour's plugin window, mapped, and drawing (many colours,
#     and its live spectrum changes between two captures).
# SPECTIDE_SCREENSHOTS=DIR keeps the strip, its inline display and the plugin
# window there as ardour-mixer-strip.png, ardour-inline-display.png and
# ardour-plugin-ui.png (scripts/ardour-screenshots.sh).
#
# Start-up pitfalls handled here: a first start shows a new-user wizard that
# drops the session argument (the configuration is pre-seeded, with the
# ".aN" file that marks a known user); the Dummy backend is hidden unless
# hide-dummy-backend is 0; the engine is preset to the Dummy backend with its
# "Pink Noise" device and started without the Audio/MIDI dialog; the
# session's instant.xml opens on the mixer. Xvfb picks a free display itself
# (-displayfd) and listens on no TCP port; openbox manages the windows.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../common/xvfb.sh"
ardour_setup
for tool in Xvfb openbox xdotool xwininfo import convert; do
  command -v "$tool" >/dev/null || ardour_missing "$tool is not installed"
done
gui=$(command -v "ardour$ARDOUR_MAJOR" || command -v ardour || true)
[ -n "$gui" ] || ardour_missing "the Ardour GUI (ardour) is not installed"
# The water line tau*sigma^2 at -50 dB on an axis from +20 dB down 120 dB:
# 70/120 of the plot area's height below its top.
sigma_db=-50 display_top=20 display_range=120

session=$tmp/run-gui_session/session
ardour_lua gui_session 300 "SESSION_DIR = '$session'" "SESSION_NAME = 'spectide'" \
  "SIGMA_DB = $sigma_db" "DISPLAY_TOP = $display_top" "DISPLAY_RANGE = $display_range" || ardour_die "the session could not be made (see above)"
# Open on the mixer ("Mix"), the window filling the screen.
cat >"$session/instant.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<instant>
  <Main x="0" y="0" w="1600" h="1000" current-tab="mixer"/>
</instant>
EOF

config=$XDG_CONFIG_HOME/ardour$ARDOUR_MAJOR
mkdir -p "$config"
# The main window's size comes from the user's instant.xml, the tab from the
# session's. no-memory-warning: Ardour 8 otherwise stops at a modal warning
# about the locked-memory limit (ulimit -l) before it loads the session.
cat >"$config/instant.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<instant>
  <Main x="0" y="0" w="1600" h="1000" current-tab="mixer"/>
  <no-memory-warning/>
</instant>
EOF
: >"$config/.a$ARDOUR_MAJOR" # "been here before": no new-user wizard
cat >"$config/config" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<Ardour>
  <Config>
    <Option name="hide-dummy-backend" value="0"/>
    <Option name="try-autostart-engine" value="1"/>
  </Config>
  <Extra>
    <AudioMIDISetup>
      <EngineStates>
        <State backend="None (Dummy)" driver="Normal Speed" device="Pink Noise" input-device=""
               output-device="" sample-rate="48000" buffer-size="1024" n-periods="0"
               input-latency="0" output-latency="0" lm-input="" lm-output="" active="1"
               use-buffered-io="0" midi-option="1 in, 1 out, Silence" lru="1">
          <MIDIDevices/>
        </State>
      </EngineStates>
    </AudioMIDISetup>
  </Extra>
</Ardour>
EOF

# Processes of this test, stopped by their PIDs at exit.
xvfb_pid= openbox_pid= ardour_pid=
stop_pid() { # PID SECONDS
  [ -n "$1" ] || return 0
  kill "$1" 2>/dev/null || return 0
  local deadline=$((SECONDS + $2))
  while kill -0 "$1" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
  kill -KILL "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
stop_gui() {
  stop_pid "$ardour_pid" 20
  stop_pid "$openbox_pid" 5
  stop_pid "$xvfb_pid" 5
}
ardour_cleanup_hooks+=(stop_gui)

# Polls COMMAND (a function) every 0.5 s until it succeeds, for SECONDS.
poll() { # SECONDS WHAT COMMAND...
  local seconds=$1 what=$2
  local deadline=$((SECONDS + seconds))
  shift 2
  until "$@"; do
    [ $SECONDS -lt $deadline ] || { echo "timed out after $seconds s: $what"; return 1; }
    if [ -n "$ardour_pid" ] && ! kill -0 "$ardour_pid" 2>/dev/null; then
      echo "Ardour exited while waiting for $what"
      return 1
    fi
    sleep 0.5
  done
}

start_xvfb "$tmp" || ardour_die "Xvfb did not start"
echo "display $DISPLAY"
openbox --sm-disable >"$tmp/openbox.log" 2>&1 &
openbox_pid=$!

(cd "$tmp" && exec "$gui" -a -n "$session/spectide.ardour") >"$tmp/ardour-gui.log" 2>&1 &
ardour_pid=$!

window_id() { # TITLE-PATTERN (extended regex): the first window whose title matches
  # (awk reads to the end: no early exit for xwininfo to write into, under pipefail)
  xwininfo -root -tree 2>/dev/null | awk -v pattern="$1" '
    match($0, /^ +0x[0-9a-f]+ "/) { title = $0; sub(/^ +0x[0-9a-f]+ "/, "", title); sub(/".*/, "", title)
      if (id == "" && title ~ pattern) id = $1 }
    END { print id }'
}
main_window=
main_window_up() { main_window=$(window_id '^spectide - Ardour'); [ -n "$main_window" ]; }
# What is on the screen when the GUI is not where the test expects it.
show_screen() {
  echo "windows:"
  xwininfo -root -tree 2>/dev/null | grep -E '^ +0x[0-9a-f]+ "' | sed 's/^ */  /' || true
  import -window root "$tmp/failure.png" 2>/dev/null && echo "screen: $tmp/failure.png (KEEP_TMP=1 keeps it)"
  tail -n 20 "$tmp/ardour-gui.log"
}
poll 180 "Ardour's session window" main_window_up || { show_screen; ardour_die "no Ardour session window"; }
echo "Ardour session window $main_window"

shots=${SPECTIDE_SCREENSHOTS:-}
check=("$python" "$here/screenshots.py")
# The inline display: poll until it shows the curve and the water line where
# sigma puts it (the first frames may come before the analysis settled).
strip_ok() {
  import -window root "$tmp/mixer.png" 2>/dev/null || return 1
  "${check[@]}" strip "$tmp/mixer.png" --sigma-db "$sigma_db" --tau-db 0 \
    --top-db "$display_top" --range-db "$display_range" \
    --crop "$tmp/strip.png" --display-crop "$tmp/display.png" --report "$tmp/strip.txt" >"$tmp/strip.out" 2>&1
}
if ! poll 120 "the inline display's curve and water line" strip_ok; then
  cat "$tmp/strip.out"
  show_screen
  ardour_die "the inline display does not show what sigma implies"
fi
cat "$tmp/strip.out"
# Still drawing: a later capture of the display differs (live spectrum).
cp "$tmp/display.png" "$tmp/display-first.png"
display_moves() {
  strip_ok && "${check[@]}" differ "$tmp/display-first.png" "$tmp/display.png" >"$tmp/differ.out" 2>&1
}
poll 60 "the inline display to redraw" display_moves || { cat "$tmp/differ.out"; ardour_die "the inline display does not redraw"; }
cat "$tmp/differ.out"
if [ -n "$shots" ]; then
  cp "$tmp/strip.png" "$shots/ardour-mixer-strip.png"
  cp "$tmp/display.png" "$shots/ardour-inline-display.png"
fi

# Double-click the plugin's processor (its name, above the inline display).
read -r name_x name_y <<<"$(sed -n 's/^name_button \([0-9]*\) \([0-9]*\)$/\1 \2/p' "$tmp/strip.txt")"
[ -n "$name_x" ] || ardour_die "screenshots.py reported no processor name button"
# On a loaded machine the two clicks may arrive too far apart to make a
# double-click: click again (only) while no plugin window has appeared.
plugin_window=
plugin_window_up() { plugin_window=$(window_id 'spectide mono'); [ -n "$plugin_window" ]; }
for attempt in 1 2 3; do
  xdotool mousemove "$name_x" "$name_y" click --repeat 2 --delay 80 1
  poll 15 "the plugin window (double-click $attempt)" plugin_window_up && break
done
[ -n "$plugin_window" ] || { show_screen; ardour_die "no plugin window after three double-clicks"; }
# The plugin's own X11 window: the deepest descendant of Ardour's plugin
# window that is at least 200x100 (Ardour's socket, then the plugin's window).
ui_window=$(xwininfo -id "$plugin_window" -tree | awk '
  match($0, /^ +0x[0-9a-f]+ /) {
    indent = index($0, "0x")
    if (match($0, /  [0-9]+x[0-9]+\+/)) {
      split(substr($0, RSTART + 2, RLENGTH - 3), wh, "x")
      if (wh[1] >= 200 && wh[2] >= 100 && indent >= deepest) { deepest = indent; id = $1 }
    } }
  END { print id }')
[ -n "$ui_window" ] || ardour_die "Ardour's plugin window holds no embedded plugin window"
echo "plugin window $plugin_window, embedded UI $ui_window"
ui_mapped() { [[ $(xwininfo -id "$ui_window" 2>/dev/null) == *"Map State: IsViewable"* ]]; }
poll 60 "the embedded UI to be mapped" ui_mapped || ardour_die "the embedded UI is not mapped"
ui_draws() { import -window "$ui_window" "$tmp/ui.png" 2>/dev/null && "${check[@]}" ui "$tmp/ui.png" >"$tmp/ui.out" 2>&1; }
poll 60 "the embedded UI to draw" ui_draws || { cat "$tmp/ui.out"; ardour_die "the embedded UI does not draw"; }
cat "$tmp/ui.out"
cp "$tmp/ui.png" "$tmp/ui-first.png"
ui_moves() { ui_draws && "${check[@]}" differ "$tmp/ui-first.png" "$tmp/ui.png" >"$tmp/differ.out" 2>&1; }
poll 60 "the embedded UI to redraw" ui_moves || { cat "$tmp/differ.out"; ardour_die "the embedded UI does not redraw"; }
cat "$tmp/differ.out"
[ -z "$shots" ] || import -window "$plugin_window" "$shots/ardour-plugin-ui.png"
echo "PASS: the inline display and the embedded UI draw in Ardour $ARDOUR_MAJOR"
