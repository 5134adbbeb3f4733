#!/usr/bin/env bash
# How far the daemon's Zeek reader falls behind a fast-growing conn.log while NetFlow load runs.
# Starts the real daemon (bin/flowsentry run) on a temporary config: one Zeek input on a fresh
# conn.log (start_at: beginning, poll_interval 100ms), one NetFlow socket on loopback, a
# restricted_outgoing policy, metrics on a free loopback port. Then runs, side by side, the
# NetFlow LoadGenerator (v9 by default) and the ConnLogGenerator (TSV lines at --rate), and every
# 0.5 s scrapes flowsentry_zeek_lines_total and flowsentry_zeek_lag_seconds. Joined afterwards with
# the writer's history (lines written, every 50 ms) it reports max and p99 of: lag = lines behind
# / write rate, the age of the oldest unread line, and the metric; then the catch-up time after the
# last line was written. Needs bash 5, curl, ss. Every process it starts is stopped on exit.
#
#   bench/zeek-lag.sh                  200 000 lines/s for 30 s with 50 000 pps NetFlow v9 (~1.5 min)
#   bench/zeek-lag.sh --quick          20 000 lines/s for 8 s with 2 000 pps (CI smoke, ~30 s);
#                                      exits 1 when the reader does not catch up
#   bench/zeek-lag.sh --rate 100000 --seconds 20 --pps 0 --netflow-version ipfix
#
# Options: --rate LPS, --seconds S, --pps PPS (0 = no NetFlow), --netflow-version v5|v9|ipfix,
# --poll-interval D, --catchup-timeout S, --warmup S (maxima also reported without the first S
# seconds, default 10), --prewarm S (default 15; 0 measures the cold daemon, whose whole-run
# maxima are mostly JIT compilation: before the measured run, the same loads for S seconds into
# a conn.log that is then rotated away as Zeek does, so the measured lines go to a fresh conn.log),
# --out DIR. Env FLOWSENTRY_JAVA_OPTS: daemon JVM options.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH=zeek-lag
. "$root/bench/lib.sh"

RATE=200000
SECONDS_RUN=30
PPS=50000
NF_VERSION=v9
POLL=100ms
CATCHUP_TIMEOUT=60
OUT=""
QUICK=0
SAMPLE_EVERY=0.5
WARMUP=10
PREWARM=15

usage() { sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

while (($#)); do
  case "$1" in
    --quick) QUICK=1; shift ;;
    --rate) RATE="$2"; shift 2 ;;
    --seconds) SECONDS_RUN="$2"; shift 2 ;;
    --pps) PPS="$2"; shift 2 ;;
    --netflow-version) NF_VERSION="$2"; shift 2 ;;
    --poll-interval) POLL="$2"; shift 2 ;;
    --catchup-timeout) CATCHUP_TIMEOUT="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --prewarm) PREWARM="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "zeek-lag: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
if ((QUICK)); then
  RATE=20000
  SECONDS_RUN=8
  PPS=2000
  CATCHUP_TIMEOUT=20
  WARMUP=4
  PREWARM=0
fi
[[ "$RATE" =~ ^[1-9][0-9]*$ && "$SECONDS_RUN" =~ ^[1-9][0-9]*$ && "$PPS" =~ ^[0-9]+$ ]] \
  || { echo "zeek-lag: --rate, --seconds must be positive integers, --pps an integer >= 0" >&2; exit 2; }

OUT="${OUT:-$root/var/bench/zeek-lag-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"

JAVA="$("$root/bin/find-jdk")/bin/java"
JAR="$root/app/target/flowsentry.jar"
build_jar_if_stale "$JAR"

METRICS_PORT=$(free_port)
NF_PORT=$(free_port)
while [[ "$NF_PORT" == "$METRICS_PORT" ]]; do NF_PORT=$(free_port); done
METRICS_URL="http://127.0.0.1:$METRICS_PORT/metrics"

CONN_LOG="$OUT/zeek/conn.log"
mkdir -p "$OUT/zeek"
rm -f "$CONN_LOG" "$OUT/written"
cat >"$OUT/flowsentry.yml" <<EOF
# written by bench/zeek-lag.sh
inputs:
  netflow:
    listen: ["127.0.0.1:$NF_PORT"]
    allowed_exporters: [127.0.0.0/8]
    receive_buffer: 16777216
  zeek:
    - path: $CONN_LOG
      start_at: beginning
      poll_interval: $POLL
site:
  local_networks: [10.0.0.0/8, 192.168.0.0/16, 172.16.0.0/12]
policies:
  restricted_outgoing:
    # a few restricted subnets among the writer's 10.1.0.0/16 clients, with the usual exceptions
    - name: restricted-servers
      restricted_networks: [10.1.200.0/24, 10.1.201.0/24]
      suppress_for: 60s
      allowed_destinations: [198.51.100.0/24]
      allowed_services:
        - { network: 10.1.200.0/24, port: 53/udp }
        - { network: 10.1.200.0/24, port: 123/udp }
        - { network: 10.1.201.0/24, port: 443/tcp }
      allowed_pairs: []
outputs:
  log_dir: $OUT/log
state_dir: $OUT/state
metrics:
  listen: 127.0.0.1:$METRICS_PORT
EOF

PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log "daemon: metrics $METRICS_URL, NetFlow 127.0.0.1:$NF_PORT, conn.log $CONN_LOG (output in $OUT)"
"$root/bin/flowsentry" run -c "$OUT/flowsentry.yml" >"$OUT/daemon.log" 2>&1 &
DAEMON=$!
PIDS+=("$DAEMON")

metrics() { curl -fsS --max-time 2 "$METRICS_URL" 2>/dev/null || true; }
for _ in $(seq 1 120); do
  [[ -n "$(metrics)" ]] && break
  kill -0 "$DAEMON" 2>/dev/null || { cat "$OUT/daemon.log" >&2; log "daemon exited"; exit 1; }
  sleep 0.5
done
[[ -n "$(metrics)" ]] || { log "no metrics after 60 s"; exit 1; }

# Warm-up, not measured: the same loads for PREWARM seconds, read to the end, then conn.log is
# rotated away (renamed, as Zeek's log rotation does) and the measured writer starts a new one.
# The daemon's line counter keeps counting across files: BASE is what the warm-up left in it.
BASE=0
if ((PREWARM > 0)); then
  log "warm-up: ${PREWARM} s of the same loads, then conn.log is rotated"
  WARM_PIDS=()
  if ((PPS > 0)); then
    "$JAVA" -cp "$JAR" io.flowsentry.collector.loadgen.LoadGenerator --version "$NF_VERSION" \
      --target "127.0.0.1:$NF_PORT" --rate "$PPS" --seconds "$PREWARM" --packets $((PPS * PREWARM)) \
      --flows 10000 >"$OUT/netflow-warmup.out" 2>&1 &
    WARM_PIDS+=($!)
  fi
  "$JAVA" -cp "$JAR" io.flowsentry.collector.loadgen.ConnLogGenerator --file "$CONN_LOG" --rate "$RATE" \
    --seconds "$PREWARM" --lines $((RATE * PREWARM)) >"$OUT/connlog-warmup.out" 2>&1 &
  WARM_PIDS+=($!)
  PIDS+=("${WARM_PIDS[@]}")
  for p in "${WARM_PIDS[@]}"; do wait "$p" || { log "warm-up load failed (see $OUT/*-warmup.out)"; exit 1; }; done
  BASE=$(sed -n 's/.* lines=\([0-9]*\) .*/\1/p' "$OUT/connlog-warmup.out")
  for _ in $(seq 1 "$((CATCHUP_TIMEOUT * 10))"); do
    read_so_far=$(metrics | awk '/^flowsentry_zeek_lines_total/ { s += $NF } END { printf "%.0f", s }')
    ((read_so_far >= BASE)) && break
    sleep 0.1
  done
  ((read_so_far >= BASE)) || { log "the daemon did not read the warm-up's $BASE lines within ${CATCHUP_TIMEOUT} s"; exit 1; }
  mv "$CONN_LOG" "$CONN_LOG.warmup"
fi

LOADGEN=""
if ((PPS > 0)); then
  "$JAVA" -cp "$JAR" io.flowsentry.collector.loadgen.LoadGenerator --version "$NF_VERSION" \
    --target "127.0.0.1:$NF_PORT" --rate "$PPS" --seconds "$SECONDS_RUN" --packets $((PPS * SECONDS_RUN)) \
    --flows 10000 >"$OUT/netflow.out" 2>&1 &
  LOADGEN=$!
  PIDS+=("$LOADGEN")
fi
"$JAVA" -cp "$JAR" io.flowsentry.collector.loadgen.ConnLogGenerator --file "$CONN_LOG" --rate "$RATE" \
  --seconds "$SECONDS_RUN" --lines $((RATE * SECONDS_RUN)) --progress "$OUT/written" >"$OUT/connlog.out" 2>&1 &
WRITER=$!
PIDS+=("$WRITER")

# Each sample is one scrape, bracketed by the wall clock just before and after it (a scrape can
# take most of a second on a loaded machine). Afterwards the writer's history (epoch micros,
# lines written, every 50 ms) says when the oldest unread line was written, and how many lines
# had been written at the scrape. Sampling forks nothing but curl (a fork can cost 100+ ms on a
# loaded machine): clock from $EPOCHREALTIME, the pause is a read with timeout on a private FIFO.
mkfifo "$OUT/tick"
exec {TICK}<>"$OUT/tick"
SCRAPE="$OUT/scrape.txt"
now_us() { NOW=${EPOCHREALTIME//[.,]/}; }
sample() {
  local t0 line v ok=1
  now_us; t0=$NOW
  curl -fsS --max-time 2 -o "$SCRAPE" "$METRICS_URL" 2>/dev/null || { ok=0; : >"$SCRAPE"; }
  now_us
  READ=0; LAG=0
  while read -r line; do
    v=${line##* }
    case "$line" in
      flowsentry_zeek_lines_total\{*|"flowsentry_zeek_lines_total "*) printf -v READ '%.0f' "$v" ;;
      flowsentry_zeek_lag_seconds\{*|"flowsentry_zeek_lag_seconds "*) LAG=$v ;;
    esac
  done <"$SCRAPE"
  ((READ >= BASE)) && READ=$((READ - BASE))
  echo "$t0 $NOW $READ $LAG $ok" >>"$OUT/samples.txt"
}
echo "t0_us t1_us read lag_metric_s scrape_ok" >"$OUT/samples.txt"
# from shortly before the writer's end, sample densely so the catch-up time is measured closely
now_us; DENSE_FROM=$((NOW + SECONDS_RUN * 1000000 - 300000))
while kill -0 "$WRITER" 2>/dev/null; do
  sample
  pause=$SAMPLE_EVERY
  ((NOW < DENSE_FROM)) || pause=0.05
  read -r -t "$pause" -u "$TICK" _ || true
done
wait "$WRITER" || { cat "$OUT/connlog.out" >&2; log "conn.log writer failed"; exit 1; }
TOTAL=$(sed -n 's/.* lines=\([0-9]*\) .*/\1/p' "$OUT/connlog.out")

# catch-up: until every written line is read, bounded
CAUGHT_UP=0
DEADLINE=$((EPOCHSECONDS + CATCHUP_TIMEOUT))
while ((EPOCHSECONDS < DEADLINE)); do
  sample
  if ((READ >= TOTAL)); then CAUGHT_UP=1; break; fi
  read -r -t 0.05 -u "$TICK" _ || true
done
# CPU seconds per daemon thread name (numbered pools summed), for a first look at what competes with the reader
for task in /proc/"$DAEMON"/task/*; do
  echo "$(<"$task/comm")|$(<"$task/stat")"
done 2>/dev/null | awk -F'|' -v tck="$(getconf CLK_TCK)" '{
    name = $1; gsub(/[0-9]+$/, "#", name); st = $2; sub(/.*\) /, "", st); split(st, f, " ")
    cpu[name] += (f[12] + f[13]) / tck
  } END { for (n in cpu) if (cpu[n] >= 0.1) printf "%7.1f s  %s\n", cpu[n], n }' | sort -rn >"$OUT/threads.txt" || true
DAEMON_CPU=$(awk -v tck="$(getconf CLK_TCK)" '{ sub(/.*\) /, ""); printf "%.1f", ($12 + $13) / tck }' "/proc/$DAEMON/stat" 2>/dev/null || echo "?")
# the NetFlow load ends on its own (bounded by --seconds); its totals are part of the report
if [[ -n "$LOADGEN" ]]; then wait "$LOADGEN" || true; fi
read -r -t 1 -u "$TICK" _ || true   # let the last datagrams be counted
M="$(metrics)"
cleanup
PIDS=()

awk -v rate="$RATE" -v total="$TOTAL" -v caught="$CAUGHT_UP" -v warmup="$WARMUP" '
  function pct(a, n, p,   i, j, t, k) {   # nearest-rank percentile of a[1..n]
    for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
    k = int(p * n + 0.999999); if (k < 1) k = 1; return a[k]
  }
  # lines written by time t (epoch us), interpolated in the history
  function written(t,   i) {
    if (t <= ht[1]) return hl[1]
    for (i = 2; i <= h; i++) if (ht[i] >= t) return hl[i - 1] + (hl[i] - hl[i - 1]) * (t - ht[i - 1]) / (ht[i] - ht[i - 1])
    return hl[h]
  }
  # when the line after "read" was written, at the latest (the first history record past it); -1 if not yet
  function writtenAt(read,   i) {
    for (i = 1; i <= h; i++) if (hl[i] > read) return ht[i]
    return -1
  }
  FNR == NR { ht[++h] = $1; hl[h] = $2; if ($2 >= total && end == "") end = $1; next }
  FNR == 1 { next }
  !$5 { failed++; next }
  $2 <= end {
    mid = ($1 + $2) / 2
    n++; b = written(mid) - $3; if (b < 0) b = 0
    lb[n] = b / rate; if (lb[n] > mb) mb = lb[n]
    w = writtenAt($3); age[n] = (w < 0 || w > mid) ? 0 : (mid - w) / 1e6; if (age[n] > ma) ma = age[n]
    lm[n] = $4; if ($4 > mm) mm = $4
    if (b > mlines) mlines = b
    if (mid - ht[1] >= warmup * 1e6) { if (lb[n] > sb) sb = lb[n]; if (age[n] > sa) sa = age[n]; if ($4 > sm) sm = $4 }
    span = ($2 - $1) / 1e6; if (span > mspan) mspan = span
    next
  }
  $3 >= total && done == "" { done = $2 }
  END {
    printf "samples while writing: %d over %.1f s (failed scrapes: %d; slowest scrape %.2f s)\n", n, (end - ht[1]) / 1e6, failed, mspan
    printf "lag = lines behind / %d lines/s: max %.3f s  p99 %.3f s  (max %d lines behind)\n", rate, mb, pct(lb, n, 0.99), mlines
    printf "lag = age of the oldest unread line:  max %.3f s  p99 %.3f s\n", ma, pct(age, n, 0.99)
    printf "flowsentry_zeek_lag_seconds:          max %.3f s  p99 %.3f s\n", mm, pct(lm, n, 0.99)
    printf "after the first %g s (JIT warm-up): max %.3f s (lines behind), %.3f s (age), %.3f s (metric)\n", warmup, sb, sa, sm
    if (caught && done != "") printf "catch-up after the last line was written: <= %.3f s (all %d lines read)\n", (done - end) / 1e6, total
    else printf "catch-up after the writer stopped: NOT within the timeout (%d lines written)\n", total
  }' "$OUT/written" "$OUT/samples.txt" | tee "$OUT/summary.txt"
{
  echo "writer:  $(tail -1 "$OUT/connlog.out")"
  if ((PPS > 0)); then echo "netflow: $(tail -1 "$OUT/netflow.out")"; fi
  echo "daemon$( ((PREWARM > 0)) && echo " (warm-up included)"):  $(grep -E '^flowsentry_(flow_records_total|events_total|zeek_parse_errors_total|alarms_total)' <<<"$M" | awk '{ k = $1; sub(/\{.*/, "", k); s[k] += $NF } END { for (k in s) printf "%s=%d ", k, s[k] }')"
  echo "daemon CPU (user+sys) until catch-up: ${DAEMON_CPU} s; load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
} | tee -a "$OUT/summary.txt"
log "samples in $OUT/samples.txt, CPU per daemon thread in $OUT/threads.txt"
((CAUGHT_UP)) || exit 1
