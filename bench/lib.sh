# Helpers the bench scripts share; sourced, never run. The script sets, before sourcing:
#   root   the repository root
#   BENCH  its name, which starts every message it prints (e.g. "storm")
# and sets OUT (the directory that receives build.log) before calling a build helper.
# Builds never install anything into ~/.m2: other worktrees share it.

log() { echo "$BENCH: $*" >&2; }

# bench_mvn ARGS...: the project's Maven wrapper, quiet, appending to $OUT/build.log; on failure
# prints that log and exits
bench_mvn() {
  "$root/bin/mvn" -q -B --no-transfer-progress "$@" >>"$OUT/build.log" 2>&1 || { cat "$OUT/build.log" >&2; exit 1; }
}

# build_jar_if_stale JAR: packages the daemon when JAR is missing or older than a main source or
# the root pom
build_jar_if_stale() {
  local jar=$1
  if [[ ! -f "$jar" || -n "$(find "$root/collector/src/main" "$root/analyzer/src/main" "$root/app/src/main" "$root/pom.xml" -newer "$jar" -print -quit 2>/dev/null)" ]]; then
    log "building $jar"
    : >"$OUT/build.log"
    bench_mvn -DskipTests package
  fi
}

# collector_classpath: writes the collector's dependency classpath (test scope included) to
# $OUT/classpath.txt, from the reactor's own build, and prints it
collector_classpath() {
  bench_mvn -pl collector dependency:build-classpath "-Dmdep.outputFile=$OUT/classpath.txt"
  cat "$OUT/classpath.txt"
}

# free_port: a loopback port no socket uses (listening or connected, TCP or UDP), below the
# kernel's ephemeral range: a port inside it can be taken between this check and the bind by any
# outgoing connection on the machine (a CI run once failed so). Bounded number of tries.
free_port() {
  local p i low
  low=$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  ((low > 21000)) || low=32768
  for i in $(seq 1 100); do
    p=$((20000 + RANDOM % (low - 20000)))
    if [[ -z "$(ss -Htuan "sport = :$p" 2>/dev/null)" ]]; then echo "$p"; return; fi
  done
  echo "$BENCH: no free port found" >&2; exit 1
}
