"""Applies a batch of records to the tables, then writes each changed key once.

Writing once per batch instead of once per event is what makes the ledger fast:
a batch of thousands of events becomes a few dozen changelog records.

What a record changes is the book's to say (``rules.book``): entries, cells,
agency keys and counts, corrections included. Replays change nothing: the
counters of a partition say the next offset to record, each cell says the offset
it reflects (``upto``), and each entry the offsets that changed it.
"""

from collections.abc import Sequence
from itertools import groupby
from operator import attrgetter

import structlog

from ledger.rules import counters as counting
from ledger.rules import keys
from ledger.rules.book import DUPLICATE, Book
from ledger.rules.instants import now_rfc3339
from ledger.rules.intake import Rejection, admit
from ledger.stream import heap
from ledger.stream.folding import RunFold
from ledger.stream.tables import Tables
from ledger.stream.writer import Batch, BatchWriter

log = structlog.get_logger(__name__)


class Recorder:
    """De-duplicates, folds events into cells and keeps the counts."""

    def __init__(self, tables: Tables, writer: BatchWriter) -> None:
        self._tables = tables
        self._writer = writer
        self._rewound: dict[int, int] = {}

    async def record(self, records: Sequence) -> dict[int, int]:
        """Record one batch of Kafka records (key, value, topic, partition, offset).

        Returns the partitions to read again, each from the offset its counters
        say is next: a batch that starts past it was not recorded (see ``_gap``).
        """
        batch = Batch()
        for partition, run in groupby(records, key=attrgetter("partition")):
            self._record_run(partition, list(run), batch)
        processed_at = now_rfc3339()
        for counters in batch.counters.values():
            counters["last_processed_at"] = processed_at
        await self._writer.write(batch)
        log.debug("batch_recorded", records=len(records), cells=len(batch.cells))
        heap.trimmer.now_and_then()
        return batch.rewind

    def _record_run(self, partition: int, records: list, batch: Batch) -> None:
        """Consecutive records of one partition."""
        counters = self._counters(batch, partition)
        if self._gap(partition, records[0].offset, counters["next_offset"]):
            batch.rewind[partition] = counters["next_offset"]
            return
        records = _unrecorded(partition, records, counters["next_offset"])
        if not records:
            return
        batch.first_offsets.setdefault(partition, records[0].offset)
        fold = RunFold(self._tables, batch, partition)
        book = Book(fold, counters)
        for record in records:  # one at a time: each event is dropped once applied
            outcome = admit(record.key, record.value)
            if not isinstance(outcome, Rejection):
                outcome = book.apply(outcome, record.offset, record.value)
            if outcome is DUPLICATE:
                counters["duplicates"] += 1
                log.info(
                    "duplicate_ignored",
                    partition=partition,
                    offset=record.offset,
                )
            elif outcome is not None:
                self._reject(record, outcome, counters, batch)
        counters["next_offset"] = records[-1].offset + 1
        fold.mark_upto(counters["next_offset"])

    def _gap(self, partition: int, first: int, next_offset: int) -> bool:
        """True if records between the counters and this batch were never read.

        A fetch position can move past records no worker recorded (a seek that a
        rebalance cut short, an offset committed over a dropped fetch): recording
        on would lose them for good. The partition is read again from its
        counters once; a gap that is still there then holds no records (e.g.
        transaction markers) and is passed over.
        """
        if first <= next_offset or self._rewound.get(partition) == next_offset:
            return False
        self._rewound[partition] = next_offset
        log.warning(
            "unread_records_behind_batch",
            partition=partition,
            next_offset=next_offset,
            first_offset=first,
        )
        return True

    def _reject(self, message, rejection: Rejection, counters, batch) -> None:
        counting.count_rejection(counters, rejection, message.offset)
        batch.dead_letters.append((message, rejection))
        log.warning(
            "record_rejected",
            reason=rejection.reason,
            detail=rejection.detail,
            event_id=rejection.event_id,
            partition=message.partition,
            offset=message.offset,
        )

    def _counters(self, batch: Batch, partition: int) -> dict:
        key = keys.counters_key(partition)
        if key not in batch.counters:
            stored = self._tables.counters.data.values_of(partition).get(key)
            batch.counters[key] = (
                counting.copy_counters(stored) if stored else counting.new_counters()
            )
        return batch.counters[key]


def _unrecorded(partition: int, records: list, next_offset: int) -> list:
    """Records the counters already hold are skipped, not counted again.

    A partition that moved to another worker, or a restart, may be read again
    from an older committed offset: those records are already in the tables.
    """
    fresh = [record for record in records if record.offset >= next_offset]
    if len(fresh) < len(records):
        log.info(
            "already_recorded", partition=partition, records=len(records) - len(fresh)
        )
    return fresh
