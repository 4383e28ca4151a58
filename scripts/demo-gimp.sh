#!/usr/bin/env bash
# GIMP part of the demo, for whichever GIMP the machine has (GIMP 3 on
# Debian 13, GIMP 2.10 on Debian 12): installs the plug-in and the GEGL
# operation for the current user, runs both procedures in batch GIMP on a
# bundled photo and saves the layers, the plot and the CSV into
# demo-out/gimp/ (GIMP 3 also an XCF with the operation as a filter), runs
# the operation in the gegl command, and with Xvfb screenshots the dialogs.
# usage: scripts/demo-gimp.sh [BUILD_DIR]   (default: build; scripts/demo.sh calls it)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
build_dir=${1:-build}
build=$(cd "$build_dir" && pwd)
out=$root/demo-out/gimp
mkdir -p "$out"

scripts/install-gimp-plugin.sh "$build_dir"

photo=data/chelsea.png
[ -f "$photo" ] || photo=$(find data -maxdepth 2 -type f \( -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.png' \) | sort | sed -n 1p)
[ -n "$photo" ] || { echo "demo-gimp: no photo in data/" >&2; exit 1; }
# PNG24: ImageMagick would write a palette PNG for simple images (GIMP opens those INDEXED).
convert "$photo" -strip "PNG24:$out/photo.png"
echo "demo-gimp: photo $photo"
t=0.1
gegl_plugins=$(pkg-config --variable=pluginsdir gegl-0.4 2>/dev/null || echo /usr/lib/x86_64-linux-gnu/gegl-0.4)

check_outputs() { # files...
  for file in "$@"; do
    [ -s "$out/$file" ] || { echo "demo-gimp: $out/$file missing" >&2; exit 1; }
  done
}

ran=0
if [ -x "$build/gimp_plugin/gimp3/spectide/spectide" ] && command -v gimp-console-3.0 >/dev/null; then
  log=$out/gimp3-batch.log
  timeout 300 gimp-console-3.0 -i -d -f -n --batch-interpreter=plug-in-script-fu-eval \
    -b "(begin (load \"$root/scripts/gimp3-demo.scm\") (demo \"$out\" $t))" --quit >"$log" 2>&1 || true
  if ! grep -q "batch command executed successfully" "$log"; then
    echo "demo-gimp: GIMP 3 batch failed, see $log" >&2
    grep -v "resource name is invalid\|Broken pipe\|^$" "$log" | tail -20 >&2
    exit 1
  fi
  grep -E 'Warning: (alpha|layer)' "$log" | sed 's/.*Warning: /demo-gimp: GIMP 3: /'
  check_outputs rapsd.csv rapsd-plot.png noisy.png lowpass.png wiener.png noise-lowpass.xcf
  ran=1
  if command -v Xvfb >/dev/null && command -v xdotool >/dev/null; then
    SHOT_FILTER_LIST=1 tests/gimp3/run-dialog-tests.sh "$build/gimp_plugin/gimp3" \
      "$(pkg-config --variable=gimplibdir gimp-3.0)/plug-ins" "$gegl_plugins" "$build/gegl_op" "$root" "$out" |
      sed 's/^/demo-gimp: /' || echo "demo-gimp: GIMP 3 dialog screenshots failed" >&2
  fi
fi
if [ -x "$build/gimp_plugin/gimp2/spectide/spectide" ] && command -v gimp-2.10 >/dev/null; then
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
    (gimp-xcf-save RUN-NONINTERACTIVE img drawable (string-append out "/noise-lowpass-2.10.xcf")
                   (string-append out "/noise-lowpass-2.10.xcf"))))
SCM
  log=$out/gimp-batch.log
  timeout 300 gimp-2.10 -i -d -f -n -b "(begin (load \"$script\") (demo \"$out\" $t))" -b '(gimp-quit 0)' >"$log" 2>&1 || true
  if [ "$(grep -c 'batch command executed successfully' "$log")" -ne 1 ]; then
    echo "demo-gimp: GIMP 2.10 batch failed, see $log" >&2
    tail -20 "$log" >&2
    exit 1
  fi
  grep -E 'Warning: (alpha|layer)' "$log" | sed 's/.*Warning: /demo-gimp: GIMP 2.10: /'
  check_outputs rapsd.csv rapsd-plot.png noisy.png lowpass.png wiener.png noise-lowpass-2.10.xcf
  ran=1
  if command -v Xvfb >/dev/null && command -v xdotool >/dev/null; then
    GIMP2_DIRECTORY= tests/gimp/run-dialog-tests.sh "$build/gimp_plugin/gimp2" \
      "$(pkg-config --variable=gimplibdir gimp-2.0)/plug-ins" "$root" "$out" |
      sed 's/^/demo-gimp: /' || echo "demo-gimp: GIMP 2.10 dialog screenshots failed" >&2
  fi
fi
[ "$ran" = 1 ] || { echo "demo-gimp: no GIMP with a built plug-in (GIMP 3: gimp-console-3.0, GIMP 2.10: gimp-2.10)" >&2; exit 1; }

# The operation in GEGL's own command line (found in ~/.local/share/gegl-0.4/plug-ins).
if command -v gegl >/dev/null && [ -f "$build/gegl_op/spectide-noise-lowpass.so" ]; then
  gegl "$out/photo.png" -o "$out/gegl-split.png" -- spectide:noise-lowpass t=$t seed=1 view=split \
    >"$out/gegl.log" 2>&1 || { echo "demo-gimp: gegl failed, see $out/gegl.log" >&2; exit 1; }
  check_outputs gegl-split.png
  echo "demo-gimp: gegl wrote $out/gegl-split.png (noisy | low-pass, the operation in the gegl command)"
fi
echo "demo-gimp: results in $out"
