#!/usr/bin/env bash
# A whole dataset in shards: one accumulator per shard (spectide rapsd
# --accumulate), then one merge and the report. The sums are exact, so the
# result is the same, byte for byte, as one run over all the images, for any
# number of shards and any engine.
#
# usage: scripts/rapsd-shards.sh slurm    [OPTIONS] OUT_DIR PATH...
#        scripts/rapsd-shards.sh parallel [OPTIONS] OUT_DIR PATH...
#
#   slurm     an array job, one task per shard, and a reduce job that runs
#             after all of them succeeded (--dependency=afterok)
#   parallel  GNU parallel on this machine, or on several with --sshlogin
#
# PATH: image files and folders; folders are listed as spectide walks them
# (recursively, hidden entries left out, .png .jpg .jpeg .jpe .tif .tiff
# .webp in any case), sorted by byte value, and dealt round-robin to shards.
#
# Options:
#   --shards N          number of shards (default: 16 for slurm, the CPU count
#                       for parallel)
#   --spectide PROGRAM  the spectide to run (default: spectide on PATH); on a
#                       cluster it must be reachable from every node
#   --channel C         analysis channel (green, luma, red, blue; default green)
#   --sbatch "ARGS"     slurm: more sbatch arguments for both jobs (partition,
#                       time limit, account...), split on spaces
#   --wait              slurm: return only when the report is written (the
#                       exit status is the reduce job's)
#   --jobs N            parallel: shards at a time per host (default: CPUs)
#   --sshlogin LOGINS   parallel: GNU parallel's --sshlogin (e.g.
#                       "8/node1,8/node2", ":" is this machine); every host must
#                       see OUT_DIR, the images and spectide at the same paths
#                       (a shared file system)
#
# Writes in OUT_DIR: files.txt (every image), shards/NNN.txt, acc/NNN.stacc
# and acc/NNN.log (one per shard), all.stacc (the merge), report.txt (what
# 'spectide report' prints), report.csv and report.png. A shard with
# unreadable or damaged files still succeeds: spectide's --skip-bad names
# them in acc/NNN.log, and the merged accumulator counts them (report.txt
# says how many); any other failure fails the task, and the merge does not
# run.
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail

usage() { sed -n '2,/^# SPDX/p' "$0" | sed 's/^# \{0,1\}//; /^SPDX/d' >&2; exit 2; }
[ $# -ge 1 ] || usage
engine=$1
shift
case "$engine" in slurm | parallel) ;; -h | --help) usage ;; *) echo "rapsd-shards: unknown engine '$engine' (slurm or parallel)" >&2; exit 2 ;; esac

shards="" spectide=spectide channel=green sbatch_args="" wait=0 jobs="" sshlogin=""
while [ $# -gt 0 ]; do
  case "$1" in
    --shards) shards=$2; shift 2 ;;
    --spectide) spectide=$2; shift 2 ;;
    --channel) channel=$2; shift 2 ;;
    --sbatch) sbatch_args=$2; shift 2 ;;
    --wait) wait=1; shift ;;
    --jobs) jobs=$2; shift 2 ;;
    --sshlogin) sshlogin=$2; shift 2 ;;
    -h | --help) usage ;;
    --) shift; break ;;
    -*) echo "rapsd-shards: unknown option '$1'" >&2; exit 2 ;;
    *) break ;;
  esac
done
[ $# -ge 2 ] || usage
out=$1
shift
if [ -z "$shards" ]; then
  if [ "$engine" = slurm ]; then shards=16; else shards=$(nproc); fi
fi
[[ $shards =~ ^[0-9]+$ ]] && [ "$shards" -ge 1 ] && [ "$shards" -le 100000 ] ||
  { echo "rapsd-shards: --shards must be a whole number from 1 to 100000" >&2; exit 2; }
spectide=$(command -v "$spectide") || { echo "rapsd-shards: spectide not found" >&2; exit 2; }
[[ $spectide == /* ]] || spectide=$PWD/$spectide

mkdir -p "$out/shards" "$out/acc"
out=$(cd "$out" && pwd)
# Leftovers of an earlier run would be merged too: start clean.
rm -f "$out"/shards/*.txt "$out"/acc/*.stacc "$out"/acc/*.log

# The images, as spectide's folder walk finds them, with absolute paths so
# that a task may run in any folder and on any node.
list_images() {
  local path
  for path in "$@"; do
    [[ $path == /* ]] || path=$PWD/$path
    if [ -d "$path" ]; then
      find -L "$path" -mindepth 1 -name '.*' -prune -o -type f \( -iname '*.png' -o -iname '*.jpg' \
        -o -iname '*.jpeg' -o -iname '*.jpe' -o -iname '*.tif' -o -iname '*.tiff' \
        -o -iname '*.webp' \) -print
    else
      printf '%s\n' "$path"
    fi
  done
}
list_images "$@" | LC_ALL=C sort -u >"$out/files.txt"
count=$(wc -l <"$out/files.txt")
[ "$count" -gt 0 ] || { echo "rapsd-shards: no image found in $*" >&2; exit 1; }
# Round-robin: shard k gets lines k, k + N, k + 2N, ... (some may be empty),
# named 000.txt, 001.txt, ... (more digits beyond 1000 shards).
digits=3
[ "$shards" -le 1000 ] || digits=${#shards}
split --number="r/$shards" --numeric-suffixes=0 --suffix-length="$digits" \
  --additional-suffix=.txt "$out/files.txt" "$out/shards/"

# One shard -> one accumulator. Exit 3 (files skipped) is success here.
cat >"$out/map.sh" <<EOF
#!/usr/bin/env bash
# One shard of $out: spectide rapsd --accumulate (made by rapsd-shards.sh).
set -u
shard=\$(printf '%0${digits}d' "\${1:-\${SLURM_ARRAY_TASK_ID:?no shard given}}")
exec 2>>"$out/acc/\$shard.log"
echo "shard \$shard on \$(hostname) (Slurm job \${SLURM_ARRAY_JOB_ID:--} task \${SLURM_ARRAY_TASK_ID:--})" >&2
"$spectide" rapsd --channel "$channel" --skip-bad --files-from "$out/shards/\$shard.txt" \\
  --accumulate "$out/acc/\$shard.stacc" >&2
status=\$?
[ \$status -eq 3 ] && status=0
exit \$status
EOF
# All accumulators -> one, and its report.
cat >"$out/reduce.sh" <<EOF
#!/usr/bin/env bash
# The merge and report of $out (made by rapsd-shards.sh).
set -euo pipefail
echo "reduce on \$(hostname) (Slurm job \${SLURM_JOB_ID:--})" >&2
"$spectide" merge -o "$out/all.stacc" "$out"/acc/*.stacc >&2
"$spectide" report --csv "$out/report.csv" --plot "$out/report.png" "$out/all.stacc" \\
  >"$out/report.txt.part"
mv "$out/report.txt.part" "$out/report.txt"
EOF
chmod +x "$out/map.sh" "$out/reduce.sh"
echo "rapsd-shards: $count images in $shards shards under $out"

if [ "$engine" = slurm ]; then
  read -r -a extra <<<"$sbatch_args"
  map=$(sbatch --parsable --job-name=spectide-map --array="0-$((shards - 1))" \
    --output="$out/acc/slurm-%a.out" "${extra[@]}" "$out/map.sh")
  map=${map%%;*}
  waiting=()
  [ "$wait" -eq 1 ] && waiting=(--wait)
  echo "rapsd-shards: map job $map ($shards tasks); reduce after it: afterok:$map"
  reduce=$(sbatch --parsable --job-name=spectide-reduce --dependency="afterok:$map" \
    --kill-on-invalid-dep=yes --output="$out/reduce.out" "${waiting[@]}" "${extra[@]}" \
    "$out/reduce.sh")
  reduce=${reduce%%;*}
  echo "rapsd-shards: reduce job $reduce"
  if [ "$wait" -eq 1 ]; then
    [ -s "$out/report.txt" ] || { echo "rapsd-shards: no report (see $out/reduce.out)" >&2; exit 1; }
    cat "$out/report.txt"
  fi
else
  args=(--halt now,fail=1 --jobs "${jobs:-100%}")
  [ -n "$sshlogin" ] && args+=(--sshlogin "$sshlogin")
  seq 0 $((shards - 1)) | parallel "${args[@]}" "$out/map.sh" '{}'
  "$out/reduce.sh" 2>"$out/reduce.out"
  cat "$out/report.txt"
fi
