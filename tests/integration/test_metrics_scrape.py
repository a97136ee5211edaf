"""A real worker's /metrics says what its read API says, number for number."""

import json
import urllib.request
import uuid

import pytest
from prometheus_client.parser import text_string_to_metric_families

from harness import Ledger, processed, wait_for
from ledger.producer.client import LedgerProducer
from wire import raw_record, wire_event

SUMMARY_FIELDS = (
    "events",
    "meetings",
    "trainings",
    "officers_trained",
    "units_trained",
    "training_hours",
    "requests_fulfilled",
    "agencies_engaged",
)
QUANTILES = {"0.5": "turnaround_hours_p50", "0.9": "turnaround_hours_p90"}


def _event(event_type: str, **fields) -> dict:
    return wire_event(
        event_type, **{"occurred_at": "2025-05-02T09:00:00+00:00", **fields}
    )


def _training(**fields) -> dict:
    defaults = dict(
        course="OSINT", units=2, attendees=40, hours=6.5, delivery="virtual"
    )
    return _event("training_delivered", **{**defaults, **fields})


def _request(received_at: str, **fields) -> dict:
    defaults = dict(request_id="LER-9", request_type="seizure", received_at=received_at)
    return _event("request_fulfilled", **{**defaults, **fields})


VALID = [
    _event("meeting_held", participants=3),
    _event("meeting_held", participants=5, agency="National Police Agency"),
    _training(country="JP"),
    _request("2025-05-01T09:00:00+00:00"),
    _request("2025-05-02T03:00:00+00:00", request_type="emergency"),
    _event("meeting_held", region="EMEA", country="DE", agency="BKA", participants=2),
    _training(region="EMEA", country="NL", agency="Politie", attendees=1500, hours=12),
    _request("2025-04-30T09:00:00+00:00", region="AMER", country="US", agency="FBI"),
]


DUPLICATES = [
    raw_record(VALID[0]),
    raw_record({**VALID[2], "attendees": 999}),
    raw_record(VALID[5]),
]
BAD = [
    (b"APAC", b"{not json"),
    (b"APAC", b"{also not json"),
    raw_record({**VALID[0], "event_id": str(uuid.uuid4()), "participants": 0}),
    (b"EMEA", json.dumps({**VALID[1], "event_id": str(uuid.uuid4())}).encode()),
]
BAD_REASONS = {"not_json": 2, "invalid_field": 1, "key_mismatch": 1}


@pytest.fixture(scope="module")
def scraped(broker, tmp_path_factory):
    """One worker fed the events above; its /metrics and read API, once settled."""
    ledger = Ledger.fresh(broker.bootstrap, tmp_path_factory, "metrics")
    worker = ledger.start_worker()
    with LedgerProducer(broker.bootstrap, topic=ledger.topic) as producer:
        producer.publish_many(VALID)
    ledger.send_raw(DUPLICATES + BAD)
    total = len(VALID) + len(DUPLICATES) + len(BAD)
    wait_for(processed(worker, total), timeout=60)
    samples = scrape(worker.url + "/metrics")
    yield samples, worker.api("/api/v1/regions"), worker.api("/api/v1/stats")
    ledger.stop()


def scrape(url: str) -> dict[tuple[str, frozenset], float]:
    """Every sample, keyed by its name and its labels."""
    with urllib.request.urlopen(url, timeout=10) as response:
        text = response.read().decode()
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def named(samples: dict, name: str) -> dict[frozenset, float]:
    return {labels: value for (key, labels), value in samples.items() if key == name}


def labelled(**labels: str) -> frozenset:
    return frozenset(labels.items())


def assert_summary_exported(samples: dict, prefix: str, summary: dict, **scope):
    for field in SUMMARY_FIELDS:
        value = samples[(f"{prefix}_{field}", labelled(**scope))]
        assert value == pytest.approx(summary[field]), (prefix, field, scope)
    by_type = named(samples, f"{prefix}_requests_by_type")
    for request_type, count in summary["requests_by_type"].items():
        assert by_type[labelled(**scope, request_type=request_type)] == count
    turnaround = named(samples, f"{prefix}_turnaround_hours")
    for quantile, field in QUANTILES.items():
        expected = summary[field]
        got = turnaround.get(labelled(**scope, quantile=quantile))
        assert got == (None if expected is None else pytest.approx(expected))


def test_every_region_number_in_the_api_is_a_region_gauge(scraped):
    samples, regions, _ = scraped
    assert [row["region"] for row in regions["regions"]] == ["AMER", "APAC", "EMEA"]
    for row in regions["regions"]:
        assert_summary_exported(samples, "ledger_region", row, region=row["region"])


def test_region_gauges_carry_no_region_the_api_does_not_report(scraped):
    samples, regions, _ = scraped
    shown = {
        dict(labels)["region"] for labels in named(samples, "ledger_region_events")
    }
    assert shown == {row["region"] for row in regions["regions"]}


def test_every_total_in_the_api_is_a_total_gauge(scraped):
    samples, regions, _ = scraped
    assert_summary_exported(samples, "ledger_total", regions["totals"])


def test_totals_match_the_numbers_worked_out_by_hand(scraped):
    samples, _, _ = scraped
    assert samples[("ledger_total_officers_trained", labelled())] == 1540
    assert samples[("ledger_total_training_hours", labelled())] == 18.5
    assert samples[("ledger_total_agencies_engaged", labelled())] == 5
    p50 = samples[
        ("ledger_region_turnaround_hours", labelled(region="APAC", quantile="0.5"))
    ]
    assert p50 == pytest.approx(15.0, rel=0.01)


def test_a_region_without_requests_exports_no_turnaround(scraped):
    samples, _, _ = scraped
    turnaround = named(samples, "ledger_region_turnaround_hours")
    assert not [labels for labels in turnaround if ("region", "EMEA") in labels]


def test_record_counters_match_the_stats_and_what_was_sent(scraped):
    samples, _, stats = scraped
    accepted = samples[("ledger_records_accepted_total", labelled())]
    duplicates = samples[("ledger_records_duplicate_total", labelled())]
    assert (accepted, duplicates) == (stats["accepted"], stats["duplicates"])
    assert (accepted, duplicates) == (len(VALID), len(DUPLICATES))


def test_rejections_are_counted_by_reason_with_zero_for_the_rest(scraped):
    samples, _, stats = scraped
    rejected = {
        dict(labels)["reason"]: value
        for labels, value in named(samples, "ledger_records_rejected_total").items()
    }
    assert {r: n for r, n in rejected.items() if n} == stats["rejected_by_reason"]
    assert stats["rejected_by_reason"] == BAD_REASONS
    assert sum(rejected.values()) == stats["rejected"] == len(BAD)
    assert {"not_utf8", "too_large", "missing_field"} <= set(rejected)


def test_the_worker_reports_itself_up_and_ready(scraped):
    samples, _, _ = scraped
    assert samples[("ledger_worker_up", labelled())] == 1
    assert samples[("ledger_worker_ready", labelled())] == 1
    assert samples[("ledger_worker_partitions_assigned", labelled())] >= 1
