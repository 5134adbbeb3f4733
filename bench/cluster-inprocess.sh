#!/usr/bin/env bash
# Throughput of the cluster path on this machine (issue 16, outcome 5), by a script, not a timed
# test: a real single-node KRaft broker process (the test jars of cluster/), then
#   collector -> Kafka   EventPublisher (idempotent, acks=all) fed as fast as one thread can
#   Kafka -> analyzer    the Streams topology (exactly_once_v2) with 1, then 2 instances
#   single node          AnalysisEngine on the same events, in the same run
# each with wall time, records/s and the CPU seconds of flowsentry's JVM and of the broker apart.
#   bench/cluster-inprocess.sh [EVENTS]   (default 500000; bench/cluster.sh measures the roles as processes)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH=cluster
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
events="${1:-500000}"
OUT="$root/var/bench/cluster"
mkdir -p "$OUT"
: >"$OUT/build.log"
JAVA_HOME="$("$root/bin/find-jdk")"
log "building cluster/ and its test classpath (nothing installed)"
bench_mvn -pl cluster -am -DskipTests test-compile dependency:build-classpath \
  "-Dmdep.outputFile=$OUT/classpath.txt" -Dmdep.includeScope=test
cp="$root/cluster/target/test-classes:$root/cluster/target/classes:$(cat "$OUT/classpath.txt")"
work="$(mktemp -d "$OUT/run.XXXXXX")"
trap 'rm -rf "$work"' EXIT
log "$events events; $(nproc) cores"
"$JAVA_HOME/bin/java" -Xmx1g -Dlogback.configurationFile="$root/bench/logback.xml" -cp "$cp" \
  io.flowsentry.cluster.bench.ClusterThroughput "$events" "$work"
