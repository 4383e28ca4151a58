#!/usr/bin/env bash
# GIMP part of the demo: installs the plug-in for the current user, runs both
# procedures in batch GIMP on a bundled photo and saves the layers, the plot
# and the CSV into demo-out/gimp/; with Xvfb available, also screenshots of
# both dialogs (for the README).
# usage: scripts/demo-gimp.sh [BUILD_DIR]   (default: build; scripts/demo.sh calls it)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
build_dir=${1:-build}
out=$root/demo-out/gimp
mkdir -p "$out"
command -v gimp >/dev/null || { echo "demo-gimp: gimp is not installed (scripts/deps.sh demo)" >&2; exit 1; }

scripts/install-gimp-plugin.sh "$build_dir"

photo=data/chelsea.png
[ -f "$photo" ] || photo=$(find data -maxdepth 2 -type f \( -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.png' \) | sort | head -n 1)
[ -n "$photo" ] || { echo "demo-gimp: no photo in data/" >&2; exit 1; }
# PNG24: ImageMagick would write a palette PNG for simple images (GIMP opens those INDEXED).
convert "$photo" -strip "PNG24:$out/photo.png"
echo "demo-gimp: photo $photo"

script=$(mktemp)
trap 'rm -f "$script"' EXIT
cat >"$script" <<'SCM'
(define (demo-save img drawable path)
  (file-png-save-defaults RUN-NONINTERACTIVE img drawable path path))
(define (demo out t)
  (let* ((png (string-append out "/photo.png"))
         (img (car (gimp-file-load RUN-NONINTERACTIVE png png)))
         (drawable (car (gimp-image-get-active-layer img)))
         ; channel green, rectified flow (0) at t, no sigma, tau 1, CSV, plot as image
         (rapsd (plug-in-spectide-rapsd RUN-NONINTERACTIVE img drawable 0 0 t 0 1
                                        (string-append out "/rapsd.csv") TRUE))
         (plot (list-ref rapsd 4)))
    (gimp-message (string-append "alpha " (number->string (list-ref rapsd 0))
                                 " R2 " (number->string (list-ref rapsd 2))
                                 " f_max " (number->string (list-ref rapsd 3))))
    (demo-save plot (car (gimp-image-get-active-drawable plot)) (string-append out "/rapsd-plot.png"))
    ; rectified flow at t, tau 1, seed 1, preview view split, channel green
    (let* ((noise (plug-in-spectide-noise-lowpass RUN-NONINTERACTIVE img drawable 0 t 0 1 1 3 0))
           (layers (vector->list (cadr (gimp-item-get-children (cadr noise))))))
      (for-each (lambda (layer file)
                  (gimp-message (string-append "layer " (car (gimp-item-get-name layer))))
                  (demo-save img layer (string-append out "/" file ".png")))
                layers '("noisy" "lowpass" "wiener")))
    (gimp-xcf-save RUN-NONINTERACTIVE img drawable (string-append out "/noise-lowpass.xcf")
                   (string-append out "/noise-lowpass.xcf"))))
SCM

log=$out/gimp-batch.log
timeout 300 gimp -i -d -f -n -b "(begin (load \"$script\") (demo \"$out\" 0.1))" -b '(gimp-quit 0)' >"$log" 2>&1 || true
if [ "$(grep -c 'batch command executed successfully' "$log")" -ne 1 ]; then
  echo "demo-gimp: GIMP batch failed, see $log" >&2
  tail -20 "$log" >&2
  exit 1
fi
grep -E 'Warning: (alpha|layer)' "$log" | sed 's/.*Warning: /demo-gimp: /'
for file in rapsd.csv rapsd-plot.png noisy.png lowpass.png wiener.png noise-lowpass.xcf; do
  [ -s "$out/$file" ] || { echo "demo-gimp: $out/$file missing" >&2; exit 1; }
done

# Screenshots of both dialogs (the same code as the tests, under a private Xvfb).
if command -v Xvfb >/dev/null && command -v xdotool >/dev/null; then
  GIMP2_DIRECTORY= tests/gimp/run-dialog-tests.sh "$root/$build_dir/gimp_plugin" \
    "$(pkg-config --variable=gimplibdir gimp-2.0)/plug-ins" "$root" "$out" |
    sed 's/^/demo-gimp: /' || echo "demo-gimp: dialog screenshots failed" >&2
else
  echo "demo-gimp: no Xvfb/xdotool: dialog screenshots skipped"
fi
echo "demo-gimp: results in $out"
