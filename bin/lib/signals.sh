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

# narwhal_wait_for PID [FUNCTION]: waits for the background job PID and returns its exit status;
# on a signal, stops it, runs FUNCTION (a name: what a stopped step must not leave behind) and dies
# of the signal.
narwhal_wait_for() {
  local status=0
  # shellcheck disable=SC2064 # the job's PID and the function's name, expanded now
  trap "narwhal_stop_job $1 INT ${2:-}" INT
  # shellcheck disable=SC2064
  trap "narwhal_stop_job $1 TERM ${2:-}" TERM
  # shellcheck disable=SC2064
  trap "narwhal_stop_job $1 HUP ${2:-}" HUP
  wait "$1" || status=$?
  trap - INT TERM HUP
  return "$status"
}

narwhal_stop_job() { # $1 the job, $2 the signal this shell got, $3 what to run once the job ended
  kill -TERM "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
  [ -n "${3:-}" ] && "$3"
  trap - INT TERM HUP
  kill -"$2" "$BASHPID"
}
