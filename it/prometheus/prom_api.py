#!/usr/bin/env python3
"""The Prometheus side of it/prometheus/check.sh.

  prom_api.py config --from docker/prometheus.yml --target URL --rules FILE --out FILE
      the shipped scrape configuration with the flowsentry job pointed at URL, 1 s intervals,
      the rule file given, and the other jobs left out
  prom_api.py wait --prometheus URL --ready EXPR --timeout SECONDS
      until flowsentry has been scraped a few times, EXPR returns data and the rules ran
  prom_api.py check --prometheus URL --dashboard FILE --rules FILE --allow FILE
      evaluates every expression of the dashboard and the rules through /api/v1/query
      (see promql.py for the ids) and prints a report; exit 1 on any failure
"""
import argparse
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import promql

JOB = "flowsentry"
SCRAPE_INTERVAL = "1s"
MIN_SCRAPES = 3  # rate() needs two samples; one more absorbs a scrape that started before traffic
HTTP_TIMEOUT_SECONDS = 10


def api(base, path, params=None):
    """The "data" of a Prometheus API answer; raises ApiError with Prometheus' message."""
    data = urllib.parse.urlencode(params or {}, doseq=True).encode()
    request = urllib.request.Request(base.rstrip("/") + path, data=data if params else None)
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_SECONDS) as response:
            body = json.load(response)
    except urllib.error.HTTPError as e:
        try:
            body = json.load(e)
        except ValueError:
            raise ApiError(f"HTTP {e.code} from {path}") from e
    if body.get("status") != "success":
        raise ApiError(f"{body.get('errorType', 'error')}: {body.get('error', body)}")
    return body["data"]


class ApiError(Exception):
    pass


def query(base, expr):
    return api(base, "/api/v1/query", {"query": expr})["result"]


# ---- config

def scrape_config(source_path, target_url, rules_paths):
    import yaml
    with open(source_path, encoding="utf-8") as f:
        config = yaml.safe_load(f)
    url = urllib.parse.urlsplit(target_url)
    if not url.hostname or not url.port:
        raise SystemExit(f"prom_api.py: target must be http://HOST:PORT/PATH, got {target_url}")
    jobs = [job for job in config.get("scrape_configs", []) if job.get("job_name") == JOB]
    if len(jobs) != 1:
        raise SystemExit(f"prom_api.py: {source_path} must have exactly one scrape job named {JOB}")
    job = jobs[0]
    job["static_configs"] = [{"targets": [f"{url.hostname}:{url.port}"]}]
    job["metrics_path"] = url.path or "/metrics"
    job["scheme"] = url.scheme or "http"
    job["scrape_interval"] = SCRAPE_INTERVAL
    config["scrape_configs"] = [job]
    config["global"] = dict(config.get("global") or {}, scrape_interval=SCRAPE_INTERVAL,
                            evaluation_interval=SCRAPE_INTERVAL)
    config["rule_files"] = list(rules_paths)
    config.pop("alerting", None)
    return config


# ---- wait

def wait(base, ready_expr, timeout_seconds):
    deadline = time.monotonic() + timeout_seconds
    conditions = [
        (f'count_over_time(up{{job="{JOB}"}}[1m]) >= {MIN_SCRAPES}', f"{MIN_SCRAPES} scrapes of job {JOB}"),
        (f'up{{job="{JOB}"}} == 1', f"job {JOB} up"),
        (ready_expr, f"readiness expression {ready_expr}"),
    ]
    pending = "Prometheus API"
    while time.monotonic() < deadline:
        try:
            pending = next((what for expr, what in conditions if not query(base, expr)), None)
            if pending is None:
                pending = "first evaluation of every rule"
                if all(not rule.get("lastEvaluation", "0001").startswith("0001")
                       for group in api(base, "/api/v1/rules")["groups"] for rule in group["rules"]):
                    return 0
        except (ApiError, OSError):
            pass
        time.sleep(0.5)
    print(f"prom_api.py: gave up after {timeout_seconds}s waiting for {pending}", file=sys.stderr)
    return 1


# ---- check

def load_allowlist(path):
    """{id: reason} from lines "<id> | <reason>"; '#' starts a comment line."""
    allowed, problems = {}, []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            ident, sep, reason = (part.strip() for part in line.partition("|"))
            if not sep or not ident or not reason:
                problems.append(f"{path}:{number}: expected '<id> | <reason why it is empty>', got: {line}")
            else:
                allowed[ident] = reason
    return allowed, problems


class Report:
    def __init__(self, allowed):
        self.allowed = allowed
        self.used_allowances = set()
        self.passed = self.failed = 0
        self.lines = []

    def ok(self, ident, detail):
        self.passed += 1
        if ident in self.allowed:
            self.used_allowances.add(ident)
            self.lines.append(f"  note   {ident}: allowed to be empty but returned data ({detail}); "
                              f"the allowlist entry may be stale")
        else:
            self.lines.append(f"  ok     {ident}: {detail}")

    def empty(self, ident, problem):
        if ident in self.allowed:
            self.passed += 1
            self.used_allowances.add(ident)
            self.lines.append(f"  empty  {ident}: allowed ({self.allowed[ident]})")
        else:
            self.fail(ident, problem)

    def fail(self, ident, message):
        self.failed += 1
        self.lines.append(f"  FAIL   {ident}: {message}")


def check(base, dashboard_path, rules_path, allow_path):
    allowed, problems = load_allowlist(allow_path)
    report = Report(allowed)
    for problem in problems:
        report.fail("allowlist", problem)
    try:
        expressions = promql.all_expressions(dashboard_path, [rules_path])
    except promql.PromqlError as e:
        report.fail("extract", str(e))
        expressions = []

    names = []
    for ident, expr in expressions:
        if ident.startswith("variable:"):
            evaluate(base, ident, expr, report, "variable")
        elif ident.startswith("alert:") and "/" not in ident and promql.operands(expr) != [expr]:
            evaluate(base, ident, expr, report, "alert")
        else:
            evaluate(base, ident, expr, report, "query")
        try:
            names.extend(n for n in promql.metric_names(expr) if n not in names)
        except promql.PromqlError as e:
            report.fail(ident, str(e))

    exported = set(api(base, "/api/v1/label/__name__/values"))
    for name in names:
        if name in exported:
            report.ok(f"metric:{name}", "scraped")
        else:
            report.empty(f"metric:{name}", f"no series named {name} was scraped")

    check_rule_health(base, report)
    known = {ident for ident, _ in expressions} | {f"metric:{n}" for n in names}
    for ident in sorted(set(allowed) - known):
        report.fail(ident, f"allowlist entry names no expression or metric of {dashboard_path} / {rules_path}")

    print("\n".join(report.lines))
    print(f"prometheus: {report.passed} passed, {report.failed} failed")
    return 1 if report.failed else 0


def evaluate(base, ident, expr, report, kind):
    """kind "query": must return data that is not all NaN; "variable": a series selector that must match series;
    "alert": a whole alert expression, which must evaluate, where no data only means not firing."""
    try:
        result = api(base, "/api/v1/series", {"match[]": expr}) if kind == "variable" else query(base, expr)
    except ApiError as e:
        report.fail(ident, f"{e} in: {expr}")
        return
    if kind == "alert":
        report.ok(ident, f"evaluates, condition true for {len(result)} series" if result
                  else "evaluates, condition false now (not firing)")
    elif not result:
        report.empty(ident, f"returned no data: {expr}")
    elif kind == "query" and all(sample["value"][1] == "NaN" for sample in result):
        # A Micrometer gauge reports NaN once the object it reads is garbage-collected.
        report.empty(ident, f"returned only NaN (a gauge whose object is gone, or 0/0): {expr}")
    else:
        report.ok(ident, f"{len(result)} series")


def check_rule_health(base, report):
    for group in api(base, "/api/v1/rules")["groups"]:
        for rule in group["rules"]:
            name = f"rule-health:{rule['name']}"
            if rule.get("health") == "ok":
                report.ok(name, f"state {rule.get('state', 'recorded')}")
            else:
                report.fail(name, f"health {rule.get('health')}: {rule.get('lastError', '')}")


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    c = sub.add_parser("config")
    c.add_argument("--from", dest="source", required=True)
    c.add_argument("--target", required=True)
    c.add_argument("--rules", action="append", required=True)
    c.add_argument("--out", required=True)
    w = sub.add_parser("wait")
    w.add_argument("--prometheus", required=True)
    w.add_argument("--ready", required=True)
    w.add_argument("--timeout", type=float, required=True)
    k = sub.add_parser("check")
    k.add_argument("--prometheus", required=True)
    k.add_argument("--dashboard", required=True)
    k.add_argument("--rules", required=True)
    k.add_argument("--allow", required=True)
    args = parser.parse_args(argv)
    if args.command == "config":
        with open(args.out, "w", encoding="utf-8") as f:
            json.dump(scrape_config(args.source, args.target, args.rules), f, indent=2)  # JSON is YAML
        return 0
    if args.command == "wait":
        return wait(args.prometheus, args.ready, args.timeout)
    return check(args.prometheus, args.dashboard, args.rules, args.allow)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
