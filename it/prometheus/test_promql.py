#!/usr/bin/env python3
"""Unit tests of promql.py (selftest.sh runs them first): python3 -m unittest test_promql"""
import unittest

import promql


class OperandsTest(unittest.TestCase):
    def test_splits_comparisons_and_set_operators_keeping_numbers_out(self):
        self.assertEqual(
            ["sum by (instance) (rate(a_total[15m]))", "sum by (instance) (b)"],
            promql.operands("sum by (instance) (rate(a_total[15m])) == 0 and on (instance) sum by (instance) (b) > 0"))

    def test_drops_matching_modifiers_and_unwraps_parentheses(self):
        self.assertEqual(["a", "b", "c", "d"], promql.operands("a > bool on(x) group_left(y) b or (c unless d)"))

    def test_keeps_arithmetic_and_nested_comparisons_whole(self):
        expr = "sum(x) / sum(y > 0)"
        self.assertEqual([expr], promql.operands(expr))
        self.assertEqual(["sum(x) / sum(y > 0)"], promql.operands("sum(x) / sum(y > 0) > 0.9"))

    def test_leaves_label_matchers_alone(self):
        self.assertEqual(['up{job!="a",x=~"<b>"}'], promql.operands('up{job!="a",x=~"<b>"} == 0'))


class MetricNamesTest(unittest.TestCase):
    def test_names_metrics_only(self):
        self.assertEqual(["a_total", "b"], promql.metric_names(
            'sum without (le) (rate(a_total{x="y"}[5m:1m] offset 1h)) by (x) / ignoring(z) b > bool 1e3'))

    def test_rejects_what_it_cannot_tokenize(self):
        with self.assertRaises(promql.PromqlError):
            promql.metric_names("rate(x[5m]) # comment")


class SubstituteTest(unittest.TestCase):
    def test_selects_all_values_and_fixed_ranges(self):
        self.assertEqual('rate(x{a=~".*",b=~".*"}[1m]) [5m] .*',
                         promql.substitute('rate(x{a=~"$a",b=~"${b:regex}"}[$__rate_interval]) [$__range] [[a]]', {"a", "b"}))

    def test_rejects_undefined_variables(self):
        with self.assertRaises(promql.PromqlError):
            promql.substitute("x{a=~\"$nope\"}", {"a"})

    def test_reads_label_values_queries(self):
        self.assertEqual(('m{i=~"$i"}', "exporter"), promql.label_values_selector('label_values(m{i=~"$i"}, exporter)'))
        self.assertEqual((None, "job"), promql.label_values_selector("label_values(job)"))


if __name__ == "__main__":
    unittest.main()
