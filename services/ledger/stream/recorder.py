"""Applies a batch of records to the tables, then writes each changed key back once.

Writing once per batch instead of once per event is what makes the ledger fast:
a batch of thousands of events becomes a few dozen changelog records.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import groupby
from operator import attrgetter

import faust
import structlog

from ledger.stream import counters as counting
from ledger.stream import rollup
from ledger.stream.changelog import ChangelogWriter
from ledger.stream.intake import Rejection, admit
from ledger.stream.tables import Tables, partition_of

log = structlog.get_logger(__name__)


@dataclass
class _Batch:
    """What one batch changed, keyed as in the tables."""

    cells: dict[str, dict] = field(default_factory=dict)
    seen: dict[str, list[str]] = field(default_factory=dict)
    counters: dict[str, dict] = field(default_factory=dict)
    dead_letters: list[tuple] = field(default_factory=list)


class Recorder:
    """De-duplicates, folds events into cells and keeps the counts."""

    def __init__(self, app: faust.App, tables: Tables, dead_letters) -> None:
        self._tables = tables
        self._writer = ChangelogWriter(app, dead_letters)
        self._seen: dict[int, set[str]] = {}

    def forget_partitions(self) -> None:
        """After a rebalance another worker may have added ids: reload lazily."""
        self._seen.clear()

    async def record(self, records: Sequence) -> None:
        """Record one batch of Kafka records (key, value, topic, partition, offset)."""
        batch = _Batch()
        for partition, run in groupby(records, key=attrgetter("partition")):
            self._record_run(partition, list(run), batch)
        processed_at = counting.now_rfc3339()
        for counters in batch.counters.values():
            counters["last_processed_at"] = processed_at
        await self._writer.write(self._tables, batch)
        log.debug("batch_recorded", records=len(records), cells=len(batch.cells))

    def _record_run(self, partition: int, records: list, batch: _Batch) -> None:
        """Consecutive records of one partition."""
        counters = self._counters(batch, partition)
        records = _unrecorded(partition, records, counters["next_offset"])
        if not records:
            return
        seen = self._seen_ids(partition)
        accepted: list[str] = []
        for record in records:
            outcome = admit(record.key, record.value)
            if isinstance(outcome, Rejection):
                self._reject(record, outcome, counters, batch)
                continue
            event_id = outcome.event_id.hex
            if event_id in seen:
                counters["duplicates"] += 1
                log.info("duplicate_ignored", event_id=event_id, partition=partition)
                continue
            seen.add(event_id)
            accepted.append(event_id)
            rollup.apply(self._cell(batch, partition, outcome), outcome)
        counters["accepted"] += len(accepted)
        counters["next_offset"] = records[-1].offset + 1
        if accepted:
            batch.seen[f"{partition}/{records[0].offset}"] = accepted

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

    def _counters(self, batch: _Batch, partition: int) -> dict:
        key = str(partition)
        if key not in batch.counters:
            stored = self._tables.counters.data.get(key)
            batch.counters[key] = stored or counting.new_counters()
        return batch.counters[key]

    def _cell(self, batch: _Batch, partition: int, event) -> dict:
        key = f"{partition}/{event.region}/{event.country}"
        if key not in batch.cells:
            stored = self._tables.cells.data.get(key)
            batch.cells[key] = stored or rollup.new_cell()
        return batch.cells[key]

    def _seen_ids(self, partition: int) -> set[str]:
        """Ids are stored as 32 hex digits; older changelogs held them hyphenated."""
        if partition not in self._seen:
            self._seen[partition] = {
                event_id.replace("-", "")
                for key, chunk in self._tables.seen.data.items()
                if partition_of(key) == partition and chunk
                for event_id in chunk
            }
        return self._seen[partition]


def _unrecorded(partition: int, records: list, next_offset: int) -> list:
    """Records the tables already hold are skipped, not counted again.

    The counters keep, with the state they describe, the next offset to record. A
    partition that moved to another worker, or a restart, may be read again from
    an older committed offset: those records are already in the cells.
    """
    fresh = [record for record in records if record.offset >= next_offset]
    if len(fresh) < len(records):
        log.info(
            "already_recorded", partition=partition, records=len(records) - len(fresh)
        )
    return fresh
