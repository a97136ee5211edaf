"""An in-memory transport, so services that publish can be tested without Kafka."""

from dataclasses import dataclass, field
from typing import NamedTuple


class Record(NamedTuple):
    topic: str
    key: bytes | None
    value: bytes


class Sent(NamedTuple):
    """What kafka-python's RecordMetadata offers that callers look at."""

    topic: str
    partition: int
    offset: int

    def get(self, timeout: float | None = None) -> "Sent":
        return self


@dataclass
class MemoryTransport:
    """Keeps every record it is sent, in order; one partition, offsets from 0."""

    records: list[Record] = field(default_factory=list)
    flushes: int = 0
    closed: bool = False

    def send(self, topic: str, key: bytes | None = None, value: bytes = b"") -> Sent:
        self.records.append(Record(topic, key, value))
        return Sent(topic, 0, len(self.records) - 1)

    def flush(self, timeout: float | None = None) -> None:
        self.flushes += 1

    def close(self, timeout: float | None = None) -> None:
        self.closed = True
