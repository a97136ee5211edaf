"""The summaries as CSV through a real worker: the same rows and figures as the
JSON, asked for by Accept or ?format=csv; errors stay JSON."""

import csv
import io
import json
import urllib.error
import urllib.request

import pytest

from harness import processed, wait_for
from ledger.producer.client import LedgerProducer
from ledger.producer.demo import demo_batch


def fetch(url: str, accept: str | None = None) -> tuple[int, dict, str]:
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def as_cells(summary: dict) -> dict[str, str]:
    """A JSON row as the CSV writes it: flat, None empty, numbers as Python's."""
    cells = {}
    for name, value in summary.items():
        if isinstance(value, dict):
            cells.update({f"{name}.{k}": str(v) for k, v in value.items()})
        else:
            cells[name] = "" if value is None else str(value)
    return cells


@pytest.fixture(scope="module")
def worker(broker, tmp_path_factory):
    from harness import Ledger

    ledger = Ledger.fresh(broker.bootstrap, tmp_path_factory, "csv")
    started = ledger.start_worker()
    events = [e.model_dump(mode="json") for e in demo_batch(500, seed=31)]
    with LedgerProducer(ledger.bootstrap, topic=ledger.topic) as producer:
        producer.publish_many(events)
    wait_for(processed(started, len(events)), timeout=90)
    yield started
    ledger.stop()


def test_regions_csv_has_a_row_per_region_with_the_json_figures(worker):
    regions = worker.api("/api/v1/regions")
    status, headers, text = fetch(worker.url + "/api/v1/regions", "text/csv")
    assert status == 200
    assert headers["Content-Type"] == "text/csv; charset=utf-8"
    assert headers["Content-Disposition"] == 'attachment; filename="ledger-regions.csv"'
    assert headers["Ledger-Complete"] == "true" and headers["Ledger-As-Of"]
    assert rows(text) == [as_cells(region) for region in regions["regions"]]
    assert "requests_by_type.disclosure" in text.splitlines()[0]


def test_a_regions_countries_and_months_as_csv(worker):
    code = worker.api("/api/v1/regions")["regions"][0]["region"]
    detail = worker.api(f"/api/v1/regions/{code}")
    status, headers, text = fetch(f"{worker.url}/api/v1/regions/{code}?format=csv")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    expected = [
        as_cells({"region": code, "country": country, **summary})
        for country, summary in detail["countries"].items()
    ]
    assert rows(text) == expected
    months = worker.api(f"/api/v1/regions/{code}/months")["months"]
    _, headers, text = fetch(f"{worker.url}/api/v1/regions/{code}/months?format=csv")
    assert f'filename="ledger-{code}-months.csv"' in headers["Content-Disposition"]
    assert rows(text) == [as_cells({"region": code, **month}) for month in months]


def test_json_stays_the_default_and_can_be_asked_for_explicitly(worker):
    for query, accept in (("", None), ("", "*/*"), ("?format=json", "text/csv")):
        status, headers, text = fetch(f"{worker.url}/api/v1/regions{query}", accept)
        assert status == 200 and headers["Content-Type"] == "application/json"
        assert "totals" in json.loads(text)


def test_errors_stay_json_when_csv_is_asked(worker):
    status, headers, text = fetch(f"{worker.url}/api/v1/regions/NOWHERE", "text/csv")
    assert (status, headers["Content-Type"]) == (404, "application/json")
    assert json.loads(text)["region"] == "NOWHERE"
    status, headers, text = fetch(f"{worker.url}/api/v1/regions?format=xlsx")
    assert (status, headers["Content-Type"]) == (400, "application/json")
    assert "use csv or json" in json.loads(text)["error"]
