"""Writes one batch: changelogs and dead letters to the broker first, then local state.

The counters of each partition go last, after the broker holds everything else:
they say how far the partition is recorded, so a crash can leave the cells, agency
keys and accepted ids of a batch without its counters (the batch is then read
again, and changes nothing twice), never the counters without what they count.

Local state (RocksDB and the read mirror) changes only once the broker holds every
changelog record of the batch, and all at once, so a read never sees part of a
batch and the local copy is never ahead of the changelog. A worker killed at any
point leaves at most part of a batch in the changelogs; every value carries the
source offset it reflects (``upto``), so the batch replayed after a restart
changes nothing it had already changed.

Each changelog partition written is then sealed with a lone tombstone. Some
Kafka-compatible brokers (Tansu) report a partition's end offset as the base
offset of its last record batch + 1, and Faust recovers a table only up to that
end: the seal makes the last batch a single record, so recovery reads every one.
"""

import asyncio
from dataclasses import dataclass, field
from types import SimpleNamespace

import faust

from ledger.rules.intake import Rejection
from ledger.rules.keys import chunk_key, partition_of, seal_key
from ledger.stream import crashpoints
from ledger.stream.batch_index import BatchIndex
from ledger.stream.batch_sender import BatchSender
from ledger.stream.encoding import Encoded, encode_key, encoded
from ledger.stream.seen import prepare
from ledger.stream.tables import Tables


@dataclass
class Batch:
    """What one batch changed, keyed as in the tables."""

    cells: dict[str, dict] = field(default_factory=dict)
    agencies: dict[str, dict] = field(default_factory=dict)
    agency_months: dict[str, dict | None] = field(default_factory=dict)
    seen: dict[int, dict[str, dict]] = field(default_factory=dict)  # entries
    counted: dict[int, BatchIndex] = field(default_factory=dict)  # of those entries
    counters: dict[str, dict] = field(default_factory=dict)
    dead_letters: list[tuple] = field(default_factory=list)
    # Waiting corrections rejected when their event arrived: (partition, entry, why)
    late_letters: list[tuple] = field(default_factory=list)
    first_offsets: dict[int, int] = field(default_factory=dict)  # partition -> offset
    rewind: dict[int, int] = field(default_factory=dict)  # partition -> offset


class BatchWriter:
    def __init__(
        self, app: faust.App, tables: Tables, dead_letters, topic: str
    ) -> None:
        self._app = app
        self._topic = topic
        self._tables = tables
        self._dead_letters = dead_letters
        self._sender = BatchSender(app)

    async def write(self, batch: Batch) -> None:
        """Return once the broker and the local state both hold the batch."""
        crashpoints.reach("before_changelog")
        # Each entry as JSON once: for its chunk on the wire and its local key.
        prepared = {p: prepare(p, entries) for p, entries in batch.seen.items()}
        records = self._changelog_records(batch, prepared)
        half = len(records) // 2
        await self._send_all(records[:half])
        crashpoints.reach("mid_changelog")
        await self._send_all(records[half:], batch.dead_letters, batch.late_letters)
        crashpoints.reach("before_counters")
        counters = self._counter_records(batch)
        await self._send_all(counters)
        crashpoints.reach("before_seal")
        written = {(table, p) for table, p, _ in records + counters}
        sealed = await self._seal(written)
        crashpoints.reach("before_local")
        self._write_local(batch, records + counters, sealed, prepared)
        crashpoints.reach("before_ack")

    async def seal_all(self) -> None:
        """Seal every partition of every changelog (see ``kafka_admin``)."""
        await self._seal(
            {(t, p) for t in self._tables.all() for p in range(t.partitions)}
        )

    def _changelog_records(self, batch: Batch, prepared: dict) -> list[tuple]:
        """(table, partition, Encoded) of every changelog record of the batch."""
        tables = self._tables
        records = [
            (table, partition_of(key), encoded(key, value))
            for table, values in (
                (tables.cells, batch.cells),
                (tables.agencies, batch.agencies),
                (tables.agency_months, batch.agency_months),
            )
            for key, value in values.items()
        ]
        for partition, entries in prepared.items():
            first = batch.first_offsets[partition]
            for index, data in enumerate(entries.chunks):
                key = chunk_key(partition, first, index)
                # Written locally from ``prepared``, not from the decoded chunk.
                change = Encoded(key, None, encode_key(key), data)
                records.append((tables.seen, partition, change))
        return records

    def _counter_records(self, batch: Batch) -> list[tuple]:
        """Sent last, once the rest has landed: a partition's counters say how far
        it is recorded, so they must never land without what they count."""
        table = self._tables.counters
        return [
            (table, partition_of(key), encoded(key, value))
            for key, value in batch.counters.items()
        ]

    async def _send_all(
        self, records: list[tuple], dead_letters=(), late_letters=()
    ) -> None:
        topics = {table: table.changelog_topic_name for table in self._tables.all()}
        queued = await self._sender.send(
            (topics[table], p, change.raw_key, change.raw_value)
            for table, p, change in records
        )
        queued += [await self._dead_letter(*letter) for letter in dead_letters]
        queued += [await self._late_letter(*letter) for letter in late_letters]
        await asyncio.gather(*queued)

    async def _dead_letter(self, message, rejection: Rejection):
        headers = [
            ("ledger-reason", rejection.reason.encode()),
            ("ledger-detail", rejection.detail.encode()[:4096]),
            ("ledger-source-topic", message.topic.encode()),
            ("ledger-source-partition", str(message.partition).encode()),
            ("ledger-source-offset", str(message.offset).encode()),
        ]
        return await self._dead_letters.send(
            key=message.key, value=message.value, headers=headers
        )

    async def _late_letter(self, partition: int, entry: dict, rejection: Rejection):
        """A waiting correction its event did not allow: its record, as it came."""
        letter = SimpleNamespace(
            key=entry["region"].encode(),
            value=entry["raw"].encode(),
            topic=self._topic,
            partition=partition,
            offset=entry["offset"],
        )
        return await self._dead_letter(letter, rejection)

    async def _seal(self, written: set[tuple]) -> dict[tuple, int]:
        """Seal each changelog partition; return the seal's offset for each."""
        order = sorted(written, key=lambda pair: (pair[0].name, pair[1]))
        queued = await self._sender.send(  # a batch each: one future per seal
            (table.changelog_topic_name, p, encode_key(seal_key(p)), None)
            for table, p in order
        )
        metadata = await asyncio.gather(*queued)
        return {pair: meta.offset for pair, meta in zip(order, metadata, strict=True)}

    def _write_local(
        self, batch: Batch, records: list[tuple], sealed: dict, prepared: dict
    ) -> None:
        tables = self._tables
        grouped = _per_table_partition(records)
        for table in tables.shown():
            for partition, changes in grouped.get(table, {}).items():
                table.data.write(partition, changes, sealed[table, partition])
            crashpoints.reach("mid_local")
        for partition, changes in grouped.get(tables.agency_months, {}).items():
            offset = sealed[tables.agency_months, partition]
            tables.agency_months.data.write(partition, changes, offset)
        for partition, ids in batch.seen.items():
            if ids:
                offset = sealed[tables.seen, partition]
                tables.seen.data.commit(partition, prepared[partition], offset)


def _per_table_partition(records: list[tuple]) -> dict:
    """{table: {partition: [Encoded, ...]}}, in the order written."""
    grouped: dict = {}
    for table, partition, change in records:
        grouped.setdefault(table, {}).setdefault(partition, []).append(change)
    return grouped
