# Sourced by bin/narwhal and deploy/container/entrypoint.sh (POSIX sh): the JVM's memory sizing.
# narwhal_memory_opts prints the options; the user's JAVA_OPTS come after them on the command line.
#
#   NARWHAL_MAX_MEMORY=512m  one budget for the whole process (what a container limit should be):
#                            the heap gets the budget less a reserve for everything else, and the
#                            parts of that reserve an application can grow (metaspace, direct
#                            buffers) get caps inside it, so a leak there is an OutOfMemoryError
#                            with a name instead of the kernel's OOM killer.
#   NARWHAL_MEMORY=off       nothing from here: the JVM's own ergonomics.
#   (neither)                in a cgroup with a memory limit below the machine's RAM (a
#                            container), -Xmx of half the limit but at most the limit less 160 MiB
#                            (narwhal_heap_for), unless the user's options size the heap
#                            themselves (JAVA_OPTS, JDK_JAVA_OPTIONS, or JAVA_TOOL_OPTIONS, which
#                            Kubernetes manifests and buildpacks often set); outside
#                            one, the JVM's 25 % of RAM (a host's RAM is shared with everything
#                            else on it; a container's limit is this server's).
#
# Why: outside the heap, `narwhal -w 5 hello` commits about 120 MiB after load (Native Memory
# Tracking: metaspace and class space ~55, code cache ~17-30, symbols 12, CDS archive 14, thread
# stacks, GC and compiler arenas), and echo under 8 clients' 256 KiB bodies about 130 MiB of
# anonymous memory (docs/performance.md, "Memory"). That does not shrink with the limit. The JVM's
# default is 25 % of the container's limit, or 50 % (at least 126 MiB) below about 512 MiB: a
# 1 GiB container gets a 256 MiB heap and 700 MiB nobody uses, and a 256 MiB one 126 MiB, with
# which that echo load was OOM-killed. Half, less where 160 MiB would not be left, fits both.
#
# The collector is the JVM's choice: it picks Serial itself when the machine or container has
# < 1792 MiB or < 2 CPUs, which covers every container a small heap comes from (in a 512 MiB
# cgroup Serial held 53 MiB less than G1 after load on `hello`). On a bigger machine with a small
# -Xmx (G1 there), Serial measured within noise at 64 and 128 MiB and 38 MiB worse idle at 256 MiB
# (docs/performance.md, "Memory"), so nothing here overrides the JVM.
# shellcheck shell=sh

# narwhal_mb SIZE: a JVM-style size (512m, 1g, 1t, 1048576k, 268435456) in MiB; nothing if unreadable
narwhal_mb() {
  case "$1" in
    *[tT]) echo $(( ${1%?} * 1048576 )) ;;
    *[gG]) echo $(( ${1%?} * 1024 )) ;;
    *[mM]) echo $(( ${1%?} )) ;;
    *[kK]) echo $(( ${1%?} / 1024 )) ;;
    *[!0-9]* | '') ;;
    *) echo $(( $1 / 1048576 )) ;;
  esac
}

# The user's JVM options in the order the JVM reads them, so the last of two counts as for the JVM:
# JAVA_TOOL_OPTIONS, then JDK_JAVA_OPTIONS (the java launcher puts them before the command line),
# then the command line's JAVA_OPTS. An -Xmx in JAVA_TOOL_OPTIONS used to be overridden by the one
# this file puts on the command line. Sets narwhal_user (no $(...): no process on every launch).
narwhal_user_opts() {
  narwhal_user="${JAVA_TOOL_OPTIONS:-} ${JDK_JAVA_OPTIONS:-} ${JAVA_OPTS:-}"
}

# narwhal_user_heap_mb: the -Xmx / -XX:MaxHeapSize in the user's options in MiB, nothing if none
narwhal_user_heap_mb() {
  narwhal_heap=""
  narwhal_user_opts
  for narwhal_opt in $narwhal_user; do
    case "$narwhal_opt" in
      -Xmx*) narwhal_heap="${narwhal_opt#-Xmx}" ;;
      -XX:MaxHeapSize=*) narwhal_heap="${narwhal_opt#-XX:MaxHeapSize=}" ;;
    esac
  done
  [ -n "$narwhal_heap" ] && narwhal_mb "$narwhal_heap"
  return 0
}

# narwhal_limit_mb: the memory limit of this process's cgroup (v2 memory.max, v1
# memory.limit_in_bytes; its own cgroup's or, in a container, the mount root's) in MiB, when it is
# below the machine's RAM; nothing when there is none
narwhal_limit_mb() {
  narwhal_limit=""
  narwhal_own="$(sed -n 's/^0::\(.*\)/\1/p' /proc/self/cgroup 2>/dev/null | head -n 1)"
  narwhal_own_v1="$(sed -n 's/^[0-9]*:[^:]*memory[^:]*:\(.*\)/\1/p' /proc/self/cgroup 2>/dev/null | head -n 1)"
  for narwhal_file in "/sys/fs/cgroup${narwhal_own}/memory.max" /sys/fs/cgroup/memory.max \
      "/sys/fs/cgroup/memory${narwhal_own_v1}/memory.limit_in_bytes" /sys/fs/cgroup/memory/memory.limit_in_bytes; do
    [ -r "$narwhal_file" ] || continue
    narwhal_value="$(cat "$narwhal_file" 2>/dev/null)"
    case "$narwhal_value" in '' | max | *[!0-9]*) continue ;; esac
    narwhal_value=$(( narwhal_value / 1048576 ))
    if [ -z "$narwhal_limit" ] || [ "$narwhal_value" -lt "$narwhal_limit" ]; then narwhal_limit="$narwhal_value"; fi
  done
  narwhal_ram="$(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo 2>/dev/null)"
  if [ -n "$narwhal_limit" ] && [ -n "$narwhal_ram" ] && [ "$narwhal_limit" -lt "$narwhal_ram" ]; then
    echo "$narwhal_limit"
  fi
  return 0
}

# narwhal_heap_for LIMIT_MB: the heap for a container limit: half of it, but at most the limit less
# 160 MiB (and at least a third of it), because what is outside the heap does not shrink with the
# limit: in a 256 MiB cgroup, echo under 8 clients' 256 KiB bodies was OOM-killed with a 128 MiB
# heap at 260 MiB anonymous RSS (MemoryLimitIntegrationTest), i.e. ~130 MiB outside the heap, plus
# the page cache a cgroup v1 limit also counts.
narwhal_heap_for() {
  narwhal_h=$(( $1 / 2 ))
  [ "$narwhal_h" -gt $(( $1 - 160 )) ] && narwhal_h=$(( $1 - 160 ))
  [ "$narwhal_h" -lt $(( $1 / 3 )) ] && narwhal_h=$(( $1 / 3 ))
  echo "$narwhal_h"
}

narwhal_memory_opts() {
  [ "${NARWHAL_MEMORY:-}" = off ] && return 0
  narwhal_user_opts
  narwhal_heap_mb="$(narwhal_user_heap_mb)"
  narwhal_out=""
  if [ -n "${NARWHAL_MAX_MEMORY:-}" ]; then
    narwhal_budget="$(narwhal_mb "$NARWHAL_MAX_MEMORY")"
    if [ -z "$narwhal_budget" ] || [ "$narwhal_budget" -lt 256 ]; then
      echo "narwhal: error: NARWHAL_MAX_MEMORY must be a size of at least 256m (like 512m or 2g), not '$NARWHAL_MAX_MEMORY'" >&2
      return 2
    fi
    # reserve: what is outside the heap (120-160 MiB measured, see narwhal_heap_for), and a quarter
    # of bigger budgets (more classes, code and threads come with the applications that get them)
    narwhal_reserve=$(( narwhal_budget / 4 )); [ "$narwhal_reserve" -lt 160 ] && narwhal_reserve=160
    narwhal_meta=$(( narwhal_budget / 8 )); [ "$narwhal_meta" -lt 96 ] && narwhal_meta=96
    [ "$narwhal_meta" -gt 512 ] && narwhal_meta=512
    narwhal_direct=$(( narwhal_budget / 16 )); [ "$narwhal_direct" -lt 32 ] && narwhal_direct=32
    narwhal_heap_mb=$(( narwhal_budget - narwhal_reserve ))
    narwhal_out="-Xmx${narwhal_heap_mb}m -XX:MaxMetaspaceSize=${narwhal_meta}m -XX:MaxDirectMemorySize=${narwhal_direct}m"
  elif [ -z "$narwhal_heap_mb" ]; then
    narwhal_limit="$(narwhal_limit_mb)"
    case "$narwhal_user" in
      *-XX:MaxRAMPercentage=* | *-XX:MaxRAM=* | *-XX:MaxRAMFraction=*) ;;
      *) [ -n "$narwhal_limit" ] && narwhal_out="-Xmx$(narwhal_heap_for "$narwhal_limit")m" ;;
    esac
  fi
  echo "$narwhal_out"
}
