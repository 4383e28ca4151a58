#!/usr/bin/env bash
# GIMP batch tests of both procedures: real GIMP 2.10, real photo.
# usage: run-batch-tests.sh PLUGIN_BUILD_DIR SYSTEM_PLUGIN_DIR CLI SOURCE_ROOT
set -uo pipefail
plugin_dir=$1 system_plugin_dir=$2 cli=$3 source_root=$4
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
if ! command -v gimp >/dev/null; then
  echo "SKIP: gimp is not installed (scripts/deps.sh installs it)"
  exit 77
fi
python=/usr/bin/python3
export PYTHONDONTWRITEBYTECODE=1
[ -x "$python" ] || python=python3

tmp=$(mktemp -d)
[ -n "${SPECTIDE_KEEP_TMP:-}" ] || trap 'rm -rf "$tmp"' EXIT
echo "temporary folder: $tmp"
export GIMP2_DIRECTORY=$tmp/gimpdir
write_gimprc "$tmp/test.gimprc" "$plugin_dir" "$system_plugin_dir"
make_test_photo "$source_root" "$tmp/photo.png" 384x256
convert -size 48x32 xc:red -fill blue -draw 'rectangle 10,10 30,20' "PNG8:$tmp/indexed.png"
t=0.3
load="(load \"$here/spectide-tests.scm\")"

status=0
run_gimp_batch "$tmp/batch.log" 240 "$tmp/test.gimprc" \
  "(begin $load (spectide-case \"$tmp/photo.png\" \"rgb8\" \"$tmp\" $t))" \
  "(begin $load (spectide-case \"$tmp/photo.png\" \"gray16\" \"$tmp\" $t))" \
  "(begin $load (spectide-case \"$tmp/photo.png\" \"rgba-float\" \"$tmp\" $t))" \
  "(begin $load (spectide-selection \"$tmp/photo.png\"))" \
  "(begin $load (spectide-tiny 1 1))" \
  "(begin $load (spectide-tiny 2 3))" \
  "(begin $load (spectide-last-values))" \
  "(begin $load (spectide-indexed \"$tmp/indexed.png\"))" \
  "(begin $load (spectide-bad-csv \"$tmp\"))" \
  "(begin $load (spectide-tiny 2 3))" || status=1
grep -E "SPECTIDE|rror" "$tmp/batch.log" | sed 's/^/  gimp: /'

for mode in rgb8 gray16 rgba-float; do
  for file in layers.tif rapsd.csv; do
    [ -s "$tmp/$mode-$file" ] || { echo "FAIL $mode: $mode-$file was not written"; status=1; }
  done
  [ -s "$tmp/$mode-layers.tif" ] || continue
  "$python" "$here/check_layers.py" "$tmp" "$mode" "$t" "$tmp/batch.log" "$cli" || status=1
  [ "$mode" = rgb8 ] || continue
  # The plot image is not blank: its pixels vary.
  spread=$(convert "$tmp/$mode-plot.png" -colorspace Gray -format '%[fx:standard_deviation]' info: 2>/dev/null || echo 0)
  if awk -v s="$spread" 'BEGIN { exit !(s > 0.05) }'; then
    echo "ok   $mode: plot image drawn (grey std $spread)"
  else
    echo "FAIL $mode: plot image blank (grey std $spread)"; status=1
  fi
done

expect() { # pattern description
  if grep -qE "$1" "$tmp/batch.log"; then echo "ok   $2"; else echo "FAIL $2"; status=1; fi
}
expect "SPECTIDE gray16 rapsd .* plot -1" "no plot image unless asked (plot-image -1)"
expect "SPECTIDE selection layer 100x50 at 10,20" "selection honoured: layers cover its bounds"
expect "SPECTIDE tiny 1x1 fmax [0-9.e+-]+ layers 3" "1x1 image: spectrum and three layers"
expect "SPECTIDE tiny 2x3 fmax [0-9.e+-]+ layers 3" "2x3 image: spectrum and three layers"
expect "SPECTIDE last-values noisy t=0.15" "last values persist (RUN-WITH-LAST-VALS repeats t=0.15)"
expect "SPECTIDE bad-csv refused" "CSV path that cannot be written: PDB error"
[ ! -e "$tmp/no-such-folder" ] && echo "ok   bad CSV path: nothing created" || { echo "FAIL bad CSV path: something was created"; status=1; }
[ "$(grep -c 'SPECTIDE tiny 2x3' "$tmp/batch.log")" = 2 ] && echo "ok   GIMP keeps running after the refused calls" ||
  { echo "FAIL GIMP did not run the command after the refused calls"; status=1; }
expect "SPECTIDE indexed rapsd refused noise refused layers 1 dirty ([01])->\\1 base 2" \
  "indexed image: both procedures refuse it, image unchanged"

# GIMP prints the message each refused call returned to its caller.
if grep -q "convert the image to RGB" "$tmp/batch.log"; then
  echo "ok   indexed image: the error says to convert to RGB"
else
  echo "FAIL indexed image: no 'convert the image to RGB' message"; status=1
fi
exit $status
