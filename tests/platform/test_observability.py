"""Alert rules and the dashboard: valid PromQL (promtool), every alert unit-tested, and
only metrics and label values the code really exposes."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.platform import code_facts
from tests.platform.code_facts import ROOT
from tests.platform.manifests import load_documents

OBSERVABILITY = ROOT / "observability"
ALERTS = OBSERVABILITY / "alerts.yaml"
ALERT_TESTS = OBSERVABILITY / "alerts.test.yaml"
DASHBOARD = OBSERVABILITY / "grafana-dashboard.json"
SELECTOR = re.compile(r"\b(coffeebuddy_[a-z_]+)(?:\{([^}]*)\})?")
MATCHER = re.compile(r'(\w+)\s*(=~|!~|!=|=)\s*"([^"]*)"')


def promtool_binary() -> str | None:
    """The promtool scripts/ensure-tools put in .tools/bin, else one on PATH."""
    local = ROOT / ".tools" / "bin" / "promtool"
    return str(local) if os.access(local, os.X_OK) else shutil.which("promtool")


def promtool(*args: str) -> subprocess.CompletedProcess[str]:
    binary = promtool_binary()
    if binary is None:
        pytest.skip(
            "promtool is missing: scripts/ensure-tools puts it in .tools/bin "
            "(taken from Debian's prometheus package, which it does not install)"
        )
    return subprocess.run([binary, *args], capture_output=True, text=True, timeout=60)


def alert_rules() -> list[dict]:
    groups = load_documents(ALERTS)[0]["groups"]
    return [rule for group in groups for rule in group["rules"] if "alert" in rule]


def dashboard_queries() -> list[str]:
    panels = json.loads(DASHBOARD.read_text(encoding="utf-8"))["panels"]
    return [target["expr"] for panel in panels for target in panel["targets"]]


def test_promtool_accepts_the_rules() -> None:
    result = promtool("check", "rules", str(ALERTS))
    assert result.returncode == 0, result.stdout + result.stderr


def test_promtool_unit_tests_pass() -> None:
    result = promtool("test", "rules", str(ALERT_TESTS))
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_alert_has_a_test_that_fires_it() -> None:
    tests = load_documents(ALERT_TESTS)[0]["tests"]
    fired = {
        case["alertname"]
        for test in tests
        for case in test.get("alert_rule_test", [])
        if case.get("exp_alerts")
    }
    assert {rule["alert"] for rule in alert_rules()} <= fired


def test_every_alert_says_how_bad_and_where_the_runbook_is() -> None:
    operations = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8").lower()
    for rule in alert_rules():
        assert rule["labels"]["severity"] in ("page", "ticket"), rule["alert"]
        runbook = rule["annotations"]["runbook"]
        assert runbook == f"docs/operations.md#{rule['alert'].lower()}"
        assert f"### {rule['alert'].lower()}" in operations, f"{rule['alert']} not in the runbook"


def test_the_dashboard_queries_are_valid_promql(tmp_path: Path) -> None:
    """promtool parses each query as a recording rule ($__rate_interval filled in)."""
    rules = [
        {"record": f"dashboard:query_{i}", "expr": expr.replace("$__rate_interval", "5m")}
        for i, expr in enumerate(dashboard_queries())
    ]
    path = tmp_path / "dashboard-rules.yaml"
    path.write_text(yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}))
    result = promtool("check", "rules", str(path))
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_dashboard_is_importable() -> None:
    board = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    assert board["uid"] and board["title"]
    ids = [panel["id"] for panel in board["panels"]]
    assert len(ids) == len(set(ids))
    variables = {v["name"] for v in board["templating"]["list"]}
    for panel in board["panels"]:
        assert panel["datasource"]["uid"].strip("${}") in variables


def _selectors() -> list[tuple[str, str, str]]:
    """(where, metric, matchers) for every coffeebuddy metric the rules or dashboard name."""
    found = [("alerts", m, s or "") for r in alert_rules() for m, s in SELECTOR.findall(r["expr"])]
    found += [
        ("dashboard", m, s or "") for q in dashboard_queries() for m, s in SELECTOR.findall(q)
    ]
    return found


def test_only_metrics_the_functions_expose_are_queried() -> None:
    exposed = code_facts.metric_names()
    assert [(where, m) for where, m, _ in _selectors() if m not in exposed] == []


def test_only_label_values_the_code_emits_are_matched() -> None:
    emitted = code_facts.metric_label_values()
    unknown = []
    for where, metric, matchers in _selectors():
        for label, _op, value in MATCHER.findall(matchers):
            values = value.split("|")
            unknown += [(where, metric, label, v) for v in values if v not in emitted[metric]]
    assert unknown == []


def test_label_values_are_a_small_fixed_vocabulary() -> None:
    """No user, channel or run ids as label values: the series count stays bounded."""
    for metric, values in code_facts.metric_label_values().items():
        assert len(values) <= 20, metric
        assert all(re.fullmatch(r"[a-z_]+", v) for v in values), metric
