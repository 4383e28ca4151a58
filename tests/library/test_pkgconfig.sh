#!/usr/bin/env bash
# Installs the build into a temporary DESTDIR and builds a program outside
# the tree against the installed libspectide through pkg-config alone, then
# runs it against the installed shared library.
# Usage: test_pkgconfig.sh BUILD_DIR CONSUMER.c VERSION [SANITIZE]
#   SANITIZE: meson's b_sanitize of the build ("none" or e.g. "address,undefined"): a
#   sanitized library needs a consumer built with the same runtime.
set -euo pipefail
build_dir=$1 consumer=$2 version=$3 sanitize=${4:-none}
sanitize_flags=()
[ "$sanitize" = none ] || sanitize_flags=("-fsanitize=$sanitize")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

meson install -C "$build_dir" --no-rebuild --destdir "$work/root" --tags devel,runtime >"$work/install.log" 2>&1 ||
  { cat "$work/install.log"; echo "not ok 1 - meson install"; exit 1; }
pc=$(find "$work/root" -name spectide.pc -print -quit)
[ -n "$pc" ] || { echo "not ok 1 - no spectide.pc installed"; exit 1; }
echo "ok 1 - installed: ${pc#"$work/root"}"

export PKG_CONFIG_PATH=$(dirname "$pc") PKG_CONFIG_SYSROOT_DIR="$work/root"
cflags=$(pkg-config --cflags spectide) libs=$(pkg-config --libs spectide)
pc_version=$(pkg-config --modversion spectide)
cp "$consumer" "$work/consumer.c"
if cc -std=c11 -pedantic -Wall -Wextra -Werror -o "$work/consumer" "$work/consumer.c" "${sanitize_flags[@]}" $cflags $libs -lm 2>"$work/cc.log"; then
  echo "ok 2 - consumer built with: cc $cflags $libs"
else
  sed 's/^/# /' "$work/cc.log"; echo "not ok 2 - consumer does not build"; exit 1
fi
[ "$pc_version" = "$version" ] && echo "ok 3 - pkg-config version $pc_version" ||
  { echo "not ok 3 - pkg-config version $pc_version, project $version"; exit 1; }

libdir=$(dirname "$(find "$work/root" -name 'libspectide.so.*' -print -quit)")
if LD_LIBRARY_PATH=$libdir "$work/consumer" "$version" >"$work/consumer.log" 2>&1; then
  sed 's/^/# /' "$work/consumer.log"
  echo "ok 4 - consumer ran against the installed library"
else
  sed 's/^/# /' "$work/consumer.log"; echo "not ok 4 - consumer failed"; exit 1
fi
echo "1..4"
