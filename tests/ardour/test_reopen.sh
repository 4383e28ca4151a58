#!/usr/bin/env bash
# spectide mono in Ardour (7 or 8, headless, Dummy backend's pink noise into a
# track that monitors its input): a session saved with the "Speech (16 kHz,
# 64 mels)" preset and reopened reports a live Cepstral alpha within 15 s of
# rolling.
#
# Why: Ardour runs the LV2 worker synchronously (work() and work_response()
# inside schedule_work()) while it loads a session; a plugin that marks its
# job pending only after schedule_work() returns keeps that mark for ever and
# never schedules the cepstral analysis again (alpha stays 0).
#
# Expected values: the slope of pink noise is -3.01 dB/octave (analytic, power
# ~ 1/f); the alpha after reopening is compared with the alpha the same
# plugin read from the same signal in the session before it was saved (a
# session that never went through a load), within 0.25: both are fits to the
# log-mel spectrogram of stationary pink noise, which vary by about 0.02.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ardour_setup
session=$tmp/run-create/session
ardour_lua create 300 "SESSION_DIR = '$session'" "SESSION_NAME = 'spectide'" "WAIT_FOR_ALPHA = true" ||
  ardour_die "the session could not be made live before saving (see above)"
reference=$(ardour_value alpha create)
[ -n "$reference" ] || ardour_die "create printed no alpha"
ardour_lua reopen 300 "SESSION_DIR = '$session'" "SESSION_NAME = 'spectide'" \
  "REFERENCE_ALPHA = $reference" "ALPHA_TOLERANCE = 0.25" ||
  ardour_die "after reopening, the analysis is not live (see above)"
echo "PASS: Cepstral alpha live after reopening"
