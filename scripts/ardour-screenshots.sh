#!/usr/bin/env bash
# Regenerates docs/ardour-mixer-strip.png (spectide mono's inline display in
# Ardour's mixer strip, and the display enlarged 3x beside the strip) and
# docs/ardour-plugin-ui.png (its own UI embedded in
# Ardour's plugin window): runs the Ardour GUI test, tests/ardour/test_gui.sh
# (Xvfb, the Dummy backend's pink noise into a track that monitors its input,
# sigma -50 dBFS), which keeps what it checked.
# Usage: scripts/ardour-screenshots.sh [BUILD_DIR]   (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
[ -f "$build/build.ninja" ] || meson setup "$build"
ninja -C "$build"
build=$(cd "$build" && pwd)
shots=$(mktemp -d)
trap 'rm -rf "$shots"' EXIT
LV2_PATH=$build/lv2_plugin:/usr/lib/lv2 SPECTIDE_SCREENSHOTS=$shots tests/ardour/test_gui.sh
for name in ardour-mixer-strip ardour-inline-display ardour-plugin-ui; do
  [ -s "$shots/$name.png" ] || { echo "no $name.png from the test" >&2; exit 1; }
done
# The strip as Ardour draws it, and beside it its inline display enlarged 3x
# (pixels repeated, not smoothed) so that the README shows what it holds.
convert "$shots/ardour-mixer-strip.png" \
  \( "$shots/ardour-inline-display.png" -filter point -resize 300% -bordercolor '#2b2b2b' -border 10x0 \) \
  -background '#2b2b2b' -gravity north +append +repage "$shots/strip-and-display.png"
mv "$shots/strip-and-display.png" docs/ardour-mixer-strip.png
mv "$shots/ardour-plugin-ui.png" docs/ardour-plugin-ui.png
echo "docs/ardour-mixer-strip.png docs/ardour-plugin-ui.png"
