"""Verify's comparison on hand-built tables: every difference named by its path,
with the ledger's value and the recomputed one; what the log cannot say is left
out."""

import copy

from verify_fakes import share

from ledger.verify.answers_compare import compare_answers
from ledger.verify.compare import compare_partition
from ledger.verify.recount import PartitionRecount
from wire import raw_record, wire_event

CELL = "0/APAC/TW/2025-03"


def recounted() -> PartitionRecount:
    recount = PartitionRecount(0)
    events = [
        wire_event("meeting_held", "2025-03-14T10:30:00+08:00", participants=3),
        wire_event("meeting_held", "2025-03-15T10:30:00+08:00", participants=1),
    ]
    records = [raw_record(e) for e in events] + [(b"APAC", b"{bad")]
    for offset, (key, value) in enumerate(records):
        recount.apply(key, value, offset)
    return recount


def lines(differences) -> list[str]:
    return [difference.line() for difference in differences]


def test_the_same_tables_have_no_differences():
    recount = recounted()
    assert compare_partition(share(recount), recount) == []


def test_a_wrong_cell_field_is_named_with_both_values():
    recount = recounted()
    served = share(recount)
    served["cells"][CELL]["meetings"] = 7
    assert lines(compare_partition(served, recount)) == [
        f"partition 0 cells[{CELL}].meetings: ledger 7, recomputed 2"
    ]


def test_missing_and_extra_keys_are_named():
    recount = recounted()
    served = share(recount)
    del served["cells"][CELL]
    served["agencies"].append("0/APAC/TW/nobody")
    found = lines(compare_partition(served, recount))
    assert f"partition 0 cells[{CELL}]: ledger (absent), recomputed {{" in found[0]
    assert (
        "partition 0 agencies[0/APAC/TW/nobody]: ledger present, recomputed "
        + ("(absent)")
        in found
    )


def test_counters_are_compared_but_not_when_a_batch_ran():
    recount = recounted()
    served = share(recount)
    served["counters"]["last_processed_at"] = "2030-01-01T00:00:00Z"
    served["counters"]["recent_rejections"][0]["rejected_at"] = "2030-01-01T00:00:00Z"
    assert compare_partition(served, recount) == []
    served["counters"]["duplicates"] = 1
    served["counters"]["next_offset"] = 4
    assert lines(compare_partition(served, recount)) == [
        "partition 0 counters.duplicates: ledger 1, recomputed 0",
        "partition 0 counters.next_offset: ledger 4, recomputed 3",
    ]


def test_a_cell_written_by_a_batch_past_the_partitions_offset_is_caught():
    recount = recounted()
    served = share(recount)
    served["cells"][CELL]["upto"] = 9
    assert lines(compare_partition(served, recount)) == [
        f"partition 0 cells[{CELL}].upto: ledger 9, recomputed an offset in (1, 3]"
    ]


REGIONS = {
    "regions": [{"region": "APAC", "events": 2}, {"region": "EMEA", "events": 1}],
    "totals": {"events": 3},
    "complete": True,
    "as_of": "2026-01-01T00:00:00Z",
}


def test_public_answers_are_compared_by_region_and_month_not_freshness():
    served = copy.deepcopy(REGIONS)
    served["complete"], served["as_of"] = False, "2020-01-01T00:00:00Z"
    assert (
        compare_answers({"/api/v1/regions": served}, {"/api/v1/regions": REGIONS}, [])
        == []
    )
    del served["regions"][0]
    months = {"region": "APAC", "months": [{"month": "2025-03", "meetings": 2}]}
    wrong = {"region": "APAC", "months": [{"month": "2025-03", "meetings": 3}]}
    found = compare_answers(
        {"/api/v1/regions": served, "/api/v1/regions/APAC/months": wrong},
        {"/api/v1/regions": REGIONS, "/api/v1/regions/APAC/months": months},
        [],
    )
    assert lines(found) == [
        "/api/v1/regions: regions.APAC: ledger (absent), recomputed "
        "{'region': 'APAC', 'events': 2}",
        "/api/v1/regions/APAC/months: months[2025-03].meetings: ledger 3, recomputed 2",
    ]


def test_a_region_only_one_side_knows_is_named():
    found = compare_answers(
        {"/api/v1/regions/X1": None}, {"/api/v1/regions/X1": {}}, []
    )
    assert lines(found) == ["/api/v1/regions/X1: ledger (absent), recomputed {}"]


def test_stats_counts_are_compared_and_each_recent_rejection_must_be_in_the_log():
    known = {"reason": "not_json", "detail": "x", "event_id": None, "offset": 2}
    ours = {"accepted": 2, "rejected": 1, "partition_sources": [], "lag": 0}
    theirs = {
        **ours,
        "lag": 5,
        "workers": 3,
        "recent_rejections": [
            {**known, "partition": 0, "rejected_at": "2026-01-01T00:00:00Z"},
            {
                **known,
                "offset": 7,
                "partition": 0,
                "rejected_at": "2026-01-01T00:00:00Z",
            },
        ],
    }
    found = compare_answers(
        {"/api/v1/stats": theirs},
        {"/api/v1/stats": ours},
        [{**known, "partition": 0, "rejected_at": "2026-02-02T00:00:00Z"}],
    )
    assert [d.path for d in found] == [
        "/api/v1/stats: recent_rejections[0:7]",
        "/api/v1/stats: recent_rejections (how many)",
    ]
