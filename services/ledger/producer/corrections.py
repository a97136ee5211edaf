"""Corrections as producers write them: an activity that supersedes one, or a void."""

import json
import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from pydantic_core import PydanticSerializationError, to_json

from ledger.errors import InvalidEventError

if TYPE_CHECKING:
    from ledger.producer.client import EventInput

DEFAULT_SOURCE = "ledger-producer"


def amended(original_event_id: UUID | str, corrected: "EventInput") -> dict[str, Any]:
    """The corrected event, with its own event_id, superseding the original."""
    fields = _fields_of(corrected)
    original = str(original_event_id)
    if fields.get("event_type") == "event_voided":
        raise InvalidEventError("amend takes an activity; retract an event with void")
    fields.setdefault("event_id", str(uuid.uuid4()))
    if _same_id(fields["event_id"], original):
        raise InvalidEventError(
            f"the corrected event needs an event_id of its own, not {original} "
            "(leave event_id out for a fresh one)"
        )
    named = fields.get("supersedes")
    if named is not None and not _same_id(named, original):
        raise InvalidEventError(
            f"the corrected event supersedes {named}, not the original {original}"
        )
    return {**fields, "supersedes": original}


def voiding(
    event_id: UUID | str,
    region: str,
    reason: str,
    source: str = DEFAULT_SOURCE,
    occurred_at: datetime | str | None = None,
) -> dict[str, Any]:
    """An event_voided with a fresh event_id, placed now (UTC) unless told when."""
    return {
        "event_id": str(uuid.uuid4()),
        "schema_version": 1,
        "event_type": "event_voided",
        "occurred_at": datetime.now(UTC) if occurred_at is None else occurred_at,
        "region": region,
        "source": source,
        "voids": str(event_id),
        "reason": reason,
    }


def _fields_of(event: "EventInput") -> dict[str, Any]:
    """A copy of the event's fields: a dict as given, a model or JSON text decoded."""
    if isinstance(event, dict):
        return dict(event)
    try:
        raw = event if isinstance(event, str | bytes) else to_json(event)
        fields = json.loads(raw)
    except (ValueError, PydanticSerializationError) as exc:  # UTF-8 and JSON errors
        raise InvalidEventError(f"the corrected event is no JSON: {exc}") from exc
    if not isinstance(fields, dict):
        raise InvalidEventError("the corrected event must be one JSON object")
    return fields


def _same_id(given: Any, original: str) -> bool:
    """The same UUID however spelt; text that is no UUID is left to the contract."""
    try:
        return UUID(str(given)) == UUID(original)
    except ValueError:
        return str(given) == original
