"""Reporting periods parsed from a request's query: every form, every bad input."""

import pytest

from ledger.rules.periods import Period, from_query, parse


@pytest.mark.parametrize(
    ("text", "first", "last", "label"),
    [
        ("2026", "2026-01", "2026-12", "2026"),
        ("2026-H1", "2026-01", "2026-06", "2026-H1"),
        ("2026-h2", "2026-07", "2026-12", "2026-H2"),
        ("2026-Q1", "2026-01", "2026-03", "2026-Q1"),
        ("2026-Q3", "2026-07", "2026-09", "2026-Q3"),
        ("2026-q4", "2026-10", "2026-12", "2026-Q4"),
        ("2026-03", "2026-03", "2026-03", "2026-03"),
        ("2025-11..2026-02", "2025-11", "2026-02", "2025-11..2026-02"),
        ("2026-01..", "2026-01", None, "2026-01.."),
        ("..2026-06", None, "2026-06", "..2026-06"),
    ],
)
def test_each_period_form_names_its_first_and_last_month(text, first, last, label):
    assert parse(text) == Period(first, last, label)


def test_from_and_to_are_months_inclusive_with_either_end_open():
    both = from_query({"from": "2026-01", "to": "2026-06"})
    assert both.as_json() == {"from": "2026-01", "to": "2026-06", "label": both.label}
    assert both.holds("2026-01") and both.holds("2026-06")
    assert not both.holds("2025-12") and not both.holds("2026-07")
    since = from_query({"from": "2026-01"})
    assert since.holds("9999-12") and not since.holds("2025-12")
    until = from_query({"to": "2026-06"})
    assert until.holds("0001-01") and not until.holds("2026-07")


def test_no_period_or_empty_parameters_mean_all_time():
    assert from_query({}) is None
    assert from_query({"period": "", "from": "", "to": ""}) is None
    assert from_query({"format": "csv"}) is None


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ({"period": "2026-13"}, "01-12"),
        ({"period": "2026-00"}, "01-12"),
        ({"period": "2026-Q5"}, "not a period"),
        ({"period": "2026-H3"}, "not a period"),
        ({"period": "26"}, "not a period"),
        ({"period": "last year"}, "not a period"),
        ({"period": "0000"}, "0000"),
        ({"period": ".."}, "at least one end"),
        ({"from": "2026-06", "to": "2026-01"}, "after"),
        ({"from": "2026-6"}, "not a month"),
        ({"to": "2026-13"}, "01-12"),
        ({"from": "٢٠٢٦-01"}, "not a month"),
        ({"period": "2026", "from": "2026-01"}, "not both"),
        ({"period": "2026", "to": "2026-01"}, "not both"),
    ],
)
def test_bad_periods_are_refused_with_a_reason(query, says):
    with pytest.raises(ValueError, match=says):
        from_query(query)


def test_a_label_parses_back_to_the_same_period():
    for text in ("2026", "2026-H2", "2026-Q2", "2026-05", "2026-01..", "..2026-02"):
        period = parse(text)
        assert parse(period.label) == period


def test_as_query_gives_the_months_as_from_and_to():
    assert parse("2026-H1").as_query() == {"from": "2026-01", "to": "2026-06"}
    assert parse("..2026-02").as_query() == {"to": "2026-02"}
