#!/usr/bin/env bash
# The mono plugin in a real host (lv2apply) under valgrind memcheck, once per
# audition mode on the bundled speech: any memory error or definite leak of
# ours fails (tests/lv2/valgrind.supp lists the libraries' own one-time state).
set -euo pipefail
for tool in valgrind lv2apply; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed"; exit 77; }
done
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
speech=$SPECTIDE_SOURCE/data/speech-front-center.wav
status=0
for mode in 0 1 2 3; do  # off, noise, mask, residual
  if valgrind -q --error-exitcode=3 --leak-check=full --errors-for-leak-kinds=definite \
      --keep-debuginfo=yes --suppressions="$here/valgrind.supp" \
      lv2apply -i "$speech" -o "$tmp/out-$mode.wav" -c audition "$mode" -c sigma_db -30 \
      urn:spectide:mono 2>"$tmp/log-$mode"; then
    echo "ok: audition $mode under memcheck: no errors, no definite leaks"
  else
    echo "FAIL: audition $mode under memcheck:"; cat "$tmp/log-$mode"; status=1
  fi
  [ -s "$tmp/out-$mode.wav" ] || { echo "FAIL: audition $mode wrote no output"; status=1; }
done
exit $status
