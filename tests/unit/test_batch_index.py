"""The batch's own counted entries, found by the prefixes a retraction asks about."""

from ledger.rules import entries as e
from ledger.stream.batch_index import BatchIndex
from ledger.stream.seen import agency_prefix, cell_prefix

AT_US = 1_772_330_400_000_000  # 2026-03-01T02:00:00Z


def _entry(status: str) -> dict:
    return {
        "type": "meeting_held",
        "region": "APAC",
        "country": "TW",
        "agency": "Unit  C",
        "at_us": AT_US,
        "history": [[7, status, None]],
    }


def test_a_counted_entry_is_found_under_its_cell_its_agency_and_its_agency_month():
    index = BatchIndex({})
    index.keep("ab" * 16, _entry(e.COUNTED))
    agency = agency_prefix("APAC", "TW", "unit c")
    for prefix in (cell_prefix("APAC", "TW", "2026-03"), agency, [*agency, "2026-03"]):
        (found,) = index.under(prefix)
        assert found[: len(prefix)] == prefix and found[-1] == "ab" * 16
    assert list(index.under(cell_prefix("APAC", "TW", "2026-04"))) == []


def test_an_entry_that_stops_counting_is_no_longer_found():
    entries: dict = {}
    index = BatchIndex(entries)
    index.keep("ab" * 16, _entry(e.COUNTED))
    index.keep("cd" * 16, _entry(e.COUNTED))
    index.keep("ab" * 16, _entry(e.SUPERSEDED))  # before the index is built
    (left,) = index.under(cell_prefix("APAC", "TW", "2026-03"))
    assert left[-1] == "cd" * 16
    index.keep("cd" * 16, _entry(e.VOIDED))  # after
    assert list(index.under(agency_prefix("APAC", "TW", "Unit C"))) == []
    index.keep("ef" * 16, _entry(e.COUNTED))
    assert [k[-1] for k in index.under(agency_prefix("APAC", "TW", "unit c"))] == [
        "ef" * 16
    ]
    assert set(entries) == {"ab" * 16, "cd" * 16, "ef" * 16}
