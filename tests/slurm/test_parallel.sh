#!/usr/bin/env bash
# The GNU parallel recipe (scripts/rapsd-shards.sh parallel) on this machine:
# 5 shards, 2 at a time, once directly and once through GNU parallel's
# --sshlogin machinery with ":" (this machine, the form a list of hosts takes).
# Each result must equal one run over the whole folder, byte for byte. A
# missing GNU parallel is a failure (scripts/deps.sh installs it).
# usage: test_parallel.sh SPECTIDE SOURCE_ROOT
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail
spectide=$1
root=$2
for tool in parallel convert; do
  command -v "$tool" >/dev/null || { echo "not ok 1 - $tool is missing (scripts/deps.sh test installs it)"; echo "1..1"; exit 1; }
done
tmp=$(mktemp -d)
trap '[ -n "${KEEP_TMP:-}" ] || rm -rf "$tmp"' EXIT
source "$root/tests/slurm/common.sh"

make_dataset "$tmp/set"
single_run "$tmp/set" "$tmp/single"
for variant in local sshlogin; do
  args=(--shards 5 --jobs 2)
  [ "$variant" = sshlogin ] && args+=(--sshlogin 2/:)
  set +e
  timeout 600 "$root/scripts/rapsd-shards.sh" parallel "${args[@]}" --spectide "$spectide" \
    "$tmp/$variant" "$tmp/set" >"$tmp/$variant.out" 2>&1 </dev/null
  status=$?
  set -e
  check "rapsd-shards.sh parallel ${args[*]}: exit 0" [ "$status" -eq 0 ]
  check "$variant: 5 accumulators, one per shard" [ "$(ls "$tmp/$variant/acc/"*.stacc | wc -l)" -eq 5 ]
  compare_runs "$tmp/single" "$tmp/$variant" "parallel ($variant)"
  [ "$failures" -eq 0 ] || sed 's/^/# /' "$tmp/$variant.out"
done
finish
