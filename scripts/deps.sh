#!/usr/bin/env bash
# Install the Debian packages that spectide needs to build, demo and test, on
# Debian 12 (bookworm: GIMP 2.10, Ardour 7) or Debian 13 (trixie: GIMP 3.0,
# Ardour 8); the release is read from /etc/os-release.
# Idempotent: only the missing packages are installed, and the list is printed first.
# Usage: scripts/deps.sh [--list] [--debian 12|13] [build|demo|test|chroot]
#   (default: test, which is everything)
#   --list        print the package names, one a line, and install nothing
#   --debian N    the names for Debian N instead of this machine's release
#   chroot        what the Debian 13 chroot of scripts/debian13.sh holds: the
#                 build, the hosts and the test tools that run there
set -euo pipefail

list_only=0
debian=
profile=test
while [ $# -gt 0 ]; do
  case "$1" in
    --list) list_only=1 ;;
    --debian) debian=${2:?--debian needs 12 or 13}; shift ;;
    build | demo | test | chroot) profile=$1 ;;
    *) echo "usage: $0 [--list] [--debian 12|13] [build|demo|test|chroot]" >&2; exit 2 ;;
  esac
  shift
done
if [ -z "$debian" ]; then
  debian=$( (. /etc/os-release && echo "${VERSION_ID:-}") 2>/dev/null || true)
  debian=${debian%%.*}
  # trixie before its release had no VERSION_ID; anything newer than 12 uses 13's names.
  if [ -z "$debian" ] && grep -q trixie /etc/os-release 2>/dev/null; then debian=13; fi
fi
case "$debian" in
  12) gimp_dev=libgimp2.0-dev clang_rt=libclang-rt-14-dev ;;
  13 | 14) gimp_dev=libgimp-3.0-dev clang_rt=libclang-rt-19-dev ;;
  *) echo "deps: Debian ${debian:-(unknown release)} is not one of 12, 13: using Debian 12's names" >&2
     gimp_dev=libgimp2.0-dev clang_rt=libclang-rt-14-dev ;;
esac

build_packages=(
  build-essential meson ninja-build pkg-config
  libfftw3-dev libsamplerate0-dev libsndfile1-dev libcairo2-dev libgegl-dev
  libx11-dev lv2-dev liblilv-dev "$gimp_dev" libjpeg-dev
  libtiff-dev libwebp-dev liblcms2-dev zlib1g-dev
)
developer_packages=(clang-format)
# The real hosts the plugins are run in, and the tools that drive them headless.
# gimp is GIMP 2.10 on Debian 12 and GIMP 3.0 on Debian 13; gegl is GEGL's own
# command line (it runs the spectide:noise-lowpass operation); ardour is 7 or 8;
# openbox is the small window manager of the Ardour GUI test under Xvfb.
host_packages=(
  lilv-utils sordi jalv jackd2 sndfile-tools xvfb xauth imagemagick xdotool x11-utils
  ardour openbox gimp gegl
)
# Only the tests and benchmarks need these; debootstrap makes the Debian 13
# chroot (scripts/debian13.sh) in which the GIMP 3 and Ardour 8 tests run.
test_packages=(
  python3-numpy python3-pil valgrind clang "$clang_rt" x42-plugins lsp-plugins-lv2 sox debootstrap
  # Dataset engines: a one-node Slurm started by tests/slurm, GNU parallel.
  slurmctld slurmd slurm-client munge parallel
)
# Inside the Debian 13 chroot: the build and the hosts tested there (GIMP 3,
# GEGL, Ardour 8, the LV2 hosts), the tools that drive them headless, and
# fonts for the screenshots; SoX decodes the music for the audio-convention tests.
# Debian 13 moved jack_lsp & co. to jack-example-tools.
chroot_packages=(
  "${build_packages[@]}" gimp gegl ardour openbox lilv-utils sordi jalv jackd2 jack-example-tools
  sndfile-tools valgrind xvfb xauth imagemagick xdotool x11-utils python3-numpy python3-pil sox
  fonts-dejavu-core
)

case "$profile" in
  build) wanted=("${build_packages[@]}" "${developer_packages[@]}") ;;
  demo) wanted=("${build_packages[@]}" "${developer_packages[@]}" "${host_packages[@]}") ;;
  test) wanted=("${build_packages[@]}" "${developer_packages[@]}" "${host_packages[@]}" "${test_packages[@]}") ;;
  chroot) wanted=("${chroot_packages[@]}") ;;
esac

if [ "$list_only" = 1 ]; then
  printf '%s\n' "${wanted[@]}"
  exit 0
fi

missing=()
for package in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
  [ "$status" = installed ] || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "deps: all ${#wanted[@]} Debian $debian packages are installed"
  exit 0
fi

echo "deps: installing ${#missing[@]} missing Debian $debian packages: ${missing[*]}"
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
