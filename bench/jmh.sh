#!/usr/bin/env bash
# Runs the JMH benchmarks of both modules on one JVM setting and prints JMH's table.
#   bench/jmh.sh                 every benchmark (decoders, collector, Zeek parsers, policy)
#   bench/jmh.sh 'V5|Ipfix'      only those whose name matches the regex
# Figures in BENCHMARKS.md come from this script; one fork, 3 warm-up and 5 measured
# iterations of 2 s each (JMH_OPTS overrides).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
filter="${1:-.}"
JAVA_HOME="$("$root/bin/find-jdk")"
"$root/bin/mvn" -q -B --no-transfer-progress -DskipTests install >/dev/null
for module in collector analyzer; do
  "$root/bin/mvn" -q -B --no-transfer-progress -pl "$module" dependency:build-classpath \
    -Dmdep.outputFile="$root/$module/target/jmh.classpath" -Dmdep.includeScope=test >/dev/null
done
opts=(${JMH_OPTS:--f 1 -wi 3 -i 5 -w 2s -r 2s})
# benchmarks over the real captures read ../shared; Netty's epoll and buffers want these on JDK 24+
jvm="-Dflowsentry.shared=$root/../shared -Dio.netty.leakDetection.level=disabled --enable-native-access=ALL-UNNAMED"
for module in collector analyzer; do
  cp="$root/$module/target/test-classes:$root/$module/target/classes:$(cat "$root/$module/target/jmh.classpath")"
  (cd "$root/$module" && "$JAVA_HOME/bin/java" -cp "$cp" org.openjdk.jmh.Main "io.flowsentry.$module.bench.*($filter)" -jvmArgsAppend "$jvm" "${opts[@]}")
done
