"""Fixtures for unit tests: valid events in their wire (JSON-shaped) form."""

from typing import Any

import pytest

import wire

COMMON = {
    "event_id": "0b7f3c1e-2f4a-4d8e-9a51-3f1c2d4e5f60",
    "occurred_at": "2025-03-14T10:30:00+08:00",
    **wire.COMMON,
}


@pytest.fixture
def event():
    """Factory: a valid event of a type as a dict, with any fields changed."""

    def make(event_type: str = "meeting_held", **changes: Any) -> dict[str, Any]:
        return {
            **COMMON,
            "event_type": event_type,
            **wire.OWN_FIELDS[event_type],
            **changes,
        }

    return make
