#!/usr/bin/env bash
# The plugin's readings (slope, cepstral alpha, shares above water) on the
# bundled recordings, run as lv2apply runs it (bench/lv2/readings.c), at the
# default controls with the water at -50 and -30 dBFS.
# Usage: bench/lv2/readings.sh [BUILD_DIR] [BUNDLE_PARENT]
#   (BUNDLE_PARENT: where spectide.lv2 is, default BUILD_DIR/lv2_plugin; the
#   readings tool of BUILD_DIR then measures another build's plugin)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
bundles=${2:-$build/lv2_plugin}
build=$(cd "$build" && pwd)
bundles=$(cd "$bundles" && pwd)
for sigma in -50 -30; do
  for file in data/speech-front-center.wav data/music-frozen-bubble.ogg; do
    printf 'water %s dBFS: ' "$sigma"
    LV2_PATH=$bundles:/usr/lib/lv2 "$build/bench/lv2/readings" "$file" sigma_db "$sigma" tau_db 0
  done
done
