#!/usr/bin/env python3
"""Checks deploy/: the Grafana dashboard is valid JSON with a query in every panel, the alert
rules are valid Prometheus rule YAML, and every metric either names is exported by the live
server whose /metrics URL is the argument.

    scripts/check-deploy.py http://127.0.0.1:9464/metrics
"""
import json
import pathlib
import re
import sys
import urllib.request

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
DASHBOARD = ROOT / "deploy/grafana/skyclust-dashboard.json"
ALERTS = ROOT / "deploy/prometheus/skyclust-alerts.yml"
METRIC = re.compile(r"\b((?:skyclust|process)_[a-z0-9_]+)\b")
# The sample names each metric type exposes, from its `# TYPE` name.
SUFFIXES = {
    "counter": ["_total"],
    "histogram": ["_bucket", "_count", "_sum"],
    "info": ["_info"],
    "gauge": [""],
}


def exported(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        kind = response.headers.get("Content-Type", "")
        text = response.read().decode()
    assert kind.startswith("application/openmetrics-text"), kind
    assert text.endswith("# EOF\n"), "the exposition does not end with # EOF"
    names = set()
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ", 3)
            names.update(name + suffix for suffix in SUFFIXES.get(kind, [""]))
    return names


def queries():
    dashboard = json.loads(DASHBOARD.read_text())
    assert dashboard.get("uid") and dashboard.get("title"), "the dashboard needs a uid and a title"
    panels = dashboard["panels"]
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
            assert rule.get("labels", {}).get("severity"), f"{rule['alert']} has no severity"
            assert rule.get("annotations", {}).get("summary"), f"{rule['alert']} has no summary"
            yield f"alert {rule['alert']}", rule["expr"]


def main():
    names = exported(sys.argv[1])
    missing = []
    count = 0
    for where, expression in queries():
        for metric in METRIC.findall(expression):
            count += 1
            if metric not in names:
                missing.append(f"{where}: {metric}")
    if missing:
        print("not exported by the server:\n  " + "\n  ".join(missing), file=sys.stderr)
        sys.exit(1)
    print(f"deploy/: dashboard and alert rules valid; all {count} metric references are exported")


if __name__ == "__main__":
    main()
