#!/usr/bin/env bash
# Checks the shipped Prometheus configuration, alert rules and Grafana dashboard against a real
# Prometheus server scraping a running flowsentry.
#
# usage: it/prometheus/check.sh [options] METRICS_URL
#   METRICS_URL         the daemon's metrics endpoint, e.g. http://127.0.0.1:9464/metrics
#                       (send traffic before or while this runs)
#   --allow FILE        expressions allowed to return nothing, with the reason
#                       (default: it/prometheus/allowed-empty.txt)
#   --dashboard FILE    default: grafana/dashboards/flowsentry.json
#   --rules FILE        default: docker/alerts.yml
#   --config FILE       scrape configuration to adapt (default: docker/prometheus.yml)
#   --ready EXPR        PromQL that must return data before checking
#                       (default: sum(flowsentry_events_total) > 0)
#   --timeout SECONDS   how long to wait for that (default: 60)
#
# Steps: promtool check config / check rules; start /usr/bin/prometheus on a free loopback port
# with a temporary TSDB, scraping METRICS_URL every second; wait until it has been scraped and
# EXPR returns data; evaluate every dashboard and alert expression (prom_api.py check).
# Exit status: 0 all passed, 1 a check failed, 2 bad usage or a missing tool.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export PYTHONDONTWRITEBYTECODE=1

allow="$here/allowed-empty.txt"
dashboard="$root/grafana/dashboards/flowsentry.json"
rules="$root/docker/alerts.yml"
config="$root/docker/prometheus.yml"
ready='sum(flowsentry_events_total) > 0'
timeout=60
target=""

usage() { sed -n '5,20s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2; exit 2; }
while (($#)); do
  case "$1" in
    --allow) allow="$2"; shift 2 ;;
    --dashboard) dashboard="$2"; shift 2 ;;
    --rules) rules="$2"; shift 2 ;;
    --config) config="$2"; shift 2 ;;
    --ready) ready="$2"; shift 2 ;;
    --timeout) timeout="$2"; shift 2 ;;
    -h|--help) usage ;;
    -*) echo "check.sh: unknown option $1" >&2; usage ;;
    *) [[ -z "$target" ]] || usage; target="$1"; shift ;;
  esac
done
[[ -n "$target" ]] || usage
for file in "$allow" "$dashboard" "$rules" "$config"; do
  [[ -f "$file" ]] || { echo "check.sh: $file does not exist" >&2; exit 2; }
done
rules="$(cd "$(dirname "$rules")" && pwd)/$(basename "$rules")"

for tool in prometheus promtool; do
  command -v "$tool" >/dev/null || { echo "check.sh: $tool not found (Debian package prometheus)" >&2; exit 2; }
done
python=""
for candidate in python3 /usr/bin/python3; do
  if command -v "$candidate" >/dev/null && "$candidate" -c 'import yaml' 2>/dev/null; then python="$candidate"; break; fi
done
[[ -n "$python" ]] || { echo "check.sh: needs python3 with PyYAML (Debian package python3-yaml)" >&2; exit 2; }

echo "== promtool check config $config"
promtool check config "$config"
echo "== promtool check rules $rules"
promtool check rules "$rules"

work="$(mktemp -d)"
prometheus_pid=""
cleanup() {
  if [[ -n "$prometheus_pid" ]]; then kill "$prometheus_pid" 2>/dev/null || true; wait "$prometheus_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

"$python" "$here/prom_api.py" config --from "$config" --target "$target" --rules "$rules" --out "$work/prometheus.yml"
echo "== promtool check config (copy scraping $target)"
promtool check config "$work/prometheus.yml"

port="$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
api="http://127.0.0.1:$port"
echo "== prometheus on $api, scraping $target every second"
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
  --web.listen-address="127.0.0.1:$port" --log.level=warn >"$work/prometheus.log" 2>&1 &
prometheus_pid=$!

if ! "$python" "$here/prom_api.py" wait --prometheus "$api" --ready "$ready" --timeout "$timeout"; then
  echo "check.sh: prometheus log:" >&2
  tail -n 30 "$work/prometheus.log" >&2
  "$python" - "$api" >&2 <<'EOF' || true
import json, sys, urllib.request
targets = json.load(urllib.request.urlopen(sys.argv[1] + "/api/v1/targets", timeout=5))["data"]["activeTargets"]
for t in targets:
    print(f"target {t['scrapeUrl']}: health {t['health']} {t.get('lastError', '')}")
EOF
  exit 1
fi

echo "== evaluating every expression of $(basename "$dashboard") and $(basename "$rules")"
"$python" "$here/prom_api.py" check --prometheus "$api" --dashboard "$dashboard" --rules "$rules" --allow "$allow"
