-- The session the GUI test opens: a mono track monitoring the Dummy
-- backend's pink noise through spectide mono (default settings, sigma_db =
-- SIGMA_DB, tau 0 dB, and a fixed dB axis for the displays: display_top =
-- DISPLAY_TOP, display_range = DISPLAY_RANGE), checked live here before
-- saving, so that a GUI failure is not a session one.
run_test("gui_session", function()
  start_dummy_engine("Pink Noise")
  local session = create_session(SESSION_DIR, SESSION_NAME, 48000)
  check(session, "cannot create the session")
  local track, plugin = add_spectide_track(session, "")
  set_param(plugin, "sigma_db", SIGMA_DB)
  set_param(plugin, "tau_db", 0)
  if PARAM.display_top then -- the dark display's axis controls (the white one was fixed)
    set_param(plugin, "display_top", DISPLAY_TOP)
    set_param(plugin, "display_range", DISPLAY_RANGE)
  end
  wait_for_pink_slope(plugin, 15, roll(session))
  stop(session)
  check(param(plugin, "sigma_db") == SIGMA_DB, "sigma_db did not take")
  session:save_state("", false, false, false, false, false)
end)
