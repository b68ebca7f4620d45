# Sourced by bin/narwhal: JDK 25's ahead-of-time cache (JEP 483/514/515) for the runnable jar.
#
# A cache holds the classes a training run loaded and linked, so a later start skips most of that
# work (here: launch to first answer about 3x faster). It must match the jar it was made from, so
# it lives beside the jar and is made again whenever the jar is newer (or the JDK another build,
# below). The training run starts the
# hello app on a free loopback port, sends it a few hundred requests and stops it; its output goes
# to a log beside the cache, never to the terminal. Two launchers never train at once (flock); one
# that finds the training taken, curl missing, or a JDK older than 25 runs without a cache, and so
# does one that may not write beside the jar (it says so). NARWHAL_AOT=off turns all of it off.
#
# A cache also fits only a JVM with the object layout it was made with: compressed pointers (off
# with ZGC, or a heap of 32 GiB and more), compact object headers, the object alignment. The JVM
# skips a cache that does not fit, silently, and starts about 3x slower. So the options among the
# launch's that decide the layout (narwhal_aot_shape) are given to the training run too, and a
# launch with such options gets a cache of its own, named after them (narwhal-<checksum>.aot).
#
# And a cache fits only the very JVM build that made it: after an update of the JDK in place (a
# package upgrade) the JVM skips it, as silently, at every start until the jar changes. So beside
# each cache a stamp (<cache>.jdk) names the JDK it was made by, and a cache whose stamp names
# another is made again. (One cache per layout, not per JDK: launches that alternate between two
# JDK builds in one tree train at each switch, where caches per JDK would pile up at ~60 MB each
# after every upgrade.)

# Needs bin/lib/jdk.sh, which its callers source first (NARWHAL_JAVA_MAJOR, NARWHAL_JVM_OPTS_DEFAULT,
# narwhal_read_release); sourcing it again here would undo what narwhal_pick_jdk set.
# narwhal_mb reads the heap sizes below
# shellcheck source=memory.sh
. "$(dirname "${BASH_SOURCE[0]}")/memory.sh"
# shellcheck source=signals.sh
. "$(dirname "${BASH_SOURCE[0]}")/signals.sh"

# Prints the options among $@ (the launch's JVM options) that decide the object layout an AOT
# cache is made for; nothing for the JVM's defaults.
narwhal_aot_shape() {
  local opt heap="" size shape=""
  for opt in "$@"; do
    case "$opt" in
      -XX:[+-]UseCompactObjectHeaders | -XX:[+-]UseCompressedOops | -XX:[+-]UseCompressedClassPointers \
        | -XX:ObjectAlignmentInBytes=* | -XX:+UseZGC | -XX:+UseShenandoahGC | -XX:+UseEpsilonGC)
        shape="$shape $opt" ;;
      -Xmx* | -XX:MaxHeapSize=*) heap="$opt" ;; # the last one counts, as for the JVM
    esac
  done
  # only a heap too big for compressed pointers changes the layout; any smaller one shares a cache
  size="${heap#-Xmx}"
  size="$(narwhal_mb "${size#-XX:MaxHeapSize=}")"
  [ -n "$size" ] && [ "$size" -ge $((31 * 1024)) ] && shape="$shape $heap"
  echo "${shape# }"
}

# Prints what tells one build of the JDK at $JAVA_HOME from another (one line): its release
# file's JAVA_RUNTIME_VERSION (25.0.3+9-LTS), and size and time of its JVM library and release
# file, which a rebuild of the same version changes too. Not its path: a copy that keeps the
# files' times (cp -a) takes the same cache; another copy trains one again.
narwhal_aot_jdk() {
  local id
  narwhal_read_release "$JAVA_HOME"
  id="$(stat -Lc '%s %Y' "$JAVA_HOME/lib/server/libjvm.so" "$JAVA_HOME/release" 2>/dev/null)" || true
  id="${narwhal_release_runtime:+$narwhal_release_runtime }${id//$'\n'/ }"
  echo "${id:-unknown}"
}

# Whether the cache $2 fits the jar $1 (made after it) and the JDK $3 (narwhal_aot_jdk: its stamp).
narwhal_aot_fresh() {
  local stamp=""
  [ -f "$2" ] && [ "$2" -nt "$1" ] || return 1
  { IFS= read -r stamp <"$2.jdk"; } 2>/dev/null || true
  [ "$stamp" = "$3" ]
}

# Trains the cache in a subshell that the calling shell waits for (signals.sh): a signal to the
# caller (a TERM to the launcher's PID alone, a HUP, a Ctrl-C) goes on to the training as a TERM,
# and the caller dies of its own signal once the training has cleaned up after itself.
narwhal_aot_train() { # $1 jar, $2 cache, $3 the JDK (narwhal_aot_jdk), $4 the layout options (narwhal_aot_shape)
  local jar="$1" cache="$2" jdk="$3" shape="${4:-}" log="$2.training.log" tmp="$2.tmp.$$" pid port i
  command -v curl >/dev/null 2>&1 || return 1
  command -v flock >/dev/null 2>&1 || return 1
  narwhal_guard
  (
    # the caller's set -e would end this subshell at the first expected failure (a pkill that finds
    # no child, in the middle of the cleanup below); each step here checks what it needs itself
    set +e
    flock -n 9 || exit 1
    narwhal_aot_fresh "$jar" "$cache" "$jdk" && exit 0 # made by whoever held the lock before us
    # what an interrupted training left (the JVM writes its training data to $tmp.config as it
    # exits, ~60 MB); no one else trains this cache while we hold the lock
    rm -f "$cache".tmp.*
    pid="" started=""
    # Ctrl-C during the training (or TERM, HUP to this subshell): the training JVM, a background
    # job of a script, ignores SIGINT, so it would serve on after the launcher ended, holding the
    # lock (no later launch could train) and, if killed as it exits, leave its training data. So
    # stop it and the child JVM that assembles the cache (frozen first, so no child is forked
    # between the two kills), drop their files, then die of the same signal: the launcher ends too
    # (130 on Ctrl-C).
    narwhal_aot_abort() {
      trap '' INT TERM HUP # the caller forwards its own signal as a TERM: one cleanup is enough
      # the signal may land between the JVM's start and pid=$!; before its start $! is not ours
      [ -z "$pid" ] && [ -n "$started" ] && pid="${!:-}"
      if [ -n "$pid" ]; then
        kill -STOP "$pid" 2>/dev/null
        command -v pkill >/dev/null 2>&1 && pkill -KILL -P "$pid" 2>/dev/null
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
      fi
      rm -f "$tmp" "$tmp.config"
      trap - "$1"
      kill -"$1" "$BASHPID"
    }
    trap 'narwhal_aot_abort INT' INT
    trap 'narwhal_aot_abort TERM' TERM
    trap 'narwhal_aot_abort HUP' HUP
    started=1
    # shellcheck disable=SC2086
    "$JAVA_HOME/bin/java" $NARWHAL_JVM_OPTS_DEFAULT $shape -XX:AOTCacheOutput="$tmp" \
      -jar "$jar" -w 2 -b 127.0.0.1:0 --admin-bind off hello >"$log" 2>&1 &
    pid=$!
    port=""
    for i in $(seq 1 600); do
      port=$(sed -n 's/.*Listening at: http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$log" | head -n 1)
      [ -n "$port" ] && break
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if [ -n "$port" ]; then
      # bounded: a stop waits for the curl running when it comes
      for i in $(seq 1 300); do curl -s -o /dev/null --max-time 5 "http://127.0.0.1:$port/" || true; done
    fi
    kill -TERM "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    pid="" # reaped: its number may be another process's by now
    # the JVM removes its training data once the cache is whole; a cache without that may be half
    # written (its assembling child failed or was killed), and would be skipped at every start
    if [ -n "$port" ] && [ -s "$tmp" ] && [ ! -e "$tmp.config" ]; then
      # the old stamp goes first and the new one comes last: in between, the cache looks unfit (a
      # launch then runs without it), never the other way round
      rm -f "$cache.jdk" && mv -f "$tmp" "$cache" && printf '%s\n' "$jdk" >"$cache.jdk.tmp" \
        && mv -f "$cache.jdk.tmp" "$cache.jdk"
    else
      rm -f "$tmp" "$tmp.config"
      exit 1
    fi
    # caches of other layouts made for an older jar would only be made again (each is ~60 MB)
    find "$(dirname "$jar")" -maxdepth 1 -name "$(basename "${jar%.jar}")-*.aot" ! -newer "$jar" \
      -exec rm -f {} {}.training.log {}.jdk \; 2>/dev/null || true
  ) 9>"$cache.lock" &
  narwhal_wait_for $!
}

# Makes the cache for the jar $1 under the launch's other JVM options ($2...: in the order the JVM
# reads them, the user's environment's, the memory options, JAVA_OPTS) when it is missing, older
# than the jar or made by another JDK build, then sets narwhal_aot_opts to the JVM options that use
# it; empty when there is none (training failed or skipped, JDK older than 25, NARWHAL_AOT=off). Call it in the launcher's own shell, not inside a $(...), so that a signal to
# the launcher reaches the training (narwhal_aot_train) and the variable reaches the launcher.
narwhal_aot_prepare() {
  local jar="$1" shape cache jdk
  narwhal_aot_opts=""
  [ "${NARWHAL_AOT:-on}" = off ] && return 0
  [ "${NARWHAL_JAVA_MAJOR:-0}" -ge 25 ] 2>/dev/null || return 0
  shape="$(narwhal_aot_shape "${@:2}")"
  cache="${jar%.jar}.aot"
  [ -n "$shape" ] && cache="${jar%.jar}-$(printf '%s' "$shape" | cksum | cut -d' ' -f1).aot"
  jdk="$(narwhal_aot_jdk)"
  if ! narwhal_aot_fresh "$jar" "$cache" "$jdk"; then
    # an install this user may not write (systemd's ProtectSystem=strict, a read-only image, another
    # owner): one plain line at each start instead of a shell error, and no training run that could
    # not keep its cache
    if [ ! -w "$(dirname "$cache")" ] || { [ -e "$cache.lock" ] && [ ! -w "$cache.lock" ]; }; then
      if [ ! -f "$cache" ]; then
        echo "narwhal: starting without an AOT cache: $(dirname "$cache") is not writable here" \
          "(make one when installing: bin/narwhal --version, as the directory's owner)" >&2
        return 0
      fi
      # one made before the stamps, or after a copy that reset the files' times, may still fit;
      # the JVM skips one that does not, at no cost over starting without
      echo "narwhal: the AOT cache $cache may be for another jar or JDK, and $(dirname "$cache") is not" \
        "writable here: the JVM uses it only if it fits (make a new one when installing:" \
        "bin/narwhal --version, as the directory's owner)" >&2
    else
      narwhal_aot_train "$jar" "$cache" "$jdk" "$shape" || return 0
    fi
  fi
  # a cache that still does not fit (an option this file does not know of, a moved jar) is
  # skipped by the JVM; say nothing
  narwhal_aot_opts="-XX:AOTCache=$cache -Xlog:aot*=off -Xlog:cds*=off"
}
