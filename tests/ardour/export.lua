-- In one Ardour process: a live session (pink noise, Speech preset), an
-- export of 2 s through Ardour's own exporter (the one the GUI's Export
-- dialog runs: freewheeling, the LV2 worker answered synchronously), then
-- the transport rolls again and the analysis must keep updating: a live
-- Cepstral alpha within 15 s, near the value before the export.
run_test("export", function()
  start_dummy_engine("Pink Noise")
  local session = create_session(SESSION_DIR, SESSION_NAME, 48000)
  check(session, "cannot create the session")
  local track, plugin = add_spectide_track(session, "Speech (16 kHz, 64 mels)")
  local rolled = roll(session)
  wait_for_pink_slope(plugin, 15, rolled)
  local _, before = wait_for_live_alpha(plugin, 15, rolled)
  value("alpha_before", before)
  stop(session)

  local export = session:simple_export()
  export:set_folder(EXPORT_DIR)
  export:set_name("render")
  export:set_range(0, 2 * 48000)
  check(export:set_preset(EXPORT_PRESET), "no export preset " .. EXPORT_PRESET)
  check(export:check_outputs(), "nothing to export")
  check(export:run_export(), "the export failed")
  info("exported 2 s to " .. EXPORT_DIR)

  rolled = roll(session)
  local slope = wait_for_pink_slope(plugin, 15, rolled)
  value("slope_after", slope)
  local first, after, took = wait_for_live_alpha(plugin, 15, rolled)
  info(string.format("alpha %.4f before the export; after it %.4f at %.1f s of rolling, then %.4f",
                     before, first, took, after))
  value("alpha_after", after)
  check(math.abs(after - before) < ALPHA_TOLERANCE,
        string.format("alpha %.4f after the export, %.4f before (tolerance %g)", after, before,
                      ALPHA_TOLERANCE))
end)
