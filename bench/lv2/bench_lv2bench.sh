#!/usr/bin/env bash
# lv2bench side by side, one run, 48 kHz, 256-frame blocks: spectide mono
# against LSP's single-channel spectrum analyser (which analyses whether or
# not a UI is open: its LV2 wrapper calls process() on every run and its
# Analyzer runs the FFT 20 times a second) and x42's spectra (which does
# nothing without a UI, like Calf Analyzer). Each
# plugin is timed 3 times, interleaved, and the fastest run counts. Ratios
# are printed relative to LSP, with x42 nodelay as the floor. x42 spectra refuses lv2bench's 1024-byte atom
# buffer (it needs 1280): it is listed as refused, not timed.
# Usage: bench/lv2/bench_lv2bench.sh [BUILD_DIR]   (default: build)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
build=$(cd "$build" && pwd)
export LV2_PATH=$build/lv2_plugin:/usr/lib/lv2
command -v lv2bench >/dev/null || { echo "lv2bench is not installed (lilv-utils)"; exit 1; }
frames=960000   # 20 s of audio at 48 kHz
declare -A best label
plugins=(urn:spectide:mono http://lsp-plug.in/plugins/lv2/spectrum_analyzer_x1 http://gareus.org/oss/lv2/spectra#Mono
         http://gareus.org/oss/lv2/nodelay)
label[urn:spectide:mono]="spectide mono (spectrum 4096 + 22.05 kHz resampling + 128 mels + MFCC + cepstral RAPSD)"
label[http://lsp-plug.in/plugins/lv2/spectrum_analyzer_x1]="LSP spectrum analyzer x1"
label[http://gareus.org/oss/lv2/spectra#Mono]="x42 spectra mono"
# A plugin that does next to nothing (a delay line): the floor of lv2bench itself.
label[http://gareus.org/oss/lv2/nodelay]="x42 nodelay (reference: a delay line, no analysis)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for round in 1 2 3; do
  for uri in "${plugins[@]}"; do
    lv2bench -b 256 -n $frames "$uri" >"$tmp/out" 2>"$tmp/err" || true
    if grep -qi 'insufficient\|error\|fail' "$tmp/err"; then
      best[$uri]="refused: $(tr -d '\n' <"$tmp/err")"
      continue
    fi
    seconds=$(awk -v u="$uri" '$2 == u {print $1}' "$tmp/out")
    [ -n "$seconds" ] || { best[$uri]="no result"; continue; }
    previous=${best[$uri]:-}
    if [ -z "$previous" ] || awk -v a="$seconds" -v b="$previous" 'BEGIN {exit !(a < b)}'; then
      best[$uri]=$seconds
    fi
  done
done
lsp=${best[http://lsp-plug.in/plugins/lv2/spectrum_analyzer_x1]}
echo "lv2bench -b 256 -n $frames at 48 kHz (best of 3, seconds for 20 s of audio):"
for uri in "${plugins[@]}"; do
  value=${best[$uri]}
  if [[ "$value" =~ ^[0-9.e-]+$ ]]; then
    ratio=$(awk -v a="$value" -v b="$lsp" 'BEGIN {printf "%.2f", a / b}')
    cpu=$(awk -v a="$value" 'BEGIN {printf "%.2f", 100 * a / 20}')
    printf '  %-10s s  %5s%% CPU  ratio to LSP %s  %s\n' "$value" "$cpu" "$ratio" "${label[$uri]}"
  else
    printf '  %s: %s\n' "${label[$uri]}" "$value"
  fi
done
