#!/usr/bin/env bash
# Times `bin/flowsentry learn` over a generated month of conn.log (io.flowsentry.collector.loadgen.LearnTraffic:
# 50 restricted servers, planted NTP/CDN/SMTP-relay/partner-API services, 12 one-off violations),
# and checks that the report proposes the four planted services. Prints one line:
#   learn lines=N wall=S.SSs rate=N lines/s maxrss=N KiB
#
#   bench/learn.sh                  10 000 000 lines (about 0.9 GB)
#   bench/learn.sh --lines 1000000  fewer (1 000 to 50 000 000)
#   bench/learn.sh --keep           keep the generated file in var/bench/learn/ for another run
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH=learn
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"

LINES=10000000
KEEP=0
while (($#)); do
  case "$1" in
    --lines) LINES="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    *) log "unknown option $1 (see the header of $0)"; exit 2 ;;
  esac
done
if ! [[ "$LINES" =~ ^[0-9]+$ ]] || ((LINES < 1000 || LINES > 50000000)); then
  log "--lines: $LINES (expected 1000 to 50000000)"; exit 2
fi

OUT="$root/var/bench/learn"
mkdir -p "$OUT"
JAR="$root/app/target/flowsentry.jar"
build_jar_if_stale "$JAR"
JAVA="$("$root/bin/find-jdk")/bin/java"

CONN="$OUT/conn-$LINES.log"
if [[ ! -f "$CONN" ]]; then
  log "generating $LINES lines into $CONN"
  "$JAVA" -cp "$JAR" io.flowsentry.collector.loadgen.LearnTraffic --file "$CONN" --lines "$LINES" --days 30 --seed 18 >&2
fi
cat >"$OUT/flowsentry.yml" <<YAML
policies:
  restricted_outgoing:
    - name: servers
      restricted_networks: [192.168.4.0/24]
metrics:
  listen: 127.0.0.1:0
YAML

log "learn over $CONN"
start=$(date +%s.%N)
/usr/bin/time -f "%M" -o "$OUT/rss" "$root/bin/flowsentry" learn -c "$OUT/flowsentry.yml" "$CONN" >"$OUT/report.yml" 2>"$OUT/learn.err" \
  || { cat "$OUT/learn.err" >&2; exit 1; }
end=$(date +%s.%N)
for want in "198.51.100.0/24" "151.101.4.0/24" "network: 192.168.4.25/32, port: 25/tcp" "source: 192.168.4.7, destination: 203.0.113.80"; do
  grep -q -- "- .*$want" "$OUT/report.yml" || { log "the report lacks $want (see $OUT/report.yml)"; exit 1; }
done
((KEEP)) || rm -f "$CONN"
wall=$(echo "$end - $start" | bc -l)
printf 'learn lines=%s wall=%.2fs rate=%.0f lines/s maxrss=%s KiB\n' "$LINES" "$wall" "$(echo "$LINES / $wall" | bc -l)" "$(tail -1 "$OUT/rss")"
