"""The dead-letter topic: what the ledger rejected and why, and replaying it.

A dead letter is the rejected record itself (original key and bytes) with headers
saying why (``stream/writer.py``). The reader is a plain consumer with no group:
it commits nothing and reads the topic from the start (or ``since``) to its end.
"""

import time
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from kafka import KafkaConsumer, TopicPartition

from ledger.errors import LedgerError

QUIET_S = 1.0  # Tansu's end offset can be short by a batch: read until quiet too
READ_LIMIT_S = 300.0
PREVIEW_BYTES = 60
REPLAY_HEADER = "ledger-replay-of"


class DeadLetterError(LedgerError):
    """The dead-letter topic could not be read as asked."""


@dataclass(frozen=True)
class DeadLetter:
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: dict[str, str]

    @classmethod
    def of(cls, record) -> "DeadLetter":
        """From a kafka-python ConsumerRecord."""
        headers = {k: v.decode("utf-8", "replace") for k, v in record.headers}
        return cls(record.partition, record.offset, record.key, record.value, headers)

    @property
    def reason(self) -> str:
        return self.headers.get("ledger-reason", "(no reason header)")

    def line(self) -> str:
        """One line for an operator: where, why, from where, and the first bytes."""
        h = self.headers
        source = "{}[{}]@{}".format(
            h.get("ledger-source-topic", "?"),
            h.get("ledger-source-partition", "?"),
            h.get("ledger-source-offset", "?"),
        )
        preview = None if self.value is None else self.value[:PREVIEW_BYTES]
        more = "..." if self.value and len(self.value) > PREVIEW_BYTES else ""
        return (
            f"{self.partition}:{self.offset}  {self.reason}  from {source}  "
            f"detail: {h.get('ledger-detail', '')}  value: {preview!r}{more}"
        )


def open_reader(bootstrap: str, security: Mapping[str, Any]) -> KafkaConsumer:
    """No group, no commits: reading the dead letters leaves no trace."""
    return KafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=None,
        enable_auto_commit=False,
        auto_offset_reset="latest",  # a --since past the end reads nothing
        client_id="ledger-dlq",
        **security,
    )


def parse_since(text: str | None) -> dict[int, int] | int:
    """``--since``: one offset for every partition (``120``), or per partition
    (``0:120,3:45``; partitions not named start at 0)."""
    if not text:
        return 0
    try:
        if ":" not in text:
            return int(text)
        pairs = (part.split(":") for part in text.split(","))
        return {int(partition): int(offset) for partition, offset in pairs}
    except ValueError:
        raise DeadLetterError(
            f"--since {text!r}: give an offset (120) or partition:offset pairs "
            "(0:120,3:45)"
        ) from None


def read_dead_letters(
    consumer: KafkaConsumer, topic: str, since: dict[int, int] | int = 0
) -> tuple[list[DeadLetter], dict[int, int]]:
    """Every dead letter from ``since`` to the end, each once; and where each
    partition's reading ended (the ``--since`` that skips them next time)."""
    partitions = consumer.partitions_for_topic(topic)
    if not partitions:
        raise DeadLetterError(f"no dead-letter topic {topic!r}")
    tps = [TopicPartition(topic, p) for p in sorted(partitions)]
    consumer.assign(tps)
    for tp in tps:
        start = since if isinstance(since, int) else since.get(tp.partition, 0)
        consumer.seek(tp, start)
    letters: dict[tuple[int, int], DeadLetter] = {}
    for record in _to_the_end(consumer, tps):
        letters.setdefault((record.partition, record.offset), DeadLetter.of(record))
    return list(letters.values()), {tp.partition: consumer.position(tp) for tp in tps}


def _to_the_end(consumer: KafkaConsumer, tps: list[TopicPartition]) -> Iterator:
    ends = consumer.end_offsets(tps)
    started = quiet_from = time.monotonic()
    while True:
        polled = consumer.poll(timeout_ms=200)
        now = time.monotonic()
        for records in polled.values():
            quiet_from = now
            yield from records
        caught_up = all(consumer.position(tp) >= ends[tp] for tp in tps)
        if caught_up and now - quiet_from >= QUIET_S:
            return
        if now - started > READ_LIMIT_S:
            raise DeadLetterError(f"did not reach the end in {READ_LIMIT_S:.0f}s")


def matching(letters: list[DeadLetter], reason: str | None) -> list[DeadLetter]:
    return [letter for letter in letters if reason in (None, letter.reason)]


def summary(letters: list[DeadLetter]) -> str:
    counts = Counter(letter.reason for letter in letters)
    by_reason = ", ".join(f"{reason} {n}" for reason, n in sorted(counts.items()))
    return f"{len(letters)} dead letters" + (f": {by_reason}" if by_reason else "")


def replay(letters: list[DeadLetter], producer, topic: str, dlq_topic: str) -> int:
    """Publish each letter's original key and bytes to the activity topic once;
    return once the broker has acknowledged every one."""
    pending = [
        producer.send(
            topic,
            key=letter.key,
            value=letter.value,
            headers=[(REPLAY_HEADER, _position(dlq_topic, letter).encode())],
        )
        for letter in letters
    ]
    producer.flush()
    for future in pending:
        future.get(timeout=30)
    return len(pending)


def since_text(positions: dict[int, int]) -> str:
    return ",".join(f"{p}:{o}" for p, o in sorted(positions.items()))


def _position(dlq_topic: str, letter: DeadLetter) -> str:
    return f"{dlq_topic}:{letter.partition}:{letter.offset}"
