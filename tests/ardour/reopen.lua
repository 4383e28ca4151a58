-- Reopens the session that create.lua saved and rolls: within 15 s the
-- Cepstral alpha must be live again (non-zero, then updated), near the value
-- the same signal gave before saving (REFERENCE_ALPHA).
run_test("reopen", function()
  start_dummy_engine("Pink Noise")
  local session = load_session(SESSION_DIR, SESSION_NAME)
  check(session, "cannot reopen the session")
  local track, plugin = find_spectide(session)
  check(param(plugin, "fft_size") == 2048 and param(plugin, "mel_bands") == 64,
        "the preset's values did not come back")
  local rolled = roll(session)
  wait_for_pink_slope(plugin, 15, rolled)
  local first, second, took, took_second = wait_for_live_alpha(plugin, 15, rolled)
  info(string.format("alpha %.4f after %.1f s of rolling, then %.4f after %.1f s", first, took,
                     second, took_second))
  value("alpha", second)
  check(math.abs(second - REFERENCE_ALPHA) < ALPHA_TOLERANCE,
        string.format("alpha %.4f after reopening, %.4f before saving (tolerance %g)", second,
                      REFERENCE_ALPHA, ALPHA_TOLERANCE))
end)
