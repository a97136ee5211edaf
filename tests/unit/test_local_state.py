"""The tables' local RocksDB state, with no broker: what a batch writes is what a
lookup, and a restarted worker, read back."""

import asyncio
from uuid import uuid4

from ledger.config import Settings
from ledger.rules import keys, rollup
from ledger.stream.app import create_app
from ledger.stream.encoding import encoded
from ledger.stream.tables import declare_tables


def _tables(datadir):
    settings = Settings(data_dir=datadir, kafka_bootstrap="127.0.0.1:9")
    return declare_tables(create_app(settings, "127.0.0.1:9", 6), 6)


def test_accepted_entries_are_found_and_absent_ids_are_not(tmp_path):
    seen = _tables(tmp_path).seen.data
    ids = {
        uuid4().hex: {"offset": at, "history": [[at, "counted", None]]}
        for at in range(3000)
    }
    seen.write(2, ids, 41)

    assert all(seen.entry_of(2, event_id) == entry for event_id, entry in ids.items())
    assert seen.entry_of(2, uuid4().hex) is None
    assert seen.entry_of(3, next(iter(ids))) is None  # another partition's ids
    lookup = seen.lookup(2)
    assert all(lookup(event_id) == entry for event_id, entry in ids.items())
    assert lookup(uuid4().hex) is None
    assert seen.lookup(3)(next(iter(ids))) is None


def test_values_written_locally_are_read_back_after_a_restart(tmp_path):
    cells = _tables(tmp_path).cells.data
    cell = {**rollup.new_cell(), "events": 3, "turnaround": {"12": 2}, "upto": 9}
    key = keys.key(1, "APAC", "TW", "2026-03")
    cells.write(1, [encoded(key, cell)], 5)
    assert cells.values_of(1) == {key: cell}
    asyncio.run(cells.stop())

    again = _tables(tmp_path).cells.data
    assert again.values_of(1) == {key: cell}
