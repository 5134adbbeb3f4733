#!/usr/bin/env bash
# Runs the JMH benchmarks of every module on one JVM setting and prints JMH's table, then one of
# the median, lowest and highest iteration per benchmark (JSON results in var/bench/jmh/).
#   bench/jmh.sh                 every benchmark (decoders, collector, Zeek parsers, policy)
#   bench/jmh.sh 'V5|Ipfix'      only those whose name matches the regex
# Figures in BENCHMARKS.md come from this script; one fork, 3 warm-up and 5 measured
# iterations of 2 s each (JMH_OPTS overrides).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
filter="${1:-.}"
JAVA_HOME="$("$root/bin/find-jdk")"
# one reactor build, nothing installed: each module's class path names its sibling modules' target folders
"$root/bin/mvn" -q -B --no-transfer-progress -DskipTests test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/jmh.classpath -Dmdep.includeScope=test >/dev/null
opts=(${JMH_OPTS:--f 1 -wi 3 -i 5 -w 2s -r 2s})
# benchmarks over the real captures read ../shared; Netty's epoll and buffers want these on JDK 24+
jvm="-Dflowsentry.shared=$root/../shared -Dio.netty.leakDetection.level=disabled --enable-native-access=ALL-UNNAMED"
out="$root/var/bench/jmh"
mkdir -p "$out"
rm -f "$out"/*.json
for module in collector analyzer app; do
  cp="$root/$module/target/test-classes:$root/$module/target/classes:$(cat "$root/$module/target/jmh.classpath")"
  (cd "$root/$module" && "$JAVA_HOME/bin/java" -cp "$cp" org.openjdk.jmh.Main "io.flowsentry.$module.bench.*($filter)" \
    -jvmArgsAppend "$jvm" "${opts[@]}" -rf json -rff "$out/$module.json") \
    || echo "jmh: $module: JMH failed or no benchmark matched '$filter'" >&2
done
# JMH's mean and interval are pulled far off by the time this shared 2-vCPU machine steals now
# and then; the median iteration is what the figures in BENCHMARKS.md quote
python3 - "$out"/collector.json "$out"/analyzer.json "$out"/app.json <<'PY'
import json, os, statistics, sys
print("\n%-70s %14s %14s %14s  %s" % ("benchmark (median of iterations)", "median", "min", "max", "unit"))
for path in sys.argv[1:]:
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        continue
    for r in json.load(open(path)):
        params = ",".join(f"{k}={v}" for k, v in sorted(r.get("params", {}).items()))
        name = r["benchmark"].rsplit(".", 2)[-2] + "." + r["benchmark"].rsplit(".", 1)[-1] + (f" [{params}]" if params else "")
        # the primary metric, and auxiliary counters such as the template decoders' records/s
        metrics = [("", r["primaryMetric"])] + [(":" + k, m) for k, m in r.get("secondaryMetrics", {}).items()]
        for suffix, m in metrics:
            raw = [x for fork in m.get("rawData", []) for x in fork]
            if raw:
                print("%-70s %14.0f %14.0f %14.0f  %s" % (name + suffix, statistics.median(raw), min(raw), max(raw), m["scoreUnit"]))
PY
