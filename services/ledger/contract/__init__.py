"""The wire contract other teams code against: event models with no Kafka or Faust."""

from ledger.contract.events import (
    EVENT_TYPES,
    MAX_RECORD_BYTES,
    LedgerEvent,
    MeetingHeld,
    RequestFulfilled,
    TrainingDelivered,
    event_adapter,
)

__all__ = [
    "EVENT_TYPES",
    "MAX_RECORD_BYTES",
    "LedgerEvent",
    "MeetingHeld",
    "RequestFulfilled",
    "TrainingDelivered",
    "event_adapter",
]
