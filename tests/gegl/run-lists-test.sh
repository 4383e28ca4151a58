#!/usr/bin/env bash
# Every list spectide:noise-lowpass offers is exactly core's: the enum
# properties schedule, view and channel, as the real `gegl` command lists
# them ("accepted values: ..." when given a name it does not know), against
# tests/common/core_lists, in core's order. Nothing is added here: a schedule
# added to core's table must show up with no edit of the operation.
# usage: run-lists-test.sh CORE_LISTS GEGL_PLUGINS_DIR OP_FOLDER
set -uo pipefail
core_lists=$1 plugins_dir=$2 op_folder=$3
command -v gegl >/dev/null || { echo "FAIL: the gegl command is missing (scripts/deps.sh installs it)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# GEGL_PATH replaces GEGL's own path: its plug-ins first, then the build's.
export GEGL_PATH=$plugins_dir:$op_folder
convert -size 8x6 xc:'#808040' "PNG24:$tmp/in.png"

status=0
check_list() { # property core-list
  local output offered
  output=$(gegl "$tmp/in.png" -o "$tmp/out.png" -- spectide:noise-lowpass \
    "$1=spectide-no-such-name" 2>&1)
  offered=$(sed -n 's/^accepted values: *//p' <<<"$output" | sed -n 1p | tr ' ' '\n' | sed '/^$/d')
  if [ -z "$offered" ]; then
    echo "FAIL $1: gegl listed no accepted values:"; sed 's/^/  /' <<<"$output"; status=1
  elif [ "$offered" = "$("$core_lists" "$2")" ]; then
    echo "ok   $1: core's $2 in core's order ($(paste -sd ' ' <<<"$offered"))"
  else
    echo "FAIL $1: gegl offers $(paste -sd ' ' <<<"$offered"); core has $("$core_lists" "$2" | paste -sd ' ')"
    status=1
  fi
}
check_list schedule schedules
check_list view views
check_list channel channels

# Each of core's schedules is taken by name (no "unhandled enum value").
while read -r name; do
  output=$(gegl "$tmp/in.png" -o "$tmp/out.png" -- spectide:noise-lowpass "schedule=$name" t=0.3 2>&1)
  if [[ $output == *"unhandled enum value"* ]] || [ ! -s "$tmp/out.png" ]; then
    echo "FAIL schedule=$name refused"; status=1
  else
    echo "ok   schedule=$name taken"
  fi
  rm -f "$tmp/out.png"
done < <("$core_lists" schedules)
exit $status
