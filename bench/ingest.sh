#!/usr/bin/env bash
# End-to-end ingest benchmark on one machine, over loopback: for each of NetFlow v5, v9 and
# IPFIX, steps the packet rate up against each receiver (flowsentry, nfcapd from nfdump,
# nfacctd from pmacct) and reports the highest lossless rate (< 0.1 % records lost, counted
# exactly from what the receiver stored against the generator's printed totals), with the
# receiver's CPU (utime+stime over the step) and peak RSS (VmHWM). Kernel socket drops
# (/proc/net/udp) are reported separately. Ends with one table.
#
#   bench/ingest.sh                 full run (8 rates x 3 versions x 3 receivers, ~25 min at most)
#   bench/ingest.sh --quick         one low rate per version and receiver (< 1 min): a smoke check for CI
#   bench/ingest.sh --receivers "nfcapd nfacctd" --versions v9 --rates "50000 100000" --seconds 10
#   bench/ingest.sh --exporters 8   eight exporters (127.0.0.1-8, own sequences and templates) share the rate
#   bench/ingest.sh --generator-warmup 0   measure from the generator JVM's first packet (default 2 s:
#                                   it first sends the step's load to a socket of its own while its JIT compiles)
#   bench/ingest.sh --retries 0     measure a lossy step once (default: once more, see below)
#   bench/ingest.sh --pin all       generator on CPU 0, every receiver (all its threads) on CPU 1 (taskset):
#                                   each receiver gets one core of its own; --pin generator pins only the
#                                   generator; the default lets the scheduler place them
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
# Results: a table on stdout; every step in <out>/steps.tsv, receiver logs and GC logs beside it.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH=ingest
. "$root/bench/lib.sh"

QUICK=0
RECEIVERS="flowsentry nfcapd nfacctd"
VERSIONS="v5 v9 ipfix"
RATES="25000 50000 75000 100000 125000 150000 200000 250000"
STEP_SECONDS=10
PORT=9995
FLOWS=10000
EXPORTERS=1
GENERATOR_WARMUP=2
RCVBUF=16777216
OUT=""
BUILD=1
PIN=none
LOSS_LIMIT_PCT=0.1
MAX_LOSSY_STEPS=2    # stop stepping a version after this many lossy steps in a row
RETRIES=1            # attempts after the first at a step that lost

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; }

while (($#)); do
  case "$1" in
    --quick) QUICK=1; shift ;;
    --receivers) RECEIVERS="$2"; shift 2 ;;
    --versions) VERSIONS="$2"; shift 2 ;;
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
    -h|--help) usage; exit 0 ;;
    *) echo "ingest: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
SETTLE=1   # seconds the receiver gets to drain its socket queue after a step
if ((QUICK)); then
  RATES="10000"
  STEP_SECONDS=1
  GENERATOR_WARMUP=0
  SETTLE=0.5
  RETRIES=0
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

JAVA="$("$root/bin/find-jdk")/bin/java"
# JDK 24+: Netty's native epoll needs native access, its pooled buffers Unsafe memory access
JAVA_OPTS=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow "-Dlogback.configurationFile=$root/bench/logback.xml"
  -Dio.netty.leakDetection.level=disabled)
CLK_TCK="$(getconf CLK_TCK)"

FLOWSENTRY_COUNT="${FLOWSENTRY_COUNT:-metrics}"
FLOWSENTRY_METRICS_URL="${FLOWSENTRY_METRICS_URL:-http://127.0.0.1:9464/metrics}"
# Serial GC on a small heap: the receiver's live set is a few MB, so young pauses stay at 1-9 ms;
# G1 on 2 busy cores paused 40-130 ms here, long enough to overflow the socket queue. A
# MetaspaceSize above what the daemon's classes need avoids the one full collection (~50 ms)
# the default threshold triggers during start-up; a pre-touched heap keeps the first two young
# collections (start-up objects copied into fresh pages) at 14-32 ms instead of 42-83 ms.
FLOWSENTRY_HEAP="${FLOWSENTRY_HEAP:--Xms256m -Xmx256m -XX:+UseSerialGC -XX:MetaspaceSize=128m -XX:+AlwaysPreTouch}"
# Default receiver: the full daemon (decode, normalize, two policies with exceptions,
# suppression, alarm writer, metrics) on bench/flowsentry-bench.yml, counted through /metrics.
# FLOWSENTRY_CMD="...CountingReceiver..." FLOWSENTRY_COUNT=status measures receiving alone.
if [[ -z "${FLOWSENTRY_CMD:-}" ]]; then
  FLOWSENTRY_CMD="$JAVA ${JAVA_OPTS[*]} $FLOWSENTRY_HEAP -Xlog:gc:file={gclog} -jar $root/app/target/flowsentry.jar"
  FLOWSENTRY_CMD+=" run -c $root/bench/flowsentry-bench.yml"
fi

: >"$OUT/build.log"
if ((BUILD)); then
  # package compiles the collector's test classes too (-DskipTests skips running them only)
  log "building the flowsentry jar, collector classes and test classpath"
  bench_mvn -DskipTests package
fi
CP="$root/collector/target/classes:$root/collector/target/test-classes:$(collector_classpath)"

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
# rx_counts KIND: "records octets packets" it stored so far ("-" where it cannot tell)
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
    nfcapd)
      "${RECEIVER_PIN[@]}" nfcapd -b 127.0.0.1 -p "$PORT" -w "$RX_DIR" -t 60 -B "$RCVBUF" >"$RX_LOG" 2>&1 &
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

rx_counts() {
  case "$1" in
    flowsentry)
      if [[ "$FLOWSENTRY_COUNT" == metrics ]]; then
        local text
        # a count that cannot be read must stop the run, not be reported as a total loss
        text=$(curl -fsS --retry 3 --retry-all-errors --retry-delay 1 "$FLOWSENTRY_METRICS_URL") \
          || { log "cannot read flowsentry's count from $FLOWSENTRY_METRICS_URL"; return 1; }
        awk '/^flowsentry_flow_records_total/ {s += $NF} END {printf "%.0f - -\n", s}' <<<"$text"
      else
        sed -E 's/.*records=([0-9]+) octets=([0-9]+) packets=([0-9]+).*/\1 \2 \3/' "$RX_DIR/status" 2>/dev/null || echo "0 0 0"
      fi
      ;;
    nfcapd)
      nfdump -R "$RX_DIR" -N -I 2>/dev/null | awk -F': ' '
        $1 == "Flows" {f = $2} $1 == "Packets" {p = $2} $1 == "Bytes" {b = $2}
        END {print (f == "" ? 0 : f), (b == "" ? 0 : b), (p == "" ? 0 : p)}'
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
    nfcapd) command -v nfcapd >/dev/null && command -v nfdump >/dev/null ;;
    nfacctd) command -v nfacctd >/dev/null ;;
    *) log "unknown receiver $1 (expected: flowsentry, nfcapd, nfacctd)"; return 1 ;;
  esac
}

# ---------------------------------------------------------------- generator

# generate VERSION RATE SECONDS [WARMUP]: prints the generator's totals line
generate() {
  local version=$1 rate=$2 seconds=$3 warmup=${4:-0}
  "${GENERATOR_PIN[@]}" "$JAVA" "${JAVA_OPTS[@]}" -Xmx256m -cp "$CP" io.flowsentry.collector.loadgen.LoadGenerator \
    --version "$version" --target "127.0.0.1:$PORT" --rate "$rate" --seconds "$seconds" \
    --packets $((rate * seconds)) --flows "$FLOWS" --exporters "$EXPORTERS" --warmup "$warmup" --seed 1 | tail -1
}

field() { sed -E "s/.*[ ]$1=([0-9.]+).*/\1/" <<<"$2"; }

# ---------------------------------------------------------------- steps

STEPS="$OUT/steps.tsv"
printf 'receiver\tversion\ttarget_pps\tsent_pps\tsent_records\trecv_records\tloss_pct\tbasis\tkernel_drops\tcpu_pct\tpeak_rss_mb\n' >"$STEPS"

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
  # nfcapd's flow files are only needed for the count; a full run would leave tens of GB
  if [[ "$kind" == nfcapd ]]; then find "$RX_DIR" -name 'nfcapd.*' -delete; fi
  echo "$gen" >>"$OUT/generator.log"
  awk -v kind="$kind" -v version="$version" -v rate="$rate" -v before="$before" -v after="$after" \
      -v sent_pps="$(field rate "$gen")" -v sent_rec="$(field records "$gen")" -v sent_pkts="$(field packets "$gen")" \
      -v drops=$((d1 - d0)) -v ticks=$((c1 - c0)) -v hz="$CLK_TCK" -v t0="$(awk -v t="$t0" -v w="$GENERATOR_WARMUP" 'BEGIN {printf "%.3f", t + w}')" -v t1="$t1" -v rss="$rss" -v limit="$LOSS_LIMIT_PCT" '
    BEGIN {
      split(before, b, " "); split(after, a, " ")
      if (a[1] != "-") { basis = "records"; sent = sent_rec; got = a[1] - b[1] }
      else { basis = "packets"; sent = sent_pkts; got = a[3] - b[3] }   # receivers that do not count records
      loss = sent > 0 ? 100 * (sent - got) / sent : 100
      printf "%s\t%s\t%d\t%.0f\t%.0f\t%.0f\t%.4f\t%s\t%d\t%.0f\t%.0f\n", kind, version, rate, sent_pps, sent_rec,
        (basis == "records" ? got : got * sent_rec / (sent_pkts > 0 ? sent_pkts : 1)), loss, basis, drops,
        100 * ticks / hz / (t1 - t0), rss / 1024
      exit (loss < limit ? 0 : 1)
    }' | tee -a "$STEPS" >&2
}

START=$(date +%s)
for kind in $RECEIVERS; do
  available "$kind" || log "skipping $kind: not installed"
done
# version by version, every receiver in turn: the receivers of one version are measured minutes
# apart rather than a quarter of an hour, so drift on a shared machine skews their ratio less
for version in $VERSIONS; do
  for kind in $RECEIVERS; do
    available "$kind" 2>/dev/null || continue
    if port_bound; then log "port $PORT is in use; pick another with --port"; exit 1; fi
    if rx_persistent "$kind"; then
      rx_start "$kind" "$version" all || exit 1
      # JIT warm-up, not measured. 3 s at 20k pps left C2 still compiling in the first measured
      # step, which lost up to 2 % of it when the compiler threads shared the receiver's core
      # (--pin all); a service that runs for months is measured warm
      if ((QUICK)); then generate "$version" 20000 1 >/dev/null; else generate "$version" 50000 10 >/dev/null; fi
      sleep 1
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

# ---------------------------------------------------------------- table
echo
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
  function perpkt(v) { return v == "ipfix" ? 25 : 30 }' "$STEPS"
echo
log "steps: $STEPS; logs under $OUT; took $(($(date +%s) - START)) s"

if ((QUICK)); then
  # smoke check: every receiver that ran stored something
  awk -F'\t' 'NR > 1 && $6 <= 0 { print "ingest: " $1 " " $2 " received nothing" > "/dev/stderr"; bad = 1 } END { exit bad }' "$STEPS"
fi
