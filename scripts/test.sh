#!/usr/bin/env bash
# Install what is missing, build, and run every test of spectide.
# Usage: scripts/test.sh [--sanitize | --debian13] [meson test arguments...]
#   --sanitize   build in build-sanitize/ with AddressSanitizer + UBSan and run the suite there
#   --debian13   build in build-debian13/ inside the Debian 13 chroot of scripts/debian13.sh
#                (gcc 14, werror, GIMP 3.0, GEGL 0.4.62, Ardour 8) and run the suites that
#                differ there: core, view, cli, gimp (GIMP 3), gegl, lv2. Meson test
#                arguments replace that suite list. The log is build-debian13/meson-logs/.
set -euo pipefail
cd "$(dirname "$0")/.."

summarize() { # testlog.json
  /usr/bin/python3 - "$1" <<'PY' || true
import json, sys
passed = failed = skipped = 0
for line in open(sys.argv[1]):
    result = json.loads(line)["result"]
    if result in ("OK", "EXPECTEDFAIL"):
        passed += 1
    elif result == "SKIP":
        skipped += 1
    else:
        failed += 1
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
}

if [ "${1:-}" = "--debian13" ]; then
  shift
  scripts/deps.sh test # on the host: debootstrap
  start=$SECONDS
  scripts/debian13.sh setup >/dev/null
  echo "test: Debian 13 chroot ready after $((SECONDS - start)) s"
  build_dir=build-debian13
  [ $# -gt 0 ] || set -- --suite core_image --suite core_audio --suite view --suite cli \
    --suite gimp --suite gegl --suite lv2
  rm -f "$build_dir/meson-logs/testlog.json"
  status=0
  # The repository is bind-mounted at its own path: the build folder and its
  # logs are on the host afterwards.
  scripts/debian13.sh run -e CI="${CI:-}" -- /bin/sh -c '
    set -e
    build_dir=$1
    shift
    if [ -f "$build_dir/build.ninja" ]; then
      meson setup --reconfigure "$build_dir" >/dev/null
    else
      meson setup "$build_dir" -Dwerror=true
    fi
    nice ninja -C "$build_dir"
    meson test -C "$build_dir" --print-errorlogs --num-processes 2 "$@"' sh "$build_dir" "$@" ||
    status=$?
  echo "test: Debian 13 leg took $((SECONDS - start)) s"
  [ -f "$build_dir/meson-logs/testlog.json" ] && summarize "$build_dir/meson-logs/testlog.json"
  exit $status
fi

build_dir=build
setup_args=()
if [ "${1:-}" = "--sanitize" ]; then
  shift
  build_dir=build-sanitize
  # Plug-ins run inside hosts (GIMP, jalv, Ardour) that are not built with ASan:
  # the sanitized suite covers core, view and the command line; the hosts get
  # valgrind instead (tests/lv2). UBSan findings must fail, not just print.
  setup_args=(-Db_sanitize=address,undefined -Db_lundef=false -Dlv2=disabled -Dgimp=disabled
              "-Dc_args=-fno-sanitize-recover=all" "-Dc_link_args=-fno-sanitize-recover=all")
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
fi

scripts/deps.sh test
if [ -f "$build_dir/build.ninja" ]; then
  meson setup --reconfigure "$build_dir" "${setup_args[@]}" >/dev/null
else
  meson setup "$build_dir" "${setup_args[@]}"
fi
ninja -C "$build_dir"

status=0
meson test -C "$build_dir" --print-errorlogs --num-processes 2 "$@" || status=$?

# A plain closing line that any CI reader understands, from meson's own log.
summarize "$build_dir/meson-logs/testlog.json"
exit $status
