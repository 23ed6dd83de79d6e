#!/usr/bin/env python3
"""Checks deploy/ loads: the Grafana dashboard as JSON with a query in every panel, the alert
rules as YAML in Prometheus's rule-file shape (every rule named, with an expression, a severity
and a summary). The PromQL itself is not parsed. That every metric they name is exported is the
server's unit test `metrics::tests::every_metric_the_dashboard_and_alert_rules_name_is_exported`
(a family with no sample yet is absent from a live exposition, so a live server cannot say).

    scripts/check-deploy.py
"""
import json
import pathlib

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
DASHBOARD = ROOT / "deploy/grafana/skyclust-dashboard.json"
ALERTS = ROOT / "deploy/prometheus/skyclust-alerts.yml"


def queries():
    dashboard = json.loads(DASHBOARD.read_text())
    assert dashboard.get("uid") and dashboard.get("title"), "the dashboard needs a uid and a title"
    # Rows hold panels of their own.
    panels = [p for top in dashboard["panels"] for p in [top, *top.get("panels", [])] if p.get("type") != "row"]
    assert panels, "the dashboard has no panels"
    for panel in panels:
        targets = panel.get("targets") or []
        assert targets, f"panel {panel.get('title')!r} has no query"
        for target in targets:
            yield f"dashboard panel {panel['title']!r}", target["expr"]
    rules = yaml.safe_load(ALERTS.read_text())
    for group in rules["groups"]:
        assert group.get("name"), "a rule group needs a name"
        for rule in group["rules"]:
            assert rule.get("alert"), f"a rule of {group['name']} has no alert name"
            assert rule.get("expr"), f"{rule['alert']} has no expression"
            assert rule.get("labels", {}).get("severity"), f"{rule['alert']} has no severity"
            assert rule.get("annotations", {}).get("summary"), f"{rule['alert']} has no summary"
            yield f"alert {rule['alert']}", rule["expr"]


def main():
    count = sum(1 for _, expression in queries() if expression.strip())
    print(f"deploy/: the dashboard and the alert rules load; {count} queries")


if __name__ == "__main__":
    main()
