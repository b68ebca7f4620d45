# Sourced by bin/narwhal and bench/: when the runnable jar must be built again.

# narwhal_jar_stale ROOT JAR: true when JAR is missing, or when a pom or a main source (code,
# templates, assets, service files) of the root pom or of any module it lists is newer than JAR.
# The modules come from the pom itself: a hand-kept list missed the servlet bridge, so a change to
# it ran the old jar.
narwhal_jar_stale() {
  local root="$1" jar="$2" module
  local -a dirs=()
  [ -f "$jar" ] || return 0
  while IFS= read -r module; do
    [ -d "$root/$module" ] && dirs+=("$root/$module")
  done < <(sed -n 's:.*<module>\([^<]*\)</module>.*:\1:p' "$root/pom.xml")
  [ -n "$(find "$root/pom.xml" "${dirs[@]}" -path '*/target' -prune -o -newer "$jar" -type f \
      \( -path '*/src/main/*' -o -name pom.xml \) -print -quit)" ]
}
