#!/usr/bin/env bash
# spectide:noise-lowpass as a non-destructive filter in GIMP 3: attached
# with non-default properties, saved in an XCF, reopened in a new GIMP (the
# filter, its operation and every property found again, the layer's pixels
# untouched), merged (equal to the plug-in's own layer of the same view and
# values), and reopened where the operation is not installed (the XCF still
# opens, the filter is dropped, the layer is the original). The Python half
# is filter_xcf.py.
# usage: run-filter-tests.sh PLUGIN_FOLDER SYSTEM_PLUGIN_DIR GEGL_PLUGINS_DIR OP_FOLDER SOURCE_ROOT
set -uo pipefail
plugin_dir=$1 system_plugin_dir=$2 gegl_plugins_dir=$3 op_folder=$4 source_root=$5
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
command -v gimp-console-3.0 >/dev/null || { echo "FAIL: gimp-console-3.0 is not installed"; exit 1; }
[ -f "$op_folder/spectide-noise-lowpass.so" ] || { echo "FAIL: the GEGL operation was not built in $op_folder"; exit 1; }

tmp=$(mktemp -d)
[ -n "${SPECTIDE_KEEP_TMP:-}" ] || trap 'rm -rf "$tmp"' EXIT
export GIMP3_DIRECTORY=$tmp/gimpdir SPECTIDE_DIR=$tmp
write_gimprc "$tmp/test.gimprc" "$plugin_dir" "$system_plugin_dir"
make_test_photo "$source_root" "$tmp/photo.png" 192x128
script="exec(open(\"$here/filter_xcf.py\").read())"

status=0
stage() { # name gegl_path
  export SPECTIDE_STAGE=$1 GEGL_PATH=$2
  run_gimp3_batch "$tmp/$1.log" 300 "$tmp/test.gimprc" python-fu-eval "$script" ||
    { echo "FAIL stage $1"; tail -20 "$tmp/$1.log"; status=1; }
  grep "SPECTIDE" "$tmp/$1.log" | sed 's/^/  gimp: /'
}
stage attach "$gegl_plugins_dir:$op_folder"
stage reload "$gegl_plugins_dir:$op_folder"
stage without-op "$gegl_plugins_dir"

expect_count() { # log pattern count description
  local n
  n=$(grep -cE "$2" "$tmp/$1.log" || true)
  if [ "$n" -eq "$3" ]; then echo "ok   $4 ($n)"; else echo "FAIL $4 ($n of $3)"; status=1; fi
}
expect_count attach "SPECTIDE attached .* 1$" 6 "filter attached to each of 6 layers"
expect_count attach "SPECTIDE saved .* True$" 6 "6 XCF files saved"
expect_count attach "SPECTIDE plug-in .* True 1$" 6 "the plug-in made the layer of each view"
expect_count reload "SPECTIDE reloaded .* filters 1 untouched 0$" 6 \
  "reopened: one filter per layer, the layer's own pixels untouched"
expect_count reload "SPECTIDE operation .* spectide:noise-lowpass name spectide_" 6 \
  "reopened: operation spectide:noise-lowpass and the filter's name"
expect_count reload "SPECTIDE property .* kept$" 42 "reopened: all 7 properties of 6 filters kept"
expect_count reload "SPECTIDE property .* changed$" 0 "no property changed"
# Merged filter against the plug-in's layer: float images to float rounding
# (the same core calls), 8-bit ones to one code value.
while read -r _ _ key difference; do
  tolerance=2e-6
  [[ $key == *-u8 ]] && tolerance=0.00393
  if awk -v d="$difference" -v t="$tolerance" 'BEGIN { exit !(d <= t) }'; then
    echo "ok   $key: merged filter = the plug-in's layer (max difference $difference <= $tolerance)"
  else
    echo "FAIL $key: merged filter differs from the plug-in's layer by $difference (> $tolerance)"; status=1
  fi
done < <(grep -oE "SPECTIDE merged \S+ \S+" "$tmp/reload.log")
expect_count reload "SPECTIDE merged" 6 "6 filters merged and compared"
expect_count without-op "SPECTIDE reloaded .* filters 0 untouched 0$" 6 \
  "without the operation: the XCF opens, the filter is dropped, the layer is the original"
exit $status
