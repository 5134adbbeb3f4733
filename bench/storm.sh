#!/usr/bin/env bash
# Issue 15, outcome 7: an alarm storm must cost the ingest path no more than the same load with no
# policy. Runs the real daemon (bin/flowsentry run) twice on loopback, back to back, with the same
# NetFlow v9 load from the LoadGenerator: --flows distinct flows (1 000 000 by default, one record
# each) from 10.0.0.0/8 to 100.64.0.0/10 in --seconds (30). First with a policy that restricts a
# network the load never comes from ("no policy": every record is decoded and counted, none can
# alarm), then with 10.0.0.0/8 restricted and 100.64.0.0/10 outside the local networks, so every
# flow is a distinct alarm key ("storm"), under the shipped max_alarms_per_minute (or --cap).
# Each run is stopped with SIGTERM (which writes the last AlarmsSummarized lines) and reports:
# records sent and counted, loss, kernel socket drops, alarms written one by one, alarms
# summarized (counter, and the sum of the summary lines), alarms dropped from the queue or not
# written. Exits 1 when the storm lost more than the no-policy run (+ --slack percentage points)
# or when the alarm counters do not account for every alarm line. Needs bash, curl, ss; every
# process it starts is stopped on exit; traffic goes to 127.0.0.1 only.
#
#   bench/storm.sh                       1 M distinct keys in 30 s (~2 min)
#   bench/storm.sh --quick               100 000 keys in 10 s (~1 min)
#   bench/storm.sh --flows 500000 --seconds 20 --cap 0    (0 = no cap: every alarm written one by one)
#
# Options: --flows N (at most 1 000 000), --seconds S, --cap N (max_alarms_per_minute; default: as
# shipped), --slack PCT (default 0.5), --out DIR. Env FLOWSENTRY_JAVA_OPTS: daemon JVM options.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH=storm
. "$root/bench/lib.sh"

FLOWS=1000000
SECONDS_RUN=30
CAP=""
SLACK=0.5
OUT=""
RECORDS_PER_PACKET=30   # the LoadGenerator's v9 packets carry 30 records

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; }

while (($#)); do
  case "$1" in
    --quick) FLOWS=100000; SECONDS_RUN=10; shift ;;
    --flows) FLOWS="$2"; shift 2 ;;
    --seconds) SECONDS_RUN="$2"; shift 2 ;;
    --cap) CAP="$2"; shift 2 ;;
    --slack) SLACK="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "storm: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
[[ "$FLOWS" =~ ^[1-9][0-9]*$ && "$FLOWS" -le 1000000 && "$SECONDS_RUN" =~ ^[1-9][0-9]*$ && "$SECONDS_RUN" -le 300 ]] \
  || { echo "storm: --flows must be 1-1000000, --seconds 1-300" >&2; exit 2; }
[[ -z "$CAP" || "$CAP" =~ ^[0-9]+$ ]] || { echo "storm: --cap must be an integer >= 0" >&2; exit 2; }

OUT="${OUT:-$root/var/bench/storm-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"

JAVA="$("$root/bin/find-jdk")/bin/java"
JAR="$root/app/target/flowsentry.jar"
build_jar_if_stale "$JAR"


DAEMON_PID=""
cleanup() {
  if [[ -n "$DAEMON_PID" ]]; then kill "$DAEMON_PID" 2>/dev/null || true; wait "$DAEMON_PID" 2>/dev/null || true; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# write_config MODE DIR METRICS_PORT NF_PORT
write_config() {
  local mode=$1 dir=$2 metrics=$3 nf=$4 restricted local cap_line=""
  if [[ "$mode" == storm ]]; then restricted="10.0.0.0/8"; else restricted="172.31.255.0/24"; fi
  [[ -n "$CAP" ]] && cap_line="      max_alarms_per_minute: $CAP"
  cat >"$dir/flowsentry.yml" <<EOF
# written by bench/storm.sh ($mode)
inputs:
  netflow:
    listen: ["127.0.0.1:$nf"]
    allowed_exporters: [127.0.0.0/8]
    receive_buffer: 16777216
site:
  local_networks: [10.0.0.0/8, 192.168.0.0/16]
policies:
  restricted_outgoing:
    - name: storm
      restricted_networks: [$restricted]
      suppress_for: 60s
$cap_line
outputs:
  log_dir: $dir/log
state_dir: $dir/state
metrics:
  listen: 127.0.0.1:$metrics
EOF
}

# metric TEXT NAME: the sum of every sample of NAME
metric() { awk -v n="$2" '$1 == n || index($1, n "{") == 1 { s += $NF } END { printf "%.0f\n", s }' <<<"$1"; }

RESULTS="$OUT/results.tsv"
printf 'mode\tsent_records\tcounted_records\tloss_pct\tsocket_drops\talarms_written\talarm_lines\tsummarized\tsummary_sum\tsummary_lines\tqueue_dropped\twrite_errors\n' >"$RESULTS"

# run MODE: one daemon, one load, one line in $RESULTS
run() {
  local mode=$1 dir="$OUT/$1" metrics_port nf_port url pps packets gen text i
  mkdir -p "$dir"
  rm -rf "$dir/log" "$dir/state"
  metrics_port=$(free_port); nf_port=$(free_port)
  while [[ "$nf_port" == "$metrics_port" ]]; do nf_port=$(free_port); done
  url="http://127.0.0.1:$metrics_port"
  write_config "$mode" "$dir" "$metrics_port" "$nf_port"
    "$root/bin/flowsentry" run -c "$dir/flowsentry.yml" >"$dir/daemon.log" 2>&1 &
  DAEMON_PID=$!
  for i in $(seq 1 120); do
    curl -fsS "$url/healthz" >/dev/null 2>&1 && break
    kill -0 "$DAEMON_PID" 2>/dev/null || { log "$mode: daemon exited"; cat "$dir/daemon.log" >&2; exit 1; }
    sleep 0.5
  done
  curl -fsS "$url/healthz" >/dev/null || { log "$mode: daemon not healthy after 60 s"; exit 1; }
  pps=$(( (FLOWS + RECORDS_PER_PACKET - 1) / RECORDS_PER_PACKET / SECONDS_RUN + 1 ))
  packets=$(( (FLOWS + RECORDS_PER_PACKET - 1) / RECORDS_PER_PACKET ))
  log "$mode: $FLOWS distinct flows in ${SECONDS_RUN}s ($pps pps NetFlow v9 to 127.0.0.1:$nf_port)"
  gen=$("$JAVA" -Xmx512m -cp "$JAR" io.flowsentry.collector.loadgen.LoadGenerator --version v9 \
    --target "127.0.0.1:$nf_port" --rate "$pps" --seconds $((SECONDS_RUN * 2)) --packets "$packets" \
    --flows "$FLOWS" --src-net 10.0.0.0/8 --dst-net 100.64.0.0/10 --seed 15 | tail -1)
  echo "$gen" >"$dir/generator.log"
  sleep 3 # the socket queue drains, the writer catches up
  text=$(curl -fsS "$url/metrics")
  echo "$text" >"$dir/metrics.txt"
  kill -TERM "$DAEMON_PID"
  for i in $(seq 1 60); do kill -0 "$DAEMON_PID" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$DAEMON_PID" 2>/dev/null; then log "$mode: daemon did not stop within 30 s"; exit 1; fi
  wait "$DAEMON_PID" || { log "$mode: daemon exited non-zero"; tail -20 "$dir/daemon.log" >&2; exit 1; }
  DAEMON_PID=""
  local alarms="$dir/log/alarms.log" sent
  [[ -f "$alarms" ]] || : >"$alarms"
  sent=$(sed -E 's/.* records=([0-9]+).*/\1/' <<<"$gen")
  awk -v mode="$mode" -v sent="$sent" -v counted="$(metric "$text" flowsentry_flow_records_total)" \
      -v drops="$(metric "$text" flowsentry_socket_drops_total)" -v written="$(metric "$text" flowsentry_alarms_total)" \
      -v summarized="$(metric "$text" flowsentry_alarms_summarized_total)" \
      -v qdropped="$(metric "$text" flowsentry_alarm_queue_dropped_total)" \
      -v werrors="$(metric "$text" flowsentry_alarm_write_errors_total)" '
    $2 == "AlarmsSummarized" { sum += $3; summaries++; next }
    { lines++ }
    END {
      loss = sent > 0 ? 100 * (sent - counted) / sent : 100
      printf "%s\t%d\t%d\t%.3f\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\n", mode, sent, counted, loss, drops, written, lines, summarized,
        sum, summaries, qdropped, werrors
    }' "$alarms" >>"$RESULTS"
}

run nopolicy
run storm

column -t -s $'\t' "$RESULTS"
awk -F '\t' -v slack="$SLACK" '
  NR == 1 { next }
  { loss[$1] = $4; row[$1] = $0; written[$1] = $6; lines[$1] = $7; summarized[$1] = $8; sum[$1] = $9 }
  END {
    ok = 1
    if (loss["storm"] > loss["nopolicy"] + slack) { ok = 0; printf "NOT HELD: the storm lost %.3f %% of records, the same load with no policy %.3f %%\n", loss["storm"], loss["nopolicy"] }
    else printf "held: ingest loss under the storm %.3f %% vs %.3f %% with no policy (slack %s points)\n", loss["storm"], loss["nopolicy"], slack
    # scraped after the load ended and the writer caught up; the last summaries are written at the stop
    if (written["storm"] != lines["storm"] || sum["storm"] != summarized["storm"]) { ok = 0; print "NOT HELD: alarm lines and counters disagree" }
    else printf "held: %d alarms written one by one (= alarm lines), %d summarized (summary lines say %d)\n", written["storm"], summarized["storm"], sum["storm"]
    exit ok ? 0 : 1
  }' "$RESULTS"
