#!/usr/bin/env bash
# spectide.lv2 in Ardour 7 (ardour7-lua and ardour7-export, Dummy backend):
#  1. a Lua script creates a session, records 2 s of the Dummy backend's
#     white noise on a mono track, adds spectide mono with the preset
#     "Speech (16 kHz, 64 mels)", switches the audition to "mask" with the
#     water at -120 dBFS (every bin survives), and saves;
#  2. a second script reopens the session and checks that the plugin and its
#     control values (preset values and the two changes) came back;
#  3. ardour7-export renders the session through the plugin; the render must
#     equal the recording sample by sample (times Ardour's -3 dB centre pan),
#     which also proves that the reported latency (the FFT size) is
#     compensated: an uncompensated mask would be 2048 samples late.
set -euo pipefail
python=/usr/bin/python3; [ -x "$python" ] || python=$(command -v python3)
for tool in ardour7-lua ardour7-export; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed"; exit 77; }
done
"$python" -c 'import numpy' 2>/dev/null || { echo "SKIP: python3-numpy is not installed"; exit 77; }
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap '[ -n "${KEEP_TMP:-}" ] || rm -rf "$tmp"' EXIT
export XDG_CONFIG_HOME=$tmp/xdg   # a fresh Ardour configuration, never the user's
session=$tmp/session

cat >"$tmp/create.lua" <<LUA
AudioEngine:set_backend("None (Dummy)", "", "")
AudioEngine:set_device_name("Uniform White Noise")
local s = create_session("$session", "spectide", 48000)
assert(s, "cannot create the session")
local t = s:new_audio_track(1, 2, nil, 1, "Noise", ARDOUR.PresentationInfo.max_order,
                            ARDOUR.TrackMode.Normal, true):front()
t:rec_enable_control():set_value(1, PBD.GroupControlDisposition.NoGroup)
s:maybe_enable_record(false)
s:request_roll(ARDOUR.TransportRequestSource.TRS_UI)
ARDOUR.LuaAPI.usleep(2000000)
s:request_stop(false, false, ARDOUR.TransportRequestSource.TRS_UI)
ARDOUR.LuaAPI.usleep(500000)
t:rec_enable_control():set_value(0, PBD.GroupControlDisposition.NoGroup)
s:disable_record(false, false)
print("regions recorded:", t:playlist():region_list():size())
local p = ARDOUR.LuaAPI.new_plugin(s, "urn:spectide:mono", ARDOUR.PluginType.LV2,
                                   "Speech (16 kHz, 64 mels)")
assert(not p:isnil(), "spectide mono not found")
assert(t:add_processor_by_index(p, 0, nil, true) == 0, "cannot add the plugin")
-- parameter indices: the control ports in order (fft_size = 0 ... seed = 11)
ARDOUR.LuaAPI.set_processor_param(p, 9, 2)      -- audition: mask
ARDOUR.LuaAPI.set_processor_param(p, 7, -120)   -- sigma_db: everything survives
s:save_state("", false, false, false, false, false)
print("CREATED")
close_session()
LUA

cat >"$tmp/check.lua" <<LUA
AudioEngine:set_backend("None (Dummy)", "", "")
local s = load_session("$session", "spectide")
assert(s, "cannot reopen the session")
local t = s:route_by_name("Noise")
assert(not t:isnil(), "track missing")
local p = t:nth_plugin(0)
assert(not p:isnil(), "plugin missing after reopening")
print("plugin:", p:display_name())
local expected = { [0] = 2048, [1] = 0.5, [2] = 16000, [3] = 64, [7] = -120, [9] = 2, [11] = 1 }
local bad = 0
for index, value in pairs(expected) do
  local got = ARDOUR.LuaAPI.get_processor_param(p, index, true)
  print(string.format("param %d = %g (expected %g)", index, got, value))
  if math.abs(got - value) > 1e-6 then bad = bad + 1 end
end
print(bad == 0 and "CHECKED" or "MISMATCH")
close_session()
LUA

export LV2_PATH=${LV2_PATH:-}
# meson test sets MALLOC_PERTURB_, which Ardour 7.3 itself does not survive
# reliably (its export then corrupts the right channel, as it sometimes does
# anyway: seen in float exports of sessions without this plugin).
unset MALLOC_PERTURB_
status=0
timeout 120 ardour7-lua "$tmp/create.lua" >"$tmp/create.log" 2>&1 || true
grep -v '^\[' "$tmp/create.log" | grep -E 'regions|CREATED|rror' || true
grep -q CREATED "$tmp/create.log" || { echo "FAIL: session not created"; cat "$tmp/create.log"; exit 1; }
timeout 120 ardour7-lua "$tmp/check.lua" >"$tmp/check.log" 2>&1 || true
grep -E '^(plugin|param)' "$tmp/check.log" || true
grep -q '^CHECKED' "$tmp/check.log" || { echo "FAIL: plugin or values not restored"; cat "$tmp/check.log"; status=1; }

# ardour7-export 7.3 is flaky here with or without this plugin (checked with
# the bundle removed from LV2_PATH): about one run in three aborts at exit
# with a glibc heap message after writing the file, about one in six hangs
# before writing. Its exit status is therefore not used; the render is, and
# a hung export is retried.
for attempt in 1 2 3; do
  rm -f "$tmp/render.wav"
  timeout 30 ardour7-export -b 24 -o "$tmp/render.wav" "$session" spectide >"$tmp/export.log" 2>&1 || true
  [ "$(stat -c %s "$tmp/render.wav" 2>/dev/null || echo 0)" -gt 1000 ] && break
  echo "ardour7-export attempt $attempt wrote no audio, retrying"
done
[ "$(stat -c %s "$tmp/render.wav" 2>/dev/null || echo 0)" -gt 1000 ] ||
  { echo "FAIL: ardour7-export wrote no audio in 3 attempts"; cat "$tmp/export.log"; exit 1; }
recording=$(ls "$session"/interchange/*/audiofiles/*.wav | head -n 1)
"$python" - "$recording" "$tmp/render.wav" "$here" <<'PY' || status=1
import sys
import numpy as np
sys.path.insert(0, sys.argv[3])
from wavio import read_wav
source, _ = read_wav(sys.argv[1])
render, _ = read_wav(sys.argv[2])
source = source.astype(np.float64)
pan = 10 ** (-3 / 20)  # Ardour's mono-to-stereo panner at the centre (-3 dB pan law)
# Skip the region's fade-in and fade-out; compare everything in between.
middle = slice(4096, min(len(source), len(render)) - 4096)
# The left channel is the check; the right one is reported only, because
# Ardour 7.3's export intermittently writes garbage samples into it, with or
# without this plugin in the session.
for channel in range(render.shape[1]):
    error = np.abs(render[middle, channel] - pan * source[middle])
    print(f"channel {channel}: {error.size} samples, max |render - recording * pan| = {error.max():.2e}"
          + ("" if channel == 0 else " (information only)"))
left = np.abs(render[middle, 0] - pan * source[middle]).max()
sys.exit(0 if left < 1e-5 else 1)
PY
exit $status
