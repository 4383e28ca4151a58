#!/bin/sh
# Fuzzes every libFuzzer target of tests/fuzz for SECONDS each (default 60).
#
#   tests/fuzz/run.sh 60          CI's bounded run (about 60 s per target)
#   tests/fuzz/run.sh 3600        a developer's long run
#   FUZZ_TARGETS="audio rapsd" tests/fuzz/run.sh 600    only some targets
#
# Builds with clang, -fsanitize=fuzzer and ASan+UBSan (every UBSan finding
# aborts) in BUILD_DIR (default build-fuzz at the top of the tree). Each
# target starts from its seed corpus (tests/fuzz/corpus/NAME, never modified)
# plus what earlier runs found (BUILD_DIR/fuzz-corpus/NAME) and the kept
# regressions. A crash leaves its input in BUILD_DIR/fuzz-artifacts/NAME/:
# copy it to tests/fuzz/regressions/NAME/ so the replay test keeps it.
# FUZZ_SEED=N fixes libFuzzer's random seed (CI does, so that a bounded run
# explores the same mutations every time; 0, the default, is a new seed).
# Exit status: 0 when no target crashed, 1 otherwise.
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu
seconds=${1:-60}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD_DIR:-$root/build-fuzz}
targets=${FUZZ_TARGETS:-"rapsd audio names accumulator lv2_atoms image_file audio_file cli_args"}

if ! command -v clang >/dev/null 2>&1; then
    echo "run.sh: clang is missing (scripts/deps.sh installs clang and libclang-rt-14-dev)" >&2
    exit 1
fi
if [ ! -f "$build/build.ninja" ]; then
    # werror off: the point here is crashes, and others' code may warn under clang.
    CC=clang meson setup "$build" "$root" -Dwerror=false -Db_sanitize=address,undefined \
        -Db_lundef=false -Dc_args=-fno-sanitize-recover=all -Dc_link_args=-fno-sanitize-recover=all \
        -Dgimp=disabled -Dtests=enabled >"$build.setup.log" 2>&1 ||
        { cat "$build.setup.log" >&2; exit 1; }
fi
ninja -C "$build" build.ninja >/dev/null  # regenerates if meson files changed
built=""
# Read once, whole: no pipeline whose reader may stop early.
known=$(ninja -C "$build" -t targets all 2>/dev/null || true)
for name in $targets; do
    if printf '%s\n' "$known" | grep "^tests/fuzz/fuzz_$name:" >/dev/null; then
        built="$built tests/fuzz/fuzz_$name"
    else
        echo "run.sh: no target fuzz_$name in $build (its front is not built): skipped" >&2
    fi
done
# ninja reports a failed build on stdout: keep it, and show it on failure.
ninja -C "$build" $built >"$build.build.log" 2>&1 ||
    { echo "run.sh: building the fuzz targets failed:" >&2; tail -n 40 "$build.build.log" >&2; exit 1; }

export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
status=0
for name in $targets; do
    binary="$build/tests/fuzz/fuzz_$name"
    [ -x "$binary" ] || continue
    corpus="$build/fuzz-corpus/$name"
    artifacts="$build/fuzz-artifacts/$name"
    mkdir -p "$corpus" "$artifacts"
    seeds="$here/corpus/$name"
    regressions=""
    [ -d "$here/regressions/$name" ] && regressions="$here/regressions/$name"
    # The command line's targets load fontconfig (plots), whose caches live
    # until exit: leak reports there are its, not findings.
    leaks=1
    case $name in image_file | audio_file | cli_args) leaks=0 ;; esac
    echo "== fuzz_$name: $seconds s"
    if ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=$leaks" "$binary" -detect_leaks=$leaks \
        -seed="${FUZZ_SEED:-0}" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -max_len=16384 \
        -print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus" "$seeds" $regressions \
        >"$build/fuzz-$name.log" 2>&1; then
        grep -E "stat::number_of_executed_units|Done" "$build/fuzz-$name.log" | tr '\n' ' '
        echo
    else
        status=1
        echo "fuzz_$name FOUND A CRASH: input in $artifacts/, log $build/fuzz-$name.log" >&2
        if ! grep -E "ERROR|SUMMARY|check failed|#[0-9]+ 0x" "$build/fuzz-$name.log" | head -30 >&2; then
            echo "(no sanitizer report: the target exited, hung or ran out of memory; last lines:)" >&2
            tail -5 "$build/fuzz-$name.log" >&2
        fi
    fi
done
exit $status
