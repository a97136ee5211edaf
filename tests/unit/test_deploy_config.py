"""The Grafana board and Prometheus config match what the ledger actually exports."""

import json
import re
from pathlib import Path

import pytest
from exported_metrics import every_series_exported

from ledger.config import Settings

DEPLOY = Path(__file__).parents[2] / "deploy"
BOARD = DEPLOY / "grafana" / "partnership-ledger.dashboard.json"
PROMETHEUS = DEPLOY / "prometheus" / "prometheus.yml"
METRIC_NAME = re.compile(r"\bledger_[A-Za-z0-9_]+")


def board_panels() -> list[dict]:
    board = json.loads(BOARD.read_text())
    top = board["panels"]
    return [p for panel in top for p in (panel, *panel.get("panels", []))]


def board_queries() -> list[str]:
    board = json.loads(BOARD.read_text())
    exprs = [t["expr"] for p in board_panels() for t in p.get("targets", [])]
    variables = [
        v["definition"] for v in board["templating"]["list"] if "definition" in v
    ]
    return exprs + variables


def test_every_metric_on_the_board_is_one_the_ledger_exports():
    exported = every_series_exported()
    referenced = {name for q in board_queries() for name in METRIC_NAME.findall(q)}
    assert referenced, "the board queries no ledger metrics at all"
    assert referenced - exported == set()


def test_every_board_panel_queries_the_ledger():
    for panel in board_panels():
        if panel["type"] == "row":
            continue
        exprs = [t["expr"] for t in panel["targets"]]
        assert any(METRIC_NAME.search(e) for e in exprs), panel["title"]


def test_every_panel_uses_the_datasource_variable():
    uids = {p["datasource"]["uid"] for p in board_panels() if "datasource" in p}
    assert uids == {"${DS_PROMETHEUS}"}


def test_prometheus_scrapes_each_worker_web_port_at_metrics():
    text = PROMETHEUS.read_text()
    assert "job_name: partnership-ledger" in text
    assert "metrics_path: /metrics" in text
    port = Settings.model_fields["web_port"].default
    targets = re.findall(r"-\s+([\w.-]+:\d+)", text)
    assert targets
    assert {target.rsplit(":", 1)[1] for target in targets} == {str(port)}


def test_prometheus_config_is_valid_yaml():
    yaml = pytest.importorskip("yaml", reason="PyYAML not installed")
    config = yaml.safe_load(PROMETHEUS.read_text())
    (job,) = config["scrape_configs"]
    assert job["job_name"] == "partnership-ledger"
    assert job["metrics_path"] == "/metrics"
    assert job["static_configs"][0]["targets"]
