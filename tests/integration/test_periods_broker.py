"""Reporting periods against a real broker and two real workers: every figure of
every summary, for years, halves, quarters, months and from/to ranges (open ends
too), equals the independent recomputation of the published events of that
period, whichever worker is asked; agency months are gathered across workers,
recovered from their changelog (tombstones included) and checked by verify."""

import csv
import io
import shutil
import urllib.parse

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from kafka import KafkaProducer
from test_csv import fetch
from test_verify import run_verify

import reference
from exactness import assert_months
from harness import processed, wait_for
from ledger.producer.client import LedgerProducer
from ledger.rules import keys
from ledger.rules.periods import from_query
from period_events import PERIODS, period_events
from wire import raw_record

EVENTS = period_events(1500, seed=5)
RETRIED = EVENTS[:30]


@pytest.fixture(scope="module")
def fed(broker, tmp_path_factory):
    from harness import Ledger

    ledger = Ledger.fresh(broker.bootstrap, tmp_path_factory, "periods")
    workers = [ledger.start_worker(), ledger.start_worker()]
    wait_for(lambda: workers[0].api("/api/v1/stats")["workers"] == 2, timeout=90)
    with LedgerProducer(broker.bootstrap, topic=ledger.topic) as producer:
        producer.publish_many(EVENTS)
    ledger.send_raw([raw_record(e) for e in RETRIED])
    for worker in workers:
        wait_for(processed(worker, len(EVENTS) + len(RETRIED)), timeout=120)
    yield ledger, workers
    ledger.stop()


def _query(query: dict) -> str:
    return "?" + urllib.parse.urlencode(query)


def _within(query: dict, region=None, country=None) -> list[dict]:
    period = from_query(query)
    return [
        e
        for e in reference.in_period(EVENTS, period.first, period.last)
        if region in (None, e["region"]) and country in (None, e["country"])
    ]


@pytest.mark.parametrize("query", PERIODS, ids=str)
def test_every_summary_of_a_period_matches_the_recomputation(fed, query):
    _, workers = fed
    period = from_query(query)
    for worker in workers:
        answer = worker.api("/api/v1/regions" + _query(query))
        assert answer["period"] == period.as_json() and answer["complete"]
        reference.assert_summary_matches(
            answer["totals"], reference.summary(_within(query))
        )
        for row in answer["regions"]:
            own = _within(query, row["region"])
            reference.assert_summary_matches(row, reference.summary(own))
            detail = worker.api(f"/api/v1/regions/{row['region']}" + _query(query))
            reference.assert_summary_matches(detail, reference.summary(own))
            for code, summary in detail["countries"].items():
                theirs = _within(query, row["region"], code)
                reference.assert_summary_matches(summary, reference.summary(theirs))


@pytest.mark.parametrize("query", PERIODS, ids=str)
def test_month_series_of_regions_and_countries_keep_to_the_period(fed, query):
    _, workers = fed
    worker = workers[1]
    for region, country in (("APAC", "TW"), ("APAC", "JP"), ("EMEA", "DE")):
        months = worker.api(f"/api/v1/regions/{region}/months" + _query(query))
        assert_months(months["months"], reference.months(_within(query, region)))
        path = f"/api/v1/regions/{region}/countries/{country}/months"
        series = worker.api(path + _query(query))
        assert series["period"] == from_query(query).as_json()
        assert_months(
            series["months"], reference.months(_within(query, region, country))
        )


months = st.builds(
    lambda year, month: f"{year}-{month:02d}",
    st.integers(2024, 2026),
    st.integers(1, 12),
)
named = st.builds(
    lambda year, part: {"period": f"{year}{part}"},
    st.integers(2024, 2026),
    st.sampled_from(["", "-H1", "-H2", "-Q1", "-Q2", "-Q3", "-Q4", "-05", "-11"]),
)
ranges = st.tuples(st.none() | months, st.none() | months).filter(
    lambda ends: any(ends) and (None in ends or ends[0] <= ends[1])
)


@settings(max_examples=20, deadline=None)
@given(st.one_of(named, ranges.map(lambda e: {"from": e[0], "to": e[1]})))
def test_random_periods_match_the_recomputation(fed, query):
    _, workers = fed
    query = {name: value for name, value in query.items() if value}
    answer = workers[0].api("/api/v1/regions" + _query(query))
    reference.assert_summary_matches(
        answer["totals"], reference.summary(_within(query))
    )
    for row in answer["regions"]:
        own = reference.summary(_within(query, row["region"]))
        reference.assert_summary_matches(row, own)


def test_all_time_is_unchanged_and_says_so(fed):
    _, workers = fed
    answer = workers[0].api("/api/v1/regions")
    assert answer["period"] is None
    expected = reference.accepted(EVENTS)
    reference.assert_summary_matches(answer["totals"], reference.summary(expected))
    series = workers[0].api("/api/v1/regions/EMEA/countries/FR/months")
    assert_months(
        series["months"], reference.months(_within({"to": "9999-12"}, "EMEA", "FR"))
    )


def test_bad_periods_are_400_with_a_json_error(fed):
    _, workers = fed
    for query in (
        "period=2026-13",
        "period=2026-Q5",
        "from=2026-06&to=2026-01",
        "period=2026&from=2026-01",
        "to=26-01",
    ):
        for path in (
            "/api/v1/regions",
            "/api/v1/regions/APAC",
            "/api/v1/regions/APAC/countries/TW/months",
        ):
            status, body = workers[0].get(f"{path}?{query}")
            assert status == 400 and body["error"], (path, query, body)


def test_unknown_places_are_404_and_known_ones_empty_in_a_quiet_period(fed):
    _, workers = fed
    status, body = workers[0].get("/api/v1/regions/APAC/countries/DE/months")
    assert status == 404 and body["country"] == "DE"
    status, _ = workers[0].get("/api/v1/regions/LATAM?period=2025")
    assert status == 404
    quiet = workers[0].api("/api/v1/regions/APAC?period=2023")
    assert (quiet["events"], quiet["agencies_engaged"]) == (0, 0)
    assert sorted(quiet["countries"]) == ["JP", "TW"]


def test_agency_months_travel_only_for_a_period_and_only_its_months(fed):
    _, workers = fed
    plain = workers[0].api("/api/v1/internal/state")["partitions"]
    assert all("agency_months" not in copy for copy in plain.values())
    asked = workers[0].api("/api/v1/internal/state?from=2025-03&to=2025-05")
    months = {
        keys.agency_month_place(key)[0]
        for copy in asked["partitions"].values()
        for key in copy["agency_months"]
    }
    assert months == {"2025-03", "2025-04", "2025-05"}


def test_period_csv_has_the_json_rows_and_the_period_in_its_name(fed):
    _, workers = fed
    worker = workers[0]
    query = {"from": "2025-01", "to": "2025-06"}
    detail = worker.api("/api/v1/regions/EMEA" + _query(query))
    url = worker.url + "/api/v1/regions/EMEA" + _query({**query, "format": "csv"})
    status, headers, text = fetch(url)
    assert status == 200
    disposition = 'attachment; filename="ledger-EMEA-countries-2025-01-to-2025-06.csv"'
    assert headers["Content-Disposition"] == disposition
    assert headers["Ledger-Period"] == "2025-01..2025-06"
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [r["country"] for r in rows] == sorted(detail["countries"])
    for row in rows:
        assert int(row["events"]) == detail["countries"][row["country"]]["events"]
        assert (
            int(row["agencies_engaged"])
            == (detail["countries"][row["country"]]["agencies_engaged"])
        )
    path = "/api/v1/regions/APAC/countries/TW/months?period=2025-Q2&format=csv"
    status, headers, text = fetch(worker.url + path)
    assert (
        'filename="ledger-APAC-TW-months-2025-Q2.csv"' in headers["Content-Disposition"]
    )
    assert [r["month"] for r in csv.DictReader(io.StringIO(text))] == [
        m["month"] for m in worker.api(path.replace("&format=csv", ""))["months"]
    ]


def test_a_tombstoned_agency_month_is_gone_after_recovery_and_verify_sees_it(fed):
    """Last: it stops both workers. The tombstone is what a later correction writes
    when an agency's last counted event of a month is retracted."""
    ledger, workers = fed
    clean = run_verify(ledger, "--url", workers[0].url)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    partition, key = _an_agency_month(workers[0])
    month, where = keys.agency_month_place(key)
    path = f"/api/v1/regions/{where.region}?period={month}"
    before = workers[0].api(path)["countries"][where.country]["agencies_engaged"]
    for worker in workers:
        worker.stop()
    producer = KafkaProducer(bootstrap_servers=ledger.bootstrap, acks="all")
    topic = f"{ledger.app_id}-agency_months-changelog"
    producer.send(topic, key=orjson.dumps(key), value=None, partition=partition).get(30)
    producer.close()
    for worker in workers:
        shutil.rmtree(worker.home / ledger.app_id)
        worker.start(ready_timeout=None)
    for worker in workers:
        wait_for(worker.ready, timeout=120)
    after = workers[1].api(path)["countries"][where.country]["agencies_engaged"]
    assert after == before - 1
    caught = run_verify(ledger, "--url", workers[1].url)
    assert caught.returncode == 1, caught.stdout + caught.stderr
    assert f"agency_months[{key}]: ledger (absent), recomputed present" in caught.stdout


def _an_agency_month(worker) -> tuple[int, str]:
    share = worker.api("/api/v1/internal/state?period=2025")["partitions"]
    partition, copy = next(
        (p, c) for p, c in share.items() if c["role"] == "active" and c["agency_months"]
    )
    return int(partition), copy["agency_months"][0]
