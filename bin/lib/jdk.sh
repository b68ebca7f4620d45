# Sourced by bin/narwhal, bin/test and .ci/run: finds a JDK >= 21 and exports JAVA_HOME.
# Order: $JAVA_HOME, `java` on the PATH, then every JDK under /usr/lib/jvm (newest first).

narwhal_java_major() { # prints the major version of the java binary $1, or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

# Reads the release file of the JDK at $1 (KEY="value" lines, in every JDK since 9) into
# narwhal_release_version (JAVA_VERSION), narwhal_release_runtime (JAVA_RUNTIME_VERSION),
# narwhal_release_arch (OS_ARCH) and narwhal_release_libc (LIBC), each empty where the file or the
# key is missing. With the shell's own read: no process.
narwhal_read_release() {
  local key value
  narwhal_release_version="" narwhal_release_runtime="" narwhal_release_arch="" narwhal_release_libc=""
  [ -r "$1/release" ] || return 0
  while IFS='=' read -r key value || [ -n "$key" ]; do # the last line may lack its newline
    value="${value//\"/}"
    case "$key" in
      JAVA_VERSION) narwhal_release_version="$value" ;;
      JAVA_RUNTIME_VERSION) narwhal_release_runtime="$value" ;;
      OS_ARCH) narwhal_release_arch="$value" ;;
      LIBC) narwhal_release_libc="$value" ;;
    esac
  done <"$1/release"
}

# Prints the major version of the JDK at $1 from its release file (JAVA_VERSION="25.0.3", or
# "1.8.0_442" before JDK 9), else from its java binary; nothing for a JDK built for another machine
# (OS_ARCH, e.g. an arm64 one beside amd64 under /usr/lib/jvm, which sorts first and cannot run).
# Reading the file costs no process: asking the binary starts a JVM, 40-60 ms of every launch
# here, once per JDK looked at.
narwhal_jdk_major() {
  local major arch host
  narwhal_read_release "$1"
  major="${narwhal_release_version#1.}" # 1.8.0_442: major 8
  major="${major%%[!0-9]*}"
  if [ -n "$narwhal_release_arch" ]; then
    arch="$(narwhal_arch "$narwhal_release_arch")" host="$(narwhal_arch "${HOSTTYPE:-}")"
    if [ -n "$arch" ] && [ -n "$host" ] && [ "$arch" != "$host" ]; then return 0; fi
  fi
  if [ -n "$major" ]; then echo "$major"; else narwhal_java_major "$1/bin/java"; fi
}

# One name for each architecture the JDK's release file and bash's HOSTTYPE spell differently;
# nothing for one not listed here, which is then never a reason to skip a JDK.
narwhal_arch() {
  case "$1" in
    x86_64 | amd64) echo x86_64 ;;
    aarch64 | arm64) echo aarch64 ;;
    ppc64le | powerpc64le) echo ppc64le ;;
    s390x) echo s390x ;;
    riscv64) echo riscv64 ;;
  esac
}

# Whether the JVM at $1 can trim its native heap (TrimNativeHeapInterval, below): only on Linux with
# glibc. Elsewhere (musl, as on Alpine; macOS) the JVM prints a warning about it at every start.
narwhal_jdk_trims() {
  case "${OSTYPE:-}" in linux-gnu*) ;; *) return 1 ;; esac
  narwhal_read_release "$1"
  [ -z "$narwhal_release_libc" ] || [ "$narwhal_release_libc" = gnu ]
}

narwhal_pick_jdk() {
  local candidates=() home major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v javac >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  fi
  for home in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do candidates+=("${home%/}"); done
  for home in ${candidates[@]+"${candidates[@]}"}; do # (an empty array is unset to bash < 4.4)
    [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || continue
    major=$(narwhal_jdk_major "$home")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      export JAVA_HOME="$home"
      # the picked JDK's major version, so later checks (bin/lib/aot.sh) need not start a JVM again
      NARWHAL_JAVA_MAJOR="$major"
      narwhal_jdk_trims "$home" || NARWHAL_JVM_OPTS_DEFAULT="${NARWHAL_JVM_OPTS_DEFAULT/ -XX:TrimNativeHeapInterval=5000/}"
      return 0
    fi
  done
  echo "narwhal: error: no JDK 21 or newer found (looked at \$JAVA_HOME, the PATH and /usr/lib/jvm)." >&2
  echo "narwhal: install one (e.g. apt-get install openjdk-21-jdk) or set JAVA_HOME to it." >&2
  return 1
}

# The JVM options Narwhal runs with on JDK 21..25+: silence JDK 24+ warnings about Pekko's and
# Kamon's use of sun.misc.Unsafe and JNA's native access; ignored where unknown.
# MaxGCPauseMillis: G1's default goal (200 ms) lets the young generation grow until one pause
# copies the state of every open connection at once; with 1000 slow clients connected that was a
# 150 ms stall for everyone. 50 ms keeps pauses short at a little more GC work. JAVA_OPTS comes
# later on the command line, so it can override any of these. (Not here: higher JIT thresholds,
# -XX:CompileThresholdScaling=5, start about 130 ms sooner but warm up slower under load, with a
# p99 1.7 x the JVM default's in two interleaved runs; docs/performance.md, "The JIT at start-up".)
# TrimNativeHeapInterval: glibc keeps the native memory the JVM frees (most of it the JIT's, at
# start and warm-up) and counts it in RSS for good; trimming it every 5 s (a fraction of a
# millisecond each) takes 17-22 MiB off an idle server's RSS in a 512 MiB container, at the same
# req/s and CPU per request (docs/performance.md, "Native memory the JVM has freed"). Only with
# glibc: narwhal_pick_jdk drops it for a JDK that cannot trim.
NARWHAL_JVM_OPTS_DEFAULT="-XX:+IgnoreUnrecognizedVMOptions --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED -XX:MaxGCPauseMillis=50 -XX:TrimNativeHeapInterval=5000"
