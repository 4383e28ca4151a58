#!/usr/bin/env bash
# Makes docs/gimp3-rapsd-dialog.png, docs/gimp3-noise-lowpass-dialog.png and
# docs/gimp3-filter-list.png: GIMP 3.0.4 under Xvfb in the Debian 13 chroot
# (scripts/debian13.sh), with the plug-in and the GEGL operation built in
# build-debian13/. The pictures are taken by the dialog test itself
# (tests/gimp3/run-dialog-tests.sh, which also checks them).
# usage: scripts/gimp3-screenshots.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/debian13.sh run -e SHOT_FILTER_LIST=1 -- /bin/sh -c '
  set -e
  [ -f build-debian13/build.ninja ] || meson setup build-debian13 >/dev/null
  nice ninja -C build-debian13 >/dev/null
  tests/gimp3/run-dialog-tests.sh "$PWD/build-debian13/gimp_plugin/gimp3" \
    "$(pkg-config --variable=gimplibdir gimp-3.0)/plug-ins" \
    "$(pkg-config --variable=pluginsdir gegl-0.4)" "$PWD/build-debian13/gegl_op" "$PWD" "$PWD/docs"'
ls -l docs/gimp3-*.png
