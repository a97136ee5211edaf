"""The summary answers as CSV: rows, flat columns, quoting, and when CSV is asked."""

import csv
import io

import pytest

from ledger.read import csv_answers

SUMMARY = {
    "events": 3,
    "training_hours": 7.5,
    "requests_by_type": {"disclosure": 1, "freeze": 0},
    "turnaround_hours_p50": None,
    "first_event_at": "2025-03-14T02:30:00Z",
}


def parsed(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_regions_are_one_row_each_with_nested_fields_flattened():
    answer = {
        "regions": [{"region": "APAC", **SUMMARY}, {"region": "EMEA", **SUMMARY}],
        "totals": SUMMARY,
        "complete": True,
        "as_of": "2026-01-01T00:00:00Z",
    }
    name, text = csv_answers.regions(answer)
    assert name == "ledger-regions.csv"
    assert parsed(text) == [
        [
            "region",
            "events",
            "training_hours",
            "requests_by_type.disclosure",
            "requests_by_type.freeze",
            "turnaround_hours_p50",
            "first_event_at",
        ],
        ["APAC", "3", "7.5", "1", "0", "", "2025-03-14T02:30:00Z"],
        ["EMEA", "3", "7.5", "1", "0", "", "2025-03-14T02:30:00Z"],
    ]
    assert text.endswith("\r\n") and text.count("\r\n") == 3


def test_no_regions_is_still_a_header_row():
    answer = {"regions": [], "totals": SUMMARY}
    assert parsed(csv_answers.regions(answer)[1]) == [
        ["region", *csv_answers.flatten(SUMMARY)]
    ]


def test_countries_and_months_name_their_region_on_every_row():
    detail = {"region": "APAC", **SUMMARY, "countries": {"TW": SUMMARY, "JP": SUMMARY}}
    name, text = csv_answers.countries(detail)
    assert name == "ledger-APAC-countries.csv"
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [(r["region"], r["country"], r["events"]) for r in rows] == [
        ("APAC", "TW", "3"),
        ("APAC", "JP", "3"),
    ]
    months = {"region": "APAC", "months": [{"month": "2025-03", "meetings": 2}]}
    name, text = csv_answers.months(months)
    assert name == "ledger-APAC-months.csv"
    assert parsed(text) == [["region", "month", "meetings"], ["APAC", "2025-03", "2"]]


def test_quotes_commas_newlines_and_unicode_as_rfc_4180_says():
    text = csv_answers.render([{"name": 'Polícia "Federal", Brasil\nDF', "n": 1}])
    assert text == 'name,n\r\n"Polícia ""Federal"", Brasil\nDF",1\r\n'
    assert parsed(text)[1] == ['Polícia "Federal", Brasil\nDF', "1"]


def test_text_a_spreadsheet_would_run_as_a_formula_is_defused():
    rows = [{"v": "=1+1"}, {"v": "+1"}, {"v": "-A1"}, {"v": "@SUM(A1)"}, {"v": "ok"}]
    values = [row[0] for row in parsed(csv_answers.render(rows))[1:]]
    assert values == ["'=1+1", "'+1", "'-A1", "'@SUM(A1)", "ok"]
    assert parsed(csv_answers.render([{"n": -1.5}]))[1] == ["-1.5"]  # numbers stay


@pytest.mark.parametrize(
    ("format_", "accept", "wanted"),
    [
        (None, "", False),
        (None, "*/*", False),
        (None, "application/json", False),
        (None, "text/csv", True),
        (None, "text/csv;q=0.9, application/json;q=0.5", True),
        (None, "application/json, text/csv", False),
        (None, "text/csv, application/json", True),
        (None, "application/json;q=0.4, text/csv;q=0.8", True),
        (None, "text/csv;q=0", False),
        (None, "text/html,application/xhtml+xml,*/*;q=0.8", False),
        ("csv", "application/json", True),
        ("json", "text/csv", False),
    ],
)
def test_csv_is_given_when_asked_by_format_or_accept(format_, accept, wanted):
    assert csv_answers.wants_csv(format_, accept) is wanted


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError, match="use csv or json"):
        csv_answers.wants_csv("xlsx", "")
