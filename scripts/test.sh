#!/usr/bin/env bash
# Install what is missing, build, and run every test of spectide.
# Usage: scripts/test.sh [--sanitize] [meson test arguments...]
#   --sanitize   build in build-sanitize/ with AddressSanitizer + UBSan and run the suite there
set -euo pipefail
cd "$(dirname "$0")/.."

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
python3 - "$build_dir/meson-logs/testlog.json" <<'PY' || true
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
exit $status
