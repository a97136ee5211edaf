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

OWN_FIELDS = {
    "meeting_held": {"participants": 4, "topics": ["scam centres"]},
    "training_delivered": {
        "course": "Cryptocurrency tracing",
        "units": 3,
        "attendees": 120,
        "hours": 8,
        "delivery": "hybrid",
    },
    "request_fulfilled": {
        "request_id": "LER-2025-000042",
        "request_type": "disclosure",
        "received_at": "2025-03-13T09:00:00+08:00",
    },
}


def wire_event(event_type: str, occurred_at: str, **fields) -> dict:
    """A valid-looking event with a fresh event_id; any field can be changed."""
    base = {"event_id": str(uuid.uuid4()), "occurred_at": occurred_at, **COMMON}
    return {**base, "event_type": event_type, **fields}


def raw_record(event: dict) -> tuple[bytes, bytes]:
    """An event as the record a producer sends: keyed by its region."""
    return event["region"].encode(), json.dumps(event).encode()
