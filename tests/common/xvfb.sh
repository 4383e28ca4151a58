# A private Xvfb for the tests that drive a UI (sourced).
#
#   start_xvfb DIR
#
# starts Xvfb on a display number it picks itself (-displayfd: tests in
# parallel never collide), waits until a client can connect (the display
# number alone says only that the server has claimed it), exports DISPLAY
# and sets xvfb_pid; the server's log is DIR/xvfb.log. Returns 1, with that
# log printed, if the server exits or takes no client within 30 s. The
# caller stops it (kill "$xvfb_pid").
#
#   still_running PID
#
# succeeds while PID runs: unlike kill -0, not once it has exited and waits,
# a zombie, for its parent's wait.
still_running() {
  local state
  [ -r "/proc/$1/stat" ] && read -r _ _ state _ <"/proc/$1/stat" 2>/dev/null && [ "$state" != Z ]
}

start_xvfb() {
  local dir=$1 deadline=$((SECONDS + 30)) display
  Xvfb -displayfd 5 -screen 0 1600x1000x24 -nolisten tcp 5>"$dir/display" >"$dir/xvfb.log" 2>&1 &
  xvfb_pid=$!
  while :; do
    display=$(head -n 1 "$dir/display" 2>/dev/null || true)
    if [ -n "$display" ] && DISPLAY=":$display" xwininfo -root >/dev/null 2>&1; then
      export DISPLAY=":$display"
      return 0
    fi
    if [ "$SECONDS" -ge "$deadline" ] || ! still_running "$xvfb_pid"; then
      echo "FAIL: Xvfb did not start or took no client (display '${display}')"
      cat "$dir/xvfb.log"
      return 1
    fi
    sleep 0.1
  done
}
