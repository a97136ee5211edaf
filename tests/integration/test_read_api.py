"""Events published through the producer library and as raw records end up in the
read API exactly as the aggregation semantics say; bad records go to the DLQ."""

import json

import pytest
from kafka import KafkaConsumer

import reference
from harness import processed, wait_for
from ledger.producer.client import LedgerProducer
from wire import raw_record, wire_event


def _event(event_type: str, **fields) -> dict:
    return wire_event(
        event_type, **{"occurred_at": "2025-03-14T10:30:00+08:00", **fields}
    )


def _meeting(**fields) -> dict:
    return _event("meeting_held", **{"participants": 4, **fields})


def _training(**fields) -> dict:
    defaults = dict(course="Crypto tracing", units=3, attendees=120, hours=7.5)
    return _event("training_delivered", delivery="hybrid", **{**defaults, **fields})


def _request(**fields) -> dict:
    defaults = dict(request_id="LER-1", request_type="disclosure")
    defaults["received_at"] = "2025-03-13T10:30:00+08:00"
    return _event("request_fulfilled", **{**defaults, **fields})


VALID = [
    _meeting(),
    _meeting(agency="  criminal   INVESTIGATION bureau ", participants=2),
    _meeting(region="EMEA", country="DE", agency="Bundeskriminalamt"),
    _training(country="JP", agency="National Police Agency"),
    _training(occurred_at="2025-04-01T01:00:00+09:00", units=11, attendees=1000),
    _training(region="EMEA", country="FR", agency="Gendarmerie", hours=40),
    _request(),
    _request(request_type="freeze", received_at="2025-03-14T08:30:00+08:00"),
    _request(request_type="emergency", received_at="2025-03-14T10:30:00+08:00"),
    _request(region="AMER", country="BR", agency="Policia Federal"),
]


def _bad(reason: str) -> tuple[bytes | None, bytes | None]:
    good = _meeting()
    cases = {
        "not_json": (b"APAC", b"{not json"),
        "not_utf8": (b"APAC", b'{"agency": "\xff\xfe"}'),
        "not_object": (b"APAC", b"[1, 2, 3]"),
        "missing_field": raw_record({k: v for k, v in good.items() if k != "agency"}),
        "invalid_field": raw_record({**good, "participants": 0}),
        "unknown_event_type": raw_record({**good, "event_type": "dinner_eaten"}),
        "unsupported_schema_version": raw_record({**good, "schema_version": 2}),
        "too_large": raw_record({**good, "topics": ["x" * 70_000]}),
        "key_mismatch": (b"EMEA", json.dumps(good).encode()),
    }
    return cases[reason]


REASONS = [
    "not_json",
    "not_utf8",
    "not_object",
    "missing_field",
    "invalid_field",
    "unknown_event_type",
    "unsupported_schema_version",
    "too_large",
    "key_mismatch",
]
BAD = {reason: _bad(reason) for reason in REASONS}


@pytest.fixture(scope="module")
def fed(broker, tmp_path_factory):
    """One worker fed the known events, duplicates and one record of each bad kind."""
    from harness import Ledger

    ledger = Ledger.fresh(broker.bootstrap, tmp_path_factory, "api")
    worker = ledger.start_worker()
    with LedgerProducer(broker.bootstrap, topic=ledger.topic) as producer:
        producer.publish_many(VALID[:6])
    duplicates = [
        raw_record(VALID[0]),
        raw_record(VALID[3]),
        raw_record({**VALID[1], "participants": 9}),
    ]
    ledger.send_raw([raw_record(e) for e in VALID[6:]] + duplicates)
    ledger.send_raw(list(BAD.values()))
    total = len(VALID) + len(duplicates) + len(REASONS)
    stats = wait_for(processed(worker, total), timeout=60)
    yield ledger, worker, stats
    ledger.stop()


def test_every_record_is_accounted_for_once(fed):
    _, _, stats = fed
    assert (stats["accepted"], stats["duplicates"], stats["rejected"]) == (10, 3, 9)


def test_each_bad_record_is_counted_by_its_reason(fed):
    _, _, stats = fed
    assert stats["rejected_by_reason"] == dict.fromkeys(sorted(REASONS), 1)
    assert {r["reason"] for r in stats["recent_rejections"]} == set(REASONS)


def test_regions_and_totals_follow_the_semantics(fed):
    _, worker, _ = fed
    answer = worker.api("/api/v1/regions")
    expected = reference.by(VALID, "region")
    assert [r["region"] for r in answer["regions"]] == sorted(expected)
    for row in answer["regions"]:
        reference.assert_summary_matches(
            row, reference.summary(expected[row["region"]])
        )
    reference.assert_summary_matches(answer["totals"], reference.summary(VALID))


def test_same_agency_spelled_differently_is_one_agency(fed):
    _, worker, _ = fed
    apac = worker.api("/api/v1/regions/APAC")
    assert apac["countries"]["TW"]["agencies_engaged"] == 1


def test_region_has_a_country_breakdown(fed):
    _, worker, _ = fed
    apac = worker.api("/api/v1/regions/APAC")
    apac_events = reference.by(VALID, "region")["APAC"]
    countries = reference.by(apac_events, "country")
    assert sorted(apac["countries"]) == sorted(countries)
    for code, events in countries.items():
        reference.assert_summary_matches(
            apac["countries"][code], reference.summary(events)
        )


def test_known_numbers_by_hand(fed):
    _, worker, _ = fed
    apac = worker.api("/api/v1/regions/APAC")
    assert apac["officers_trained"] == 1120
    assert apac["training_hours"] == 15.0
    assert apac["requests_by_type"]["freeze"] == 1
    assert apac["turnaround_hours_p50"] == pytest.approx(2.0, rel=0.01)
    assert apac["first_event_at"] == "2025-03-14T02:30:00Z"


def test_months_are_calendar_months_in_utc(fed):
    _, worker, _ = fed
    answer = worker.api("/api/v1/regions/APAC/months")
    apac_events = reference.by(VALID, "region")["APAC"]
    assert answer["region"] == "APAC"
    assert [m["month"] for m in answer["months"]] == ["2025-03"]
    assert answer["months"] == reference.months(apac_events)


def test_unknown_region_is_a_404_with_a_json_error(fed):
    _, worker, _ = fed
    for path in ("/api/v1/regions/NOWHERE", "/api/v1/regions/NOWHERE/months"):
        status, body = worker.get(path)
        assert status == 404
        assert body["region"] == "NOWHERE" and "error" in body


def test_rejected_records_are_kept_in_the_dead_letter_topic(fed):
    ledger, _, _ = fed
    consumer = KafkaConsumer(
        f"{ledger.topic}.dlq",
        bootstrap_servers=ledger.bootstrap,
        auto_offset_reset="earliest",
        consumer_timeout_ms=10_000,
    )
    kept = {}
    for record in consumer:
        headers = dict(record.headers)
        kept[headers["ledger-reason"].decode()] = (record.key, record.value)
        if len(kept) == len(REASONS):
            break
    consumer.close()
    assert kept == BAD
