#!/usr/bin/env bash
# Regenerates docs/ardour-mixer-strip.png (spectide mono's inline display in
# Ardour's mixer strip) and docs/ardour-plugin-ui.png (its own UI embedded in
# Ardour's plugin window): runs the Ardour GUI test, tests/ardour/test_gui.sh
# (Xvfb, the Dummy backend's pink noise into a track that monitors its input,
# sigma -50 dBFS), which keeps what it checked.
# Usage: scripts/ardour-screenshots.sh [BUILD_DIR]   (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
[ -f "$build/build.ninja" ] || meson setup "$build"
ninja -C "$build"
shots=$(mktemp -d)
trap 'rm -rf "$shots"' EXIT
LV2_PATH=$PWD/$build/lv2_plugin:/usr/lib/lv2 SPECTIDE_SCREENSHOTS=$shots tests/ardour/test_gui.sh
for name in ardour-mixer-strip ardour-plugin-ui; do
  [ -s "$shots/$name.png" ] || { echo "no $name.png from the test" >&2; exit 1; }
  mv "$shots/$name.png" "docs/$name.png"
  echo "docs/$name.png"
done
