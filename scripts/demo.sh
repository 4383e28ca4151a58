#!/usr/bin/env bash
# spectide demo: installs what is missing, builds in build/, and runs the main
# job on the bundled media (data/) into demo-out/. Idempotent: run it again
# and it reconfigures, rebuilds what changed and rewrites demo-out/.
# usage: scripts/demo.sh
# (SPECTIDE_BUILD_DIR and SPECTIDE_DEMO_OUT override build/ and demo-out/;
#  SPECTIDE_DEMO_ONLY_CLI=1 skips the plug-in parts.)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
build_dir=${SPECTIDE_BUILD_DIR:-build}
out=${SPECTIDE_DEMO_OUT:-$root/demo-out}

scripts/deps.sh demo
if [ -f "$build_dir/build.ninja" ]; then
  meson setup --reconfigure "$build_dir" >/dev/null
else
  meson setup "$build_dir"
fi
ninja -C "$build_dir"

spectide=$(cd "$build_dir" && pwd)/cli/spectide
[ -x "$spectide" ] || { echo "demo: $spectide was not built (is the cli option disabled?)" >&2; exit 1; }
mkdir -p "$out"

photos=(data/*.png)
echo
echo "== images: averaged RAPSD and power-law fit over ${#photos[@]} photos"
"$spectide" rapsd "${photos[@]}"
"$spectide" rapsd --average --csv "$out/rapsd-average.csv" --plot "$out/rapsd-average.png" "${photos[@]}"

echo
echo "== images: f_max(t) for every schedule"
"$spectide" fmax --schedule all --csv "$out/fmax-all.csv" --plot "$out/fmax-all.png" "${photos[@]}"

echo
echo "== images: the tide at t = 0.5, rectified flow (noisy, low-pass at f_max, Wiener)"
"$spectide" tide --schedule rectified-flow --t 0.5 --out-dir "$out/tide" data/astronaut.png

echo
echo "== audio: waveform spectrum (not a power law) vs mel-spectrogram RAPSD (a power law)"
"$spectide" audio --plot "$out/audio-speech.png" --csv "$out/audio-speech.csv" data/speech-front-center.wav
"$spectide" audio --plot "$out/audio-music.png" --csv "$out/audio-music.csv" data/music-frozen-bubble.ogg
"$spectide" audio --plot "$out/audio-speech-and-music.png" data/speech-front-center.wav data/music-frozen-bubble.ogg >/dev/null
"$spectide" melspec --csv "$out/melspec-speech.csv" data/speech-front-center.wav
"$spectide" mfcc --csv "$out/mfcc-speech.csv" data/speech-front-center.wav
"$spectide" tide-audio --sigma-db -30 --mode mask data/music-frozen-bubble.ogg "$out/music-above-water.wav"
"$spectide" tide-audio --sigma-db -30 --mode noise data/music-frozen-bubble.ogg "$out/music-noisy.wav"

# ---- plug-in parts of the demo ---------------------------------------------
# The LV2 and GIMP engineers add their parts as scripts/demo-lv2.sh and
# scripts/demo-gimp.sh, the UI screenshot scripts/demo-lv2-ui.sh (each takes the build folder and writes into
# demo-out/lv2 or demo-out/gimp); they run here when present.
for part in lv2 lv2-ui gimp; do
  [ "${SPECTIDE_DEMO_ONLY_CLI:-0}" = 1 ] && break
  script=scripts/demo-$part.sh
  if [ -x "$script" ] || [ -f "$script" ]; then
    echo
    echo "== $part part of the demo ($script)"
    bash "$script" "$build_dir"
  fi
done
# -----------------------------------------------------------------------------

echo
echo "demo: results in $out/"
echo "  rapsd-average.png/.csv        averaged RAPSD of the photos, 95% band, fit and alpha"
echo "  fmax-all.png/.csv             f_max(t) for every schedule"
echo "  tide/                         noisy.png, lowpass.png, wiener.png, tide.png (t = 0.5, rectified flow)"
echo "  audio-speech.png, audio-music.png, audio-speech-and-music.png   the audio comparison"
echo "  melspec-speech.csv, mfcc-speech.csv, music-above-water.wav, music-noisy.wav"
[ -d "$out/lv2" ] && echo "  lv2/                          the LV2 plugin part"
[ -f "$out/lv2-ui.png" ] && echo "  lv2-ui.png                    screenshot of the LV2 UI in jalv analysing the music"
[ -d "$out/gimp" ] && echo "  gimp/                         the GIMP plug-in part"
exit 0
