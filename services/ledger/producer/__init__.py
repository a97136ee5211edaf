"""The write side: the library internal services use to publish events."""

from ledger.producer.client import DEFAULT_TOPIC, LedgerProducer, Transport
from ledger.producer.memory import MemoryTransport

__all__ = ["DEFAULT_TOPIC", "LedgerProducer", "MemoryTransport", "Transport"]
