#!/usr/bin/env bash
# Self-test of check.sh: the unit tests of promql.py, then check.sh against a stand-in for the
# daemon (testdata/standin.py serving testdata/metrics.prom):
#   1. with every metric present, check.sh passes;
#   2. with one metric missing, a gauge reading NaN and one dashboard expression broken, check.sh
#      fails and names each.
# Exit status as check.sh (2: a tool is missing).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export PYTHONDONTWRITEBYTECODE=1
root="$(cd "$here/../.." && pwd)"
work="$(mktemp -d)"
standin_pids=()
cleanup() {
  for pid in "${standin_pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# Starts the stand-in on a metrics file; sets $port.
start_standin() {
  local fifo="$work/port.$RANDOM"
  mkfifo "$fifo"
  python3 "$here/testdata/standin.py" "$1" >"$fifo" &
  standin_pids+=($!)
  read -r port <"$fifo"
  rm -f "$fifo"
}

echo "### promql.py unit tests"
(cd "$here" && python3 -m unittest -q test_promql)

echo "### selftest 1: complete stand-in metrics must pass"
start_standin "$here/testdata/metrics.prom"
status=0
"$here/check.sh" --timeout 30 "http://127.0.0.1:$port/metrics" >"$work/good.out" 2>&1 || status=$?
cat "$work/good.out"
if ((status != 0)); then
  echo "selftest: check.sh failed (exit $status) on complete metrics" >&2
  exit "$status"
fi

echo "### selftest 2: a missing metric, a NaN gauge and a broken expression must fail"
grep -v '^flowsentry_templates' "$here/testdata/metrics.prom" \
  | sed 's/^\(flowsentry_zeek_lag_seconds{.*}\) .*/\1 NaN/' >"$work/missing.prom"
python3 - "$root/grafana/dashboards/flowsentry.json" "$work/broken.json" <<'EOF'
import json, sys
dashboard = json.load(open(sys.argv[1]))
panel = next(p for p in dashboard["panels"] if p.get("title") == "Events/s")
panel["targets"][0]["expr"] = "sum(rate(flowsentry_events_total[$__rate_interval])"
json.dump(dashboard, open(sys.argv[2], "w"))
EOF
start_standin "$work/missing.prom"
status=0
"$here/check.sh" --timeout 30 --dashboard "$work/broken.json" "http://127.0.0.1:$port/metrics" >"$work/bad.out" 2>&1 || status=$?
cat "$work/bad.out"
expected=("FAIL   metric:flowsentry_templates: no series" "FAIL   panel:Templates per exporter:A: returned no data"
  "FAIL   panel:Zeek lag by file:A: returned only NaN" "FAIL   panel:Events/s:A: bad_data")
for line in "${expected[@]}"; do
  if ! grep -qF "$line" "$work/bad.out"; then
    echo "selftest: check.sh output lacks '$line'" >&2
    exit 1
  fi
done
if ((status != 1)); then
  echo "selftest: check.sh exited $status on broken input (expected: 1)" >&2
  exit 1
fi
echo "selftest: 2 passed, 0 failed"
