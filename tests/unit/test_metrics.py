"""The Prometheus exposition says what the read API says, in Prometheus' words."""

import pytest
from prometheus_client.parser import text_string_to_metric_families

from ledger.read.metrics import REJECTION_REASONS, exposition


def summary(**overrides) -> dict:
    base = {
        "events": 12,
        "meetings": 4,
        "trainings": 3,
        "officers_trained": 85,
        "units_trained": 5,
        "training_hours": 22.5,
        "requests_fulfilled": 5,
        "requests_by_type": {
            "disclosure": 3,
            "freeze": 1,
            "seizure": 0,
            "emergency": 1,
            "other": 0,
        },
        "turnaround_hours_p50": 6.5,
        "turnaround_hours_p90": 40.0,
        "agencies_engaged": 7,
        "first_event_at": "2026-11-01T00:00:00Z",
        "last_event_at": "2026-11-21T05:00:00Z",
    }
    return base | overrides


def stats(**overrides) -> dict:
    base = {
        "accepted": 14,
        "duplicates": 2,
        "rejected": 3,
        "rejected_by_reason": {"not_json": 2, "missing_field": 1},
        "recent_rejections": [],
        "last_processed_at": "2026-11-21T05:59:58Z",
        "as_of": "2026-11-21T06:00:00Z",
        "lag": 4,
        "workers": 2,
    }
    return base | overrides


WORKER = {"partitions_assigned": 3, "uptime_seconds": 125.5, "ready": True}


def scrape(regions: list[dict] | None = None, totals=None, **stat_overrides) -> dict:
    """Render, parse back, and index samples by (name, sorted labels)."""
    regions = regions if regions is not None else [summary(region="APAC")]
    payload = {"regions": regions, "totals": totals or summary()}
    body, _ = exposition(payload, stats(**stat_overrides), WORKER)
    families = text_string_to_metric_families(body.decode())
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in families
        for s in family.samples
    }


def test_content_type_is_prometheus_text():
    _, content_type = exposition({"regions": [], "totals": summary()}, stats(), WORKER)
    assert content_type.startswith("text/plain")


def test_each_region_number_is_a_gauge_labelled_by_region():
    samples = scrape([summary(region="APAC"), summary(region="EMEA", meetings=9)])
    assert samples[("ledger_region_meetings", (("region", "EMEA"),))] == 9
    assert samples[("ledger_region_officers_trained", (("region", "APAC"),))] == 85
    assert samples[("ledger_region_training_hours", (("region", "APAC"),))] == 22.5


def test_totals_carry_no_region_label():
    samples = scrape(totals=summary(requests_fulfilled=31))
    assert samples[("ledger_total_requests_fulfilled", ())] == 31
    assert samples[("ledger_total_agencies_engaged", ())] == 7


def test_requests_by_type_has_one_series_per_type():
    samples = scrape()
    key = (
        "ledger_region_requests_by_type",
        (("region", "APAC"), ("request_type", "freeze")),
    )
    assert samples[key] == 1
    assert (
        samples[("ledger_total_requests_by_type", (("request_type", "seizure"),))] == 0
    )


def test_turnaround_quantiles_are_exported_and_nulls_skipped():
    samples = scrape([summary(region="APAC", turnaround_hours_p90=None)])
    apac = (("quantile", "0.5"), ("region", "APAC"))
    assert samples[("ledger_region_turnaround_hours", apac)] == 6.5
    p90 = (("quantile", "0.9"), ("region", "APAC"))
    assert ("ledger_region_turnaround_hours", p90) not in samples


def test_every_known_rejection_reason_is_a_series_even_at_zero():
    samples = scrape()
    rejected = {
        dict(labels)["reason"]: value
        for (name, labels), value in samples.items()
        if name == "ledger_records_rejected_total"
    }
    assert set(rejected) == set(REJECTION_REASONS)
    assert rejected["not_json"] == 2
    assert rejected["too_large"] == 0


def test_record_counters_use_the_total_suffix():
    samples = scrape()
    assert samples[("ledger_records_accepted_total", ())] == 14
    assert samples[("ledger_records_duplicate_total", ())] == 2


def test_event_age_is_answer_time_minus_newest_event():
    samples = scrape()
    assert samples[("ledger_event_age_seconds", ())] == pytest.approx(3600)
    assert samples[("ledger_last_processed_timestamp_seconds", ())] == pytest.approx(
        1795240798
    )


def test_unknown_lag_and_empty_ledger_leave_their_gauges_out():
    empty = summary(events=0, last_event_at=None, first_event_at=None)
    samples = scrape([], totals=empty, lag=None, last_processed_at=None)
    names = {name for name, _ in samples}
    assert "ledger_consumer_lag_records" not in names
    assert "ledger_event_age_seconds" not in names
    assert "ledger_last_processed_timestamp_seconds" not in names
    assert "ledger_region_events" not in names


def test_worker_gauges_describe_this_worker():
    samples = scrape()
    assert samples[("ledger_worker_up", ())] == 1
    assert samples[("ledger_worker_ready", ())] == 1
    assert samples[("ledger_worker_partitions_assigned", ())] == 3
    assert samples[("ledger_worker_uptime_seconds", ())] == 125.5


def test_rendering_twice_never_registers_a_metric_twice():
    first, _ = exposition({"regions": [], "totals": summary()}, stats(), WORKER)
    second, _ = exposition({"regions": [], "totals": summary()}, stats(), WORKER)
    assert first == second
