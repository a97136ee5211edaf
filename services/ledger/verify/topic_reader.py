"""Reads the activity topic from its start with a consumer of its own.

No consumer group and nothing committed: verifying leaves no trace on the ledger.
Each partition is read up to an offset the ledger gave, never to an end offset
the broker reports: Tansu's can be short by a whole batch.
"""

import logging
import time
from collections.abc import Mapping
from typing import Any

from kafka import KafkaConsumer, TopicPartition

from ledger.verify.errors import CannotVerifyError
from ledger.verify.progress import Progress
from ledger.verify.recount import PartitionRecount

POLL_MS = 500
STALL_S = 30.0  # no record at all for this long, short of an offset: give up


def close_quietly(consumer: KafkaConsumer) -> None:
    """kafka-python logs an error for a metadata request that closing cancels:
    nothing went wrong, and an operator should not read that it did."""
    cluster_log = logging.getLogger("kafka.cluster")
    level = cluster_log.level
    cluster_log.setLevel(logging.CRITICAL)
    try:
        consumer.close()
    finally:
        cluster_log.setLevel(level)


def open_consumer(bootstrap: str, security: Mapping[str, Any]) -> KafkaConsumer:
    return KafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=None,
        enable_auto_commit=False,
        client_id="ledger-verify",
        **security,
    )


class TopicReader:
    """Applies the topic's records to per-partition recounts, up to given offsets."""

    def __init__(self, consumer: KafkaConsumer, topic: str, progress: Progress):
        partitions = consumer.partitions_for_topic(topic)
        if not partitions:
            raise CannotVerifyError(f"Kafka has no topic {topic!r} (LEDGER_TOPIC)")
        self.topic = topic
        self._consumer = consumer
        self._progress = progress
        self._tps = {p: TopicPartition(topic, p) for p in sorted(partitions)}
        consumer.assign(list(self._tps.values()))
        consumer.pause(*self._tps.values())
        self._check_nothing_expired()

    @property
    def partitions(self) -> list[int]:
        return list(self._tps)

    def read_to(self, targets: Mapping[int, int], recounts: dict) -> int:
        """Apply every record below each partition's target; return how many."""
        behind = {p for p, end in targets.items() if recounts[p].position < end}
        if not behind:
            return 0
        for partition in behind:
            tp = self._tps[partition]
            self._consumer.seek(tp, recounts[partition].position)
            self._consumer.resume(tp)
        total = sum(targets[p] - recounts[p].position for p in behind)
        self._progress.start(total, f"{self.topic} up to the ledger's offsets")
        read = self._read(behind, targets, recounts)
        self._progress.finish()
        return read

    def _read(self, behind: set[int], targets: Mapping[int, int], recounts) -> int:
        read, heard_at = 0, time.monotonic()
        while behind:
            for tp, records in self._consumer.poll(timeout_ms=POLL_MS).items():
                applied = _apply(records, targets[tp.partition], recounts[tp.partition])
                read += applied
                self._progress.advance(applied)
                heard_at = time.monotonic()
            for partition in [p for p in behind if self._reached(p, targets[p])]:
                behind.discard(partition)
                self._consumer.pause(self._tps[partition])
            if behind and time.monotonic() - heard_at > STALL_S:
                raise CannotVerifyError(self._stalled(behind, targets, recounts))
        return read

    def _reached(self, partition: int, target: int) -> bool:
        return self._consumer.position(self._tps[partition]) >= target

    def _stalled(self, behind: set[int], targets: Mapping[int, int], recounts) -> str:
        where = ", ".join(
            f"partition {p} at {recounts[p].position} of {targets[p]}"
            for p in sorted(behind)
        )
        return (
            f"{self.topic}: no more records after {STALL_S:.0f} s ({where}), "
            "yet the ledger has recorded further: is verify reading the ledger's "
            "topic and cluster (LEDGER_TOPIC, LEDGER_KAFKA_BOOTSTRAP)?"
        )

    def _check_nothing_expired(self) -> None:
        starts = self._consumer.beginning_offsets(list(self._tps.values()))
        expired = {tp.partition: at for tp, at in starts.items() if at}
        if expired:
            where = ", ".join(f"partition {p} from {at}" for p, at in expired.items())
            raise CannotVerifyError(
                f"{self.topic} no longer starts at offset 0 ({where}): records were "
                "deleted, so the figures cannot be recomputed from the log"
            )


def _apply(records: list, target: int, recount: PartitionRecount) -> int:
    """Records at or past the target are left for a later read (it seeks back)."""
    applied = 0
    for record in records:
        if record.offset < recount.position:
            continue
        if record.offset >= target:
            break
        recount.apply(record.key, record.value, record.offset)
        applied += 1
    return applied
