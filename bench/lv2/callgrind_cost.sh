#!/usr/bin/env bash
# Cost of analysis in instructions per second of 48 kHz audio, counted by
# callgrind (repeatable to a few instructions, unlike times on a shared
# machine): each subject runs twice, for N = 240000 and 480000 frames, and
# the difference of the two totals is divided by the 5 s of audio between
# them, so start-up (loading, planning) cancels.
#   - spectide mono and LSP Spectrum Analyzer x1 (the peer that analyses
#     with no UI open) in lv2bench -b 256, at their default controls;
#   - LSP x1 with an 8192-point FFT: lv2bench sets no controls, so a private
#     copy of LSP's TTL whose "tol" (FFT size) port defaults to 8192 is
#     loaded from a temporary bundle (the same binary);
#   - the floor: one 4096-point fftwf r2c per 1024-sample hop at 22050 Hz
#     (spectide's default spectrum, its FFT alone);
#   - spectide's core path alone (core_cost path fir: FIR resampler to
#     22050 Hz + STFT + mel + MFCC + cepstral at the plugin's defaults), and
#     the same with libsamplerate's SINC_FASTEST (core_cost path src).
# Ratios are to LSP x1 at its defaults.
# Usage: bench/lv2/callgrind_cost.sh [BUILD_DIR]   (default: build)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
build=$(cd "$build" && pwd)
for tool in valgrind lv2bench; do
  command -v $tool >/dev/null || { echo "callgrind_cost: $tool is not installed"; exit 1; }
done
lsp_uri=http://lsp-plug.in/plugins/lv2/spectrum_analyzer_x1
lsp_bundle=/usr/lib/lv2/lsp-plugins.lv2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
small=240000
large=480000
seconds=$(( (large - small) / 48000 ))

# total_instructions LABEL LV2_PATH COMMAND... (the command contains @N@ for the frame count)
total_instructions() {
  local label=$1 path=$2 n=$3
  shift 3
  local args=("${@//@N@/$n}")
  LV2_PATH=$path valgrind --tool=callgrind --callgrind-out-file="$tmp/$label.$n.out" "${args[@]}" \
    >"$tmp/$label.$n.stdout" 2>"$tmp/$label.$n.stderr" || {
    echo "callgrind_cost: $label failed:" >&2; tail -5 "$tmp/$label.$n.stderr" >&2; return 1; }
  awk '/^totals:/ {print $2}' "$tmp/$label.$n.out"
}

# per_second LABEL LV2_PATH COMMAND...: millions of instructions per second of audio
per_second() {
  local label=$1 path=$2
  shift 2
  local a b
  a=$(total_instructions "$label" "$path" $small "$@")
  b=$(total_instructions "$label" "$path" $large "$@")
  awk -v a="$a" -v b="$b" -v s="$seconds" 'BEGIN {printf "%.2f", (b - a) / s / 1e6}'
}

# A copy of LSP x1's description with the FFT size port (tol) defaulting to
# 8192 (scale point 3), next to a link to LSP's binary.
make_lsp_8192() {
  local bundle=$tmp/lsp-x1-8192.lv2
  mkdir -p "$bundle"
  ln -s "$lsp_bundle"/lsp-plugins-lv2-*.so "$bundle/"
  local binary
  binary=$(basename "$(ls "$lsp_bundle"/lsp-plugins-lv2-*.so | grep -v lv2ui | sed -n 1p)")
  { grep '^@prefix' "$lsp_bundle/manifest.ttl"
    printf '\nplug:spectrum_analyzer_x1\n\ta lv2:Plugin ;\n\tlv2:binary <%s> ;\n\trdfs:seeAlso <spectrum_analyzer_x1.ttl> .\n' "$binary"
  } >"$bundle/manifest.ttl"
  awk 'index($0, "lv2:symbol \"tol\"") {tol = 1}
       tol && /lv2:default 2 ;/ {sub(/lv2:default 2 ;/, "lv2:default 3 ;"); tol = 0}
       {print}' "$lsp_bundle/spectrum_analyzer_x1.ttl" >"$bundle/spectrum_analyzer_x1.ttl"
  grep -q 'lv2:default 3 ;' "$bundle/spectrum_analyzer_x1.ttl"
}

plugin_path=$build/lv2_plugin:/usr/lib/lv2
declare -A cost label
order=(spectide lsp lsp8192 floor core_fir core_src)
label[spectide]="spectide mono, defaults (lv2bench -b 256)"
label[lsp]="LSP Spectrum Analyzer x1, defaults (4096-point FFT, lv2bench -b 256)"
label[lsp8192]="LSP Spectrum Analyzer x1, 8192-point FFT (lv2bench -b 256)"
label[floor]="floor: one 4096-point fftwf r2c per 1024-sample hop at 22050 Hz"
label[core_fir]="spectide core path alone, defaults: FIR resampler + STFT + mel + MFCC + cepstral"
label[core_src]="the same core path with libsamplerate SINC_FASTEST (before)"

echo "bench: callgrind, spectide mono" >&2
cost[spectide]=$(per_second spectide "$plugin_path" lv2bench -b 256 -n @N@ urn:spectide:mono)
if [ -d "$lsp_bundle" ]; then
  echo "bench: callgrind, LSP x1" >&2
  cost[lsp]=$(per_second lsp "$plugin_path" lv2bench -b 256 -n @N@ "$lsp_uri")
  if make_lsp_8192; then
    echo "bench: callgrind, LSP x1 at 8192 points" >&2
    cost[lsp8192]=$(per_second lsp8192 "$tmp" lv2bench -b 256 -n @N@ "$lsp_uri")
  fi
fi
echo "bench: callgrind, FFT floor and core path" >&2
cost[floor]=$(per_second floor "$plugin_path" "$build/bench/lv2/core_cost" floor @N@)
cost[core_fir]=$(per_second core_fir "$plugin_path" "$build/bench/lv2/core_cost" path fir @N@)
cost[core_src]=$(per_second core_src "$plugin_path" "$build/bench/lv2/core_cost" path src @N@)

# A subject that did not run (a plugin lv2bench could not instantiate still
# prints a time) costs next to nothing per second: report it as not run.
lsp=${cost[lsp]:-}
echo "callgrind: instructions per second of 48 kHz audio (N = $small and $large frames, difference / $seconds s)"
for key in "${order[@]}"; do
  value=${cost[$key]:-}
  if [ -z "$value" ] || awk -v v="$value" 'BEGIN {exit !(v < 0.05)}'; then
    printf '  %-8s M/s  ratio to LSP %-6s  %s\n' "not run" "-" "${label[$key]}"
    continue
  fi
  ratio=-
  if [ -n "$lsp" ] && awk -v l="$lsp" 'BEGIN {exit !(l > 0.05)}'; then
    ratio=$(awk -v v="$value" -v l="$lsp" 'BEGIN {printf "%.2f", v / l}')
  fi
  printf '  %-8s M/s  ratio to LSP %-6s  %s\n' "$value" "$ratio" "${label[$key]}"
done
