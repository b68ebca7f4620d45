# Sourced by bench/hello-ratio and bench/run: prerequisites, builds, server lifecycle and wrk
# measurements, shared so every bench tool measures the same way.
#
# The sourcing script sets BENCH_TOOL (its name, for messages) and, before calling measure:
#   duration runs warmup connections threads   (wrk settings)   and   results (a directory)
# shellcheck shell=bash

bench_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../bin/lib/jdk.sh
. "$bench_root/bin/lib/jdk.sh"
# shellcheck source=../bin/lib/sources.sh
. "$bench_root/bin/lib/sources.sh"

narwhal_jar="$bench_root/dist/target/narwhal.jar"
bare_dir="$bench_root/bench/bare-pekko"
bare_jar="$bare_dir/target/bare-pekko.jar"
# the peers a Java user would pick instead: standalone projects, never Narwhal dependencies
jetty_dir="$bench_root/bench/jetty"
jetty_jar="$jetty_dir/target/jetty-hello.jar"
helidon_dir="$bench_root/bench/helidon"
helidon_jar="$helidon_dir/target/helidon-hello.jar"
start_timeout="${BENCH_START_TIMEOUT:-120}" # seconds a server may take to answer its first request

log() { echo "${BENCH_TOOL:-bench}: $*" >&2; }
die() { log "error: $*"; exit 1; }

# --- prerequisites -------------------------------------------------------------------------------

# need_apt COMMAND PACKAGE: installs PACKAGE with apt when COMMAND is not on the PATH.
apt_updated=""
need_apt() {
  command -v "$1" >/dev/null 2>&1 && return 0
  local sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  log "installing $2 (apt-get) for $1..."
  if [ -z "$apt_updated" ]; then
    $sudo_cmd apt-get update -qq >/dev/null || die "apt-get update failed; install $2 and run again"
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "$2" >/dev/null \
    || die "could not install $2; install it and run again"
  command -v "$1" >/dev/null 2>&1 || die "$2 is installed but $1 is not on the PATH"
}

# stale JAR DIR...: true when JAR is missing or a source under a DIR is newer than it
stale() {
  local jar="$1"; shift
  [ ! -f "$jar" ] && return 0
  [ -n "$(find "$@" -path '*/target' -prune -o -newer "$jar" -type f \
      \( -name '*.java' -o -name '*.xml' -o -name '*.conf' -o -name '*.properties' \) -print -quit)" ]
}
build() { # build NAME LOG MVN-ARGS...
  local name="$1" buildlog="$2"; shift 2
  log "building $name..."
  if ! mvn -B -q -DskipTests package "$@" >"$buildlog" 2>&1; then
    cat "$buildlog" >&2
    die "building $name failed (log above)"
  fi
}
# build_jars [narwhal] [bare]: the Narwhal jar (reactor build at the root) and the bare Pekko
# server (default: both), when stale.
build_jars() {
  local which="${*:-narwhal bare}"
  if [[ " $which " == *" narwhal "* ]] && narwhal_jar_stale "$bench_root" "$narwhal_jar"; then
    (cd "$bench_root" && build narwhal "$results/build-narwhal.log")
  fi
  if [[ " $which " == *" bare "* ]] && stale "$bare_jar" "$bare_dir"; then
    build bare-pekko "$results/build-bare.log" -f "$bare_dir/pom.xml"
  fi
}
# build_peer_jars [jetty] [helidon]: the peers' jars, when stale. Their first build needs the Maven
# repository online (Jetty and Helidon are not in Narwhal's own dependency tree).
build_peer_jars() {
  local peer
  for peer in "$@"; do
    case "$peer" in
      jetty) stale "$jetty_jar" "$jetty_dir" && build jetty "$results/build-jetty.log" -f "$jetty_dir/pom.xml" ;;
      helidon) stale "$helidon_jar" "$helidon_dir" && build helidon "$results/build-helidon.log" -f "$helidon_dir/pom.xml" ;;
      *) die "unknown peer $peer" ;;
    esac
  done
  return 0
}

# variants NAME=KIND[:JVM-OPTIONS] ...: the command line of bench/interleave and bench/wire-latency
# read into names[], kinds[] and opts[] (same index per variant), and the jars those kinds run
# built when stale.
variants() {
  local spec rest kinds_all
  local -a jars=() peers=()
  names=() kinds=() opts=()
  for spec in "$@"; do
    [[ "$spec" == *=* ]] || die "not NAME=KIND[:JVM-OPTIONS]: $spec"
    names+=("${spec%%=*}")
    rest="${spec#*=}"
    kinds+=("${rest%%:*}")
    if [[ "$rest" == *:* ]]; then opts+=("${rest#*:}"); else opts+=(""); fi
  done
  kinds_all=" ${kinds[*]} "
  [[ "$kinds_all" == *" narwhal-"* ]] && jars+=(narwhal)
  [[ "$kinds_all" == *" bare "* ]] && jars+=(bare)
  [ ${#jars[@]} -eq 0 ] || build_jars "${jars[@]}"
  [[ "$kinds_all" == *" jetty-"* ]] && peers+=(jetty)
  [[ "$kinds_all" == *" helidon "* ]] && peers+=(helidon)
  build_peer_jars "${peers[@]}"
}

# --- processes -----------------------------------------------------------------------------------

bench_pids=() # every server this script started and has not stopped yet

# tree_pids PID: PID and all its descendants (Gunicorn's workers), one per line
tree_pids() {
  local p c
  for p in "$@"; do
    [ -d "/proc/$p" ] || continue
    echo "$p"
    for c in $(cat /proc/"$p"/task/*/children 2>/dev/null); do tree_pids "$c"; done
  done
}

# start_bg LOGFILE CMD...: starts a server in the background; its PID is in $last_pid.
start_bg() {
  local logfile="$1"; shift
  "$@" >"$logfile" 2>&1 &
  last_pid=$!
  bench_pids+=("$last_pid")
}

# stop_pid PID: SIGTERM, up to 10 s, then SIGKILL for it and whatever children it left.
stop_pid() {
  local pid="$1" tree p rest=()
  [ -n "$pid" ] || return 0
  tree="$(tree_pids "$pid")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
  fi
  for p in $tree; do kill -KILL "$p" 2>/dev/null || true; done
  wait "$pid" 2>/dev/null || true
  for p in "${bench_pids[@]}"; do [ "$p" = "$pid" ] || rest+=("$p"); done
  bench_pids=("${rest[@]}")
}
stop_all() {
  local p
  for p in "${bench_pids[@]}"; do stop_pid "$p"; done
}

free_port() {
  local port
  for _ in $(seq 50); do
    # below Linux's ephemeral range (32768+): a port there can be the local end of one of wrk's
    # closed connections still in TIME_WAIT, which a server's bind then fails on
    port=$((20000 + RANDOM % 12000))
    # nothing answers a connect: free (for our purposes)
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  die "no free port found"
}

wait_ready() { # wait_ready PID URL: polls URL until it answers 2xx
  local pid="$1" url="$2" deadline=$((SECONDS + start_timeout))
  until curl -fs -o /dev/null --max-time 2 "$url"; do
    kill -0 "$pid" 2>/dev/null || die "the server exited before serving (see $results)"
    [ "$SECONDS" -lt "$deadline" ] || die "the server did not answer $url within ${start_timeout}s"
    sleep 0.2
  done
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# rss_kb PID: resident memory of PID and its descendants (VmRSS summed; shared pages count once per process)
rss_kb() {
  local p
  for p in $(tree_pids "$1"); do cat "/proc/$p/status" 2>/dev/null; done | awk '/^VmRSS:/ { s += $2 } END { print s + 0 }'
}
threads_of() { # threads_of PID: threads of PID and its descendants
  local p
  for p in $(tree_pids "$1"); do cat "/proc/$p/status" 2>/dev/null; done | awk '/^Threads:/ { s += $2 } END { print s + 0 }'
}
# CPU (user + system clock ticks) and context switches of a server and its descendants. Per request,
# these move much less than req/s when something else is using the machine.
clk_tck="$(getconf CLK_TCK)"
cpu_ticks() {
  local p
  for p in $(tree_pids "$1"); do cat "/proc/$p/stat" 2>/dev/null; echo; done \
    | awk 'NF { sub(/^.*\) /, ""); s += $12 + $13 } END { print s + 0 }'
}
ctx_switches() {
  local p
  for p in $(tree_pids "$1"); do cat "/proc/$p/task/"*/status 2>/dev/null; done \
    | awk '/ctxt_switches/ { s += $2 } END { print s + 0 }'
}

# --- the servers bench/run and bench/interleave start ----------------------------------------------

# They read: heap jfr warmup results (and for Narwhal and Gunicorn: workers gthreads
# worker_connections), and the JVM options in JAVA_OPTS.
jvm_opts() { # jvm_opts NAME: the options every JVM gets (the same for Narwhal, bare Pekko and the peers)
  local opts="-Xms$heap -Xmx$heap"
  if [ "$jfr" = 1 ]; then
    opts="$opts -XX:StartFlightRecording=delay=${warmup}s,settings=profile,filename=$results/$1.jfr"
  fi
  echo "$opts"
}

# start_server NAME KIND PORT [ARGS...]: starts one server in the background ($last_pid).
#   KIND narwhal-CLASS: the Narwhal jar, straight on the JVM as bin/narwhal execs it; ARGS are
#        extra options, then the app (default: bench). The admin API is off: two servers run at
#        once in the recycling and stuck-worker rounds, and both would want its port.
#        narwhal-CLASS@JAR runs JAR instead of this tree's build (an earlier build, for an A/B).
#   KIND bare: the bare Pekko HTTP server
#   KIND jetty-platform, jetty-virtual, helidon: the peers (bench/jetty, bench/helidon), which take
#        the same JVM options as Narwhal and bare Pekko, so only the server differs
#   KIND gunicorn-CLASS: Gunicorn with bench/wsgi_app.py; ARGS are extra options
start_server() {
  local name="$1" kind="$2" port="$3"; shift 3
  local -a args=()
  case "$kind" in
    narwhal-*)
      local class="${kind#narwhal-}" jar="$narwhal_jar"
      if [[ "$class" == *@* ]]; then jar="${class#*@}" class="${class%%@*}"; fi
      [ -f "$jar" ] || die "no such jar: $jar"
      args=(-k "$class")
      case "$class" in
        gthread) args+=(--threads "$gthreads") ;;
        virtual | async) args+=(--worker-connections "$worker_connections") ;;
      esac
      [ $# -gt 0 ] || set -- bench
      # shellcheck disable=SC2086
      start_bg "$results/$name.log" "$JAVA_HOME/bin/java" $NARWHAL_JVM_OPTS_DEFAULT $(jvm_opts "$name") ${JAVA_OPTS:-} \
        -jar "$jar" -w "$workers" "${args[@]}" -b "127.0.0.1:$port" --admin-bind off "$@"
      ;;
    bare)
      # shellcheck disable=SC2086
      start_bg "$results/$name.log" "$JAVA_HOME/bin/java" $NARWHAL_JVM_OPTS_DEFAULT $(jvm_opts "$name") ${JAVA_OPTS:-} \
        -jar "$bare_jar" 127.0.0.1 "$port"
      ;;
    jetty-platform | jetty-virtual)
      # shellcheck disable=SC2086
      start_bg "$results/$name.log" "$JAVA_HOME/bin/java" $NARWHAL_JVM_OPTS_DEFAULT $(jvm_opts "$name") ${JAVA_OPTS:-} \
        -jar "$jetty_jar" 127.0.0.1 "$port" "${kind#jetty-}"
      ;;
    helidon)
      # shellcheck disable=SC2086
      start_bg "$results/$name.log" "$JAVA_HOME/bin/java" $NARWHAL_JVM_OPTS_DEFAULT $(jvm_opts "$name") ${JAVA_OPTS:-} \
        -jar "$helidon_jar" 127.0.0.1 "$port"
      ;;
    gunicorn-*)
      local class="${kind#gunicorn-}"
      args=(-k "$class")
      [ "$class" = gthread ] && args+=(--threads "$gthreads")
      start_bg "$results/$name.log" gunicorn -w "$workers" "${args[@]}" -b "127.0.0.1:$port" \
        --chdir "$bench_root/bench" "$@" wsgi_app:app
      ;;
    *) die "unknown server $kind" ;;
  esac
}
ready_pattern() { # the line each server logs once it listens
  case "$1" in
    narwhal-*) echo 'Listening at: http://' ;;
    bare | jetty-* | helidon) echo 'listening at http://' ;;
    gunicorn-*) echo 'Listening at: http://' ;;
  esac
}

# launch_time NAME KIND [ARGS...]: starts a server ($last_pid, on $launch_port) and waits until it
# serves; sets ready_ms (launch to its ready line) and first_ms (launch to its first 200 on /hello).
launch_time() {
  local name="$1" kind="$2" port t0 now pattern
  shift 2
  port="$(free_port)"
  launch_port="$port"
  pattern="$(ready_pattern "$kind")"
  ready_ms="" first_ms=""
  t0="$(now_ms)"
  start_server "$name" "$kind" "$port" "$@"
  while [ -z "$ready_ms" ] || [ -z "$first_ms" ]; do
    now="$(now_ms)"
    [ -z "$ready_ms" ] && grep -q "$pattern" "$results/$name.log" && ready_ms=$((now - t0))
    [ -z "$first_ms" ] && curl -fs -o /dev/null --max-time 1 "http://127.0.0.1:$port/hello" && first_ms=$(($(now_ms) - t0))
    kill -0 "$last_pid" 2>/dev/null || die "$name exited while starting (see $results/$name.log)"
    [ $((now - t0)) -lt $((start_timeout * 1000)) ] || die "$name did not start within ${start_timeout}s"
    sleep 0.02
  done
}

# --- measuring -----------------------------------------------------------------------------------

to_ms() { # wrk latency (e.g. 812.00us, 1.20ms, 2.00s) -> milliseconds
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
    printf "%.3f", n }'
}
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
spread() { # spread VALUES...: "min–max", rounded to integers
  printf '%s\n' "$@" | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { if (NR) printf "%.0f–%.0f", lo, hi }'
}
reversed() { # reversed WORDS...: the words in reverse order, on one line
  local out="" w
  for w in "$@"; do out="$w${out:+ $out}"; done
  echo "$out"
}
# ratio A B: A / B to two decimals; n/a when either was not measured (empty) or B is 0
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "" && b > 0) printf "%.2f", a / b; else print "n/a" }'; }

run_wrk() { # run_wrk SECONDS OUTFILE URL
  timeout $(($1 + 30)) wrk -t"$threads" -c"$connections" -d"$1s" --timeout 10s --latency "$3" >"$2" 2>&1 \
    || die "wrk failed: $(cat "$2")"
}

# Results of measure, by name: median req/s, p50 and p99 (ms, each the median of the runs), CPU µs
# and context switches per request over the measured runs, non-2xx + socket errors, load average.
declare -A rps p50 p99 load cpu_req cs_req errors all_rps

# measure NAME PID URL [NAME PID URL]...: warms each server up, then runs `runs` rounds of wrk; in
# each round every server gets one run in turn (in reverse order every other round), so servers
# measured together share the machine's ups and downs (other work on it) instead of one getting a
# quiet minute and the next a busy one.
measure() {
  local -a names=() pids=() urls=()
  while [ $# -gt 0 ]; do names+=("$1"); pids+=("$2"); urls+=("$3"); shift 3; done
  local i r name out
  local -A cpu0 cs0 reqs rs p5 p9 errs
  for i in "${!names[@]}"; do
    name="${names[$i]}"
    if [ "$warmup" -gt 0 ]; then
      log "$name: warming up ${warmup}s (${urls[$i]})"
      run_wrk "$warmup" "$results/$name-warmup.txt" "${urls[$i]}"
    fi
  done
  for i in "${!names[@]}"; do
    name="${names[$i]}"
    cpu0[$name]="$(cpu_ticks "${pids[$i]}")"
    cs0[$name]="$(ctx_switches "${pids[$i]}")"
    reqs[$name]=0 rs[$name]="" p5[$name]="" p9[$name]="" errs[$name]=0
  done
  local -a order
  for r in $(seq "$runs"); do
    # every other round in reverse, so no server always runs right after the same one
    order=("${!names[@]}")
    # shellcheck disable=SC2046
    [ $((r % 2)) -eq 0 ] && order=($(reversed "${order[@]}"))
    for i in "${order[@]}"; do
      name="${names[$i]}"
      out="$results/$name-run$r.txt"
      log "$name: run $r/$runs (${duration}s, $connections connections)"
      run_wrk "$duration" "$out" "${urls[$i]}"
      if grep -qE 'Non-2xx|Socket errors' "$out"; then
        log "warning: $name run $r: $(grep -E 'Non-2xx|Socket errors' "$out" | tr -s ' ' | tr '\n' ';')"
      fi
      rs[$name]+=" $(awk '/^Requests\/sec:/ { print $2 }' "$out")"
      p5[$name]+=" $(to_ms "$(awk '$1 == "50%" { print $2 }' "$out")")"
      p9[$name]+=" $(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")"
      reqs[$name]=$((reqs[$name] + $(awk '/ requests in / { print $1 }' "$out")))
      errs[$name]=$((errs[$name] + $(awk '/^  Non-2xx/ { s += $NF } /^  Socket errors/ { gsub(/,/, ""); s += $4 + $6 + $8 + $10 } END { print s + 0 }' "$out")))
    done
  done
  for i in "${!names[@]}"; do
    name="${names[$i]}"
    # shellcheck disable=SC2086
    {
      rps[$name]="$(median ${rs[$name]})"
      p50[$name]="$(median ${p5[$name]})"
      p99[$name]="$(median ${p9[$name]})"
    }
    all_rps[$name]="${rs[$name]# }"
    cpu_req[$name]="$(awk -v t="$(($(cpu_ticks "${pids[$i]}") - cpu0[$name]))" -v hz="$clk_tck" -v n="${reqs[$name]}" \
      'BEGIN { printf "%.1f", n ? t * 1e6 / hz / n : 0 }')"
    cs_req[$name]="$(awk -v c="$(($(ctx_switches "${pids[$i]}") - cs0[$name]))" -v n="${reqs[$name]}" \
      'BEGIN { printf "%.2f", n ? c / n : 0 }')"
    errors[$name]="${errs[$name]}"
    load[$name]="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
    log "$name: req/s ${all_rps[$name]} -> median ${rps[$name]}"
  done
}
