-- Creates SESSION_DIR/SESSION_NAME with a mono track that monitors the Dummy
-- backend's pink noise through spectide mono with the "Speech (16 kHz, 64
-- mels)" preset, rolls until the analysis is live, prints what it reads
-- (VALUE alpha, VALUE slope) for the test to compare with after reopening,
-- and saves. With WAIT_FOR_ALPHA false it waits only for the spectrum.
run_test("create", function()
  start_dummy_engine("Pink Noise")
  local session = create_session(SESSION_DIR, SESSION_NAME, 48000)
  check(session, "cannot create the session")
  local track, plugin = add_spectide_track(session, "Speech (16 kHz, 64 mels)")
  check(param(plugin, "fft_size") == 2048 and param(plugin, "analysis_rate") == 16000 and
        param(plugin, "mel_bands") == 64, "the Speech preset was not applied")
  local rolled = roll(session)
  local slope = wait_for_pink_slope(plugin, 15, rolled)
  value("slope", slope)
  wait_for_spectrum_size(plugin, 2048, 4096, 10, audio_clock(session))
  if WAIT_FOR_ALPHA then
    local first, second, took = wait_for_live_alpha(plugin, 15, rolled)
    info(string.format("alpha %.4f then %.4f, first after %.1f s of rolling", first, second, took))
    value("alpha", second)
  end
  stop(session)
  session:save_state("", false, false, false, false, false)
end)
