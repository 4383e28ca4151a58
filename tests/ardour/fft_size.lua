-- Reopens the session create.lua saved (FFT size 2048 from the Speech
-- preset), checks that the spectrum has the bin count of FFT size 2048, then
-- sets the FFT size to 4096 and the audition to "mask" and waits for the
-- change to reach the analysis: the bin count of 4096, and the mask's latency (its
-- FFT size) on the plugin's latency output and in Ardour's latency
-- compensation.
run_test("fft_size", function()
  start_dummy_engine("Pink Noise")
  local session = load_session(SESSION_DIR, SESSION_NAME)
  check(session, "cannot reopen the session")
  local track, plugin = find_spectide(session)
  check(param(plugin, "fft_size") == 2048, "the FFT size did not come back as 2048")
  wait_for_pink_slope(plugin, 15, roll(session))
  local share, bins = wait_for_spectrum_size(plugin, 2048, 4096, 10, audio_clock(session))
  info(string.format("FFT size 2048: %.7g%% of %d bins above water", share, bins))

  set_param(plugin, "fft_size", 4096)
  set_param(plugin, "audition", 2) -- mask: the plugin then reports its FFT size as latency
  local changed = audio_clock(session)
  share, bins = wait_for_spectrum_size(plugin, 4096, 2048, 10, changed)
  info(string.format("FFT size 4096 after %.2f s of audio: %.7g%% of %d bins above water",
                     changed(), share, bins))
  wait_for("the latency output to report 4096 samples", 10, function()
    return param(plugin, "latency") == 4096 or nil
  end, function() return string.format("latency %g", param(plugin, "latency")) end, changed)
  local insert = plugin:to_insert()
  wait_for("Ardour to see 4096 samples of plugin latency", 10, function()
    return insert:signal_latency() == 4096 or nil
  end, function() return string.format("signal_latency %d", insert:signal_latency()) end,
  changed)
  value("latency", param(plugin, "latency"))
end)
