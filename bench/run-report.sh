# bench/run-report.sh: the tables, targets and charts of bench/run, sourced by it after the
# measurements (it reads their variables and arrays); not a script of its own.
# shellcheck shell=bash

# --- report --------------------------------------------------------------------------------------

val() { # val ARRAY KEY: the value, or empty
  local -n arr="$1"
  echo "${arr[$2]:-}"
}
fmt() { awk -v v="$1" -v f="$2" 'BEGIN { if (v == "") print "–"; else printf f, v }'; }
# check LABEL VALUE OP LIMIT: a target row; OP is >= or <=
targets_met=0 targets_missed=0
check() {
  local verdict
  if [ -z "$2" ] || [ "$2" = n/a ]; then
    verdict="not measured"
  elif awk -v v="$2" -v l="$4" -v op="$3" 'BEGIN { exit !((op == ">=") ? v >= l : v <= l) }'; then
    verdict="**met**"; targets_met=$((targets_met + 1))
  else
    verdict="**missed**"; targets_missed=$((targets_missed + 1))
  fi
  echo "| $1 | $2 | $3 $4 | $verdict |"
}

jdk_version="$("$JAVA_HOME/bin/java" -version 2>&1 | head -n 1)"
gunicorn_version="$(gunicorn --version 2>/dev/null || echo 'gunicorn: not installed')"
cpu_model="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
load_end="$(cut -d' ' -f1-3 /proc/loadavg)"
summary="$results/summary.md"
{
  echo "# bench/run: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "- Machine: $cores cores ($cpu_model), shared by the servers, wrk and other work; load average $load_start at the start, $load_end at the end."
  echo "- $jdk_version; heap $heap; $gunicorn_version on $(/usr/bin/python3 --version 2>&1 || echo python3)."
  echo "- wrk -t$threads -c$connections on 127.0.0.1: a warm-up (${warmup_first}s on a fresh server, ${warmup_next}s before each further endpoint), then the median of $runs runs of ${duration}s."
  if [ "$rounds" -gt 1 ]; then
    echo "- $rounds rounds of the whole matrix, each server launched afresh in each, the server order reversed every other round; every figure is the median of the rounds' medians (errors: their sum)."
  fi
  echo "- Narwhal and Gunicorn have $workers workers (2 × cores + 1); gthread: $gthreads threads per worker; virtual and async: worker-connections $worker_connections."
  echo "- The peers run with their own defaults (Jetty 12.1 core: QueuedThreadPool of 8–200 platform threads, or virtual threads for handlers; Helidon SE 4.5: a virtual thread per connection), the same JVM options and a backlog of 2048."
  echo "- sleep10 waits without a thread for bare Pekko and Narwhal async; it blocks a thread (virtual for Narwhal virtual, jetty-virtual and Helidon) everywhere else."
  echo "- RSS: VmRSS after the endpoint's runs (Gunicorn: summed over master and workers). cpu µs/req: server CPU time (user + system) per request."
  echo
  range_of="min–max of the $runs runs"
  [ "$rounds" -gt 1 ] && range_of="min–max of the $rounds rounds"
  for e in $endpoints; do
    echo "## $e"
    echo
    echo "| server | req/s | req/s $range_of | p50 ms | p99 ms | RSS MB | cpu µs/req | cs/req | errors | × bare | × jetty-platform | × gunicorn-sync | p99 × bare | p99 × jetty-platform |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for s in $servers; do
      k="$s-$e"
      if [ "$rounds" -gt 1 ]; then range="${round_rps[$k]}"; else range="${all_rps[$k]}"; fi
      # shellcheck disable=SC2086
      printf '| %s | %.0f | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$s" "${rps[$k]}" "$(spread $range)" \
        "${p50[$k]}" "${p99[$k]}" "${rss_mb[$k]}" "${cpu_req[$k]}" "${cs_req[$k]}" "${errors[$k]}" \
        "$(ratio "${rps[$k]}" "$(val rps "bare-$e")")" "$(ratio "${rps[$k]}" "$(val rps "jetty-platform-$e")")" \
        "$(ratio "${rps[$k]}" "$(val rps "gunicorn-sync-$e")")" \
        "$(ratio "${p99[$k]}" "$(val p99 "bare-$e")")" "$(ratio "${p99[$k]}" "$(val p99 "jetty-platform-$e")")"
    done
    echo
  done
  if [ -n "$servers" ]; then
    echo "## Launch → ready line / first 200"
    echo
    echo "| server | launches | ready line ms | first 200 ms | first 200 × bare | first 200, each launch (ms) |"
    echo "|---|---:|---:|---:|---:|---|"
    for s in $servers; do
      # shellcheck disable=SC2086
      set -- ${first_all[$s]}
      printf '| %s | %s | %s | %s | %s | %s |\n' "$s" "$#" "${launch_ready[$s]}" "${launch_first[$s]}" \
        "$(ratio "${launch_first[$s]}" "$(val launch_first bare)")" "$*"
    done
    echo
  fi
  if has "$extras" rss || has "$extras" recycle || has "$extras" stuck; then
    echo "## Further measurements"
    echo
    echo "| measurement | result |"
    echo "|---|---|"
    if has "$extras" rss; then
      for n in $idle_workers; do
        echo "| idle RSS, narwhal sync, $n workers | ${idle_rss[$n]} MB (${idle_threads[$n]} threads; ready after ${idle_ready[$n]} ms) |"
      done
      set -- $idle_workers
      if [ $# -ge 2 ]; then
        echo "| per extra worker | $(awk -v a="${idle_rss[$1]}" -v b="${idle_rss[$2]}" -v n=$(($2 - $1)) 'BEGIN { printf "%.0f KB", (b - a) * 1024 / n }') |"
      fi
    fi
    if has "$extras" recycle; then
      echo "| hello, bare Pekko, in the same rounds as the next two | $(fmt "${rps[paired-bare]}" %.0f) req/s, p99 ${p99[paired-bare]} ms |"
      echo "| hello, sync, no recycling | $(fmt "${rps[recycle-off]}" %.0f) req/s, p99 ${p99[recycle-off]} ms |"
      echo "| hello, sync, --max-requests 100 | $(fmt "${rps[recycle-100]}" %.0f) req/s, p99 ${p99[recycle-100]} ms; $recycled workers recycled |"
    fi
    if has "$extras" stuck; then
      echo "| chaos /, sync, no worker stuck | $(fmt "${rps[stuck-none]}" %.0f) req/s, p50 ${p50[stuck-none]} ms, p99 ${p99[stuck-none]} ms |"
      echo "| chaos /, sync, 1 of $workers workers stuck in /hang | $(fmt "${rps[stuck-one]}" %.0f) req/s, p50 ${p50[stuck-one]} ms, p99 ${p99[stuck-one]} ms |"
    fi
    echo
  fi
  echo "## Targets (issue 10)"
  echo
  echo "| target | measured | limit | verdict |"
  echo "|---|---:|---:|---|"
  check "hello, sync: req/s ÷ bare Pekko" "$(ratio "$(val rps narwhal-sync-hello)" "$(val rps bare-hello)")" ">=" 0.85
  check "hello, sync: req/s ÷ Gunicorn sync" "$(ratio "$(val rps narwhal-sync-hello)" "$(val rps gunicorn-sync-hello)")" ">=" 5
  check "sleep10, virtual: req/s ÷ bare Pekko" "$(ratio "$(val rps narwhal-virtual-sleep10)" "$(val rps bare-sleep10)")" ">=" 0.85
  check "sleep10, virtual: req/s ÷ Gunicorn sync" "$(ratio "$(val rps narwhal-virtual-sleep10)" "$(val rps gunicorn-sync-sleep10)")" ">=" 10
  check "cpu1, sync: req/s ÷ bare Pekko" "$(ratio "$(val rps narwhal-sync-cpu1)" "$(val rps bare-cpu1)")" ">=" 0.9
  check "hello, sync, $connections connections: p99 ÷ bare Pekko p99" "$(ratio "$(val p99 narwhal-sync-hello)" "$(val p99 bare-hello)")" "<=" 1.5
  set -- $idle_workers
  check "idle RSS, ${2:-500} sync workers ÷ ${1:-5} workers" "$(ratio "$(val idle_rss "${2:-500}")" "$(val idle_rss "${1:-5}")")" "<=" 1.5
  check "hello, sync: req/s with --max-requests 100 ÷ without" "$(ratio "$(val rps recycle-100)" "$(val rps recycle-off)")" ">=" 0.9
  check "p99 with one worker stuck ÷ p99 without" "$(ratio "$(val p99 stuck-one)" "$(val p99 stuck-none)")" "<=" 1.2
  echo
  echo "## Targets (issue 21: against the peers; meant for the median of ≥ 5 rounds, this run had $rounds)"
  echo
  echo "| target | measured | limit | verdict |"
  echo "|---|---:|---:|---|"
  check "hello, sync: req/s ÷ bare Pekko" "$(ratio "$(val rps narwhal-sync-hello)" "$(val rps bare-hello)")" ">=" 0.9
  check "hello, sync: req/s ÷ Jetty (platform)" "$(ratio "$(val rps narwhal-sync-hello)" "$(val rps jetty-platform-hello)")" ">=" 1
  check "hello, sync: p99 ÷ Jetty (platform) p99" "$(ratio "$(val p99 narwhal-sync-hello)" "$(val p99 jetty-platform-hello)")" "<=" 2
  check "sleep10, virtual: req/s ÷ Helidon" "$(ratio "$(val rps narwhal-virtual-sleep10)" "$(val rps helidon-sleep10)")" ">=" 1
  check "launch → first 200, sync ÷ bare Pekko" "$(ratio "$(val launch_first narwhal-sync)" "$(val launch_first bare)")" "<=" 0.6
  echo
  echo "Charts: \`throughput.png\` and \`p99.png\` in the run's directory, copied to \`latest-throughput.png\` and \`latest-p99.png\` beside \`bench/results/latest.md\` (not committed; docs/performance.md shows those of the run it quotes)."
  echo
  echo "Raw output (wrk, server logs) was in \`$(basename "$results")/\` (not committed). The run took $((SECONDS / 60)) min $((SECONDS % 60)) s."
} >"$summary"

# --- charts --------------------------------------------------------------------------------------

chart() { # chart COLUMN YLABEL OUTFILE LOGSCALE
  local col="$1" ylabel="$2" out="$3" logscale="$4" e n plots=""
  n=0
  for e in $endpoints; do n=$((n + 1)); done
  for e in $endpoints; do # server, value, colour (Narwhal blue, bare Pekko grey, the JVM peers green, Gunicorn orange)
    awk -F'\t' -v e="$e" -v c="$col" 'NR > 1 && $2 == e {
      colour = ($1 ~ /^narwhal/) ? 3896751 : ($1 == "bare") ? 8421504 : ($1 ~ /^(jetty|helidon)/) ? 2924588 : 14251782
      print $1 "\t" $c "\t" colour }' "$matrix" >"$results/chart-$e.dat"
  done
  {
    echo "set terminal pngcairo size $((420 * n)),460 font 'sans,9'"
    echo "set output '$out'"
    echo "set multiplot layout 1,$n title '$ylabel, median of $runs runs × $rounds rounds (wrk -c$connections; $cores cores shared with wrk and other work)'"
    echo "set style fill solid 0.85 border -1; set boxwidth 0.7"
    echo "set xtics rotate by -40 left; set grid ytics; unset key; set yrange [0:*]; set offsets 0.5,0.5,0,0"
    [ "$logscale" = 1 ] && echo "set logscale y; set yrange [*:*]"
    for e in $endpoints; do
      echo "set title '$e'; set ylabel '$ylabel'"
      echo "plot '$results/chart-$e.dat' using 0:2:3:xtic(1) with boxes lc rgb variable, '' using 0:2:(sprintf('%.0f', \$2)) with labels offset 0,0.7 font 'sans,8'"
    done
    echo "unset multiplot"
  } >"$results/chart.gp"
  gnuplot "$results/chart.gp" 2>"$results/gnuplot.log" || log "warning: gnuplot failed (see $results/gnuplot.log)"
}
if [ -n "$servers" ] && [ -n "$endpoints" ]; then
  chart 3 "req/s" "$results/throughput.png" 0
  chart 5 "p99 ms" "$results/p99.png" 1
fi

if [ "$latest" = 1 ] || { [ "$latest" = auto ] && [ "$servers" = "$all_servers" ] && [ "$endpoints" = "$all_endpoints" ] \
    && [ "$extras" = "$all_extras" ]; }; then
  cp "$summary" "$root/bench/results/latest.md"
  [ -f "$results/throughput.png" ] && cp "$results/throughput.png" "$root/bench/results/latest-throughput.png"
  [ -f "$results/p99.png" ] && cp "$results/p99.png" "$root/bench/results/latest-p99.png"
  log "wrote bench/results/latest.md and its charts"
fi

cat "$summary"
log "targets: $targets_met met, $targets_missed missed; logs, wrk output and charts in $results"
