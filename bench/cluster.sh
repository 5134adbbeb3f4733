#!/usr/bin/env bash
# Cluster benchmark on one machine, over loopback (issue 16, outcome 5): a real single-node KRaft
# broker (the Maven Central jars the cluster tests use, its own JVM on a free loopback port), the
# flows topic with --partitions partitions, and the packaged jar in its roles:
#   a) collector -> Kafka  NetFlow v9 from the C sender (bench/c/blast.c) at a rate ladder into one
#                          `run --role collector`; records/s it published (its
#                          flowsentry_cluster_published_total, checked against the topic's end
#                          offsets), drops, CPU of the collector, the broker and the sender
#   b) Kafka -> analyzer   the topic pre-filled with --events records (by a collector, stopped
#                          before the step), then 1 and then 2 `run --role analyzer` processes (one
#                          Streams group) consume all of it: the time from the group's first
#                          committed offset to lag 0 on every partition (committed offsets read
#                          through Kafka's Admin client, bench/kafka/BenchKafka.java), records/s,
#                          CPU per analyzer process and of the broker
#   c) single node         the daemon (`run`, bench/flowsentry-bench.yml's policies) on the same
#                          ladder: records/s it counted (flowsentry_flow_records_total) and its CPU
# Prints one table (stdout); every row in <out>/cluster.tsv, configs and logs beside it.
# CPU % is utime+stime (/proc/PID/stat) over the step's wall time, 100 % = one core.
#
#   bench/cluster.sh                    full run (about 5 min on 2 cores)
#   bench/cluster.sh --quick            one low rate, 60 000 events (< 90 s after the build): a CI smoke check
#   bench/cluster.sh --rates "2000 5000 10000" --seconds 10 --events 2000000 --partitions 4
#   bench/cluster.sh --fill-rate 2000   packets/s the pre-fill collector gets (default; 30 records a packet)
#   bench/cluster.sh --no-build --out var/bench/c1
# Role and broker JVM options: ROLE_JVM (default: what bin/jvm-opts chooses, as bin/flowsentry),
# BROKER_JVM (default -Xms512m -Xmx1g).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH=cluster
. "$root/bench/lib.sh"

QUICK=0
RATES="1000 2000 4000 8000 16000"
STEP_SECONDS=10
EVENTS=2000000
PARTITIONS=4
FILL_RATE=2000
WARM_SECONDS=5
OUT=""
BUILD=1
RECORDS_PER_PACKET=30   # the v9 pool: 30 records a datagram
CONSUME_BOUND=600       # seconds a consuming step may take at most
SETTLE_BOUND=60         # seconds a collector gets to hand its buffer to Kafka after a step

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; }

while (($#)); do
  case "$1" in
    --quick) QUICK=1; shift ;;
    --rates) RATES="$2"; shift 2 ;;
    --seconds) STEP_SECONDS="$2"; shift 2 ;;
    --events) EVENTS="$2"; shift 2 ;;
    --partitions) PARTITIONS="$2"; shift 2 ;;
    --fill-rate) FILL_RATE="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "cluster: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
if ((QUICK)); then
  RATES="2000"
  STEP_SECONDS=2
  EVENTS=60000
  FILL_RATE=2000
  WARM_SECONDS=1
  CONSUME_BOUND=60
fi
for n in "$STEP_SECONDS" "$EVENTS" "$PARTITIONS" "$FILL_RATE"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "cluster: expected a positive whole number, got '$n'" >&2; exit 2; }
done
for r in $RATES; do [[ "$r" =~ ^[1-9][0-9]*$ ]] || { echo "cluster: --rates: '$r' is not a packet rate" >&2; exit 2; }; done
command -v curl >/dev/null || { echo "cluster: needs curl (to read /metrics)" >&2; exit 2; }
command -v gcc >/dev/null || { echo "cluster: needs gcc (for bench/c/blast.c)" >&2; exit 2; }

OUT="${OUT:-$root/var/bench/cluster-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
JAVA_HOME_DIR="$("$root/bin/find-jdk")"
JAVA="$JAVA_HOME_DIR/bin/java"
CLK_TCK="$(getconf CLK_TCK)"
ROLE_JVM="${ROLE_JVM:-$("$root/bin/jvm-opts" "$JAVA_HOME_DIR")}"
BROKER_JVM="${BROKER_JVM:--Xms512m -Xmx1g}"
JAR="$root/app/target/flowsentry.jar"

: >"$OUT/build.log"
if ((BUILD)); then
  # package compiles the test classes too (the broker's logging configuration, the packet pool
  # writer); every module writes its test classpath beside its classes
  log "building the flowsentry jar and the test classpaths"
  bench_mvn -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt
fi
for f in cluster/target/bench-classpath.txt collector/target/bench-classpath.txt app/target/flowsentry.jar; do
  [[ -f "$root/$f" ]] || { log "$f is missing: run without --no-build"; exit 1; }
done
# the broker, the Admin helper: the cluster module's test classpath (kafka_2.13 and its jars)
KAFKA_CP="$root/cluster/target/test-classes:$(cat "$root/cluster/target/bench-classpath.txt")"
POOL_CP="$root/collector/target/classes:$root/collector/target/test-classes:$(cat "$root/collector/target/bench-classpath.txt")"

TOOLS="$root/var/bench/bin"
mkdir -p "$TOOLS" "$OUT/tools"
if [[ ! -x "$TOOLS/blast" || "$root/bench/c/blast.c" -nt "$TOOLS/blast" ]]; then
  gcc -O2 -Wall -Wextra -o "$TOOLS/blast" "$root/bench/c/blast.c" || { log "gcc failed on bench/c/blast.c"; exit 1; }
fi
"$JAVA_HOME_DIR/bin/javac" -d "$OUT/tools" -cp "$KAFKA_CP" "$root/bench/kafka/BenchKafka.java" >>"$OUT/build.log" 2>&1 \
  || { cat "$OUT/build.log" >&2; log "javac failed on bench/kafka/BenchKafka.java"; exit 1; }
kafka_tool() { "$JAVA" -Xmx128m -XX:TieredStopAtLevel=1 -cp "$OUT/tools:$KAFKA_CP" -Dflowsentry.test.log="$OUT/tools.log" BenchKafka "$@"; }

# the C sender's datagrams: 6000 v9 packets over 10 000 flows (as bench/ingest.sh)
POOL="$OUT/v9.pool"
"$JAVA" -cp "$POOL_CP" -Dlogback.configurationFile="$root/bench/logback.xml" io.flowsentry.collector.loadgen.PacketPool \
  --out "$POOL" --version v9 --packets 6000 --flows 10000 --seed 1 >>"$OUT/generator.log" 2>&1 \
  || { cat "$OUT/generator.log" >&2; exit 1; }

# ---------------------------------------------------------------- processes

PIDS=()   # every process this script started and has not stopped, for the exit trap
# stop_pid PID: SIGTERM, 30 s, then SIGKILL
stop_pid() {
  local pid=$1 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 300; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then log "process $pid did not stop within 30 s; killing it"; kill -KILL "$pid" 2>/dev/null || true; fi
  wait "$pid" 2>/dev/null || true
  local keep=() p
  for p in "${PIDS[@]}"; do [[ "$p" == "$pid" ]] || keep+=("$p"); done
  PIDS=("${keep[@]}")
}
stop_all() { local p; for p in "${PIDS[@]}"; do stop_pid "$p"; done; }
trap stop_all EXIT

# utime+stime of PID in clock ticks (the comm field may hold spaces: cut after ") ")
cpu_ticks() { sed 's/.*) //' /proc/"$1"/stat 2>/dev/null | awk '{print $12 + $13}' || echo 0; }

# metric URL NAME: the sum of every series of NAME at URL (a count that cannot be read stops the run)
metric() {
  local text
  text=$(curl -fsS --retry 3 --retry-all-errors --retry-delay 1 "$1") || { log "cannot read $1"; return 1; }
  awk -v name="$2" '$1 == name || index($1, name "{") == 1 { s += $NF } END { printf "%.0f\n", s }' <<<"$text"
}

# wait_http URL PID LOG: until URL answers (60 s at most) or PID exits
wait_http() {
  local i
  for ((i = 0; i < 600; i++)); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    kill -0 "$2" 2>/dev/null || { log "process $2 exited before answering $1; see $3"; tail -20 "$3" >&2; return 1; }
    sleep 0.1
  done
  log "$1 did not answer within 60 s; see $3"
  return 1
}

# broker: formatted once with a random cluster id, listening on loopback only
BROKER_PORT=$(free_port)
CONTROLLER_PORT=$(free_port)
while [[ "$CONTROLLER_PORT" == "$BROKER_PORT" ]]; do CONTROLLER_PORT=$(free_port); done
PORTS_GIVEN="$BROKER_PORT $CONTROLLER_PORT"
BOOTSTRAP="127.0.0.1:$BROKER_PORT"
BROKER_DIR="$OUT/broker"
mkdir -p "$BROKER_DIR"
cat >"$BROKER_DIR/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$BROKER_PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$BROKER_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$BROKER_DIR/data
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=4
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
EOF
broker_java() { # shellcheck disable=SC2086 # BROKER_JVM is a list of options
  "$JAVA" $BROKER_JVM -Djava.net.preferIPv4Stack=true -Dflowsentry.test.log="$BROKER_DIR/broker.log" -cp "$KAFKA_CP" "$@"; }
CLUSTER_ID=$(broker_java kafka.tools.StorageTool random-uuid 2>>"$BROKER_DIR/format.out") || { cat "$BROKER_DIR/format.out" >&2; log "kafka random-uuid failed"; exit 1; }
broker_java kafka.tools.StorageTool format -t "$CLUSTER_ID" \
  -c "$BROKER_DIR/server.properties" >"$BROKER_DIR/format.out" 2>&1 || { cat "$BROKER_DIR/format.out" >&2; log "kafka storage format failed"; exit 1; }
# shellcheck disable=SC2086 # BROKER_JVM is a list of options
"$JAVA" $BROKER_JVM -Djava.net.preferIPv4Stack=true -Dflowsentry.test.log="$BROKER_DIR/broker.log" -cp "$KAFKA_CP" \
  kafka.Kafka "$BROKER_DIR/server.properties" >"$BROKER_DIR/broker.out" 2>&1 &
BROKER_PID=$!
PIDS+=("$BROKER_PID")
log "broker $BROKER_PID on $BOOTSTRAP"
ok=0
for ((i = 0; i < 90; i++)); do
  kill -0 "$BROKER_PID" 2>/dev/null || { tail -30 "$BROKER_DIR/broker.out" "$BROKER_DIR/broker.log" >&2; log "the broker exited"; exit 1; }
  if kafka_tool create-topic "$BOOTSTRAP" bench.flows.v1 "$PARTITIONS" 2>>"$OUT/tools.err"; then ok=1; break; fi
  sleep 1
done
((ok)) || { log "the broker did not take a topic within 90 s; see $BROKER_DIR"; exit 1; }
for t in bench.alarms.v1 ladder.flows.v1 ladder.alarms.v1; do kafka_tool create-topic "$BOOTSTRAP" "$t" "$PARTITIONS"; done

# config NAME PREFIX LISTEN_PORT [PROPERTIES]: writes $OUT/NAME/flowsentry.yml (bench/flowsentry-bench.yml's
# site and policies; LISTEN_PORT 0: no UDP input; PREFIX "": no cluster section) and sets
# CFG and METRICS_URL
config() {
  local name=$1 prefix=$2 port=$3 properties=${4:-"{}"} dir="$OUT/$1" mport
  mkdir -p "$dir"
  mport=$(free_port)
  METRICS_URL="http://127.0.0.1:$mport/metrics"
  CFG="$dir/flowsentry.yml"
  sed -e "s|listen: \[\"127.0.0.1:9995\"\]|listen: [$( ((port > 0)) && echo "\"127.0.0.1:$port\"")]|" \
      -e "s|log_dir: .*|log_dir: $dir/log|" -e "s|state_dir: .*|state_dir: $dir/state|" \
      -e "s|listen: 127.0.0.1:9464|listen: 127.0.0.1:$mport|" "$root/bench/flowsentry-bench.yml" >"$CFG"
  if [[ -n "$prefix" ]]; then
    cat >>"$CFG" <<EOF
cluster:
  kafka:
    bootstrap_servers: ["$BOOTSTRAP"]
    topic_prefix: $prefix
    max_buffered_events: 100000
    properties: $properties
EOF
  fi
}

# start NAME PREFIX LISTEN_PORT [ROLE]: starts the jar (the daemon when no ROLE) and sets STARTED_PID
start() {
  local name=$1 prefix=$2 port=$3 role=${4:-} args
  # an analyzer's Streams consumer does not leave its group when it closes: the next step can
  # reset the group once a short session has expired
  if [[ "$role" == analyzer ]]; then config "$name" "$prefix" "$port" '{session.timeout.ms: "6000", heartbeat.interval.ms: "2000"}'
  else config "$name" "$prefix" "$port"; fi
  args=(run -c "$CFG")
  [[ -z "$role" ]] || args=(run --role "$role" -c "$CFG")
  # shellcheck disable=SC2086 # ROLE_JVM is a list of options
  "$JAVA" -XX:+ExitOnOutOfMemoryError $ROLE_JVM -Dlogback.configurationFile="$root/bench/logback.xml" -jar "$JAR" "${args[@]}" \
    >"$OUT/$name/out.log" 2>&1 &
  STARTED_PID=$!
  PIDS+=("$STARTED_PID")
  eval "URL_$name=\$METRICS_URL"
  wait_http "$METRICS_URL" "$STARTED_PID" "$OUT/$name/out.log"
  # the daemon warms its receive path on a socket of its own first (inputs.netflow.warm_up)
  ((port == 0)) || wait_udp "$port" "$STARTED_PID" "$OUT/$name/out.log"
}

# udp_drops PORT: kernel receive-queue drops of the sockets bound to 127.0.0.1:PORT (/proc/net/udp)
udp_drops() {
  awk -v a="$(printf '0100007F:%04X' "$1")" 'NR > 1 && $2 == a { s += $NF } END { print s + 0 }' /proc/net/udp
}

# wait_udp PORT PID LOG: until a socket is bound to 127.0.0.1:PORT (60 s at most) or PID exits
wait_udp() {
  local hex i
  hex=$(printf '0100007F:%04X' "$1")
  for ((i = 0; i < 600; i++)); do
    awk -v a="$hex" 'NR > 1 && $2 == a { found = 1 } END { exit !found }' /proc/net/udp && return 0
    kill -0 "$2" 2>/dev/null || { log "process $2 exited before binding udp $1; see $3"; tail -20 "$3" >&2; return 1; }
    sleep 0.1
  done
  log "nothing bound udp 127.0.0.1:$1 within 60 s; see $3"
  return 1
}
url() { local v="URL_$1"; echo "${!v}"; }

# blast PORT RATE SECONDS: the C sender; prints its totals line and, last, "cpu_s=S" (its utime+stime)
blast() {
  # times prints the shell's own CPU, then its children's (the sender's)
  bash -c '"$@" | tail -1; times' _ "$TOOLS/blast" "$POOL" "$1" "$2" "$3" $(($2 * $3)) \
    | awk 'NR == 1 { print; next } { last = $0 } END { split(last, f, " "); split(f[1], u, /[ms]/); split(f[2], s, /[ms]/)
        printf "cpu_s=%.2f\n", u[1] * 60 + u[2] + s[1] * 60 + s[2] }'
}
field() { sed -nE "s/.*(^| )$1=([0-9.]+).*/\2/p" <<<"$2" | head -1; }

TSV="$OUT/cluster.tsv"
printf 'step\trate_pps\tprocess\trecords\tseconds\trecords_per_s\tcpu_s\tcpu_pct\tnote\n' >"$TSV"
# row STEP RATE PROCESS RECORDS SECONDS TICKS|cpu_s=S NOTE
row() {
  local cpu=$6
  if [[ "$cpu" == cpu_s=* ]]; then cpu=${cpu#cpu_s=}; else cpu=$(awk -v t="$cpu" -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", t / hz }'); fi
  awk -v step="$1" -v rate="$2" -v proc="$3" -v rec="$4" -v secs="$5" -v cpu="$cpu" -v note="$7" 'BEGIN {
    printf "%s\t%s\t%s\t%s\t%.2f\t%.0f\t%.2f\t%.0f\t%s\n", step, rate, proc, rec, secs, (secs > 0 && rec != "-") ? rec / secs : 0, cpu, (secs > 0 ? 100 * cpu / secs : 0), note }' >>"$TSV"
  tail -1 "$TSV" >&2
}

# settle URL: waits until the collector holds nothing for Kafka (flowsentry_cluster_publish_buffered 0)
settle() {
  local i
  for ((i = 0; i < SETTLE_BOUND * 5; i++)); do
    [[ "$(metric "$1" flowsentry_cluster_publish_buffered)" == 0 ]] && return 0
    sleep 0.2
  done
  log "the collector still buffers after $SETTLE_BOUND s"
}

START=$(date +%s)
# ---------------------------------------------------------------- a) collector -> Kafka
UDP_PORT=$(free_port)
start collector ladder "$UDP_PORT" collector
COLLECTOR_PID=$STARTED_PID
((WARM_SECONDS == 0)) || { blast "$UDP_PORT" 2000 "$WARM_SECONDS" >/dev/null; settle "$(url collector)"; }
for rate in $RATES; do
  p0=$(metric "$(url collector)" flowsentry_cluster_published_total)
  d0=$(metric "$(url collector)" flowsentry_cluster_publish_dropped_total)
  e0=$(kafka_tool end-offsets "$BOOTSTRAP" ladder.flows.v1)
  k0=$(udp_drops "$UDP_PORT")
  c0=$(cpu_ticks "$COLLECTOR_PID"); b0=$(cpu_ticks "$BROKER_PID"); t0=$(date +%s.%N)
  gen=$(blast "$UDP_PORT" "$rate" "$STEP_SECONDS")
  settle "$(url collector)"
  t1=$(date +%s.%N); c1=$(cpu_ticks "$COLLECTOR_PID"); b1=$(cpu_ticks "$BROKER_PID")
  p1=$(metric "$(url collector)" flowsentry_cluster_published_total)
  d1=$(metric "$(url collector)" flowsentry_cluster_publish_dropped_total)
  e1=$(kafka_tool end-offsets "$BOOTSTRAP" ladder.flows.v1)
  k1=$(udp_drops "$UDP_PORT")
  echo "$gen" >>"$OUT/generator.log"
  secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
  sent=$(field records "$gen")
  row collect "$rate" collector $((p1 - p0)) "$secs" $((c1 - c0)) "sent $sent, published $((p1 - p0)), topic +$((e1 - e0)), dropped $((d1 - d0)) (buffer), $((k1 - k0)) datagrams dropped by the kernel"
  row collect "$rate" broker "$((e1 - e0))" "$secs" $((b1 - b0)) "appended to ladder.flows.v1"
  row collect "$rate" generator "$sent" "$secs" "$(tail -1 <<<"$gen")" "blast, $(field rate "$gen") pps sent"
done
stop_pid "$COLLECTOR_PID"

# ---------------------------------------------------------------- c) the single node, same ladder
UDP_PORT=$(free_port)
start single "" "$UDP_PORT"
SINGLE_PID=$STARTED_PID
((WARM_SECONDS == 0)) || { blast "$UDP_PORT" 2000 "$WARM_SECONDS" >/dev/null; sleep 1; }
for rate in $RATES; do
  r0=$(metric "$(url single)" flowsentry_flow_records_total)
  k0=$(udp_drops "$UDP_PORT")
  c0=$(cpu_ticks "$SINGLE_PID"); t0=$(date +%s.%N)
  gen=$(blast "$UDP_PORT" "$rate" "$STEP_SECONDS")
  sleep 1   # the socket queue drains
  t1=$(date +%s.%N); c1=$(cpu_ticks "$SINGLE_PID")
  r1=$(metric "$(url single)" flowsentry_flow_records_total)
  k1=$(udp_drops "$UDP_PORT")
  echo "$gen" >>"$OUT/generator.log"
  secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
  sent=$(field records "$gen")
  row single "$rate" daemon $((r1 - r0)) "$secs" $((c1 - c0)) "sent $sent, counted $((r1 - r0)), $((k1 - k0)) datagrams dropped by the kernel (decode, normalize, policies, suppression, alarm files)"
  row single "$rate" generator "$sent" "$secs" "$(tail -1 <<<"$gen")" "blast, $(field rate "$gen") pps sent"
done
stop_pid "$SINGLE_PID"

# ---------------------------------------------------------------- b) Kafka -> analyzers
# pre-fill bench.flows.v1 with EVENTS records through a collector, stopped before the analyzers start
UDP_PORT=$(free_port)
start filler bench "$UDP_PORT" collector
FILLER_PID=$STARTED_PID
packets=$(((EVENTS + RECORDS_PER_PACKET - 1) / RECORDS_PER_PACKET))
"$TOOLS/blast" "$POOL" "$UDP_PORT" "$FILL_RATE" $(((packets + FILL_RATE - 1) / FILL_RATE)) "$packets" >>"$OUT/generator.log"
settle "$(url filler)"
stop_pid "$FILLER_PID"
FILLED=$(kafka_tool end-offsets "$BOOTSTRAP" bench.flows.v1)
log "bench.flows.v1 holds $FILLED records in $PARTITIONS partitions"
((FILLED > 0)) || { log "the pre-fill published nothing; see $OUT/filler/out.log"; exit 1; }

# consume COUNT: COUNT analyzers (one group) read bench.flows.v1 from the start to lag 0
consume() {
  local n=$1 i pids=() names=() ev ts c0=() c1=() b0 b1 t0 t1 rc=0 done_line="" first_commit=0
  kafka_tool reset-app "$BOOTSTRAP" bench-analyzer 60 || { log "cannot reset the analyzer group bench-analyzer"; return 1; }
  for ((i = 1; i <= n; i++)); do
    start "analyzer${n}_$i" bench 0 analyzer
    pids+=("$STARTED_PID"); names+=("analyzer${n}_$i")
  done
  # CPU from the group's first committed offset to lag 0: start-up and the first assignment are
  # not consuming
  exec {waitfd}< <(kafka_tool wait-consumed "$BOOTSTRAP" bench-analyzer bench.flows.v1 "$CONSUME_BOUND"; echo "exit $?")
  while read -r ev ts rest <&"$waitfd"; do
    case "$ev" in
      progress) first_commit=$rest; t0=$(date +%s.%N); b0=$(cpu_ticks "$BROKER_PID"); for ((i = 0; i < n; i++)); do c0[i]=$(cpu_ticks "${pids[i]}"); done ;;
      done) t1=$(date +%s.%N); b1=$(cpu_ticks "$BROKER_PID"); for ((i = 0; i < n; i++)); do c1[i]=$(cpu_ticks "${pids[i]}"); done; done_line="$ts $rest" ;;
      timeout) log "$n analyzer(s): lag not 0 after $CONSUME_BOUND s ($rest committed of $FILLED)"; rc=1 ;;
      exit) break ;;
    esac
  done
  exec {waitfd}<&-
  [[ -n "$done_line" ]] || rc=1
  if ((rc == 0)); then
    secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
    row "analyze-$n" - "group of $n" "$FILLED" "$secs" $(( ($(IFS=+; echo "${c1[*]}")) - ($(IFS=+; echo "${c0[*]}")) )) "first commit (covering $first_commit records) to lag 0 on $PARTITIONS partitions"
    for ((i = 0; i < n; i++)); do
      row "analyze-$n" - "${names[i]}" "$(metric "$(url "${names[i]}")" flowsentry_events_total)" "$secs" $((c1[i] - c0[i])) \
        "$(metric "$(url "${names[i]}")" flowsentry_cluster_alarms_produced_total) alarms produced, $(metric "$(url "${names[i]}")" flowsentry_cluster_rebalances_total) rebalances"
    done
    row "analyze-$n" - broker "$FILLED" "$secs" $((b1 - b0)) "fetches, transactions, changelog, alarms"
  fi
  for ((i = 0; i < n; i++)); do stop_pid "${pids[i]}"; done
  return "$rc"
}
consume 1 || exit 1
consume 2 || exit 1
stop_pid "$BROKER_PID"

# ---------------------------------------------------------------- table
echo
echo "machine: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(uname -r), $(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"/JDK \1/p' "$JAVA_HOME_DIR/release"); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "one KRaft broker ($BROKER_JVM), flows topic with $PARTITIONS partitions; roles and daemon: $ROLE_JVM"
echo "NetFlow v9 from bench/c/blast.c, $RECORDS_PER_PACKET records a packet, ${STEP_SECONDS} s steps; analyzers: $FILLED records pre-filled"
echo "CPU %: utime+stime over the step's wall time, 100 % = one core; records/s per core = records / CPU-seconds of that process"
awk -F'\t' 'NR == 1 { printf "%-10s %8s %-14s %11s %8s %12s %8s %6s %14s   %s\n", "step", "pps", "process", "records", "seconds", "records/s", "CPU-s", "CPU %", "rec/s per core", "note"; next }
  { printf "%-10s %8s %-14s %11s %8.1f %12.0f %8.2f %6.0f %14s   %s\n", $1, $2, $3, $4, $5, $6, $7, $8, ($7 > 0 && $4 != "-" ? sprintf("%.0f", $4 / $7) : "-"), $9 }' "$TSV"
echo
log "rows: $TSV; configs and logs under $OUT; took $(($(date +%s) - START)) s"

if ((QUICK)); then
  # smoke check: the collector published something and the topic holds exactly that (a busy
  # machine may lose datagrams at the socket: reported, not failed), the single node counted
  # records, and every consuming step reached lag 0 (checked above)
  awk -F'\t' '$1 == "collect" && $3 == "collector" { split($9, n, /[ ,+]+/); if (n[4] <= 0 || n[4] != n[6]) { print "cluster: collector step: " $9 > "/dev/stderr"; bad = 1 } }
    $1 == "single" && $3 == "daemon" && $4 <= 0 { print "cluster: the single node counted nothing" > "/dev/stderr"; bad = 1 }
    END { exit bad }' "$TSV"
fi
