#!/bin/sh
# The container's entrypoint, the guide's entrypoint.sh for Narwhal:
#   ENVIRONMENT=production   (default) conf/narwhal.conf, the reference production configuration
#   ENVIRONMENT=development  conf/development.conf with --reload
# Any setting also comes from NARWHAL_* variables (NARWHAL_WORKERS=4) and NARWHAL_CMD_ARGS
# ("--timeout 60 --max-requests 500"), which Narwhal reads itself; the container's arguments (CMD,
# by default the blog) follow. exec: the JVM becomes PID 1, so `kill -HUP 1` (podman kill --signal
# HUP) is a rolling reload and the SIGTERM of podman/docker stop a graceful stop.
set -eu
home=/opt/narwhal

case "${ENVIRONMENT:-production}" in
  # conf/narwhal.conf binds 0.0.0.0:8000 (a ConfigMap mounted over it binds what it says)
  production) set -- -c "$home/conf/narwhal.conf" "$@" ;;
  # conf/development.conf binds loopback, which a published port cannot reach from outside the
  # container: every interface instead, unless NARWHAL_BIND says otherwise
  development)
    export NARWHAL_BIND="${NARWHAL_BIND:-0.0.0.0:8000}"
    set -- -c "$home/conf/development.conf" --reload "$@"
    ;;
  *)
    echo "entrypoint: ENVIRONMENT must be production or development, not '${ENVIRONMENT}'" >&2
    exit 2
    ;;
esac
echo "entrypoint: ENVIRONMENT=${ENVIRONMENT:-production}: narwhal $*" >&2

# the launcher's JVM options (bin/lib/jdk.sh; the image's AOT cache was trained with the same),
# its memory sizing from the container's limit or NARWHAL_MAX_MEMORY (bin/lib/memory.sh, copied
# beside this file), the AOT cache made at image build time (deploy/container/aot-train; a cache
# that does not fit, e.g. after JAVA_OPTS chose ZGC, compact object headers or a heap of 32 GiB or
# more, which change the object layout, is skipped by the JVM, silently), then
# the user's JAVA_OPTS
jvm_opts="$(cat "$home/bin/jvm-options")"
# shellcheck source=../../bin/lib/memory.sh
. "$home/bin/memory.sh"
memory_opts="$(narwhal_memory_opts)" || exit 2
aot_opts=""
[ -f "$home/narwhal.aot" ] && aot_opts="-XX:AOTCache=$home/narwhal.aot -Xlog:aot*=off -Xlog:cds*=off"
# shellcheck disable=SC2086
exec "$home/jre/bin/java" $jvm_opts $memory_opts $aot_opts ${JAVA_OPTS:-} -jar "$home/narwhal.jar" "$@"
