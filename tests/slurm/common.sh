# What the dataset-engine tests share: a dataset made in the test (the
# bundled photos, crops and re-encodings of them in nested folders, one
# damaged file), and the single run every sharded result must equal.
# Sourced by test_slurm.sh and test_parallel.sh after they set spectide,
# root and tmp.
# SPDX-License-Identifier: GPL-3.0-or-later

# Under AddressSanitizer (scripts/test.sh --sanitize), GEGL's start-up
# allocations are suppressed as in tests/cli; ignored by a normal build. The
# jobs inherit this environment (sbatch exports it, GNU parallel runs here).
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}:fast_unwind_on_malloc=0"
export LSAN_OPTIONS="suppressions=$root/tests/cli/lsan.supp:print_suppressions=0"

failures=0
count=0
ok() { count=$((count + 1)); echo "ok $count - $*"; }
not_ok() { count=$((count + 1)); failures=$((failures + 1)); echo "not ok $count - $*"; }
check() { # check DESCRIPTION COMMAND...
  local what=$1
  shift
  if "$@"; then ok "$what"; else not_ok "$what"; fi
}
finish() {
  echo "1..$count"
  [ "$failures" -eq 0 ]
}

# data/ plus 12 derived images of other sizes and formats, and a truncated
# PNG that every run skips.
make_dataset() {
  local set=$1
  mkdir -p "$set/photos" "$set/derived/crops" "$set/derived/jpeg"
  cp "$root"/data/*.png "$set/photos/"
  local i=0 photo
  for photo in "$root"/data/*.png; do
    convert "$photo" -crop 200x150+17+23 +repage "PNG24:$set/derived/crops/crop$i.png"
    convert "$photo" -resize 61% "PNG24:$set/derived/crops/small$i.png"
    convert "$photo" -quality 85 "$set/derived/jpeg/photo$i.jpg"
    i=$((i + 1))
  done
  head -c 3000 "$root/data/camera.png" >"$set/derived/truncated.png"
}

# The reference: one run over the same folder (exit 3: the damaged file).
single_run() {
  local set=$1 dir=$2
  mkdir -p "$dir"
  set +e
  "$spectide" rapsd --average --skip-bad --accumulate "$dir/all.stacc" --csv "$dir/report.csv" \
    --plot "$dir/report.png" "$set" >"$dir/report.txt" 2>"$dir/stderr.txt"
  local status=$?
  set -e
  check "single run over the folder: exit 3 (one damaged file skipped)" [ "$status" -eq 3 ]
  check "single run names the damaged file" grep -q "truncated.png" "$dir/stderr.txt"
}

# The sharded result equals the single run, byte for byte.
compare_runs() {
  local single=$1 sharded=$2 engine=$3 file
  for file in all.stacc report.txt report.csv report.png; do
    check "$engine: $file equals the single run's, byte for byte" cmp -s "$single/$file" "$sharded/$file"
  done
  check "$engine: the report counts 16 images" \
    grep -q "of 16 images" "$sharded/report.txt"
  check "$engine: provenance says 1 file skipped" grep -q "1 file skipped" "$sharded/report.txt"
}
