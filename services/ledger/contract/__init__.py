"""The wire contract other teams code against: event models with no Kafka or Faust."""

from ledger.contract.events import (
    ACTIVITY_TYPES,
    EVENT_TYPES,
    MAX_RECORD_BYTES,
    EventVoided,
    LedgerEvent,
    MeetingHeld,
    RequestFulfilled,
    TrainingDelivered,
    event_adapter,
)

__all__ = [
    "ACTIVITY_TYPES",
    "EVENT_TYPES",
    "EventVoided",
    "MAX_RECORD_BYTES",
    "LedgerEvent",
    "MeetingHeld",
    "RequestFulfilled",
    "TrainingDelivered",
    "event_adapter",
]
