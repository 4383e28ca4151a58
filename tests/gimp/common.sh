# Shared set-up of the GIMP host tests (sourced).
# GIMP runs with GIMP2_DIRECTORY in a temporary folder (the user's settings are
# never touched) and a gimprc whose plug-in-path puts the build's plug-in
# folder (gimp_plugin/, holding spectide/spectide) before the system one.

# The bundled photo, reduced to a test size, written as PNG24 (ImageMagick
# writes palette PNGs for simple images, which GIMP would open INDEXED).
# data/chelsea.png is preferred: it has almost no clipped highlights or
# shadows, so the ideal low-pass (whose Gibbs overshoot an integer layer
# must clamp to [0,1]) stays measurable at 8 and 16 bits. Falls back to the
# first photo in data/, then to a seeded ImageMagick plasma.
make_test_photo() { # source_root out.png geometry
  local photo=$1/data/chelsea.png
  [ -f "$photo" ] || photo=$(find "$1/data" -maxdepth 2 -type f \( -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.png' \) 2>/dev/null | sort | sed -n 1p)
  if [ -n "$photo" ]; then
    echo "test photo: $photo"
    convert "$photo" -resize "$3^" -gravity center -extent "$3" -strip "PNG24:$2"
  else
    echo "test photo: none in data/ yet, using a seeded ImageMagick plasma"
    convert -seed 3 -size "$3" plasma:fractal -blur 0x0.7 -strip "PNG24:$2"
  fi
}

write_gimprc() { # gimprc plugin_build_dir system_plugin_dir
  printf '(plug-in-path "%s:%s")\n' "$2" "$3" >"$1"
}

# Runs GIMP with the given -b commands (plus a separate gimp-quit), a timeout,
# and counts "batch command executed successfully" lines: GIMP exits 0 even
# when a command fails. EXPECTED_FAILURES (default 0) of the commands are
# meant to fail (their error message is what the caller checks).
run_gimp_batch() { # log timeout gimprc args...
  local log=$1 limit=$2 gimprc=$3
  shift 3
  local commands=() expected=0
  for command in "$@"; do
    commands+=(-b "$command")
    expected=$((expected + 1))
  done
  local start=$SECONDS
  timeout "$limit" gimp -i -d -f -n -g "$gimprc" "${commands[@]}" -b '(gimp-quit 0)' >"$log" 2>&1 || true
  echo "GIMP batch ran $((SECONDS - start)) s"
  local executed
  executed=$(grep -c "batch command executed successfully" "$log" || true)
  expected=$((expected - ${EXPECTED_FAILURES:-0}))
  echo "$executed/$expected batch commands executed successfully"
  [ "$executed" -eq "$expected" ]
}
