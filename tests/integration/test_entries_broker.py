"""The entries behind a figure, against a real broker and two real workers.

A generated stream over three years with corrections of every kind (amended
figures, events moved to another month or country, voids, a chain, a correction
that arrives before its event). For places and periods, the counted entries,
paged with a small cursor, add up to the figure the summary shows, and both equal
the independent recomputation of the events that still count."""

import csv
import io
import random
import urllib.parse
from datetime import datetime, timedelta
from uuid import uuid4

import pytest
from kafka import KafkaConsumer, TopicPartition
from test_csv import fetch

import reference
from harness import processed, wait_for
from ledger.producer.client import LedgerProducer
from period_events import period_events
from wire import wire_event

PLACES = (
    ({}, {}),
    ({"region": "APAC"}, {"period": "2025"}),
    ({"region": "EMEA", "country": "DE"}, {}),
    ({"region": "APAC", "country": "TW"}, {"period": "2026-H1"}),
    ({"region": "APAC", "country": "JP"}, {"from": "2024-11", "to": "2025-02"}),
    ({"region": "EMEA", "country": "FR"}, {"from": "2026-02"}),
)


def _stream(seed: int = 21) -> tuple[list[dict], dict[str, dict], dict[str, str]]:
    """(records in the order sent, the events that count by id, why each event
    that no longer counts stopped: the id of what superseded or voided it)."""
    rng = random.Random(seed)
    base = period_events(500, seed=seed)
    picked = rng.sample(base, 60)
    late, chained = picked[0], picked[1]
    corrections = [_amend(late, rng)]  # sent before the event it names
    corrections += [_amend(event, rng) for event in picked[2:35]]
    corrections += [_void(event) for event in picked[35:50]]
    second = _amend(chained, rng)
    corrections += [second, _amend(second, rng)]
    sent = [e for e in base if e is not late] + corrections + [late]
    counted = {e["event_id"]: e for e in sent if e["event_type"] != "event_voided"}
    stopped = {}
    for correction in corrections:
        target = correction.get("supersedes") or correction.get("voids")
        counted.pop(target)
        stopped[target] = correction["event_id"]
    return sent, counted, stopped


def _amend(original: dict, rng: random.Random) -> dict:
    """The same event corrected: other figures, another month, or another country."""
    fresh = {**original, "event_id": str(uuid4()), "supersedes": original["event_id"]}
    choice = rng.randrange(3)
    if choice == 0 and original["event_type"] == "training_delivered":
        fresh["attendees"] = original["attendees"] * 10 + 1
    elif choice == 1:
        moved = datetime.fromisoformat(original["occurred_at"]) + timedelta(days=40)
        fresh["occurred_at"] = moved.isoformat()
        if "received_at" in fresh:
            received = datetime.fromisoformat(original["received_at"])
            fresh["received_at"] = (received + timedelta(days=40)).isoformat()
    else:
        other = {"TW": "JP", "JP": "TW", "DE": "FR", "FR": "DE"}
        fresh["country"] = other[original["country"]]
    return fresh


def _void(original: dict) -> dict:
    return wire_event(
        "event_voided",
        region=original["region"],
        occurred_at="2026-09-01T00:00:00Z",
        voids=original["event_id"],
        reason=f"duplicate of a record in {original['country']}",
    )


SENT, COUNTED, STOPPED = _stream()


@pytest.fixture(scope="module")
def fed(broker, tmp_path_factory):
    from harness import Ledger

    ledger = Ledger.fresh(broker.bootstrap, tmp_path_factory, "entries")
    workers = [ledger.start_worker(), ledger.start_worker()]
    wait_for(lambda: workers[0].api("/api/v1/stats")["workers"] == 2, timeout=90)
    with LedgerProducer(broker.bootstrap, topic=ledger.topic) as producer:
        producer.publish_many(SENT)
    for worker in workers:
        wait_for(processed(worker, len(SENT)), timeout=120)
    wait_for(lambda: workers[1].api("/api/v1/stats")["corrections_waiting"] == 0)
    yield ledger, workers
    ledger.stop()


def _listing(worker, query: dict, limit: int = 37) -> list[dict]:
    """Every entry of a query, page by page."""
    rows, cursor = [], None
    while True:
        asked = {**query, "limit": limit, **({"cursor": cursor} if cursor else {})}
        answer = worker.api("/api/v1/entries?" + urllib.parse.urlencode(asked))
        assert answer["complete"] and len(answer["entries"]) <= limit
        rows += answer["entries"]
        cursor = answer["next_cursor"]
        if cursor is None:
            return rows


def _expected(place: dict, period: dict) -> list[dict]:
    from ledger.rules.periods import from_query

    chosen = from_query(period)
    events = list(COUNTED.values())
    if chosen is not None:
        events = reference.in_period(events, chosen.first, chosen.last)
    return [e for e in events if all(e[k] == v for k, v in place.items())]


def _as_event(row: dict) -> dict:
    """An entry as the recomputation reads events."""
    event = {**row}
    if row["event_type"] == "request_fulfilled":
        at = datetime.fromisoformat(row["occurred_at"])
        event["received_at"] = (
            at - timedelta(hours=row["turnaround_hours"])
        ).isoformat()
    return event


def _summary_of(worker, place: dict, period: dict) -> dict:
    query = "?" + urllib.parse.urlencode(period) if period else ""
    if "region" not in place:
        return worker.api("/api/v1/regions" + query)["totals"]
    detail = worker.api(f"/api/v1/regions/{place['region']}" + query)
    return detail["countries"][place["country"]] if "country" in place else detail


@pytest.mark.parametrize(("place", "period"), PLACES, ids=str)
def test_counted_entries_add_up_to_the_figure_and_to_the_recomputation(
    fed, place, period
):
    _, workers = fed
    for worker in workers:
        rows = _listing(worker, {**place, **period, "status": "counted"})
        expected = _expected(place, period)
        assert sorted(r["event_id"] for r in rows) == sorted(
            e["event_id"] for e in expected
        )
        figure = _summary_of(worker, place, period)
        reference.assert_summary_matches(figure, reference.summary(expected))
        reference.assert_summary_matches(
            figure, reference.summary(list(map(_as_event, rows)))
        )


def test_entries_are_newest_first_once_each_and_the_same_from_either_worker(fed):
    _, workers = fed
    everything = _listing(workers[0], {}, limit=53)
    assert everything == _listing(workers[1], {}, limit=200)
    order = [
        (
            datetime.fromisoformat(r["occurred_at"]),
            r["region"],
            r["country"],
            r["event_id"].replace("-", ""),
        )
        for r in everything
    ]
    assert order == sorted(order, reverse=True) and len(set(order)) == len(order)
    activities = [e for e in SENT if e["event_type"] != "event_voided"]
    assert len(everything) == len(activities)


def test_each_entry_says_what_corrected_it(fed):
    _, workers = fed
    rows = {
        r["event_id"]: r for r in _listing(workers[1], {"region": "APAC"}, limit=500)
    }
    apac = [
        e for e in SENT if e["region"] == "APAC" and e["event_type"] != "event_voided"
    ]
    for event in apac:
        row = rows[event["event_id"]]
        assert row["supersedes"] == event.get("supersedes")
        corrector = STOPPED.get(event["event_id"])
        if corrector is None:
            assert (row["status"], row["superseded_by"], row["voided_by"]) == (
                "counted",
                None,
                None,
            )
            continue
        if row["status"] == "voided":
            assert row["voided_by"] == corrector and row["void_reason"].startswith(
                "duplicate"
            )
        else:
            assert (row["status"], row["superseded_by"]) == ("superseded", corrector)
        last = {
            "offset": row["status_offset"],
            "status": row["status"],
            "by": corrector,
        }
        assert row["history"][-1] == last


def test_an_entry_names_the_record_it_came_from(fed):
    ledger, workers = fed
    rows = _listing(workers[0], {"region": "EMEA", "country": "FR"}, limit=500)[:12]
    consumer = KafkaConsumer(
        bootstrap_servers=ledger.bootstrap, enable_auto_commit=False
    )
    try:
        for row in rows:
            tp = TopicPartition(ledger.topic, row["partition"])
            consumer.assign([tp])
            consumer.seek(tp, row["offset"])
            record = next(iter(consumer.poll(timeout_ms=10_000, max_records=1)[tp]))
            assert record.offset == row["offset"]
            assert row["event_id"] in record.value.decode()
    finally:
        consumer.close()


def test_entries_as_csv_have_the_json_fields_and_the_place_in_the_name(fed):
    _, workers = fed
    worker = workers[0]
    query = {"region": "EMEA", "period": "2025"}
    rows = _listing(worker, query, limit=1000)
    url = (
        worker.url
        + "/api/v1/entries?"
        + urllib.parse.urlencode({**query, "format": "csv"})
    )
    status, headers, text = fetch(url)
    assert status == 200 and "Ledger-Next-Cursor" not in headers
    assert 'filename="ledger-entries-EMEA-2025.csv"' in headers["Content-Disposition"]
    read = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [r["event_id"] for r in read] == [r["event_id"] for r in rows]
    assert list(read[0]) == [name for name in rows[0] if name != "history"]
    for got, row in zip(read, rows, strict=True):
        assert got["status"] == row["status"] and int(got["offset"]) == row["offset"]
        assert got["superseded_by"] == (row["superseded_by"] or "")


def test_bad_entries_queries_are_400_with_the_reason(fed):
    _, workers = fed
    for query in (
        "event_type=lunch",
        "status=lost",
        "limit=0",
        "limit=5000",
        "cursor=not-one",
        "period=2026-13",
    ):
        status, body = workers[1].get(f"/api/v1/entries?{query}")
        assert status == 400 and body["error"], (query, body)
    assert workers[1].api("/api/v1/entries?region=LATAM")["entries"] == []


@pytest.mark.parametrize("period", [{}, {"period": "2025"}, {"from": "2025-11"}])
def test_an_agency_lists_its_events_under_any_spelling_as_the_figures_count_it(
    fed, period
):
    _, workers = fed
    query = {"region": "APAC", "agency": "BUREAU A", "status": "counted", **period}
    rows = _listing(workers[0], query, limit=29)
    expected = [
        e
        for e in _expected({"region": "APAC"}, period)
        if reference.agency(e) == "bureau a"
    ]
    assert {r["agency"] for r in rows} == {"Bureau A", "bureau  a"}
    order = [(r["occurred_at"], r["country"], r["event_id"]) for r in rows]
    assert order == sorted(order, reverse=True)
    assert [r["event_id"] for r in rows] == [
        r["event_id"] for r in _listing(workers[1], {**query, "limit": 1000})
    ]
    assert sorted(r["event_id"] for r in rows) == sorted(
        e["event_id"] for e in expected
    )
