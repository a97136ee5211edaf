"""LedgerProducer: validates events against the contract and publishes them to Kafka."""

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, NamedTuple, Protocol
from uuid import UUID

import structlog
from kafka.errors import KafkaError
from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticSerializationError, to_json

from ledger.contract import MAX_RECORD_BYTES, event_adapter
from ledger.errors import InvalidEventError, PublishError
from ledger.producer.corrections import DEFAULT_SOURCE, amended, voiding
from ledger.producer.kafka_transport import DELIVERY_TIMEOUT_S, kafka_transport

DEFAULT_TOPIC = "partnership-activity"
EventInput = BaseModel | dict[str, Any] | str | bytes

log = structlog.get_logger()


class Transport(Protocol):
    """The part of kafka-python's KafkaProducer that LedgerProducer uses."""

    def send(self, topic: str, key: bytes | None = ..., value: bytes = ...) -> Any: ...
    def flush(self) -> None: ...
    def close(self) -> None: ...


class Outgoing(NamedTuple):
    """A validated event in its wire form."""

    event_id: str
    key: bytes
    value: bytes


class LedgerProducer:
    """Publishes contract-valid events keyed by region; waits for the broker's ack.

    ``security`` holds kafka-python's connection settings for a secured cluster,
    e.g. ``{"security_protocol": "SASL_SSL", "sasl_mechanism": "SCRAM-SHA-512",
    "sasl_plain_username": ..., "sasl_plain_password": ..., "ssl_cafile": ...}``.
    """

    def __init__(
        self,
        bootstrap: str,
        topic: str = DEFAULT_TOPIC,
        *,
        transport: Transport | None = None,
        security: Mapping[str, Any] | None = None,
    ) -> None:
        self.topic = topic
        if transport is None:
            transport = self._call(kafka_transport, bootstrap, security=security)
        self._transport = transport

    def publish(self, event: EventInput) -> str:
        """Validate, send and wait for the ack; returns the event_id."""
        return self._wait(*self._send(outgoing(event)))

    def publish_many(self, events: Iterable[EventInput]) -> list[str]:
        """Validate all, send all, then wait for every ack; event_ids in order."""
        ready = [outgoing(event) for event in events]
        pending = [self._send(record) for record in ready]
        return [self._wait(*sent) for sent in pending]

    def amend(self, original_event_id: UUID | str, corrected_event: EventInput) -> str:
        """Publish `corrected_event` superseding the original (fresh uuid4 if it
        has no event_id); returns its event_id."""
        return self.publish(amended(original_event_id, corrected_event))

    def void(
        self,
        event_id: UUID | str,
        region: str,
        reason: str,
        *,
        source: str = DEFAULT_SOURCE,
        occurred_at: datetime | str | None = None,
    ) -> str:
        """Retract an event of `region`: publish an event_voided; returns its id."""
        return self.publish(voiding(event_id, region, reason, source, occurred_at))

    def flush(self) -> None:
        self._call(self._transport.flush)

    def close(self) -> None:
        self._call(self._transport.close)

    def __enter__(self) -> "LedgerProducer":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _send(self, record: Outgoing) -> tuple[str, Any]:
        send = self._transport.send
        future = self._call(send, self.topic, key=record.key, value=record.value)
        return record.event_id, future

    def _wait(self, event_id: str, future: Any) -> str:
        self._call(future.get, timeout=DELIVERY_TIMEOUT_S + 5)
        log.debug("event_published", event_id=event_id, topic=self.topic)
        return event_id

    def _call(self, action: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return action(*args, **kwargs)
        except KafkaError as exc:
            raise PublishError(self.topic, exc) from exc


def outgoing(event: EventInput) -> Outgoing:
    """Validate through the wire (JSON) form, as a consumer will, and encode it."""
    try:
        raw = event if isinstance(event, str | bytes) else to_json(event)
        valid = event_adapter().validate_json(raw)
    except ValidationError as exc:
        raise InvalidEventError.from_validation(exc) from exc
    except PydanticSerializationError as exc:
        raise InvalidEventError(f"event is not JSON-serialisable: {exc}") from exc
    # supersedes is the one field that may be null: leave it out when it is, so
    # an event that corrects nothing is sent as it was before corrections existed.
    value = event_adapter().dump_json(valid, exclude_none=True)
    if len(value) > MAX_RECORD_BYTES:
        size = f"{len(value)} bytes, over the {MAX_RECORD_BYTES}-byte limit"
        raise InvalidEventError(f"event {valid.event_id} is {size}")
    return Outgoing(str(valid.event_id), valid.region.encode("utf-8"), value)
