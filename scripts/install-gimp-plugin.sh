#!/usr/bin/env bash
# Installs spectide for the current user, for whichever GIMP the build has:
#   GIMP 3:    ${GIMP3_DIRECTORY:-~/.config/GIMP/3.0}/plug-ins/spectide/spectide
#   GIMP 2.10: ${GIMP2_DIRECTORY:-~/.config/GIMP/2.10}/plug-ins/spectide/spectide
#   the GEGL operation spectide:noise-lowpass (GIMP 3 filters, GIMP 2.10's
#   GEGL tool, the gegl command):
#              ${XDG_DATA_HOME:-~/.local/share}/gegl-0.4/plug-ins/spectide-noise-lowpass.so
# (plug-ins/NAME/NAME is GIMP 3's layout, which GIMP 2.10 loads too.)
# System-wide instead: `meson install` puts the plug-in in
# $(pkg-config --variable=gimplibdir gimp-3.0 or gimp-2.0)/plug-ins/spectide/ and the
# operation in $(pkg-config --variable=pluginsdir gegl-0.4)/.
# usage: scripts/install-gimp-plugin.sh [BUILD_DIR]   (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}

# Copy then rename: a running GIMP never sees half a binary.
install_file() { # source target_dir name
  mkdir -p "$2"
  cp "$1" "$2/.$3.tmp"
  mv -f "$2/.$3.tmp" "$2/$3"
  echo "install-gimp-plugin: installed $2/$3"
}

installed=0
gimp3=$build_dir/gimp_plugin/gimp3/spectide/spectide
if [ -x "$gimp3" ]; then
  gimp_dir=${GIMP3_DIRECTORY:-$HOME/.config/GIMP/3.0}
  if [ ! -d "$gimp_dir" ] && command -v gimp-console-3.0 >/dev/null; then
    # A profile GIMP did not make itself lacks its data folders: let GIMP
    # create it first.
    echo "install-gimp-plugin: creating the GIMP 3 profile $gimp_dir"
    GIMP3_DIRECTORY=$gimp_dir timeout 120 gimp-console-3.0 -i -d -f -n \
      --batch-interpreter=plug-in-script-fu-eval -b '(gimp-message "profile")' --quit >/dev/null 2>&1 || true
  fi
  install_file "$gimp3" "$gimp_dir/plug-ins/spectide" spectide
  installed=1
fi
gimp2=$build_dir/gimp_plugin/gimp2/spectide/spectide
if [ -x "$gimp2" ]; then
  gimp_dir=${GIMP2_DIRECTORY:-$HOME/.config/GIMP/2.10}
  if [ ! -d "$gimp_dir" ] && command -v gimp-2.10 >/dev/null; then
    echo "install-gimp-plugin: creating the GIMP 2.10 profile $gimp_dir"
    GIMP2_DIRECTORY=$gimp_dir timeout 120 gimp-2.10 -i -d -f -n -b '(gimp-quit 0)' >/dev/null 2>&1 || true
  fi
  install_file "$gimp2" "$gimp_dir/plug-ins/spectide" spectide
  installed=1
fi
op=$build_dir/gegl_op/spectide-noise-lowpass.so
if [ -f "$op" ]; then
  install_file "$op" "${XDG_DATA_HOME:-$HOME/.local/share}/gegl-0.4/plug-ins" spectide-noise-lowpass.so
  installed=1
fi
if [ "$installed" = 0 ]; then
  echo "install-gimp-plugin: nothing built in $build_dir (meson setup $build_dir && ninja -C $build_dir;" \
       "the GIMP plug-in needs libgimp-3.0-dev or libgimp2.0-dev, the operation libgegl-dev)" >&2
  exit 1
fi
