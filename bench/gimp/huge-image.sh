#!/usr/bin/env bash
# Both procedures on an 8000x6000 RGB image in batch GIMP: proves huge images
# work and prints how long each step takes. A benchmark, not a test (it needs
# a few GB of memory and half a minute or more).
# usage: huge-image.sh PLUGIN_BUILD_DIR SYSTEM_PLUGIN_DIR
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../tests/gimp/common.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export GIMP2_DIRECTORY=$tmp/gimpdir
write_gimprc "$tmp/test.gimprc" "$1" "$2"
# Warm-up start: GIMP queries every plug-in once per new profile.
run_gimp_batch "$tmp/warmup.log" 120 "$tmp/test.gimprc" '(gimp-message "ready")' >/dev/null
scm='(let* ((img (car (gimp-image-new 8000 6000 RGB)))
            (layer (car (gimp-layer-new img 8000 6000 RGB-IMAGE "huge" 100 LAYER-MODE-NORMAL))))
       (gimp-image-insert-layer img layer 0 0)
       (gimp-context-set-gradient-fg-bg-rgb)
       (gimp-drawable-edit-gradient-fill layer GRADIENT-RADIAL 0 FALSE 1 0 TRUE 4000 3000 4100 3000)
       (plug-in-spectide-rapsd RUN-NONINTERACTIVE img layer 0 0 0.3 0 1 "TMP/huge.csv" FALSE)
       (gimp-message "rapsd done")
       (let ((r (plug-in-spectide-noise-lowpass RUN-NONINTERACTIVE img layer 0 0.3 0 1 7 3 0)))
         (gimp-message (string-append "SPECTIDE huge fmax " (number->string (car r)) " layers "
                                      (number->string (car (gimp-item-get-children (cadr r))))))))'
scm=${scm//TMP/$tmp}
start=$SECONDS
run_gimp_batch "$tmp/huge.log" 600 "$tmp/test.gimprc" "$scm" || { tail -20 "$tmp/huge.log"; exit 1; }
echo "8000x6000 RGB: RAPSD + noise-as-low-pass (three layers) in $((SECONDS - start)) s including GIMP start-up"
grep -q "SPECTIDE huge fmax .* layers 3" "$tmp/huge.log" || { echo "FAIL: no layer group"; tail -5 "$tmp/huge.log"; exit 1; }
grep "SPECTIDE" "$tmp/huge.log" | sed 's/.*SPECTIDE/ /'
[ "$(wc -l <"$tmp/huge.csv")" -eq 4001 ] || { echo "FAIL: CSV should have 4000 rings"; exit 1; }
echo "ok: 4000-ring CSV, three layers"
