#!/usr/bin/env bash
# Image loading and analysis against a numpy + PIL loop, in the same run:
#   1. `spectide rapsd --average --jobs 2` over a folder of 448 Imagenette-size
#      JPEGs (made from data/ by make_images.py) against numpy_pil_rapsd.py;
#   2. the floor of 1 (decode_fft_floor.c): libjpeg-turbo's decode and one
#      fftwf r2c per file, nothing else, with spectide's FFTW_ESTIMATE plans
#      and with FFTW_MEASURE ones;
#   3. the same for one 4096x4096 RGB PNG, decode included (--threads 2).
# 1 and 3 run as whole processes, A B A B after a warm-up (compare.py): median
# wall and CPU times, peak RSS (the OS's accounting of each process). The
# folder is timed twice: with the FFTW wisdom that the warm-up run leaves
# (every run after a user's first), and with none (folder-cold).
# Usage: bench/images/bench_images.sh BUILD_DIR OUT_DIR [RUNS]
# Prints: "folder FILES WALL_A WALL_B CPU_A CPU_B RSS_A RSS_B RATIO", the
#         same for "folder-cold", "floor-estimate" and "floor-measure" (B:
#         the folder's numpy loop; RSS "-"), and
#         "png4096 WALL_A WALL_B CPU_A CPU_B RSS_A RSS_B RATIO".
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$1
out=$2
runs=${3:-5}
python=/usr/bin/python3
data=$here/../../data
images=$out/images
# Made once per version of the generator.
stamp=$(md5sum "$here/make_images.py" | cut -c1-12)
if [ ! -f "$images/.made-$stamp" ]; then
  rm -rf "$images"
  mkdir -p "$images"
  "$python" "$here/make_images.py" "$data" "$images" 448
  touch "$images/.made-$stamp"
fi
spectide=$build/cli/spectide
files=$(find "$images/folder" -name '*.jpg' | wc -l)
# FFTW wisdom of this benchmark's own (cli/wisdom.h): compare.py's warm-up
# run makes it, as a user's first run would; folder-cold runs without any.
wisdom=$out/fftwf-wisdom
rm -f "$wisdom"
folder=$(SPECTIDE_WISDOM=$wisdom "$python" "$here/compare.py" "$runs" \
  -- "$spectide" rapsd --average --jobs 2 "$images/folder" \
  -- "$python" "$here/numpy_pil_rapsd.py" "$images/folder")
echo "folder $files $folder"
echo "folder-cold $files $(SPECTIDE_WISDOM=off "$python" "$here/compare.py" "$runs" \
  -- "$spectide" rapsd --average --jobs 2 "$images/folder" \
  -- "$python" "$here/numpy_pil_rapsd.py" "$images/folder")"
# The floor (decode_fft_floor.c): libjpeg-turbo and fftwf alone, 2 threads,
# plans made beforehand; the median of RUNS timed passes against the numpy
# loop's median wall and CPU above, in the same 9 fields.
read -r _ numpy_wall _ numpy_cpu _ < <(echo "$folder")
floor() { # KIND [--measure]
  local median
  median=$(for _ in $(seq "$runs"); do "$build/bench/images/decode_fft_floor" "${@:2}" "$images/folder"; done |
    sort -n | awk '{line[NR] = $0} END {print line[int((NR + 1) / 2)]}')
  read -r wall cpu _ < <(echo "$median")
  echo "$1 $files $wall $numpy_wall $cpu $numpy_cpu - - $(awk -v a="$wall" -v b="$numpy_wall" 'BEGIN {printf "%.4f", a / b}')"
}
floor floor-estimate
floor floor-measure --measure
echo "png4096 1 $(SPECTIDE_WISDOM=$wisdom "$python" "$here/compare.py" "$runs" \
  -- "$spectide" rapsd --threads 2 "$images/big.png" \
  -- "$python" "$here/numpy_pil_rapsd.py" "$images/big.png")"
