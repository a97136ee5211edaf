"""The read API's answers for a period, with no broker: the ledger's own recount of
a log (``verify.recount``), gathered as the read side gathers it, against the
independent recomputation of the events filtered by period."""

import json

import pytest
from verify_fakes import share

import reference
from exactness import assert_months
from ledger.read import answers, csv_answers
from ledger.rules.periods import from_query
from ledger.verify.compare import compare_partition
from ledger.verify.rebuilt import recomputed_state
from ledger.verify.recount import PartitionRecount
from period_events import PERIODS, period_events

EVENTS = period_events(600, seed=8)


@pytest.fixture(scope="module")
def state():
    recounts = {p: PartitionRecount(p) for p in range(2)}
    for offset, event in enumerate(EVENTS):
        record = (event["region"].encode(), json.dumps(event).encode())
        recounts[offset % 2].apply(*record, offset)
    return recomputed_state(recounts)


def _within(query: dict) -> list[dict]:
    period = from_query(query)
    return reference.in_period(EVENTS, period.first, period.last)


@pytest.mark.parametrize("query", PERIODS, ids=str)
def test_every_region_and_country_summary_is_the_periods(state, query):
    period, events = from_query(query), _within(query)
    answer = answers.regions(state, period)
    assert answer["period"] == period.as_json()
    reference.assert_summary_matches(answer["totals"], reference.summary(events))
    assert [r["region"] for r in answer["regions"]] == ["APAC", "EMEA"]
    for code in ("APAC", "EMEA"):
        own = [e for e in events if e["region"] == code]
        detail = answers.region(state, code, period)
        reference.assert_summary_matches(detail, reference.summary(own))
        for country, summary in detail["countries"].items():
            theirs = [e for e in own if e["country"] == country]
            reference.assert_summary_matches(summary, reference.summary(theirs))


@pytest.mark.parametrize("query", PERIODS, ids=str)
def test_month_series_hold_only_the_periods_months(state, query):
    period, events = from_query(query), _within(query)
    for code, country in (("APAC", "TW"), ("EMEA", "FR")):
        own = [e for e in events if e["region"] == code]
        months = answers.months(state, code, period)["months"]
        assert_months(months, reference.months(own))
        theirs = [e for e in own if e["country"] == country]
        series = answers.country_months(state, code, country, period)
        assert (series["region"], series["country"]) == (code, country)
        assert_months(series["months"], reference.months(theirs))


def test_a_period_without_events_shows_zeros_for_known_places(state):
    period = from_query({"period": "2023"})
    detail = answers.region(state, "APAC", period)
    assert detail["events"] == 0 and detail["agencies_engaged"] == 0
    assert sorted(detail["countries"]) == ["JP", "TW"]
    assert detail["first_event_at"] is None and detail["turnaround_hours_p50"] is None
    assert answers.months(state, "APAC", period)["months"] == []


def test_places_never_recorded_are_not_found_in_any_period(state):
    period = from_query({"period": "2025"})
    assert answers.region(state, "LATAM", period) is None
    assert answers.months(state, "LATAM", period) is None
    assert answers.country_months(state, "APAC", "DE", period) is None
    assert answers.country_months(state, "APAC", "DE") is None


def test_all_time_carries_a_null_period_and_the_same_figures(state):
    answer = answers.region(state, "EMEA")
    assert answer["period"] is None
    own = [e for e in EVENTS if e["region"] == "EMEA"]
    reference.assert_summary_matches(answer, reference.summary(own))


def test_a_seasonal_agency_counts_only_in_its_months(state):
    feb = answers.regions(state, from_query({"period": "2025-02"}))["totals"]
    july = answers.regions(state, from_query({"period": "2025-07"}))["totals"]
    in_feb = {reference.agency(e) for e in _within({"period": "2025-02"})}
    assert "unit c" in in_feb and feb["agencies_engaged"] == len(in_feb)
    in_july = {reference.agency(e) for e in _within({"period": "2025-07"})}
    assert "unit c" not in in_july and july["agencies_engaged"] == len(in_july)


def test_csv_file_names_carry_the_period(state):
    for query, name in (
        ({}, "ledger-regions.csv"),
        ({"period": "2026-Q1"}, "ledger-regions-2026-Q1.csv"),
        ({"from": "2025-01", "to": "2025-06"}, "ledger-regions-2025-01-to-2025-06.csv"),
        ({"from": "2025-01"}, "ledger-regions-from-2025-01.csv"),
        ({"to": "2025-06"}, "ledger-regions-until-2025-06.csv"),
    ):
        period = from_query(query)
        assert csv_answers.regions(answers.regions(state, period))[0] == name
    series = answers.country_months(state, "APAC", "TW", from_query({"period": "2025"}))
    name, text = csv_answers.country_months(series)
    assert name == "ledger-APAC-TW-months-2025.csv"
    assert text.splitlines()[0].startswith("region,country,month,meetings")
    assert len(text.splitlines()) == 1 + len(series["months"])


def test_verify_names_an_agency_month_the_ledger_lacks_or_invented():
    recount = PartitionRecount(0)
    for offset, event in enumerate(EVENTS[:50]):
        recount.apply(event["region"].encode(), json.dumps(event).encode(), offset)
    served = share(recount)
    lost = served["agency_months"].pop(0)
    served["agency_months"].append("0/2031-01/APAC/TW/nobody")
    found = [d.line() for d in compare_partition(served, recount)]
    assert sorted(found) == sorted(
        [
            "partition 0 agency_months[0/2031-01/APAC/TW/nobody]: ledger present, "
            "recomputed (absent)",
            f"partition 0 agency_months[{lost}]: ledger (absent), recomputed present",
        ]
    )
