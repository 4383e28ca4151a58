#!/usr/bin/env bash
# GIMP 3 batch tests of both procedures: real GIMP 3.0, real photo, Script-Fu
# with named arguments; the numbers and layers are checked against the CLI
# and a numpy reference on the same pixels (check_gimp3.py).
# usage: run-batch-tests.sh PLUGIN_FOLDER SYSTEM_PLUGIN_DIR CLI SOURCE_ROOT
set -uo pipefail
plugin_dir=$1 system_plugin_dir=$2 cli=$3 source_root=$4
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
for tool in gimp-console-3.0 convert; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed (scripts/debian13.sh provides it)"; exit 1; }
done
python=/usr/bin/python3
export PYTHONDONTWRITEBYTECODE=1

tmp=$(mktemp -d)
[ -n "${SPECTIDE_KEEP_TMP:-}" ] || trap 'rm -rf "$tmp"' EXIT
echo "temporary folder: $tmp"
export GIMP3_DIRECTORY=$tmp/gimpdir
write_gimprc "$tmp/test.gimprc" "$plugin_dir" "$system_plugin_dir"
make_test_photo "$source_root" "$tmp/photo.png" 384x256
convert -size 48x32 xc:red -fill blue -draw 'rectangle 10,10 30,20' "PNG8:$tmp/indexed.png"
t=0.3
load="(load \"$here/spectide-tests.scm\")"

status=0
run_gimp3_batch "$tmp/batch.log" 300 "$tmp/test.gimprc" plug-in-script-fu-eval \
  "(begin $load (spectide-case \"$tmp/photo.png\" \"rgb8\" \"$tmp\" $t))" \
  "(begin $load (spectide-case \"$tmp/photo.png\" \"gray16\" \"$tmp\" $t))" \
  "(begin $load (spectide-case \"$tmp/photo.png\" \"rgba-float\" \"$tmp\" $t))" \
  "(begin $load (spectide-selection \"$tmp/photo.png\"))" \
  "(begin $load (spectide-tiny 1 1))" \
  "(begin $load (spectide-tiny 2 3))" \
  "(begin $load (spectide-indexed \"$tmp/indexed.png\"))" \
  "(begin $load (spectide-bad-csv \"$tmp\"))" \
  "(begin $load (spectide-bad-argument))" \
  "(begin $load (spectide-tiny 2 3))" || { status=1; tail -30 "$tmp/batch.log"; }
grep -E "SPECTIDE|GIMP-Error" "$tmp/batch.log" | sed 's/^/  gimp: /'

for mode in rgb8 gray16 rgba-float; do
  "$python" "$here/check_gimp3.py" "$tmp" "$mode" "$t" "$tmp/batch.log" "$cli" || status=1
done
spread=$(convert "$tmp/rgb8-plot.png" -colorspace Gray -format '%[fx:standard_deviation]' info: 2>/dev/null || echo 0)
if awk -v s="$spread" 'BEGIN { exit !(s > 0.05) }'; then
  echo "ok   rgb8: plot image drawn (grey std $spread)"
else
  echo "FAIL rgb8: plot image blank (grey std $spread)"; status=1
fi

expect() { # pattern description
  if grep -qE "$1" "$tmp/batch.log"; then echo "ok   $2"; else echo "FAIL $2"; status=1; fi
}
expect "SPECTIDE gray16 rapsd .* plot none" "no plot image unless asked (plot-image none)"
expect "SPECTIDE rgb8 rapsd .* plot image" "plot-as-image returns the plot image"
expect "SPECTIDE selection layer 100x50 at 10,20" "selection honoured: layers cover its bounds"
expect "SPECTIDE tiny 1x1 fmax [0-9.e+-]+ layers 3" "1x1 image: spectrum and three layers"
expect "SPECTIDE tiny 2x3 fmax [0-9.e+-]+ layers 3" "2x3 image: spectrum and three layers"
expect "SPECTIDE bad-csv refused" "CSV path that cannot be written: PDB error"
expect "SPECTIDE bad-argument refused layers 1" "t = 1.5 refused by GIMP, nothing added"
expect "SPECTIDE indexed rapsd refused noise refused layers 1 base 2" \
  "indexed image: both procedures refuse it, image unchanged"
expect "convert the image to RGB" "indexed image: the error says to convert to RGB"
[ ! -e "$tmp/no-such-folder" ] && echo "ok   bad CSV path: nothing created" || { echo "FAIL bad CSV path: something was created"; status=1; }
[ "$(grep -c 'SPECTIDE tiny 2x3' "$tmp/batch.log")" = 2 ] && echo "ok   GIMP keeps running after the refused calls" ||
  { echo "FAIL GIMP did not run the command after the refused calls"; status=1; }
exit $status
