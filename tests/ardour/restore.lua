-- Reopens the session record.lua saved: the plugin and its control values
-- (the preset's and the two changes) must be back.
run_test("restore", function()
  start_dummy_engine("Silence")
  local session = load_session(SESSION_DIR, SESSION_NAME)
  check(session, "cannot reopen the session")
  local _, plugin = find_spectide(session)
  info("plugin: " .. plugin:display_name())
  -- presets/speech.ttl, then audition = mask and sigma_db = -120.
  local expected = { fft_size = 2048, averaging = 0.5, analysis_rate = 16000, mel_bands = 64,
                     tide_mode = 0, t = 0.5, sigma_db = -120, tau_db = 0, audition = 2, seed = 1 }
  local bad = {}
  for symbol, v in pairs(expected) do
    local got = param(plugin, symbol)
    if math.abs(got - v) > 1e-6 then
      bad[#bad + 1] = string.format("%s = %g (expected %g)", symbol, got, v)
    end
  end
  check(#bad == 0, "values not restored: " .. table.concat(bad, ", "))
end)
