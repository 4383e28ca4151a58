-- Shared by the Ardour test scripts (tests/ardour/lib.sh puts a prelude with
-- PARAM, the parameter index of each control port symbol, and the test's own
-- settings before this file, and the test's script after it).
--
-- Markers: every result line is flushed at once, because ardour8-lua may
-- abort at exit and lose what is still buffered; the shell reads the markers
-- (PASS, FAIL, VALUE, INFO), never the exit status.

function say(...)
  print(...)
  io.flush()
end

function info(text)
  say("INFO " .. text)
end

function value(name, number)
  say(string.format("VALUE %s=%.9g", name, number))
end

-- Seconds on a monotonic clock.
function now()
  return ARDOUR.LuaAPI.monotonic_time() / 1e6
end

-- A failed check ends the script with its message (see run_test).
function check(condition, message)
  if not condition then
    error(message, 0)
  end
end

-- Sessions made by these scripts run at this rate.
SAMPLE_RATE = 48000
-- However slow the machine, no wait lasts longer than this on the wall clock.
WALL_LIMIT_S = 150

-- Calls probe() every 50 ms until it returns a value other than nil;
-- returns that value. The deadline is `seconds` on `clock` (a function that
-- returns elapsed seconds; see audio_clock), or on the wall clock from now
-- when clock is nil. On timeout the script fails with `what` and the last
-- thing describe() says.
function wait_for(what, seconds, probe, describe, clock)
  local start = now()
  local elapsed = clock or function() return now() - start end
  while true do
    local result = probe()
    if result ~= nil then
      return result
    end
    local over = elapsed() > seconds
    if over or now() - start > WALL_LIMIT_S then
      local last = describe and (" (last: " .. describe() .. ")") or ""
      local how = clock and string.format("%.1f s of rolling audio", seconds)
                        or string.format("%.1f s", seconds)
      if not over then
        how = string.format("%s (only %.1f s of audio in %d s: transport stalled?)", how,
                            elapsed(), WALL_LIMIT_S)
      end
      error(string.format("%s: not within %s%s", what, how, last), 0)
    end
    ARDOUR.LuaAPI.usleep(50000)
  end
end

-- Seconds of audio the transport has rolled since this call. Deadlines about
-- the analysis are in audio time, not wall-clock time: on a loaded machine
-- the engine may process audio slower than real time, and what the plugin
-- owes is an answer within so much audio. The clock adds up the transport's
-- steps between two readings (wait_for reads it every 50 ms) and leaves out
-- locates: after an export Ardour reports position 0 and then, as the
-- transport starts, jumps back to where it stood before (seen here: 0 ->
-- 6.8 s). A step backwards or of more than a second between two readings is
-- such a jump, not audio.
function audio_clock(session)
  local last = session:transport_sample()
  local total = 0
  return function()
    local position = session:transport_sample()
    local step = position - last
    if step > 0 and step <= SAMPLE_RATE then
      total = total + step
    end
    last = position
    return total / SAMPLE_RATE
  end
end

-- The value of a control port of the plugin (input or output), by symbol.
function param(plugin, symbol)
  local index = PARAM[symbol]
  check(index ~= nil, "the plugin has no control port " .. symbol)
  local v, _ = ARDOUR.LuaAPI.get_processor_param(plugin, index, true)
  return v
end

function set_param(plugin, symbol, v)
  check(ARDOUR.LuaAPI.set_processor_param(plugin, PARAM[symbol], v),
        string.format("cannot set %s to %g", symbol, v))
end

-- The Dummy backend with one of its test signals as the capture ports'
-- input ("Pink Noise", "Sine Wave", "Uniform White Noise", "Silence"...).
function start_dummy_engine(device)
  check(AudioEngine:set_backend("None (Dummy)", "", ""), "no Dummy backend")
  AudioEngine:set_device_name(device)
end

-- A mono track with spectide mono (and a preset) as its first processor,
-- monitoring its input, so the plugin analyses the backend's test signal
-- continuously. Returns the track and the plugin's processor.
function add_spectide_track(session, preset)
  local track = session:new_audio_track(1, 2, nil, 1, "Noise", ARDOUR.PresentationInfo.max_order,
                                        ARDOUR.TrackMode.Normal, true):front()
  check(not track:isnil(), "cannot create the track")
  local plugin = ARDOUR.LuaAPI.new_plugin(session, "urn:spectide:mono", ARDOUR.PluginType.LV2, preset)
  check(not plugin:isnil(), "spectide mono not found (LV2_PATH?)")
  check(track:add_processor_by_index(plugin, 0, nil, true) == 0, "cannot add the plugin")
  monitor_input(track)
  return track, plugin
end

-- MonitorInput is applied asynchronously: wait until it took, so that a
-- session saved right after has it.
function monitor_input(track)
  local control = track:monitoring_control()
  control:set_value(ARDOUR.MonitorChoice.MonitorInput, PBD.GroupControlDisposition.NoGroup)
  wait_for("the track monitors its input", 30, function()
    return control:get_value() == ARDOUR.MonitorChoice.MonitorInput or nil
  end)
end

function find_spectide(session)
  local track = session:route_by_name("Noise")
  check(not track:isnil(), "the track is missing")
  local plugin = track:nth_plugin(0)
  check(not plugin:isnil(), "the plugin is missing")
  return track, plugin
end

-- Starts the transport; returns an audio_clock started at the request.
function roll(session)
  local clock = audio_clock(session)
  session:request_roll(ARDOUR.TransportRequestSource.TRS_UI)
  wait_for("the transport rolls", 30, function()
    clock() -- read every 50 ms, so that it sees every step
    return session:transport_rolling() or nil
  end)
  return clock
end

function stop(session)
  session:request_stop(false, false, ARDOUR.TransportRequestSource.TRS_UI)
  wait_for("the transport stops", 30, function() return (not session:transport_rolling()) or nil end)
end

-- The analysis is live: the spectral slope of the Dummy backend's pink noise
-- reads -10 log10(2) = -3.01 dB/octave (power ~ 1/f); single readings of the
-- short-averaged spectrum scatter by about 0.1, so within 0.3 dB/octave.
PINK_SLOPE = -10 * math.log(2, 10)
function wait_for_pink_slope(plugin, seconds, clock)
  return wait_for("a spectral slope of pink noise (-3.01 dB/octave)", seconds, function()
    local slope = param(plugin, "slope")
    return math.abs(slope - PINK_SLOPE) < 0.3 and slope or nil
  end, function() return string.format("slope %g", param(plugin, "slope")) end, clock)
end

-- The cepstral alpha is computed in the host's worker (the log-mel
-- spectrogram's RAPSD and its power-law fit), about once a second once 128
-- mel columns (4 s at 16 kHz) have filled the window. Live = non-zero within
-- `seconds` on `rolling` (the audio_clock from roll(): seconds of rolling),
-- and then a second, different non-zero value within 10 s more: a new
-- computation, not a value left over. Returns both values and the seconds of
-- rolling at each.
function wait_for_live_alpha(plugin, seconds, rolling)
  local function alpha_now() return string.format("alpha %g", param(plugin, "alpha")) end
  local first = wait_for("a non-zero Cepstral alpha", seconds, function()
    local a = param(plugin, "alpha")
    return a ~= 0 and a == a and a or nil
  end, alpha_now, rolling)
  local took = rolling()
  local second = wait_for("a second Cepstral alpha (the analysis keeps updating)", took + 10,
                          function()
    local a = param(plugin, "alpha")
    return a ~= 0 and a ~= first and a or nil
  end, alpha_now, rolling)
  return first, second, took, rolling()
end

-- How many spectrum bins the "above_bins" output (percent of the bins above
-- the water line, 100 * above / bins) counts, from docs/conventions.md:
-- an N-point FFT has N/2 + 1 bins; when the analysis runs at another rate
-- than the host's, the shares count only the bins up to the resampler's flat
-- band, 0.8 of the lower Nyquist (bin k is at k * analysis_rate / N Hz). At
-- 48 kHz -> 16 kHz: 820 bins at N = 2048, 1639 at N = 4096.
FLAT_BAND = 0.8
function counted_bins(fft_size, analysis_rate)
  if analysis_rate == SAMPLE_RATE then
    return fft_size / 2 + 1
  end
  local band_hz = FLAT_BAND * math.min(SAMPLE_RATE, analysis_rate) / 2
  return math.min(fft_size / 2 + 1, math.floor(band_hz * fft_size / analysis_rate + 1e-9) + 1)
end

-- A share of B bins is a multiple of 100/B. A share strictly between 0 and
-- 100 that is a multiple of 100/B and not of 100/B' (B' the other size's
-- count) shows which size the spectrum has; the share is a float (7 digits),
-- so "a multiple" means within 0.002 of one in units of 100/B, and "not a
-- multiple" more than 0.02 away.
function share_fits(share, bins)
  local k = share * bins / 100
  return math.abs(k - math.floor(k + 0.5)) < 0.002
end

function share_misfits(share, bins)
  local k = share * bins / 100
  return math.abs(k - math.floor(k + 0.5)) > 0.02
end

-- The Dummy backend's pink noise is loud: from the presets' sigma (-40 dBFS)
-- to -30 every counted bin is above water. Its power falls 3 dB an octave, so
-- the counted band spans about 29 dB from its first bin to its last: a water
-- line at -15 dBFS leaves a few percent to a few tens of percent above it
-- (measured in Ardour 7: 31% at -20), with 5 dB of margin either way. The
-- check sets it, waits, and puts the previous sigma back.
SIZE_CHECK_SIGMA_DB = -15
function wait_for_spectrum_size(plugin, fft_size, other_size, seconds, clock)
  local rate = param(plugin, "analysis_rate")
  local bins, other = counted_bins(fft_size, rate), counted_bins(other_size, rate)
  local sigma = param(plugin, "sigma_db")
  set_param(plugin, "sigma_db", SIZE_CHECK_SIGMA_DB)
  local share = wait_for(string.format("a spectrum of %d counted bins (FFT size %d), not %d", bins,
                                       fft_size, other), seconds, function()
    local share = param(plugin, "above_bins")
    if share > 0 and share < 100 and share_fits(share, bins) and share_misfits(share, other) then
      return share
    end
    return nil
  end, function() return string.format("above_bins %.7g%%", param(plugin, "above_bins")) end,
  clock)
  set_param(plugin, "sigma_db", sigma)
  return share, bins
end

-- Runs main() and prints its verdict: PASS, or FAIL with the failed check;
-- then closes the session. The verdict comes first: Ardour 7.3 sometimes
-- aborts while it closes a session after an export (seen 5 times in 100
-- runs), which then costs nothing.
function run_test(name, main)
  local ok, err = pcall(main)
  if ok then
    say("PASS " .. name)
  else
    say("FAIL " .. name .. ": " .. tostring(err))
  end
  pcall(close_session)
end
