"""verify's recount with its entries on a temporary RocksDB: the same figures as
with the entries in memory, partitions kept apart, and nothing left behind."""

import json

import pytest
from test_corrections import _random_history

from ledger.verify.recount import PartitionRecount
from ledger.verify.spill import EntrySpill


def _recounts(events: list[dict], partitions: dict[int, PartitionRecount]) -> None:
    for offset, event in enumerate(events):
        for recount in partitions.values():
            recount.apply(event["region"].encode(), json.dumps(event).encode(), offset)


def _counts(recount: PartitionRecount) -> dict:
    """The counters but the wall-clock time each rejection was counted at."""
    recent = [
        {k: v for k, v in rejection.items() if k != "rejected_at"}
        for rejection in recount.counters["recent_rejections"]
    ]
    return {**recount.counters, "recent_rejections": recent}


@pytest.mark.parametrize("seed", range(3))
def test_a_spilled_recount_counts_as_one_in_memory(seed, tmp_path):
    events = _random_history(seed, 150)
    in_memory = {0: PartitionRecount(0)}
    _recounts(events, in_memory)
    with EntrySpill(tmp_path) as spill:
        # Two partitions reading the same records: one database, kept apart.
        spilled = {p: PartitionRecount(p, entries=spill.of(p)) for p in (0, 1)}
        _recounts(events, spilled)
        expected, here, there = in_memory[0], spilled[0], spilled[1]
        assert _counts(here) == _counts(expected)
        assert here.cells == expected.cells
        assert here.agencies == expected.agencies
        assert here.agency_months == expected.agency_months
        numbers = {k: v for k, v in _counts(expected).items() if isinstance(v, int)}
        assert {k: there.counters[k] for k in numbers} == numbers
        assert len(there.cells) == len(expected.cells)
        assert spill.of(0).get(next(iter(expected.entries))) is not None
    assert expected.counters["superseded"] and expected.counters["voided"]


def test_the_spill_folder_is_removed_when_verify_ends(tmp_path):
    with EntrySpill(tmp_path) as spill:
        spill.of(3)["ab" * 16] = b"{}"
        assert spill.of(3).get("ab" * 16) == b"{}"
        assert spill.of(4).get("ab" * 16) is None
        assert list(tmp_path.iterdir())
    assert not list(tmp_path.iterdir())
