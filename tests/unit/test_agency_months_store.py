"""The agency-month keys on local RocksDB, with no broker: a period is a range of
keys, and a tombstone removes a key, written locally or recovered from the
changelog."""

import asyncio
from types import SimpleNamespace

from faust.types import TP

from ledger.config import Settings
from ledger.rules import keys
from ledger.stream.app import create_app
from ledger.stream.encoding import encoded
from ledger.stream.tables import declare_tables

MONTHS = ("2025-12", "2026-01", "2026-02", "2026-06", "2026-07")


def _store(datadir):
    settings = Settings(data_dir=datadir, kafka_bootstrap="127.0.0.1:9")
    return declare_tables(create_app(settings, "127.0.0.1:9", 6), 6).agency_months.data


def _key(month: str, agency: str = "bka", partition: int = 2) -> str:
    return keys.agency_month_key(partition, month, "EMEA", "DE", agency)


def _written(store, partition: int = 2) -> None:
    changes = [encoded(_key(m), {"since_offset": i}) for i, m in enumerate(MONTHS)]
    changes.append(
        encoded(_key("2026-01", 'odd "name" / ünïcode'), {"since_offset": 9})
    )
    store.write(partition, changes, 11)


def test_a_period_reads_exactly_the_keys_of_its_months(tmp_path):
    store = _store(tmp_path)
    _written(store)
    odd = _key("2026-01", 'odd "name" / ünïcode')
    assert store.keys_between(2, "2026-01", "2026-06") == [
        _key("2026-01"),
        odd,
        _key("2026-02"),
        _key("2026-06"),
    ]
    assert store.keys_between(2, None, "2025-12") == [_key("2025-12")]
    assert store.keys_between(2, "2026-07", None) == [_key("2026-07")]
    assert len(store.keys_between(2, None, None)) == len(MONTHS) + 1
    assert store.keys_between(2, "2026-03", "2026-05") == []
    assert store.keys_between(3, None, None) == []  # another partition holds none
    assert keys.agency_month_place(odd) == (
        "2026-01",
        keys.Place(2, "EMEA", "DE", 'odd "name" / ünïcode'),
    )


def test_keys_are_found_by_lookup_and_read_back_after_a_restart(tmp_path):
    store = _store(tmp_path)
    _written(store)
    assert store.holds(2, _key("2026-02")) and not store.holds(2, _key("2026-03"))
    asyncio.run(store.stop())
    again = _store(tmp_path)
    assert again.holds(2, _key("2026-02"))
    assert again.keys_between(2, "2026-02", "2026-02") == [_key("2026-02")]


def test_a_tombstone_written_locally_removes_the_key(tmp_path):
    store = _store(tmp_path)
    _written(store)
    store.write(2, [encoded(_key("2026-02"), None)], 12)
    assert not store.holds(2, _key("2026-02"))
    assert store.keys_between(2, "2026-02", "2026-02") == []


def test_a_tombstone_recovered_from_the_changelog_removes_the_key(tmp_path):
    store = _store(tmp_path)
    _written(store)
    tp = TP("app-agency_months-changelog", 2)
    changes = [
        encoded(_key("2026-06"), None),
        encoded(_key("2026-03"), {"since_offset": 40}),
        encoded(keys.seal_key(2), None),
    ]
    events = [
        SimpleNamespace(
            message=SimpleNamespace(
                tp=tp, partition=2, offset=20 + i, key=c.raw_key, value=c.raw_value
            )
        )
        for i, c in enumerate(changes)
    ]
    store.apply_changelog_batch(events, None, None)
    assert store.keys_between(2, "2026-03", "2026-06") == [_key("2026-03")]
    assert store.persisted_offset(tp) == 22
