"""Valid events in their wire (JSON-shaped) form, shared by the tests."""

import json
import uuid

COMMON = {
    "schema_version": 1,
    "region": "APAC",
    "country": "TW",
    "agency": "Criminal Investigation Bureau",
    "source": "exec-crm",
}


def wire_event(event_type: str, occurred_at: str, **fields) -> dict:
    """A valid-looking event with a fresh event_id; any field can be changed."""
    base = {"event_id": str(uuid.uuid4()), "occurred_at": occurred_at, **COMMON}
    return {**base, "event_type": event_type, **fields}


def raw_record(event: dict) -> tuple[bytes, bytes]:
    """An event as the record a producer sends: keyed by its region."""
    return event["region"].encode(), json.dumps(event).encode()
