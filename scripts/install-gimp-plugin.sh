#!/usr/bin/env bash
# Installs the spectide GIMP plug-in for the current user:
#   ${GIMP2_DIRECTORY:-~/.config/GIMP/2.10}/plug-ins/spectide/spectide
# (GIMP 3's folder layout, which GIMP 2.10 loads too). System-wide instead:
# `meson install` puts it in $(pkg-config --variable=gimplibdir gimp-2.0)/plug-ins/spectide/.
# usage: scripts/install-gimp-plugin.sh [BUILD_DIR]   (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}
binary=$build_dir/gimp_plugin/spectide/spectide
if [ ! -x "$binary" ]; then
  echo "install-gimp-plugin: $binary is missing: build first (meson setup $build_dir && ninja -C $build_dir)" >&2
  exit 1
fi
gimp_dir=${GIMP2_DIRECTORY:-$HOME/.config/GIMP/2.10}
if [ ! -d "$gimp_dir" ] && command -v gimp >/dev/null; then
  # A folder GIMP did not make itself lacks its data folders (it then
  # complains on every start): let GIMP create the profile first.
  echo "install-gimp-plugin: creating the GIMP profile $gimp_dir"
  GIMP2_DIRECTORY=$gimp_dir timeout 120 gimp -i -d -f -n -b '(gimp-quit 0)' >/dev/null 2>&1 || true
fi
target=$gimp_dir/plug-ins/spectide
mkdir -p "$target"
# Copy then rename: a running GIMP never sees half a binary.
cp "$binary" "$target/.spectide.tmp"
mv -f "$target/.spectide.tmp" "$target/spectide"
echo "install-gimp-plugin: installed $target/spectide"
