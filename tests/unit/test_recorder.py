"""The Recorder with in-memory tables: replays after a crash change nothing twice."""

import asyncio
import json
from pathlib import Path
from tempfile import mkdtemp
from typing import NamedTuple
from uuid import uuid4

from ledger.config import Settings
from ledger.producer.demo import demo_batch
from ledger.rules.keys import partition_of
from ledger.stream.app import create_app
from ledger.stream.encoding import encoded
from ledger.stream.recorder import Recorder
from ledger.stream.tables import declare_tables


class Record(NamedTuple):
    key: bytes
    value: bytes
    topic: str
    partition: int
    offset: int


class LandingWriter:
    """Lands a batch in the tables' local state, as the worker does once the
    broker holds it; ``only`` lands just some tables, as a crash part-way through
    the changelog writes leaves them after recovery."""

    def __init__(self, tables) -> None:
        self.tables = tables
        self.only: set[str] | None = None
        self.letters = 0

    async def write(self, batch) -> None:
        for name in ("cells", "agencies", "agency_months", "counters"):
            if self.only is None or name in self.only:
                grouped: dict[int, list] = {}
                for key, value in getattr(batch, name).items():
                    grouped.setdefault(partition_of(key), []).append(
                        encoded(key, value)
                    )
                for partition, changes in grouped.items():
                    getattr(self.tables, name).data.write(partition, changes, 0)
        if self.only is None or "seen" in self.only:
            for partition, entries in batch.seen.items():
                self.tables.seen.data.write(partition, entries, 0)
        self.letters += len(batch.dead_letters) + len(batch.late_letters)


def _ledger():
    settings = Settings(data_dir=Path(mkdtemp()), kafka_bootstrap="127.0.0.1:9")
    tables = declare_tables(create_app(settings, "127.0.0.1:9", 6), 6)
    writer = LandingWriter(tables)
    return Recorder(tables, writer), writer, tables


def _records(n: int) -> list[Record]:
    events = [e.model_dump(mode="json") for e in demo_batch(n, seed=4)]
    return [
        Record(b"APAC", json.dumps({**e, "region": "APAC"}).encode(), "t", 0, i)
        for i, e in enumerate(events)
    ]


def _events(tables) -> int:
    return sum(cell["events"] for cell in tables.cells.data.values_of(0).values())


def _counters(tables) -> dict:
    return tables.counters.data.values_of(0)["0"]


def test_a_batch_is_folded_once_and_counted():
    recorder, _, tables = _ledger()
    asyncio.run(recorder.record(_records(50)))
    assert _events(tables) == 50
    assert (_counters(tables)["accepted"], _counters(tables)["next_offset"]) == (50, 50)


def test_a_repeated_event_id_is_a_duplicate_not_an_event():
    recorder, _, tables = _ledger()
    records = _records(10)
    again = records[3]._replace(offset=10)
    asyncio.run(recorder.record([*records, again]))
    assert (_events(tables), _counters(tables)["duplicates"]) == (10, 1)


def test_a_batch_replayed_after_cells_landed_but_not_counters_counts_once():
    recorder, writer, tables = _ledger()
    records = _records(40)
    writer.only = {"cells", "agencies", "seen"}  # the crash: counters never landed
    asyncio.run(recorder.record(records))
    writer.only = None
    asyncio.run(recorder.record(records[:15]))  # the replay ends earlier...
    asyncio.run(recorder.record(records[15:]))  # ...and the rest comes after
    assert _events(tables) == 40
    counters = _counters(tables)
    assert (counters["accepted"], counters["duplicates"]) == (40, 0)


def test_records_below_the_counted_offset_are_skipped():
    recorder, _, tables = _ledger()
    records = _records(20)
    asyncio.run(recorder.record(records))
    asyncio.run(recorder.record(records[5:]))
    assert (_events(tables), _counters(tables)["accepted"]) == (20, 20)


def test_a_rejected_record_is_counted_and_dead_lettered():
    recorder, writer, tables = _ledger()
    bad = Record(b"APAC", b"{nope", "t", 0, 0)
    asyncio.run(recorder.record([bad]))
    assert (_counters(tables)["rejected"], writer.letters) == (1, 1)


def test_a_batch_that_starts_past_the_counters_is_read_again_not_skipped():
    recorder, _, tables = _ledger()
    records = _records(10)
    asyncio.run(recorder.record(records[:4]))

    rewind = asyncio.run(recorder.record(records[7:]))  # 4, 5, 6 never fetched

    assert rewind == {0: 4}
    assert _counters(tables)["next_offset"] == 4
    assert asyncio.run(recorder.record(records[4:])) == {}
    assert _counters(tables)["accepted"] == _events(tables) == 10


def test_a_gap_still_there_after_reading_again_holds_no_records_and_is_passed():
    recorder, _, tables = _ledger()
    records = _records(10)
    asyncio.run(recorder.record(records[:4]))

    assert asyncio.run(recorder.record(records[7:])) == {0: 4}
    assert asyncio.run(recorder.record(records[7:])) == {}  # 4-6: markers, say

    assert _counters(tables)["next_offset"] == 10
    assert _counters(tables)["accepted"] == _events(tables) == 7


def test_one_agency_however_spelled_and_one_cell_per_utc_month(event):
    recorder, _, tables = _ledger()
    spellings = ["Criminal Investigation Bureau", " criminal  investigation BUREAU"]
    moments = ["2026-03-01T07:00:00+08:00", "2026-03-31T20:00:00-05:00"]
    sent = [
        event(event_id=str(uuid4()), region="APAC", agency=agency, occurred_at=at)
        for agency in spellings
        for at in moments
    ]
    records = [
        Record(b"APAC", json.dumps(e).encode(), "t", 0, i) for i, e in enumerate(sent)
    ]
    asyncio.run(recorder.record(records))

    cells = tables.cells.data.values_of(0)
    assert {key.rsplit("/", 1)[1]: cell["events"] for key, cell in cells.items()} == {
        "2026-02": 2,  # 07:00 at +08:00 on March 1st is February in UTC
        "2026-04": 2,  # 20:00 at -05:00 on March 31st is April in UTC
    }
    assert list(tables.agencies.data.values_of(0)) == [
        "0/APAC/TW/criminal investigation bureau"
    ]
