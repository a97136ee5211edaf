"""Parsing a request for entries: filters, limits, period and the cursor."""

import pytest

from ledger.read.entry_query import EntryQuery, cursor, from_query
from ledger.rules.periods import from_query as period_of


def _entry(**fields) -> dict:
    entry = {"type": "meeting_held", "source": "crm", "agency": "Unit C"}
    return {**entry, "history": [[4, "counted", None]], **fields}


def test_an_empty_query_lists_everything_a_page_at_a_time():
    query = from_query({})
    assert query == EntryQuery() and query.limit == 100 and query.status == "all"
    assert from_query({}, "csv").limit == 100_000


def test_a_cursor_comes_back_as_the_place_it_was_made_from():
    place = (1_767_225_600_000_000, "APAC", "TW", "ab" * 16)
    assert from_query({"cursor": cursor(place)}).after == place
    again = from_query(from_query({"cursor": cursor(place), "limit": "7"}).as_query())
    assert (again.after, again.limit) == (place, 7)


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ({"cursor": "bm90IGpzb24"}, "cursor"),
        ({"cursor": cursor((1, 2, 3, 4))}, "cursor"),
        ({"cursor": "%%%"}, "cursor"),
        ({"limit": "0"}, "limit"),
        ({"limit": "1001"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"event_type": "lunch"}, "event_type"),
        ({"status": "awaited"}, "status"),
        ({"period": "2026-Q5"}, "Q5"),
    ],
)
def test_a_bad_parameter_is_a_value_error_that_says_which(query, said):
    with pytest.raises(ValueError, match=said):
        from_query(query)


def test_filters_match_type_agency_source_and_status():
    query = from_query({"event_type": "meeting_held", "agency": "Unit C"})
    assert query.matches(_entry())
    assert not query.matches(_entry(type="training_delivered"))
    assert not query.matches(_entry(agency="Unit D"))
    assert query.matches(_entry(agency="  unit   c"))  # one agency in the figures
    assert not from_query({"source": "lms"}).matches(_entry())
    superseded = _entry(history=[[4, "counted", None], [9, "superseded", "cd" * 16]])
    assert from_query({"status": "superseded"}).matches(superseded)
    assert not from_query({"status": "counted"}).matches(superseded)


def test_the_period_is_parsed_as_on_the_summaries():
    asked = {"from": "2025-11", "to": "2026-02"}
    assert from_query(asked).period == period_of(asked)
    peer = from_query(from_query({"period": "2026-Q1"}).as_query()).period
    assert (peer.first, peer.last) == ("2026-01", "2026-03")
