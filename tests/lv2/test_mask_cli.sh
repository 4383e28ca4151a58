#!/usr/bin/env bash
# One mask on every front: spectide.lv2's mask and residual auditions in
# lv2apply (no features, one frame per run) give the samples of
# `spectide tide-audio --mode mask|residual` at the same level, after the
# latency the plugin reports (its latency port, read by report_latency); on
# speech and music. Usage: test_mask_cli.sh SPECTIDE REPORT_LATENCY
set -euo pipefail
python=/usr/bin/python3; [ -x "$python" ] || python=$(command -v python3)
for tool in lv2apply sox; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed (scripts/deps.sh test)"; exit 1; }
done
"$python" -c 'import numpy' 2>/dev/null || { echo "FAIL: python3-numpy is not installed"; exit 1; }
spectide=${1:?usage: test_mask_cli.sh SPECTIDE REPORT_LATENCY}
report_latency=${2:?usage: test_mask_cli.sh SPECTIDE REPORT_LATENCY}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
exec "$python" "$(dirname "$0")/mask_cli_check.py" "$spectide" "$report_latency" \
  "${SPECTIDE_SOURCE:?}/data" "$tmp"
