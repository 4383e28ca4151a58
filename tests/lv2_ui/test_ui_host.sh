#!/usr/bin/env bash
# spectide_ui.so in our own small host (ui_host.c) on a private Xvfb:
# 50 open/close cycles under valgrind (no errors, no definite leaks; UiOn on
# open, UiOff on close, size request, host resizes, HiDPI scale 2, the host
# destroying the parent before or after cleanup, any X error fails), then
# clicks on freeze / tide / "export CSV" / "reset peaks" with the CSV values
# checked, and the HiDPI scale from Xft.dpi when the host gives no scaleFactor.
# Skips (77) only when Xvfb, xwininfo or valgrind is missing.
set -euo pipefail
for tool in Xvfb xwininfo valgrind; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed"; exit 77; }
done
ui_so=${SPECTIDE_UI_SO:?}
host=${SPECTIDE_UI_HOST:?}
cycles=${SPECTIDE_UI_CYCLES:-50}
tmp=$(mktemp -d)
xvfb_pid=
cleanup() {
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  [ -n "$xvfb_pid" ] && wait "$xvfb_pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
. "$(dirname "$0")/../common/xvfb.sh"
start_xvfb "$tmp" || exit 1

status=0
mkdir "$tmp/home"
HOME="$tmp/home" "$host" interact "$ui_so" "$tmp/home" || status=1

# Definite leaks and memory errors fail; "still reachable" (fontconfig's and
# cairo's process-wide caches, Xlib's locale tables) is what any host has.
valgrind --error-exitcode=3 --leak-check=full --show-leak-kinds=definite \
  --errors-for-leak-kinds=definite --num-callers=30 --log-file="$tmp/valgrind.log" \
  "$host" cycles "$ui_so" "$cycles" || status=1
grep -E 'definitely lost|indirectly lost|ERROR SUMMARY' "$tmp/valgrind.log" || true
[ $status -eq 0 ] || cat "$tmp/valgrind.log"
grep -q 'definitely lost: [1-9]' "$tmp/valgrind.log" && { echo "FAIL: definite leaks"; status=1; }
exit $status
