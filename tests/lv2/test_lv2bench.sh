#!/usr/bin/env bash
# spectide.lv2 in lv2bench (lilv-utils) at block sizes 1, 64, 256 and 4096:
# each run must complete, print its time line and no error. lv2bench gives
# atom ports only 1024 bytes and no urid:map-less fallback: the plugin must
# cope (fewer messages, never a crash). No timing is asserted.
set -euo pipefail
command -v lv2bench >/dev/null || { echo "SKIP: lv2bench is not installed"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
for uri in urn:spectide:mono urn:spectide:stereo; do
  for block in 1 64 256 4096; do
    frames=96000; [ "$block" -eq 1 ] && frames=24000
    if ! timeout 120 lv2bench -b "$block" -n "$frames" "$uri" >"$tmp/out" 2>"$tmp/err"; then
      echo "FAIL: lv2bench -b $block $uri exited with an error"; cat "$tmp/err"; status=1; continue
    fi
    line=$(grep -F "$uri" "$tmp/out" || true)
    if ! [[ "$line" =~ ^[0-9.e+-]+\ $uri$ ]] || [ -s "$tmp/err" ]; then
      echo "FAIL: lv2bench -b $block $uri printed: $(cat "$tmp/out" "$tmp/err")"; status=1; continue
    fi
    echo "block $block: $line"
  done
done
exit $status
