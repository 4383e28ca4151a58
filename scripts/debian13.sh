#!/usr/bin/env bash
# A Debian 13 (trixie) chroot for what Debian 12 does not have: GIMP 3.0,
# GEGL 0.4.62, Ardour 8. Made from nothing with debootstrap, kept between
# runs, and every job gets a clean copy-on-write view of it.
#
# usage:
#   scripts/debian13.sh setup
#       Makes the prepared tree, or reuses it: debootstrap (minbase) plus the
#       packages of `scripts/deps.sh --list --debian 13 chroot`. Prints the
#       tree's path on its last line. About 3 minutes from nothing, instant
#       when cached.
#   scripts/debian13.sh run [-e NAME=VALUE]... [-b DIR]... [--] CMD [ARG...]
#       Runs CMD as root inside a clean view of the tree (overlayfs over it;
#       nothing a job writes reaches the tree or another job) with
#       `env -i HOME=/root LANG=C.UTF-8 PATH=/usr/local/sbin:...:/bin` plus
#       the -e variables and SPECTIDE_DEBIAN13=1. The repository holding
#       this script is bind-mounted read-write at its own path, so files a
#       job writes there (build-debian13/...) are on the host afterwards;
#       -b binds further host folders the same way. CMD starts in the
#       current folder when that is inside the repository, else in the
#       repository's root. proc, sys, a private dev with pts and shm, and
#       resolv.conf are provided. Exits with CMD's status. Sets the tree up
#       first if there is none.
#   scripts/debian13.sh path     the prepared tree's path (fails if none)
#   scripts/debian13.sh clean    removes every cached tree no job is using
#
# Each job runs in its own mount and PID namespaces (unshare): its mounts
# and its processes (a forgotten Xvfb) end with it even when it is killed;
# a trap also unmounts and removes the job folder on failure or signal.
# Jobs are independent: two may run at once.
#
# Environment: SPECTIDE_CACHE (default /var/cache/spectide) holds the trees
# (debian13-KEY/, KEY = hash of the package list and the recipe version) and
# the job folders; SPECTIDE_DEBIAN_MIRROR and SPECTIDE_DEBIAN_SECURITY
# override the archives. Needs root (mounts, chroot).
set -euo pipefail

# Bump when the recipe below changes in a way the package list does not show.
recipe_version=1
suite=trixie
mirror=${SPECTIDE_DEBIAN_MIRROR:-http://deb.debian.org/debian}
security=${SPECTIDE_DEBIAN_SECURITY:-http://security.debian.org/debian-security}
cache=${SPECTIDE_CACHE:-/var/cache/spectide}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
chroot_path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

say() { echo "debian13: $*" >&2; }
die() { say "$*"; exit 1; }

packages() { "$here/deps.sh" --list --debian 13 chroot; }

tree_key() {
  { echo "recipe $recipe_version $suite $mirror $security"; packages; } | sha256sum | cut -c1-16
}

# Every mount point under $1 (deepest first), from this namespace's view.
mounts_under() {
  awk -v base="$1" '$5 == base || index($5, base "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r
}

unmount_all_under() {
  local point
  for point in $(mounts_under "$1"); do
    umount "$point" 2>/dev/null || umount -l "$point" 2>/dev/null || true
  done
}

# rm -rf that never crosses into a mount (a bind-mounted repository).
remove_tree() {
  [ -e "$1" ] || return 0
  unmount_all_under "$1"
  if [ -n "$(mounts_under "$1")" ]; then
    say "not removing $1: something is still mounted under it"
    return 1
  fi
  rm -rf --one-file-system "$1"
}

# Mounts what programs expect in a root file system; undone by
# unmount_all_under (or by the end of the mount namespace).
mount_system() { # root
  local root=$1 node
  mount -t proc proc "$root/proc"
  mount -t sysfs sysfs "$root/sys" 2>/dev/null || mount --rbind /sys "$root/sys"
  # A private /dev: the usual character devices bound from the host, and a
  # devpts and shm of its own (no job sees another's ptys or shm files).
  mount -t tmpfs -o mode=0755,nosuid dev "$root/dev"
  for node in null zero full random urandom tty; do
    touch "$root/dev/$node"
    mount --bind "/dev/$node" "$root/dev/$node"
  done
  mkdir -p "$root/dev/pts" "$root/dev/shm"
  mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts "$root/dev/pts"
  ln -s pts/ptmx "$root/dev/ptmx"
  mount -t tmpfs -o mode=1777,nosuid,nodev shm "$root/dev/shm"
  ln -s /proc/self/fd "$root/dev/fd"
  ln -s /proc/self/fd/0 "$root/dev/stdin"
  ln -s /proc/self/fd/1 "$root/dev/stdout"
  ln -s /proc/self/fd/2 "$root/dev/stderr"
  # Name resolution as on the host (apt, and anything a test fetches).
  rm -f "$root/etc/resolv.conf"
  cat /etc/resolv.conf >"$root/etc/resolv.conf" 2>/dev/null || true
}

# ---------------------------------------------------------------------------
# setup
# ---------------------------------------------------------------------------

# Runs inside `unshare --mount`: mounts, apt, unmounts. The tree is $1.
setup_inside() {
  setup_root=$1 # global: the EXIT trap runs after the function returned
  shift
  trap 'unmount_all_under "$setup_root"' EXIT
  mount_system "$setup_root"
  chroot "$setup_root" /usr/bin/env -i HOME=/root PATH="$chroot_path" LANG=C.UTF-8 \
    DEBIAN_FRONTEND=noninteractive /bin/sh -c '
      set -e
      apt="apt-get -o DPkg::Lock::Timeout=900 -o Acquire::Retries=3"
      $apt update -qq
      $apt install -y -qq --no-install-recommends "$@"
      $apt clean
      rm -rf /var/lib/apt/lists/*' sh "$@"
}

setup() {
  [ "$(id -u)" -eq 0 ] || die "setup needs root (debootstrap, mounts, chroot)"
  local key base lock start
  key=$(tree_key)
  base=$cache/debian13-$key
  mkdir -p "$cache/jobs"
  sweep_stale_jobs
  # A ready tree is never changed again: no lock needed to reuse it (running
  # jobs hold a shared lock on it, which an exclusive one would wait for).
  if [ -f "$base/ready" ]; then
    say "reusing $base/root ($(head -n 1 "$base/ready"))"
    echo "$base/root"
    return 0
  fi
  lock=$base.lock
  exec 8>>"$lock"
  # Two set-ups at once: the second waits for the first and reuses its tree.
  flock -w 1800 8 || die "timed out waiting for $lock"
  if [ -f "$base/ready" ]; then
    exec 8>&-
    say "reusing $base/root, just prepared by another set-up"
    echo "$base/root"
    return 0
  fi
  start=$SECONDS
  command -v debootstrap >/dev/null || "$here/deps.sh" test >&2
  command -v debootstrap >/dev/null || die "debootstrap is missing (scripts/deps.sh test installs it)"
  local building=$base/building
  remove_tree "$building"
  mkdir -p "$base"
  say "debootstrap $suite from $mirror into $building"
  debootstrap --variant=minbase "$suite" "$building" "$mirror" >"$base/debootstrap.log" 2>&1 ||
    { tail -n 20 "$base/debootstrap.log" >&2; die "debootstrap failed (log: $base/debootstrap.log)"; }
  cat >"$building/etc/apt/sources.list" <<EOF
deb $mirror $suite main
deb $mirror $suite-updates main
deb $security $suite-security main
EOF
  rm -f "$building/etc/apt/sources.list.d/debian.sources"
  # No services start inside a chroot (postinst scripts ask invoke-rc.d).
  printf '#!/bin/sh\nexit 101\n' >"$building/usr/sbin/policy-rc.d"
  chmod 755 "$building/usr/sbin/policy-rc.d"
  mapfile -t wanted < <(packages)
  say "installing ${#wanted[@]} packages (log: $base/apt.log)"
  unshare --mount --propagation private -- "$0" __setup-inside "$building" "${wanted[@]}" \
    >"$base/apt.log" 2>&1 ||
    { tail -n 30 "$base/apt.log" >&2; die "apt-get in the chroot failed (log: $base/apt.log)"; }
  remove_tree "$base/root"
  mv "$building" "$base/root"
  {
    echo "prepared in $((SECONDS - start)) s on $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    chroot "$base/root" dpkg-query -W -f='${Package} ${Version}\n' gimp gegl ardour gcc-14 2>/dev/null || true
  } >"$base/ready"
  exec 8>&-
  say "prepared $base/root in $((SECONDS - start)) s"
  echo "$base/root"
}

tree_path() {
  local base
  base=$cache/debian13-$(tree_key)
  [ -f "$base/ready" ] || return 1
  echo "$base/root"
}

# ---------------------------------------------------------------------------
# run
# ---------------------------------------------------------------------------

# Job folders of jobs that are gone (killed with SIGKILL: no trap ran).
sweep_stale_jobs() {
  local job pid
  for job in "$cache"/jobs/job.*; do
    [ -d "$job" ] || continue
    pid=$(cat "$job/pid" 2>/dev/null || echo)
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then continue; fi
    # A job that is being created has no pid file for a moment: spare young ones.
    [ -z "$pid" ] && [ -n "$(find "$job" -maxdepth 0 -mmin -5)" ] && continue
    remove_tree "$job" || true
  done
}

# Runs as PID 1 of the job's PID namespace, in its own mount namespace.
# $1 job folder, $2 tree, $3 working folder, then NAME=VALUE... -- CMD...
run_inside() {
  # Globals (not local): the EXIT trap runs after the function returned.
  job=$1 tree=$2 workdir=$3 root=$1/root
  shift 3
  local envs=() binds=()
  while [ "$1" != -- ]; do
    case "$1" in
      bind=*) binds+=("${1#bind=}") ;;
      *) envs+=("$1") ;;
    esac
    shift
  done
  shift
  mkdir -p "$job/upper" "$job/work" "$root"
  cleanup_inside() {
    unmount_all_under "$root"
    unmount_all_under "$job/tmpfs"
  }
  trap cleanup_inside EXIT
  # Copy-on-write view of the kept tree. The upper layer must not itself be
  # on overlayfs (a container's root): then it goes on a tmpfs, and where
  # even that fails the job gets a full copy of the tree.
  if ! mount -t overlay overlay -o "lowerdir=$tree,upperdir=$job/upper,workdir=$job/work" "$root" 2>/dev/null; then
    mkdir -p "$job/tmpfs"
    mount -t tmpfs -o mode=0755 jobtmp "$job/tmpfs"
    mkdir -p "$job/tmpfs/upper" "$job/tmpfs/work"
    if ! mount -t overlay overlay -o "lowerdir=$tree,upperdir=$job/tmpfs/upper,workdir=$job/tmpfs/work" "$root" 2>/dev/null; then
      umount "$job/tmpfs"
      echo "debian13: no overlayfs here: copying the tree for this job" >&2
      cp -a "$tree/." "$root/"
    fi
  fi
  mount_system "$root"
  local dir
  for dir in "$repo" "${binds[@]}"; do
    mkdir -p "$root$dir"
    mount --bind "$dir" "$root$dir"
  done
  # In the background so that a TERM reaches the trap at once; PID 1 then
  # exits and the kernel ends every process left in the namespace.
  chroot "$root" /usr/bin/env -i HOME=/root PATH="$chroot_path" LANG=C.UTF-8 \
    SPECTIDE_DEBIAN13=1 "${envs[@]}" /bin/sh -c 'cd "$0" && exec "$@"' "$workdir" "$@" &
  child=$!
  local status=0
  trap 'kill -TERM "$child" 2>/dev/null; wait "$child"; exit 143' TERM
  trap 'kill -INT "$child" 2>/dev/null; wait "$child"; exit 130' INT
  wait "$child" || status=$?
  exit "$status"
}

run() {
  local envs=() binds=()
  while [ $# -gt 0 ]; do
    case "$1" in
      -e) [[ ${2:-} == [A-Za-z_]*=* ]] || die "-e needs NAME=VALUE"; envs+=("$2"); shift 2 ;;
      -b) [ -d "${2:-}" ] || die "-b needs an existing folder"; binds+=("bind=$(cd "$2" && pwd)"); shift 2 ;;
      --) shift; break ;;
      -*) die "unknown option $1 (run [-e NAME=VALUE]... [-b DIR]... [--] CMD...)" ;;
      *) break ;;
    esac
  done
  [ $# -gt 0 ] || die "run needs a command"
  [ "$(id -u)" -eq 0 ] || die "run needs root (mounts, chroot)"
  local tree
  tree=$(tree_path) || tree=$(setup | tail -n 1)
  local workdir=$repo
  case "$PWD/" in "$repo"/*) workdir=$PWD ;; esac

  mkdir -p "$cache/jobs"
  # A shared lock on the tree: `clean` never removes it under a running job.
  exec 8<"$(dirname "$tree").lock"
  flock -s 8
  # Globals (not local): the EXIT trap runs after the function returned.
  job=$(mktemp -d "$cache/jobs/job.XXXXXX")
  echo $$ >"$job/pid"
  child=
  cleanup_run() {
    if [ -n "$child" ] && kill -0 "$child" 2>/dev/null; then
      kill -TERM "$child" 2>/dev/null || true
      wait "$child" 2>/dev/null || true
    fi
    remove_tree "$job" || true
  }
  trap cleanup_run EXIT
  trap 'exit 143' TERM
  trap 'exit 130' INT
  trap 'exit 129' HUP
  local status=0
  # --kill-child: if this script dies, the job's PID 1 gets TERM (then the
  # whole namespace ends).
  unshare --mount --propagation private --pid --fork --kill-child=TERM -- \
    "$0" __run-inside "$job" "$tree" "$workdir" "${envs[@]}" "${binds[@]}" -- "$@" &
  child=$!
  wait "$child" || status=$?
  child=
  return "$status"
}

clean() {
  local base
  for base in "$cache"/debian13-*/; do
    [ -d "$base" ] || continue
    base=${base%/}
    exec 8>>"$base.lock"
    if flock -n -x 8; then
      say "removing $base"
      remove_tree "$base" && rm -f "$base.lock"
    else
      say "keeping $base: a job is using it"
    fi
    exec 8>&-
  done
}

case "${1:-}" in
  setup) shift; setup "$@" ;;
  run) shift; run "$@" ;;
  path) tree_path || die "no prepared tree: run '$0 setup'" ;;
  clean) clean ;;
  __setup-inside) shift; setup_inside "$@" ;;
  __run-inside) shift; run_inside "$@" ;;
  *) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
esac
