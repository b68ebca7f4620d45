# Sourced by bin/narwhal and bin/lib/aot.sh: waiting for a long step (the build, the AOT training)
# so that a signal to the launcher's PID alone stops it too.
#
# A script's foreground child gets no signal sent to the script's PID alone (a `kill PID`, a
# supervisor that signals only the process it started): the script dies and the child runs on,
# orphaned. A build left so finishes later and may write the jar under a second launch's build. So
# the step runs in the background and the script waits for it: a TERM, HUP or INT to the script
# goes on to the step as a TERM, and the script dies of its own signal once the step has ended (130
# after Ctrl-C, 143 after a TERM). Ctrl-C from a terminal reaches the whole process group anyway;
# a background job of a script ignores SIGINT, which is why the step gets a TERM.
#
#   narwhal_guard [FUNCTION]    # before the step: FUNCTION (a name) runs when a signal stopped it
#   some step &
#   narwhal_wait_for $!         # the step's exit status; the caller's own traps are back
#
# The traps are set before the step starts: a signal in between is held until its PID is known.

narwhal_job="" narwhal_signal="" narwhal_cleanup="" narwhal_traps=""

narwhal_guard() {
  narwhal_job="" narwhal_signal="" narwhal_cleanup="${1:-}"
  narwhal_traps="$(trap -p INT TERM HUP)"
  trap 'narwhal_caught INT' INT
  trap 'narwhal_caught TERM' TERM
  trap 'narwhal_caught HUP' HUP
}

narwhal_wait_for() { # $1 the step's PID
  local status=0
  narwhal_job="$1"
  if [ -n "$narwhal_signal" ]; then narwhal_stop_job; fi
  wait "$1" || status=$?
  trap - INT TERM HUP
  eval "$narwhal_traps"
  narwhal_job=""
  return "$status"
}

# a trap runs even under set -e's reach: every path here ends in success, or in the exit below
narwhal_caught() {
  narwhal_signal="$1"
  if [ -n "$narwhal_job" ]; then narwhal_stop_job; fi
}

narwhal_stop_job() {
  kill -TERM "$narwhal_job" 2>/dev/null || true
  wait "$narwhal_job" 2>/dev/null || true
  if [ -n "$narwhal_cleanup" ]; then "$narwhal_cleanup"; fi
  trap - INT TERM HUP
  kill -"$narwhal_signal" "$BASHPID"
  # still here: the launcher is PID 1 of a container, which its own signal does not end
  exit $((128 + $(kill -l "$narwhal_signal")))
}
