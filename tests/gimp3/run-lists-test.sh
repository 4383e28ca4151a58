#!/usr/bin/env bash
# Every list GIMP 3 offers for spectide is exactly core's: the GimpChoice
# arguments schedule, channel and view-mode of both procedures (nicks in
# core's order, ids = core's enum values) and the enum properties schedule,
# view and channel of spectide:noise-lowpass as a filter, as the real GIMP 3
# reports them, against tests/common/core_lists; and a run with the last of
# core's schedules succeeds. Nothing is added here: a schedule added to
# core's table must show up with no edit of the plug-in or the operation.
# The Python half is lists.py.
# usage: run-lists-test.sh CORE_LISTS PLUGIN_FOLDER SYSTEM_PLUGIN_DIR GEGL_PLUGINS_DIR OP_FOLDER
set -uo pipefail
core_lists=$1 plugin_dir=$2 system_plugin_dir=$3 gegl_plugins_dir=$4 op_folder=$5
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
command -v gimp-console-3.0 >/dev/null || { echo "FAIL: gimp-console-3.0 is not installed"; exit 1; }

tmp=$(mktemp -d)
[ -n "${SPECTIDE_KEEP_TMP:-}" ] || trap 'rm -rf "$tmp"' EXIT
export GIMP3_DIRECTORY=$tmp/gimpdir
write_gimprc "$tmp/test.gimprc" "$plugin_dir" "$system_plugin_dir"
use_gegl_op "$gegl_plugins_dir" "$op_folder"
last=$("$core_lists" schedules | tail -n 1)
export SPECTIDE_LAST_SCHEDULE=$last

status=0
run_gimp3_batch "$tmp/lists.log" 240 "$tmp/test.gimprc" python-fu-eval \
  "exec(open(\"$here/lists.py\").read())" || { status=1; tail -20 "$tmp/lists.log"; }

check_list() { # owner argument core-list
  local nicks ids want
  nicks=$(grep -E "^SPECTIDE choice $1 $2( |$)" "$tmp/lists.log" | sed -n 1p | cut -d' ' -f5-)
  ids=$(grep -E "^SPECTIDE ids $1 $2( |$)" "$tmp/lists.log" | sed -n 1p | cut -d' ' -f5-)
  want=$("$core_lists" "$3" | paste -sd ' ')
  if [ "$nicks" = "$want" ] && [ "$ids" = "$(seq -s ' ' 0 $(($("$core_lists" "$3" | wc -l) - 1)))" ]; then
    echo "ok   $1 $2: core's $3 in core's order, ids 0.. ($nicks)"
  else
    echo "FAIL $1 $2: GIMP 3 offers '$nicks' (ids '$ids'); core has '$want'"; status=1
  fi
}
check_list plug-in-spectide-rapsd schedule schedules
check_list plug-in-spectide-rapsd channel channels
check_list plug-in-spectide-noise-lowpass schedule schedules
check_list plug-in-spectide-noise-lowpass channel channels
check_list plug-in-spectide-noise-lowpass view-mode views
check_list spectide:noise-lowpass schedule schedules
check_list spectide:noise-lowpass view views
check_list spectide:noise-lowpass channel channels
if grep -qx "SPECTIDE run schedule $last success" "$tmp/lists.log"; then
  echo "ok   a run with the last schedule, $last, succeeds"
else
  echo "FAIL a run with the last schedule, $last:"; grep "SPECTIDE run" "$tmp/lists.log"; status=1
fi
exit $status
