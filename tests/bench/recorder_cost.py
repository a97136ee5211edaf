"""The batch path without a broker: what one worker's main thread spends per record
on admission, the book, the changelog records and local RocksDB state.

``make bench``'s records (and its independent recomputation as a check), split
over 6 partitions as a producer keyed by region would, recorded in batches of
4,000 by the real Recorder and BatchWriter; only the broker round trips are
replaced (offsets are made up). Steadier than a worker on a shared machine, and
``--profile`` says where the time goes (cProfile, cumulative).

    PYTHONPATH=services .venv/bin/python tests/bench/recorder_cost.py [--profile]

``--corrections``: ``recount_cost``'s history instead (ten years, a few thousand
agencies, 2% amended and 1% voided, one region), checked against ``ledger
verify``'s recount of the same records.
"""

import argparse
import asyncio
import cProfile
import os
import pstats
import sys
import tempfile
import time
import zlib
from itertools import count
from pathlib import Path
from types import SimpleNamespace
from typing import NamedTuple

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import recount_cost  # noqa: E402
import run_bench  # noqa: E402

import reference  # noqa: E402
from ledger import logs  # noqa: E402
from ledger.config import Settings  # noqa: E402
from ledger.rules import rollup  # noqa: E402
from ledger.stream.app import create_app  # noqa: E402
from ledger.stream.recorder import Recorder  # noqa: E402
from ledger.stream.tables import declare_tables  # noqa: E402
from ledger.stream.writer import BatchWriter  # noqa: E402
from ledger.verify.recount import PartitionRecount  # noqa: E402

PARTITIONS = 6
BATCH = 4000


class Record(NamedTuple):
    key: bytes
    value: bytes
    topic: str
    partition: int
    offset: int


class OfflineWriter(BatchWriter):
    """The real writer, with the broker's acknowledgements made up."""

    _offsets = count()

    async def _send_all(self, records, dead_letters=(), late_letters=()) -> None:
        return None

    async def _seal(self, written: set) -> dict:
        return {pair: next(self._offsets) for pair in written}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--corrections", action="store_true")
    args = parser.parse_args()
    logs.configure("warning", console=False)  # as make bench runs the worker
    if args.corrections:
        raw = [(b"APAC", value) for value in recount_cost.history(args.events)]
    else:
        events, raw = run_bench.bench_records(args.events)
    batches = _batches(raw)
    recorder, tables = _recorder()
    profile = cProfile.Profile() if args.profile else None
    started = time.thread_time()
    for batch in batches:
        if profile:
            profile.enable()
        asyncio.run(recorder.record(batch))
        if profile:
            profile.disable()
    seconds = time.thread_time() - started
    if args.corrections:
        _check_recount(tables, batches)
    else:
        _check(tables, events)
    print(f"{len(raw):,} records: {seconds / len(raw) * 1e6:.2f} µs per record")
    if profile:
        order = os.environ.get("PROFILE_SORT", "cumulative")  # or tottime
        pstats.Stats(profile).sort_stats(order).print_stats(40)


def _batches(raw: list[tuple[bytes, bytes]]) -> list[list[Record]]:
    """Records per partition as a keyed producer spreads them, fetched in turns."""
    per_partition: list[list[Record]] = [[] for _ in range(PARTITIONS)]
    for key, value in raw:
        partition = zlib.crc32(key) % PARTITIONS
        offset = len(per_partition[partition])
        per_partition[partition].append(Record(key, value, "t", partition, offset))
    share = BATCH // PARTITIONS
    batches = []
    for start in range(0, max(map(len, per_partition)), share):
        batch = [r for part in per_partition for r in part[start : start + share]]
        batches.append(batch)
    return batches


def _recorder() -> tuple[Recorder, SimpleNamespace]:
    settings = Settings(data_dir=Path(tempfile.mkdtemp()), kafka_bootstrap="x:9")
    app = create_app(settings, "127.0.0.1:9", PARTITIONS)
    tables = declare_tables(app, PARTITIONS)
    writer = OfflineWriter(app, tables, dead_letters=None, topic="t")
    return Recorder(tables, writer), tables


def _check(tables, events: list[dict]) -> None:
    cells = [
        cell
        for p in range(PARTITIONS)
        for cell in tables.cells.data.values_of(p).values()
    ]
    agencies = [
        key.split("/", 3)[3]
        for p in range(PARTITIONS)
        for key in tables.agencies.data.values_of(p)
    ]
    totals = rollup.summarize(cells, agencies)
    reference.assert_summary_matches(totals, reference.summary(events))


def _check_recount(tables, batches: list[list[Record]]) -> None:
    """The worker's cells and agency keys are the recount's, partition by
    partition (``ledger verify``'s comparison, without the read API)."""
    recounts = {p: PartitionRecount(p) for p in range(PARTITIONS)}
    for batch in batches:
        for record in batch:
            recounts[record.partition].apply(record.key, record.value, record.offset)
    for p, recount in recounts.items():
        cells = {
            key: {name: v for name, v in cell.items() if name != "upto"}
            for key, cell in tables.cells.data.values_of(p).items()
        }
        expected = {
            key: {name: v for name, v in cell.items() if name != "upto"}
            for key, cell in recount.cells.items()
        }
        assert cells == expected, f"cells of partition {p} differ"
        assert set(tables.agencies.data.values_of(p)) == recount.agencies
        months = tables.agency_months.data.keys_between(p, None, None)
        assert set(months) == recount.agency_months, f"agency months of {p} differ"


if __name__ == "__main__":
    main()
