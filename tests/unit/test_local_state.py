"""The tables' local RocksDB state, with no broker: what a batch writes is what a
lookup, and a restarted worker, read back."""

import asyncio
from uuid import uuid4

import orjson

from ledger.config import Settings
from ledger.rules import keys, rollup
from ledger.rules.entries import counts
from ledger.stream.app import create_app
from ledger.stream.encoding import encoded
from ledger.stream.seen import index_keys
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


def test_written_index_keys_are_those_index_keys_names(tmp_path):
    seen = _tables(tmp_path).seen.data
    at_us = 1_767_225_600_000_000  # 2026-01-01 UTC
    counted = {
        "type": "meeting_held",
        "region": "APAC",
        "country": "TW",
        "at_us": at_us,
        "offset": 3,
    }
    entries = {
        uuid4().hex: {
            **counted,
            "agency": " Ministry  OF x ",
            "history": [[3, "counted", None]],
        },
        uuid4().hex: {
            **counted,
            "agency": "b",
            "history": [[4, "superseded", "f" * 32]],
        },
        uuid4().hex: {
            "region": "APAC",
            "voids": "e" * 32,
            "history": [[5, "counted", None]],
        },
    }
    seen.write(2, entries, 7)

    db = seen._db_for_partition(2)  # noqa: SLF001
    written = {key: flag for key, flag in db.items() if key.startswith(b"[")}
    expected = {
        orjson.dumps(key): b"1" if counts(entry) else b"0"
        for event_id, entry in entries.items()
        if (keys_ := index_keys(event_id, entry))
        for key in keys_
    }
    assert written == expected
    assert sorted(expected.values()) == [b"0", b"0", b"1", b"1"]
