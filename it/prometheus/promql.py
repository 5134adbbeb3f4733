#!/usr/bin/env python3
"""Extracts the PromQL of the Grafana dashboard and the Prometheus rule files.

Every expression gets a stable id that the allowlist (allowed-empty.txt) refers to:
  panel:<panel title>:<refId>   a dashboard query, Grafana variables substituted
  variable:<name>               the series selector of a label_values() dashboard variable
  alert:<name>                  an alert rule's whole expression (empty = not firing)
  alert:<name>/<n>              the n-th operand (from 1) of its top-level comparisons / and / or / unless
  record:<name>                 a recording rule's expression
  metric:<name>                 a metric name used by any of the above

Usage: promql.py extract [--dashboard FILE] [--rules FILE]... [--raw]
prints one "id<TAB>expression" line per expression (--raw: without substituting variables).
"""
import argparse
import json
import re
import sys

# What a variable becomes when checking: every value selected ("All" with allValue ".*") and
# fixed ranges that hold enough 1 s scrapes for rate().
CHECK_VALUES = {
    "__rate_interval": "1m",
    "__interval": "15s",
    "__range": "5m",
}
ALL_VALUE = ".*"

VARIABLE = re.compile(r"\$\{(\w+)(?::[\w:]+)?\}|\[\[(\w+)(?::\w+)?\]\]|\$(\w+)")

TOKEN = re.compile(r"""
   (?P<ws>\s+)
 | (?P<str>"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|`[^`]*`)
 | (?P<num>0[xX][0-9a-fA-F]+|(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?(?:(?:ms|s|m|h|d|w|y)(?:\d+(?:ms|s|m|h|d|w|y))*)?)
 | (?P<ident>[a-zA-Z_:][a-zA-Z0-9_:]*)
 | (?P<op>==|!=|>=|<=|=~|!~|[-+*/%^<>=,(){}\[\]@:])
""", re.X)

OPEN, CLOSE = "({[", ")}]"
LABEL_LIST_KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right"}
KEYWORDS = LABEL_LIST_KEYWORDS | {"bool", "and", "or", "unless", "offset", "atan2", "inf", "nan", "start", "end"}
COMPARISONS = {"==", "!=", ">=", "<=", ">", "<"}
# Binary operators this module splits on, lowest precedence first (PromQL operator precedence).
SPLIT_LEVELS = [{"or"}, {"and", "unless"}, COMPARISONS]


class PromqlError(ValueError):
    pass


def tokens(expr):
    """(kind, text, start, end) for every token but whitespace."""
    out, pos = [], 0
    while pos < len(expr):
        m = TOKEN.match(expr, pos)
        if not m or m.end() == pos:
            raise PromqlError(f"cannot tokenize at offset {pos}: {expr[pos:pos + 20]!r}")
        if m.lastgroup != "ws":
            out.append((m.lastgroup, m.group(), m.start(), m.end()))
        pos = m.end()
    return out


def metric_names(expr):
    """Metric names an expression selects (identifiers outside label matchers, ranges, label lists
    and function calls)."""
    toks = tokens(expr)
    names, depth_inner, i = [], 0, 0
    while i < len(toks):
        kind, text, _, _ = toks[i]
        nxt = toks[i + 1][1] if i + 1 < len(toks) else None
        if text in "{[" and kind == "op":
            depth_inner += 1
        elif text in "}]" and kind == "op":
            depth_inner -= 1
        elif kind == "ident" and depth_inner == 0:
            lowered = text.lower()
            if lowered in LABEL_LIST_KEYWORDS and nxt == "(":
                i = _skip_group(toks, i + 1)
                continue
            aggregation = nxt is not None and nxt.lower() in ("by", "without")
            if nxt != "(" and not aggregation and lowered not in KEYWORDS and text not in names:
                names.append(text)
        i += 1
    return names


def _skip_group(toks, i):
    """Index after the bracketed group that starts at toks[i]."""
    depth = 0
    for j in range(i, len(toks)):
        if toks[j][0] == "op" and toks[j][1] in OPEN:
            depth += 1
        elif toks[j][0] == "op" and toks[j][1] in CLOSE:
            depth -= 1
            if depth == 0:
                return j + 1
    raise PromqlError("unbalanced brackets")


def operands(expr):
    """Leaf operands of the top-level or / and / unless / comparison operators, number literals
    left out. An expression without such operators is its own only operand."""
    expr = _strip_outer_parens(expr.strip())
    toks = tokens(expr)
    for level in SPLIT_LEVELS:
        cuts = _top_level(toks, level)
        if cuts:
            parts, start = [], 0
            for k in cuts:
                parts.append(expr[start:toks[k][2]])
                start = _after_modifiers(toks, k + 1, expr)
            parts.append(expr[start:])
            leaves = []
            for part in parts:
                leaves.extend(operands(part))
            return leaves
    return [] if _is_number(toks) else [expr]


def _top_level(toks, operators):
    depth, cuts = 0, []
    for k, (kind, text, _, _) in enumerate(toks):
        if kind == "op" and text in OPEN:
            depth += 1
        elif kind == "op" and text in CLOSE:
            depth -= 1
        elif depth == 0 and (text.lower() if kind == "ident" else text) in operators and kind in ("op", "ident"):
            cuts.append(k)
    return cuts


def _after_modifiers(toks, k, expr):
    """Offset where the right operand starts, after bool / on(...) / group_left(...) modifiers."""
    while k < len(toks) and toks[k][0] == "ident" and toks[k][1].lower() in LABEL_LIST_KEYWORDS | {"bool"}:
        k += 1
        if k < len(toks) and toks[k][1] == "(":
            k = _skip_group(toks, k)
    return toks[k][2] if k < len(toks) else len(expr)


def _strip_outer_parens(expr):
    while expr.startswith("(") and _skip_group(tokens(expr), 0) == len(tokens(expr)):
        expr = expr[1:-1].strip()
    return expr


def _is_number(toks):
    texts = [t[1] for t in toks]
    return bool(toks) and toks[-1][0] == "num" and all(t in "+-" for t in texts[:-1])


def substitute(expr, variables):
    """Replaces Grafana variables ($name, ${name}, ${name:format}, [[name]]); unknown ones raise."""
    def value(m):
        name = m.group(1) or m.group(2) or m.group(3)
        if name in CHECK_VALUES:
            return CHECK_VALUES[name]
        if name in variables:
            return ALL_VALUE
        raise PromqlError(f"undefined variable ${name}")
    return VARIABLE.sub(value, expr)


def label_values_selector(query):
    """(selector, label) of a Grafana label_values(selector, label) or label_values(label) query."""
    m = re.fullmatch(r"\s*label_values\(\s*(?:(.*?)\s*,\s*)?(\w+)\s*\)\s*", query, re.S)
    if not m:
        raise PromqlError(f"not a label_values() query: {query}")
    return m.group(1), m.group(2)


def dashboard_panels(dashboard):
    for panel in dashboard.get("panels", []):
        yield panel
        yield from panel.get("panels", [])


def dashboard_variable_names(dashboard):
    return [v["name"] for v in dashboard.get("templating", {}).get("list", [])]


def dashboard_expressions(dashboard, raw=False):
    variables = set(dashboard_variable_names(dashboard))
    out = []
    for panel in dashboard_panels(dashboard):
        for target in panel.get("targets", []):
            if "expr" in target:
                expr = target["expr"] if raw else substitute(target["expr"], variables)
                out.append((f"panel:{panel.get('title', panel.get('id'))}:{target.get('refId', '?')}", expr))
    for var in dashboard.get("templating", {}).get("list", []):
        if var.get("type") == "query":
            query = var["query"]["query"] if isinstance(var["query"], dict) else var["query"]
            selector, _ = label_values_selector(query)
            if selector:
                out.append((f"variable:{var['name']}", selector if raw else substitute(selector, variables)))
    return out


def rule_expressions(rules_doc):
    out = []
    for group in rules_doc.get("groups", []):
        for rule in group.get("rules", []):
            expr = str(rule["expr"]).strip()
            if "alert" in rule:
                out.append((f"alert:{rule['alert']}", expr))
                leaves = operands(expr)
                if leaves != [expr]:
                    out.extend((f"alert:{rule['alert']}/{n}", leaf) for n, leaf in enumerate(leaves, 1))
            else:
                out.append((f"record:{rule['record']}", expr))
    return out


def load_rules(path):
    import yaml  # PyYAML (Debian: python3-yaml)
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def load_dashboard(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def all_expressions(dashboard_path, rules_paths, raw=False):
    out = dashboard_expressions(load_dashboard(dashboard_path), raw) if dashboard_path else []
    for path in rules_paths:
        out.extend(rule_expressions(load_rules(path)))
    return out


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    extract = sub.add_parser("extract", help="print id<TAB>expression lines")
    extract.add_argument("--dashboard")
    extract.add_argument("--rules", action="append", default=[])
    extract.add_argument("--raw", action="store_true", help="keep Grafana variables as written")
    args = parser.parse_args(argv)
    try:
        for ident, expr in all_expressions(args.dashboard, args.rules, args.raw):
            print(f"{ident}\t{' '.join(expr.split())}")
    except PromqlError as e:
        print(f"promql.py: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
