#!/usr/bin/env bash
# Install the Debian 12 packages that spectide needs to build, demo and test.
# Idempotent: only the missing packages are installed, and the list is printed first.
# Usage: scripts/deps.sh [build|demo|test]   (default: test, which is everything)
set -euo pipefail

build_packages=(
  build-essential meson ninja-build pkg-config clang-format
  libfftw3-dev libsamplerate0-dev libsndfile1-dev libcairo2-dev libgegl-dev
  libx11-dev lv2-dev liblilv-dev libgimp2.0-dev libjpeg-dev
)
# The real hosts the plugins are run in, and the tools that drive them headless
# (openbox: a small window manager for the Ardour GUI test under Xvfb).
host_packages=(
  lilv-utils sordi jalv jackd2 sndfile-tools xvfb imagemagick xdotool x11-utils
  ardour openbox gimp
)
# Only the tests and benchmarks need these.
test_packages=(
  python3-numpy valgrind clang libclang-rt-14-dev x42-plugins lsp-plugins-lv2 sox
)

case "${1:-test}" in
  build) wanted=("${build_packages[@]}") ;;
  demo) wanted=("${build_packages[@]}" "${host_packages[@]}") ;;
  test) wanted=("${build_packages[@]}" "${host_packages[@]}" "${test_packages[@]}") ;;
  *) echo "usage: $0 [build|demo|test]" >&2; exit 2 ;;
esac

missing=()
for package in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
  [ "$status" = installed ] || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "deps: all ${#wanted[@]} Debian packages are installed"
  exit 0
fi

echo "deps: installing ${#missing[@]} missing Debian packages: ${missing[*]}"
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "deps: not root and no sudo: install them by hand" >&2; exit 1; }
  sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
# jackd2 asks whether to enable real-time priority; answer for it.
echo "jackd2 jackd/tweak_rt_limits boolean false" | "${sudo[@]}" debconf-set-selections
# Several builds (or a chroot set-up) may run apt at once: wait for the lock.
apt_wait=(-o DPkg::Lock::Timeout=900)
"${sudo[@]}" apt-get "${apt_wait[@]}" update -qq
"${sudo[@]}" apt-get "${apt_wait[@]}" install -y -qq --no-install-recommends "${missing[@]}"
