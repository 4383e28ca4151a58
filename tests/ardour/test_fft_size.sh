#!/usr/bin/env bash
# spectide mono in Ardour (7 or 8, headless): an FFT-size change after a
# session reopen reaches the analysis. The session is saved with the Speech
# preset (FFT 2048) and reopened; the FFT size is then set to 4096.
#
# Why: a new FFT size needs new FFT plans, built in the LV2 worker; after a
# reopen (Ardour answers the worker synchronously while it loads) a plugin
# whose "job pending" flag got stuck ignores the change silently.
#
# Expected values, derived from the FFT size that the test sets, not read
# from the plugin: the "above_bins" output is 100 * (bins above water) /
# (bins counted), and the bins counted are those of an N-point spectrum up to
# the resampler's flat band (docs/conventions.md: 0.8 of the lower
# Nyquist, bin k at k * 16000 / N Hz): 820 at N = 2048 and 1639 at N = 4096.
# 820 and 1639 are coprime: a share strictly between 0 and 100 is a multiple
# of 100/820 or of 100/1639, not both (tests/ardour/common.lua). The
# mask audition's latency is its FFT size: 4096 samples, on the plugin's
# latency output and in Ardour's latency compensation.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ardour_setup
session=$tmp/run-create/session
ardour_lua create 300 "SESSION_DIR = '$session'" "SESSION_NAME = 'spectide'" "WAIT_FOR_ALPHA = false" ||
  ardour_die "the session could not be made live before saving (see above)"
ardour_lua fft_size 300 "SESSION_DIR = '$session'" "SESSION_NAME = 'spectide'" ||
  ardour_die "the FFT-size change did not reach the analysis (see above)"
echo "PASS: an FFT-size change after reopening reaches the spectrum and the latency"
