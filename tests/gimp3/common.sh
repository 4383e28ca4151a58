# Shared set-up of the GIMP 3 host tests (sourced). GIMP runs with
# GIMP3_DIRECTORY in a temporary folder (the user's settings are never
# touched) and a gimprc whose plug-in-path puts the build's plug-in folder
# (gimp_plugin/gimp3, holding spectide/spectide) before the system one.
# make_test_photo and write_gimprc are the GIMP 2.10 tests' own.
. "$(dirname "${BASH_SOURCE[0]}")/../gimp/common.sh"

# GEGL_PATH replaces GEGL's default path: GEGL's own plug-ins first, then
# the folder with spectide:noise-lowpass (GIMP and its plug-ins load both).
use_gegl_op() { # gegl_plugins_dir op_folder
  export GEGL_PATH="$1:$2"
}

# Runs gimp-console-3.0 with the given -b commands, a timeout, and checks
# both its exit status (70 on any Script-Fu error: GIMP 3 stops at the
# failing command) and the count of "batch command executed successfully".
# INTERPRETER is plug-in-script-fu-eval or python-fu-eval.
run_gimp3_batch() { # log timeout gimprc interpreter commands...
  local log=$1 limit=$2 gimprc=$3 interpreter=$4
  shift 4
  local commands=() expected=0
  for command in "$@"; do
    commands+=(-b "$command")
    expected=$((expected + 1))
  done
  local start=$SECONDS rc=0
  timeout "$limit" gimp-console-3.0 -i -d -f -n -g "$gimprc" --batch-interpreter="$interpreter" \
    "${commands[@]}" --quit >"$log" 2>&1 || rc=$?
  echo "GIMP 3 batch ran $((SECONDS - start)) s, exit status $rc"
  local executed
  executed=$(grep -c "batch command executed successfully" "$log" || true)
  echo "$executed/$expected batch commands executed successfully"
  [ "$rc" -eq 0 ] && [ "$executed" -eq "$expected" ]
}
