#!/usr/bin/env bash
# End-to-end ingest benchmark on one machine, over loopback: for each of NetFlow v5, v9 and
# IPFIX (and sFlow v5 when asked: --versions sflow), steps the packet rate up against each receiver
# (flowsentry, nfcapd from nfdump, for sFlow its sfcapd, and the kernel floor: a bare recvmmsg
# receiver in C, bench/c/floor.c) and reports the highest lossless
# rate (< 0.1 % records lost, counted exactly from what the receiver stored against the
# generator's printed totals), with the receiver's CPU (utime+stime over the step) and peak RSS
# (VmHWM). Kernel socket drops (/proc/net/udp) are reported separately. Then, in the full run:
#   cold start  records lost in the first 10 s after start, 50k packets/s sent from the moment the
#               socket is bound (flowsentry, nfcapd or sfcapd, floor; nothing warmed)
#   memory      flowsentry at its top lossless rate for 60 s: RSS, heap after a full GC, longest
#               GC/safepoint pause (from -Xlog:gc,safepoint)
#   CPU         CPU-seconds per million records at a fixed 75k packets/s (the ladder's 75k step)
#   socket      the receive buffer the kernel grants and how many ms of each rate it holds
# Ends with the tables (stdout); every step in <out>/steps.tsv, logs and GC logs beside it.
#
#   bench/ingest.sh                 full run: unpinned, flowsentry with the launcher's JVM options
#                                   (bin/jvm-opts), warmed 10 s at 50k pps before its ladder (~35 min at most)
#   bench/ingest.sh --quick         one low rate per version and receiver (< 1 min): a smoke check for CI;
#                                   its versions are v5, v9, IPFIX and sFlow unless --versions says
#   bench/ingest.sh --versions "v5 v9 ipfix sflow"   the full run with the sFlow row too (it adds
#                                   about 10 min, so the default full run leaves it out)
#   bench/ingest.sh --jvm tuned     flowsentry on the hand-tuned options instead (Serial, 256 MiB pre-touched)
#   bench/ingest.sh --pin all       generator on CPU 0, every receiver (all its threads) on CPU 1 (taskset):
#                                   each receiver gets one core of its own; --pin generator pins only the
#                                   generator; the default (none) lets the scheduler place them
#   bench/ingest.sh --receivers "nfcapd floor" --versions v9 --rates "50000 100000" --seconds 10
#   bench/ingest.sh --versions sflow --receivers "flowsentry sfcapd floor"
#                                   sFlow v5 (10 flow samples a datagram, one raw-header record each)
#                                   against sfcapd (nfdump-sflow); a receiver that does not speak a
#                                   version (nfcapd and nfacctd sFlow, sfcapd NetFlow) is left out of it
#   bench/ingest.sh --warm 0        measure flowsentry's ladder without warming its JVM first (default 10 s)
#   bench/ingest.sh --extras "cold cpu"   which of cold, memory, cpu, socket to run after the ladders
#                                   (default all four; --quick: none; "" for none)
#   bench/ingest.sh --memory-rate 50000   the memory row at this rate instead of the top lossless one
#   bench/ingest.sh --generator java      the JVM load generator (collector/loadgen) instead of the C
#                                   sender (bench/c/blast.c, the default, compiled by the script
#                                   with gcc into var/bench/bin; used whenever gcc is missing)
#   bench/ingest.sh --exporters 8   eight exporters (127.0.0.1-8, own sequences and templates) share
#                                   the rate (the java generator only)
#   bench/ingest.sh --generator-warmup 0   java generator: measure from its JVM's first packet (default 2 s)
#   bench/ingest.sh --retries 0     measure a lossy step once (default: once more, see below)
#
# The flowsentry receiver is one command (FLOWSENTRY_CMD, placeholders {port} {status} {gclog},
# @CP@ for the collector's test classpath): by default the full daemon on
# bench/flowsentry-bench.yml (it listens on 127.0.0.1:9995, the script's default --port), counted
# through flowsentry_flow_records_total at FLOWSENTRY_METRICS_URL. Receiving alone:
#   FLOWSENTRY_COUNT=status FLOWSENTRY_CMD="java -cp @CP@ io.flowsentry.collector.loadgen.CountingReceiver \
#     --listen 127.0.0.1:{port} --status {status}" bench/ingest.sh
# A step that loses is measured again (--retries, default 1), for every receiver alike, and counts
# as lossless when one attempt was: on a shared VM a receiver's vCPU is now and then taken away
# for longer than its socket queue lasts, which costs one attempt a few tenths of a percent
# wherever it strikes, while a rate beyond a receiver's capacity loses every time.
# Records are what each receiver stored: flowsentry's flowsentry_flow_records_total (an sFlow flow
# sample is one record there), the Flows that nfdump -I counts in nfcapd's or sfcapd's files
# (sfcapd stores one flow per flow sample, packets scaled by the sampling rate; its Bytes are the
# sampled frames' lengths, Ethernet header and FCS included, so they exceed the generator's IP
# octets), the datagrams' records for the floor.
# Another protocol is one more receiver in rx_start/rx_counts/available/speaks and one more
# version the generator, the C sender and perpkt() know.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH=ingest
. "$root/bench/lib.sh"

QUICK=0
RECEIVERS="flowsentry nfcapd sfcapd floor"
VERSIONS="v5 v9 ipfix"
VERSIONS_GIVEN=0
RATES="50000 75000 100000 125000 150000 200000 250000 300000 400000"
STEP_SECONDS=10
PORT=9995
FLOWS=10000
EXPORTERS=1
GENERATOR_WARMUP=2
RCVBUF=16777216
OUT=""
BUILD=1
PIN=none
JVM=launcher
WARM_SECONDS=10
GENERATOR=c
EXTRAS="cold memory cpu socket"
COLD_RATE=50000
COLD_SECONDS=10
MEMORY_SECONDS=60
MEMORY_RATE=""       # empty: flowsentry's top lossless rate of the ladder
CPU_RATE=75000
LOSS_LIMIT_PCT=0.1
MAX_LOSSY_STEPS=2    # stop stepping a version after this many lossy steps in a row
RETRIES=1            # attempts after the first at a step that lost

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; }

while (($#)); do
  case "$1" in
    --quick) QUICK=1; shift ;;
    --receivers) RECEIVERS="$2"; shift 2 ;;
    --versions) VERSIONS="$2"; VERSIONS_GIVEN=1; shift 2 ;;
    --rates) RATES="$2"; shift 2 ;;
    --seconds) STEP_SECONDS="$2"; shift 2 ;;
    --port) PORT="$2"; shift 2 ;;
    --flows) FLOWS="$2"; shift 2 ;;
    --exporters) EXPORTERS="$2"; shift 2 ;;
    --generator-warmup) GENERATOR_WARMUP="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --pin) PIN="$2"; shift 2 ;;
    --retries) RETRIES="$2"; shift 2 ;;
    --jvm) JVM="$2"; shift 2 ;;
    --warm) WARM_SECONDS="$2"; shift 2 ;;
    --generator) GENERATOR="$2"; shift 2 ;;
    --extras) EXTRAS="$2"; shift 2 ;;
    --memory-rate) MEMORY_RATE="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "ingest: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
SETTLE=1   # seconds the receiver gets to drain its socket queue after a step
if ((QUICK)); then
  ((VERSIONS_GIVEN)) || VERSIONS="v5 v9 ipfix sflow"
  RATES="10000"
  STEP_SECONDS=1
  GENERATOR_WARMUP=0
  SETTLE=0.5
  RETRIES=0
  WARM_SECONDS=1
  EXTRAS=""
fi
case "$JVM" in launcher|tuned) ;; *) echo "ingest: --jvm $JVM (expected: launcher or tuned)" >&2; exit 2 ;; esac
case "$GENERATOR" in c|java) ;; *) echo "ingest: --generator $GENERATOR (expected: c or java)" >&2; exit 2 ;; esac
for extra in $EXTRAS; do
  case "$extra" in cold|memory|cpu|socket) ;; *) echo "ingest: --extras: $extra (expected: cold, memory, cpu, socket)" >&2; exit 2 ;; esac
done
if ((EXPORTERS > 1)) && [[ "$GENERATOR" == c ]]; then
  echo "ingest: --exporters $EXPORTERS needs --generator java (the C sender is one exporter)" >&2; exit 2
fi
OUT="${OUT:-$root/var/bench/ingest-$(date -u +%Y%m%dT%H%M%SZ)}"
GENERATOR_PIN=()
RECEIVER_PIN=()
case "$PIN" in
  none) ;;
  generator|all)
    if (($(nproc) < 2)); then echo "ingest: --pin needs two CPUs" >&2; exit 2; fi
    GENERATOR_PIN=(taskset -c 0)
    if [[ "$PIN" == all ]]; then RECEIVER_PIN=(taskset -c 1); fi
    ;;
  *) echo "ingest: --pin $PIN (expected: none, generator or all)" >&2; exit 2 ;;
esac
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"

JAVA_HOME_DIR="$("$root/bin/find-jdk")"
JAVA="$JAVA_HOME_DIR/bin/java"
# the generator's and tools' JVM: JDK 24+ Netty's native epoll needs native access, its pooled
# buffers Unsafe memory access
JAVA_OPTS=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow "-Dlogback.configurationFile=$root/bench/logback.xml"
  -Dio.netty.leakDetection.level=disabled)
CLK_TCK="$(getconf CLK_TCK)"

FLOWSENTRY_COUNT="${FLOWSENTRY_COUNT:-metrics}"
FLOWSENTRY_METRICS_URL="${FLOWSENTRY_METRICS_URL:-http://127.0.0.1:9464/metrics}"
# --jvm launcher (default): exactly what bin/flowsentry runs on this machine (bin/jvm-opts).
# --jvm tuned: the hand-tuned options of the earlier tables: Serial GC on a 256 MiB pre-touched
# heap, MetaspaceSize above what the classes need, Netty's leak sampling off.
case "$JVM" in
  launcher) FLOWSENTRY_JVM="$("$root/bin/jvm-opts" "$JAVA_HOME_DIR")" ;;
  tuned) FLOWSENTRY_JVM="${FLOWSENTRY_HEAP:--Xms256m -Xmx256m -XX:+UseSerialGC -XX:MetaspaceSize=128m -XX:+AlwaysPreTouch} ${JAVA_OPTS[*]:0:2} -Dio.netty.leakDetection.level=disabled" ;;
esac
# Default receiver: the full daemon (decode, normalize, two policies with exceptions,
# suppression, alarm writer, metrics) on bench/flowsentry-bench.yml, counted through /metrics.
# FLOWSENTRY_CMD="...CountingReceiver..." FLOWSENTRY_COUNT=status measures receiving alone.
FLOWSENTRY_CMD_GIVEN="${FLOWSENTRY_CMD:-}"   # the memory row reads the default daemon's GC log
if [[ -z "${FLOWSENTRY_CMD:-}" ]]; then
  FLOWSENTRY_CMD="$JAVA -XX:+ExitOnOutOfMemoryError $FLOWSENTRY_JVM -Dlogback.configurationFile=$root/bench/logback.xml"
  FLOWSENTRY_CMD+=" -Xlog:gc,safepoint:file={gclog}:uptime -jar $root/app/target/flowsentry.jar run -c $root/bench/flowsentry-bench.yml"
fi

: >"$OUT/build.log"
if ((BUILD)); then
  # package compiles the collector's test classes too (-DskipTests skips running them only)
  log "building the flowsentry jar, collector classes and test classpath"
  bench_mvn -DskipTests package
fi
CP="$root/collector/target/classes:$root/collector/target/test-classes:$(collector_classpath)"

# The C sender and the floor receiver, compiled into var/bench/bin when gcc is there
TOOLS="$root/var/bench/bin"
have_c_tools() { [[ -x "$TOOLS/blast" && -x "$TOOLS/floor" ]]; }
if command -v gcc >/dev/null; then
  mkdir -p "$TOOLS"
  for tool in blast floor; do
    if [[ ! -x "$TOOLS/$tool" || "$root/bench/c/$tool.c" -nt "$TOOLS/$tool" ]]; then
      gcc -O2 -Wall -Wextra -o "$TOOLS/$tool" "$root/bench/c/$tool.c" || { log "gcc failed on bench/c/$tool.c"; exit 1; }
    fi
  done
fi
if ! have_c_tools; then
  [[ "$GENERATOR" == c ]] && log "no gcc: using the java generator, and no floor receiver"
  GENERATOR=java
fi
[[ "$GENERATOR" == c ]] && GENERATOR_WARMUP=0   # a C sender has no JIT to warm

# ---------------------------------------------------------------- process accounting

# PID and all its descendants (nfacctd forks its plugins)
tree_pids() {
  local p=$1 c
  echo "$p"
  for c in $(cat /proc/"$p"/task/*/children 2>/dev/null); do tree_pids "$c"; done
}

# utime+stime in clock ticks over the tree; the comm field may hold spaces, so cut after ") "
cpu_ticks() {
  local sum=0 p t
  for p in $(tree_pids "$1"); do
    t=$(sed 's/.*) //' /proc/"$p"/stat 2>/dev/null | awk '{print $12 + $13}') || t=0
    sum=$((sum + ${t:-0}))
  done
  echo "$sum"
}

# peak resident set (VmHWM) over the tree, kB
peak_rss_kb() {
  local sum=0 p k
  for p in $(tree_pids "$1"); do
    k=$(awk '/^VmHWM:/ {print $2}' /proc/"$p"/status 2>/dev/null) || k=0
    sum=$((sum + ${k:-0}))
  done
  echo "$sum"
}

# kernel receive-queue drops of every socket bound to local port $PORT (udp and udp6)
port_drops() {
  local hex
  hex=$(printf '%04X' "$PORT")
  cat /proc/net/udp /proc/net/udp6 2>/dev/null | awk -v port="$hex" '
    NR > 1 && $1 ~ /:$/ { split($2, a, ":"); if (a[2] == port) sum += $NF }
    END { print sum + 0 }'
}

port_bound() {
  local hex
  hex=$(printf '%04X' "$PORT")
  cat /proc/net/udp /proc/net/udp6 2>/dev/null | awk -v port="$hex" '$1 ~ /:$/ { split($2, a, ":"); if (a[2] == port) found = 1 } END { exit !found }'
}

wait_bound() {
  local i
  for ((i = 0; i < 300; i++)); do
    port_bound && return 0
    kill -0 "$RX_PID" 2>/dev/null || { log "receiver exited before binding port $PORT (see $RX_LOG)"; return 1; }
    sleep 0.1
  done
  log "receiver did not bind port $PORT within 30 s (see $RX_LOG)"
  return 1
}

# ---------------------------------------------------------------- receivers
# rx_start KIND VERSION TAG: starts the receiver, sets RX_PID, RX_DIR, RX_LOG
# rx_counts KIND: "records octets packets [gaps]" it stored so far ("-" where it cannot tell;
#   gaps: flowsentry's export sequence gaps plus sFlow samples missing from sample sequences,
#   nfdump's "Sequence failures" of nfcapd's files; none from the floor and nfacctd)
# rx_stop KIND: stops it (flushing what it holds)

RX_PID=""
RX_KIND=""

rx_persistent() { [[ "$1" == flowsentry ]]; }

rx_start() {
  local kind=$1 version=$2 tag=$3 cmd
  RX_DIR="$OUT/$kind-$version-$tag"
  RX_LOG="$RX_DIR/receiver.log"
  mkdir -p "$RX_DIR"
  case "$kind" in
    flowsentry)
      cmd="${FLOWSENTRY_CMD//@CP@/$CP}"
      cmd="${cmd//\{port\}/$PORT}"
      cmd="${cmd//\{status\}/$RX_DIR/status}"
      cmd="${cmd//\{gclog\}/$RX_DIR/gc.log}"
      (cd "$root" && exec "${RECEIVER_PIN[@]}" bash -c "exec $cmd") >"$RX_LOG" 2>&1 &
      ;;
    nfcapd|sfcapd)
      "${RECEIVER_PIN[@]}" "$kind" -b 127.0.0.1 -p "$PORT" -w "$RX_DIR" -t 60 -B "$RCVBUF" >"$RX_LOG" 2>&1 &
      ;;
    floor)
      "${RECEIVER_PIN[@]}" "$TOOLS/floor" "$PORT" "$RCVBUF" "$RX_DIR/status" >"$RX_LOG" 2>&1 &
      ;;
    nfacctd)
      cat >"$RX_DIR/nfacctd.conf" <<EOF
daemonize: false
nfacctd_ip: 127.0.0.1
nfacctd_port: $PORT
nfacctd_pipe_size: $RCVBUF
plugins: print[out]
aggregate[out]: proto, flows
print_output[out]: csv
print_output_file[out]: $RX_DIR/out.csv
print_refresh_time[out]: 3600
plugin_pipe_size: 268435456
plugin_buffer_size: 65536
EOF
      "${RECEIVER_PIN[@]}" nfacctd -f "$RX_DIR/nfacctd.conf" >"$RX_LOG" 2>&1 &
      ;;
  esac
  RX_PID=$!
  RX_KIND=$kind
  wait_bound
}

rx_stop() {
  [[ -n "$RX_PID" ]] || return 0
  local i
  # pmacct ignores SIGTERM while its plugins run; SIGINT makes the print plugin purge its cache
  if [[ "$RX_KIND" == nfacctd ]]; then kill -INT "$RX_PID" 2>/dev/null || true; else kill -TERM "$RX_PID" 2>/dev/null || true; fi
  for ((i = 0; i < 300; i++)); do
    kill -0 "$RX_PID" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$RX_PID" 2>/dev/null; then
    log "$RX_KIND ($RX_PID) did not stop within 30 s; killing it"
    kill -KILL "$RX_PID" 2>/dev/null || true
  fi
  wait "$RX_PID" 2>/dev/null || true
  RX_PID=""
}
trap rx_stop EXIT

# "records octets packets" from the status line a receiver of ours writes
status_counts() {
  sed -E 's/.*records=([0-9]+) octets=([0-9]+) packets=([0-9]+).*/\1 \2 \3/' "$RX_DIR/status" 2>/dev/null || echo "0 0 0"
}

rx_counts() {
  case "$1" in
    flowsentry)
      if [[ "$FLOWSENTRY_COUNT" == metrics ]]; then
        local text
        # a count that cannot be read must stop the run, not be reported as a total loss
        text=$(curl -fsS --retry 3 --retry-all-errors --retry-delay 1 "$FLOWSENTRY_METRICS_URL") \
          || { log "cannot read flowsentry's count from $FLOWSENTRY_METRICS_URL"; return 1; }
        awk '/^flowsentry_flow_records_total/ {s += $NF}
          /^flowsentry_sequence_gaps_total/ || /^flowsentry_sflow_samples_lost_total/ {g += $NF}
          END {printf "%.0f - - %.0f\n", s, g}' <<<"$text"
      else
        status_counts
      fi
      ;;
    floor) status_counts ;;
    nfcapd|sfcapd)
      # sfcapd (nfdump 1.7.1) keeps no sFlow sequence accounting: its Sequence failures stay 0
      nfdump -R "$RX_DIR" -N -I 2>/dev/null | awk -F': ' '
        $1 == "Flows" {f = $2} $1 == "Packets" {p = $2} $1 == "Bytes" {b = $2} $1 == "Sequence failures" {g = $2}
        END {print (f == "" ? 0 : f), (b == "" ? 0 : b), (p == "" ? 0 : p), (g == "" ? "-" : g)}'
      ;;
    nfacctd)
      awk -F, 'NR == 1 {for (i = 1; i <= NF; i++) col[$i] = i; next}
        {if ("FLOWS" in col) f += $col["FLOWS"]; p += $col["PACKETS"]; b += $col["BYTES"]}
        END {printf "%s %.0f %.0f\n", ("FLOWS" in col) ? sprintf("%.0f", f) : "-", b, p}' "$RX_DIR/out.csv" 2>/dev/null || echo "0 0 0"
      ;;
  esac
}

available() {
  case "$1" in
    flowsentry) return 0 ;;
    nfcapd|sfcapd) command -v "$1" >/dev/null && command -v nfdump >/dev/null ;;
    nfacctd) command -v nfacctd >/dev/null ;;
    floor) have_c_tools ;;
    *) log "unknown receiver $1 (expected: flowsentry, nfcapd, sfcapd, nfacctd, floor)"; return 1 ;;
  esac
}

# speaks KIND VERSION: whether the receiver takes that export protocol (nfcapd and nfacctd
# NetFlow and IPFIX only, sfcapd sFlow only; flowsentry and the floor all)
speaks() {
  case "$1:$2" in
    nfcapd:sflow|nfacctd:sflow) return 1 ;;
    sfcapd:sflow) return 0 ;;
    sfcapd:*) return 1 ;;
    *) return 0 ;;
  esac
}

# ---------------------------------------------------------------- generator

# pool VERSION: the C sender's datagrams for VERSION (made once per run by the java encoders)
pool() {
  local file="$OUT/pools/$1.pool"
  if [[ ! -f "$file" ]]; then
    mkdir -p "$OUT/pools"
    # 6000 packets: a whole number of passes over the 10 000 flows at 30 (v5, v9), 25 (IPFIX) and 10 (sFlow) records a packet
    "$JAVA" "${JAVA_OPTS[@]}" -cp "$CP" io.flowsentry.collector.loadgen.PacketPool --out "$file" \
      --version "$1" --packets 6000 --flows "$FLOWS" --seed 1 >>"$OUT/generator.log"
  fi
  echo "$file"
}

# generate VERSION RATE SECONDS [WARMUP] [--wait-bound]: prints the generator's totals line
generate() {
  local version=$1 rate=$2 seconds=$3 warmup=${4:-0} wait=${5:-}
  if [[ "$GENERATOR" == c ]]; then
    "${GENERATOR_PIN[@]}" "$TOOLS/blast" "$(pool "$version")" "$PORT" "$rate" "$seconds" $((rate * seconds)) $wait | tail -1
    return
  fi
  [[ -z "$wait" ]] || { log "cold start needs the C sender"; return 1; }
  "${GENERATOR_PIN[@]}" "$JAVA" "${JAVA_OPTS[@]}" -Xmx256m -cp "$CP" io.flowsentry.collector.loadgen.LoadGenerator \
    --version "$version" --target "127.0.0.1:$PORT" --rate "$rate" --seconds "$seconds" \
    --packets $((rate * seconds)) --flows "$FLOWS" --exporters "$EXPORTERS" --warmup "$warmup" --seed 1 | tail -1
}

field() { sed -E "s/.*[ ]$1=([0-9.]+).*/\1/" <<<"$2"; }

# ---------------------------------------------------------------- steps

STEPS="$OUT/steps.tsv"
printf 'receiver\tversion\ttarget_pps\tsent_pps\tsent_records\trecv_records\tloss_pct\tbasis\tkernel_drops\tcpu_pct\tpeak_rss_mb\tcpu_s\tsequence_gaps\n' >"$STEPS"

# run_step KIND VERSION RATE: one measured step; appends to $STEPS and returns 1 when lossy
run_step() {
  local kind=$1 version=$2 rate=$3 before after gen t0 t1 c0 c1 d0 d1 rss
  if rx_persistent "$kind"; then before=$(rx_counts "$kind") || return 2; else
    rx_start "$kind" "$version" "$rate" || return 2
    before="0 0 0"
    sleep 0.2
  fi
  # CPU % is taken over the measured part only: the receiver idles while the generator warms up
  d0=$(port_drops); c0=$(cpu_ticks "$RX_PID"); t0=$(date +%s.%N)
  gen=$(generate "$version" "$rate" "$STEP_SECONDS" "$GENERATOR_WARMUP")
  sleep "$SETTLE"
  t1=$(date +%s.%N); c1=$(cpu_ticks "$RX_PID"); d1=$(port_drops); rss=$(peak_rss_kb "$RX_PID")
  if ! rx_persistent "$kind"; then rx_stop; fi
  after=$(rx_counts "$kind") || return 2
  # nfcapd's and sfcapd's flow files (both named nfcapd.*) are only needed for the count; a full run would leave tens of GB
  if [[ "$kind" == [ns]fcapd ]]; then find "$RX_DIR" -name 'nfcapd.*' -delete; fi
  echo "$gen" >>"$OUT/generator.log"
  awk -v kind="$kind" -v version="$version" -v rate="$rate" -v before="$before" -v after="$after" \
      -v sent_pps="$(field rate "$gen")" -v sent_rec="$(field records "$gen")" -v sent_pkts="$(field packets "$gen")" \
      -v drops=$((d1 - d0)) -v ticks=$((c1 - c0)) -v hz="$CLK_TCK" -v t0="$(awk -v t="$t0" -v w="$GENERATOR_WARMUP" 'BEGIN {printf "%.3f", t + w}')" -v t1="$t1" -v rss="$rss" -v limit="$LOSS_LIMIT_PCT" '
    BEGIN {
      split(before, b, " "); split(after, a, " ")
      if (a[1] != "-") { basis = "records"; sent = sent_rec; got = a[1] - b[1] }
      else { basis = "packets"; sent = sent_pkts; got = a[3] - b[3] }   # receivers that do not count records
      loss = sent > 0 ? 100 * (sent - got) / sent : 100
      gaps = (a[4] == "" || a[4] == "-") ? "-" : a[4] - (b[4] == "" ? 0 : b[4])
      printf "%s\t%s\t%d\t%.0f\t%.0f\t%.0f\t%.4f\t%s\t%d\t%.0f\t%.0f\t%.2f\t%s\n", kind, version, rate, sent_pps, sent_rec,
        (basis == "records" ? got : got * sent_rec / (sent_pkts > 0 ? sent_pkts : 1)), loss, basis, drops,
        100 * ticks / hz / (t1 - t0), rss / 1024, ticks / hz, gaps
      exit (loss < limit ? 0 : 1)
    }' | tee -a "$STEPS" >&2
}

START=$(date +%s)
for kind in $RECEIVERS; do
  for version in $VERSIONS; do
    # named once, and only when it would have run: sfcapd is among the default receivers for sflow
    if speaks "$kind" "$version"; then available "$kind" || log "skipping $kind: not installed"; break; fi
  done
done
# version by version, every receiver in turn: the receivers of one version are measured minutes
# apart rather than a quarter of an hour, so drift on a shared machine skews their ratio less
for version in $VERSIONS; do
  for kind in $RECEIVERS; do
    available "$kind" 2>/dev/null || continue
    speaks "$kind" "$version" || continue
    if port_bound; then log "port $PORT is in use; pick another with --port"; exit 1; fi
    if rx_persistent "$kind"; then
      rx_start "$kind" "$version" all || exit 1
      # JIT warm-up (--warm), not measured: a service that runs for months is measured warm. The
      # cold-start row below measures the other case
      if ((WARM_SECONDS > 0)); then generate "$version" $((QUICK ? 20000 : 50000)) "$WARM_SECONDS" >/dev/null; sleep 1; fi
    fi
    lossy=0
    for rate in $RATES; do
      for ((attempt = 0; attempt <= RETRIES; attempt++)); do
        if run_step "$kind" "$version" "$rate"; then rc=0; break; else rc=$?; fi
        ((rc == 2)) && exit 1
      done
      if ((rc == 0)); then lossy=0; else
        lossy=$((lossy + 1))
        ((lossy >= MAX_LOSSY_STEPS)) && break
      fi
      # a generator that cannot reach the rate makes higher steps meaningless
      last_sent=$(tail -1 "$STEPS" | cut -f4)
      if ((last_sent < rate * 95 / 100)); then log "generator reached only $last_sent of $rate pps; stopping $kind $version here"; break; fi
    done
    if rx_persistent "$kind"; then rx_stop; fi
  done
done

# ---------------------------------------------------------------- extras

# The highest lossless sent rate of KIND VERSION in the ladder (0: none)
top_rate() {
  awk -F'\t' -v k="$1" -v v="$2" -v limit="$LOSS_LIMIT_PCT" 'NR > 1 && $1 == k && $2 == v && $7 < limit && $3 > best { best = $3 } END { print best + 0 }' "$STEPS"
}

COLD="$OUT/cold.tsv"
printf 'receiver\tversion\trate_pps\tsent_records\trecv_records\tloss_pct\tkernel_drops\n' >"$COLD"
# cold_start KIND VERSION: a fresh receiver, the sender already waiting for its socket
cold_start() {
  local kind=$1 version=$2 gpid gen before after d0 d1
  if port_bound; then log "port $PORT is in use"; return 1; fi
  d0=$(port_drops)
  generate "$version" "$COLD_RATE" "$COLD_SECONDS" 0 --wait-bound >"$OUT/cold-$kind-$version.gen" &
  gpid=$!
  rx_start "$kind" "$version" cold || { kill "$gpid" 2>/dev/null; return 1; }
  wait "$gpid"
  sleep 2
  d1=$(port_drops)
  if rx_persistent "$kind"; then after=$(rx_counts "$kind") || return 1; rx_stop; else rx_stop; after=$(rx_counts "$kind"); fi
  if [[ "$kind" == [ns]fcapd ]]; then find "$RX_DIR" -name 'nfcapd.*' -delete; fi
  gen=$(cat "$OUT/cold-$kind-$version.gen")
  awk -v kind="$kind" -v version="$version" -v rate="$COLD_RATE" -v after="$after" -v sent="$(field records "$gen")" -v drops=$((d1 - d0)) 'BEGIN {
    split(after, a, " "); loss = sent > 0 ? 100 * (sent - a[1]) / sent : 100
    printf "%s\t%s\t%d\t%.0f\t%.0f\t%.4f\t%d\n", kind, version, rate, sent, a[1], loss, drops }' | tee -a "$COLD" >&2
}

MEMORY="$OUT/memory.tsv"
printf 'version\trate_pps\tseconds\tloss_pct\tpeak_rss_mb\theap_after_gc_mb\tlongest_pause_ms\tlongest_gc_ms\n' >"$MEMORY"
# memory_row VERSION RATE: flowsentry warmed, then MEMORY_SECONDS at RATE; RSS, heap after a full
# GC, the longest safepoint (every stop of the event loops, GC included) over the measured part
memory_row() {
  local version=$1 rate=$2 gclog lines0 before after gen rss heap pause gcpause
  rx_start flowsentry "$version" memory || return 1
  gclog="$RX_DIR/gc.log"
  if ((WARM_SECONDS > 0)); then generate "$version" 50000 "$WARM_SECONDS" >/dev/null; sleep 1; fi
  lines0=$(wc -l <"$gclog" 2>/dev/null || echo 0)
  before=$(rx_counts flowsentry) || return 1
  gen=$(generate "$version" "$rate" "$MEMORY_SECONDS")
  sleep "$SETTLE"
  after=$(rx_counts flowsentry) || return 1
  rss=$(peak_rss_kb "$RX_PID")
  pause=$(tail -n +"$((lines0 + 1))" "$gclog" 2>/dev/null | sed -nE 's/.*Total: ([0-9]+) ns.*/\1/p' | sort -n | tail -1)
  gcpause=$(tail -n +"$((lines0 + 1))" "$gclog" 2>/dev/null | sed -nE 's/.*Pause.* ([0-9.]+)ms$/\1/p' | sort -g | tail -1)
  "$JAVA_HOME_DIR/bin/jcmd" "$RX_PID" GC.run >/dev/null 2>&1 || true
  sleep 1
  heap=$(sed -nE 's/.*Pause Full.*->([0-9]+)M\(.*/\1/p' "$gclog" 2>/dev/null | tail -1)
  rx_stop
  awk -v version="$version" -v rate="$rate" -v secs="$MEMORY_SECONDS" -v before="$before" -v after="$after" -v sent="$(field records "$gen")" \
      -v rss="$rss" -v heap="${heap:--}" -v pause="${pause:-0}" -v gcpause="${gcpause:--}" 'BEGIN {
    split(before, b, " "); split(after, a, " "); loss = sent > 0 ? 100 * (sent - (a[1] - b[1])) / sent : 100
    printf "%s\t%d\t%d\t%.4f\t%.0f\t%s\t%.1f\t%s\n", version, rate, secs, loss, rss / 1024, heap, pause / 1e6, gcpause }' | tee -a "$MEMORY" >&2
}

SOCKET="$OUT/socket.tsv"
printf 'version\tasked_bytes\tgranted_bytes\tdatagrams_held\n' >"$SOCKET"
# socket_row VERSION: how many datagrams the granted receive buffer holds (a floor receiver that
# reads nothing for 2 s while the sender overfills it)
socket_row() {
  local version=$1 granted held
  RX_DIR="$OUT/socket-$version"; RX_LOG="$RX_DIR/receiver.log"; mkdir -p "$RX_DIR"
  "$TOOLS/floor" "$PORT" "$RCVBUF" "$RX_DIR/status" 2000 >"$RX_LOG" 2>&1 &
  RX_PID=$!; RX_KIND=floor
  wait_bound || return 1
  "$TOOLS/blast" "$(pool "$version")" "$PORT" 0 1 20000 >/dev/null   # as fast as it goes: more than any buffer holds
  sleep 2.5
  rx_stop
  granted=$(sed -nE 's/.*kernel reports ([0-9]+).*/\1/p' "$RX_LOG")
  held=$(sed -nE 's/.*datagrams=([0-9]+).*/\1/p' "$RX_DIR/status")
  # Linux reports twice what it granted (the other half is its bookkeeping allowance)
  printf '%s\t%d\t%d\t%d\n' "$version" "$RCVBUF" $((granted / 2)) "$held" | tee -a "$SOCKET" >&2
}

for extra in $EXTRAS; do
  case "$extra" in
    cold)
      for version in $VERSIONS; do
        for kind in $RECEIVERS; do
          available "$kind" 2>/dev/null || continue
          speaks "$kind" "$version" || continue
          cold_start "$kind" "$version" || exit 1
        done
      done ;;
    memory)
      if [[ " $RECEIVERS " == *" flowsentry "* && -z "${FLOWSENTRY_CMD_GIVEN:-}" ]]; then
        for version in $VERSIONS; do
          top=${MEMORY_RATE:-$(top_rate flowsentry "$version")}
          if ((top > 0)); then memory_row "$version" "$top" || exit 1; else log "memory: flowsentry $version had no lossless step"; fi
        done
      fi ;;
    cpu)
      [[ " $RATES " == *" $CPU_RATE "* ]] || log "cpu: the ladder has no $CPU_RATE pps step (--rates); no CPU table" ;;
    socket)
      if have_c_tools; then for version in $VERSIONS; do socket_row "$version" || exit 1; done; fi ;;
  esac
done

# ---------------------------------------------------------------- tables
echo
echo "machine: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(uname -r), $(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"/JDK \1/p' "$JAVA_HOME_DIR/release"); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "flowsentry JVM: --jvm $JVM ($FLOWSENTRY_JVM); pinning: $PIN; generator: $GENERATOR; flowsentry warmed ${WARM_SECONDS} s at $((QUICK ? 20 : 50))k pps before its ladder"
echo "highest lossless rate (< ${LOSS_LIMIT_PCT} % records lost; a lossy step measured up to $((RETRIES + 1)) times), ${STEP_SECONDS} s steps, $FLOWS flows, $EXPORTERS exporter(s); $(nproc) CPUs; $(uname -r)"
awk -F'\t' -v limit="$LOSS_LIMIT_PCT" '
  NR == 1 { next }
  {
    key = $1 "\t" $2
    if (!(key in seen)) { order[++n] = key; seen[key] = 1 }
    if ($11 > rss[key]) rss[key] = $11
    if ($7 < limit && $4 > best[key]) { best[key] = $4; cpu[key] = $10 }
    # a step is lossy when every attempt at it lost; the attempts are consecutive rows
    step = key "\t" $3
    if ($7 < limit) { clean[step] = 1; delete lossrow[step] }
    else if (!(step in clean)) {
      if (step in lossrow) lossrow[step] = lossrow[step] "; then " sprintf("%.2f %%", $7)
      else { lossrow[step] = sprintf("%s pps: %.2f %% lost, %d kernel drops", $3, $7, $9); steporder[++m] = step }
    }
  }
  END {
    for (j = 1; j <= m; j++) {
      s = steporder[j]; split(s, sk, "\t")
      if ((s in lossrow) && !((sk[1] "\t" sk[2]) in firstloss)) firstloss[sk[1] "\t" sk[2]] = lossrow[s]
    }
    printf "%-11s %-6s %15s %15s %8s %9s   %s\n", "receiver", "ver", "lossless pps", "records/s", "CPU %", "RSS MB", "first lossy step"
    for (i = 1; i <= n; i++) {
      k = order[i]; split(k, kk, "\t")
      printf "%-11s %-6s %15.0f %15.0f %8.0f %9.0f   %s\n", kk[1], kk[2], best[k], best[k] * perpkt(kk[2]), cpu[k], rss[k], (k in firstloss) ? firstloss[k] : "none"
    }
  }
  function perpkt(v) { return v == "ipfix" ? 25 : v == "sflow" ? 10 : 30 }' "$STEPS"

# flowsentry's lossless rate against nfcapd's (sFlow: sfcapd's) and the floor's, per version
awk -F'\t' -v limit="$LOSS_LIMIT_PCT" '
  NR > 1 && $7 < limit && $4 > best[$1 "\t" $2] { best[$1 "\t" $2] = $4 }
  NR > 1 { versions[$2] = 1; if (!($2 in vorder)) { vorder[$2] = ++nv; vname[nv] = $2 } }
  END {
    printf "\n%-6s %18s %18s %16s\n", "ver", "flowsentry/nfcapd", "flowsentry/sfcapd", "flowsentry/floor"
    for (i = 1; i <= nv; i++) {
      v = vname[i]; f = best["flowsentry\t" v]
      printf "%-6s %18s %18s %16s\n", v, ratio(f, best["nfcapd\t" v]), ratio(f, best["sfcapd\t" v]), ratio(f, best["floor\t" v])
    }
  }
  function ratio(a, b) { return (a > 0 && b > 0) ? sprintf("%.2f", a / b) : "-" }' "$STEPS"

if (($(wc -l <"$COLD") > 1)); then
  echo
  echo "cold start: ${COLD_SECONDS} s at ${COLD_RATE} pps sent from the moment the socket is bound, nothing warmed"
  awk -F'\t' 'NR == 1 { printf "%-11s %-6s %14s %14s %9s %13s\n", "receiver", "ver", "sent records", "received", "lost %", "kernel drops"; next }
    { printf "%-11s %-6s %14.0f %14.0f %9.3f %13d\n", $1, $2, $4, $5, $6, $7 }' "$COLD"
fi
if (($(wc -l <"$MEMORY") > 1)); then
  echo
  echo "memory: flowsentry at its top lossless rate for ${MEMORY_SECONDS} s (after the ${WARM_SECONDS} s warm-up)"
  awk -F'\t' 'NR == 1 { printf "%-6s %10s %8s %12s %19s %18s %15s\n", "ver", "pps", "lost %", "peak RSS MB", "heap after GC MiB", "longest stop ms", "longest GC ms"; next }
    { printf "%-6s %10d %8.3f %12d %19s %18s %15s\n", $1, $2, $4, $5, $6, $7, $8 }' "$MEMORY"
fi
if [[ " $EXTRAS " == *" cpu "* ]]; then
  echo
  echo "CPU per record at ${CPU_RATE} pps: CPU-seconds (utime+stime, /proc/PID/stat) per million records received"
  awk -F'\t' -v rate="$CPU_RATE" -v limit="$LOSS_LIMIT_PCT" '
    NR > 1 && $3 == rate && $6 > 0 {
      k = $1 "\t" $2
      if (!(k in done)) { if (!($2 in vorder)) { vorder[$2] = ++nv; vname[nv] = $2 } }
      if (!(k in done) || (lossy[k] && $7 < limit)) { per[k] = $12 / ($6 / 1e6); lossy[k] = ($7 >= limit); done[k] = 1 }
    }
    END {
      printf "%-6s %12s %12s %12s %12s %18s\n", "ver", "flowsentry", "nfcapd", "sfcapd", "floor", "flowsentry/nfdump"
      for (i = 1; i <= nv; i++) {
        v = vname[i]; peer = (v == "sflow" ? "sfcapd" : "nfcapd") "\t" v
        printf "%-6s %12s %12s %12s %12s %18s\n", v, cell("flowsentry\t" v), cell("nfcapd\t" v), cell("sfcapd\t" v), cell("floor\t" v),
          (("flowsentry\t" v) in per && peer in per) ? sprintf("%.2f", per["flowsentry\t" v] / per[peer]) : "-"
      }
    }
    function cell(k) { return (k in per) ? sprintf("%.3f%s", per[k], lossy[k] ? "*" : "") : "-" }' "$STEPS"
  echo "(* the step lost more than ${LOSS_LIMIT_PCT} %: CPU per record received; flowsentry/nfdump: against nfcapd, for sflow sfcapd)"
fi
if (($(wc -l <"$SOCKET") > 1)); then
  echo
  echo "socket receive buffer: asked $RCVBUF bytes, net.core.rmem_max $(cat /proc/sys/net/core/rmem_max 2>/dev/null || echo '?')"
  awk -F'\t' -v steps="$STEPS" -v limit="$LOSS_LIMIT_PCT" '
    FILENAME == steps { if (FNR > 1 && $1 == "flowsentry" && $7 < limit && $3 > top[$2]) top[$2] = $3; next }
    FNR == 1 { printf "%-6s %14s %16s %15s %26s\n", "ver", "granted bytes", "datagrams held", "ms at 50k pps", "ms at flowsentry top rate"; next }
    { printf "%-6s %14d %16d %15.1f %26s\n", $1, $3, $4, $4 / 50, (top[$1] > 0 ? sprintf("%.1f (%d pps)", 1000 * $4 / top[$1], top[$1]) : "-") }' "$STEPS" "$SOCKET"
  echo "(the floor's socket, asked as flowsentry asks: SO_RCVBUFFORCE where the process has CAP_NET_ADMIN, else SO_RCVBUF,"
  echo " which the kernel caps at net.core.rmem_max; nfcapd and sfcapd ask with SO_RCVBUF only)"
fi
echo
log "steps: $STEPS; logs under $OUT; took $(($(date +%s) - START)) s"

if ((QUICK)); then
  # smoke check: every receiver that ran stored something; one that stored every record saw no
  # sequence gap (the C sender's per-version sequence rewrite, sFlow's sample sequences included)
  awk -F'\t' 'NR > 1 && $6 <= 0 { print "ingest: " $1 " " $2 " received nothing" > "/dev/stderr"; bad = 1 }
    NR > 1 && $6 == $5 && $13 != "-" && $13 > 0 {
      print "ingest: " $1 " " $2 " stored every record but counted " $13 " sequence gaps: the sender numbers its datagrams wrong" > "/dev/stderr"; bad = 1 }
    END { exit bad }' "$STEPS"
fi
