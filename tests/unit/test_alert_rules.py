"""deploy/prometheus/alerts.yml: the alerts the runbook names, on metrics the ledger
really exports, and (with promtool) firing when they should."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from exported_metrics import every_series_exported

DEPLOY = Path(__file__).parents[2] / "deploy"
PROMETHEUS = DEPLOY / "prometheus"
RUNBOOK = DEPLOY / "README.md"
REQUIRED = {
    "LedgerConsumerLagGrowing",
    "LedgerWorkerDown",
    "LedgerRejectionsRising",
    "LedgerNoEvents",
}
# PromQL's own words the rules use; any other name must be a metric.
PROMQL = {"max", "min", "sum", "by", "and", "or", "absent", "time", "delta", "deriv"}
SCRAPE_HEALTH = {"up"}  # Prometheus's own series about each scrape


def rules() -> list[dict]:
    groups = yaml.safe_load((PROMETHEUS / "alerts.yml").read_text())["groups"]
    return [rule for group in groups for rule in group["rules"]]


def names_in(expr: str) -> set[str]:
    """Metric and function names: label matchers, strings and ranges left out."""
    bare = re.sub(r'"[^"]*"|\{[^}]*\}|\[[^\]]*\]|by \([^)]*\)', " ", expr)
    return set(re.findall(r"\b[a-zA-Z_:][a-zA-Z0-9_:]*", bare))


def test_the_alerts_the_runbook_promises_are_there():
    assert {rule["alert"] for rule in rules()} >= REQUIRED


def test_alert_rules_query_only_metrics_the_ledger_exports():
    exported = every_series_exported()
    for rule in rules():
        unknown = names_in(rule["expr"]) - PROMQL - SCRAPE_HEALTH - exported
        assert unknown == set(), rule["alert"]


def test_scrape_health_rules_watch_the_ledger_job():
    config = yaml.safe_load((PROMETHEUS / "prometheus.yml").read_text())
    (job,) = config["scrape_configs"]
    for rule in rules():
        for selector in re.findall(r"\bup(\{[^}]*\})?", rule["expr"]):
            assert selector == f'{{job="{job["job_name"]}"}}', rule["alert"]


def anchors(markdown: str) -> set[str]:
    """GitHub's anchors for the headings of a Markdown file."""
    headings = re.findall(r"^#+ (.+)$", markdown, re.M)
    slugs = (re.sub(r"[^\w\- ]", "", h).strip().lower() for h in headings)
    return {slug.replace(" ", "-") for slug in slugs}


def test_every_alert_has_a_severity_a_summary_and_a_runbook_section():
    sections = anchors(RUNBOOK.read_text())
    for rule in rules():
        assert rule["labels"]["severity"] in ("page", "ticket"), rule["alert"]
        assert rule["annotations"]["summary"], rule["alert"]
        page, anchor = rule["annotations"]["runbook"].split("#")
        assert page == "deploy/README.md" and anchor in sections, rule["alert"]


def promtool() -> str:
    found = shutil.which("promtool") or Path(sys.executable).with_name("promtool")
    if not Path(found).exists():
        pytest.skip("promtool is not installed (make test unpacks Debian's)")
    return str(found)


def test_promtool_accepts_the_config_and_its_rules():
    checked = subprocess.run(
        [promtool(), "check", "config", str(PROMETHEUS / "prometheus.yml")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_alerts_fire_when_they_should_and_stay_quiet_otherwise():
    """deploy/prometheus/alerts.test.yml: series in, alerts out, minute by minute."""
    tested = subprocess.run(
        [promtool(), "test", "rules", "alerts.test.yml"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=PROMETHEUS,
    )
    assert tested.returncode == 0, tested.stdout + tested.stderr
