-- Creates SESSION_DIR/SESSION_NAME, records 2 s of the Dummy backend's white
-- noise on a mono track, adds spectide mono with the "Speech (16 kHz, 64
-- mels)" preset, switches the audition to "mask" with the water at -120 dBFS
-- (every bin survives) and saves.
run_test("record", function()
  start_dummy_engine("Uniform White Noise")
  local session = create_session(SESSION_DIR, SESSION_NAME, 48000)
  check(session, "cannot create the session")
  local track = session:new_audio_track(1, 2, nil, 1, "Noise", ARDOUR.PresentationInfo.max_order,
                                        ARDOUR.TrackMode.Normal, true):front()
  check(not track:isnil(), "cannot create the track")
  local rec = track:rec_enable_control()
  rec:set_value(1, PBD.GroupControlDisposition.NoGroup)
  wait_for("the track to be rec-enabled", 30, function() return rec:get_value() == 1 or nil end)
  session:maybe_enable_record(false)
  roll(session)
  wait_for("2 s recorded", 2.5, function()
    return session:transport_sample() >= 2 * 48000 or nil
  end, function() return tostring(session:transport_sample()) end, audio_clock(session))
  stop(session)
  rec:set_value(0, PBD.GroupControlDisposition.NoGroup)
  session:disable_record(false, false)
  local regions = wait_for("a recorded region", 30, function()
    local n = track:playlist():region_list():size()
    return n > 0 and n or nil
  end)
  info("regions recorded: " .. regions)
  local plugin = ARDOUR.LuaAPI.new_plugin(session, "urn:spectide:mono", ARDOUR.PluginType.LV2,
                                          "Speech (16 kHz, 64 mels)")
  check(not plugin:isnil(), "spectide mono not found (LV2_PATH?)")
  check(track:add_processor_by_index(plugin, 0, nil, true) == 0, "cannot add the plugin")
  set_param(plugin, "audition", 2)   -- mask
  set_param(plugin, "sigma_db", -120) -- everything survives
  session:save_state("", false, false, false, false, false)
end)
