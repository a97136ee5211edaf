"""Corrections in the contract: `supersedes` on an activity, and `event_voided`."""

import json
from typing import Any

import pytest
from pydantic import ValidationError

from ledger.contract import EventVoided, event_adapter
from ledger.rules.intake import admit

EARLIER = "9d2c1f4e-7a3b-4c5d-8e6f-0a1b2c3d4e5f"
VOID_ID = "5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d"


@pytest.fixture
def void():
    """Factory: a valid event_voided as a dict, with any fields changed."""

    def make(**changes: Any) -> dict[str, Any]:
        return {
            "event_id": VOID_ID,
            "schema_version": 1,
            "event_type": "event_voided",
            "occurred_at": "2025-03-15T09:00:00Z",
            "region": "APAC",
            "source": "training-portal",
            "voids": EARLIER,
            "reason": "attendees typed as 10400, not 1040",
            **changes,
        }

    return make


def parse(fields: dict[str, Any]):
    return event_adapter().validate_json(json.dumps(fields))


def rejection(fields: dict[str, Any]) -> tuple[str, str]:
    """What the ledger's intake says: reason and detail."""
    got = admit(b"APAC", json.dumps(fields).encode())
    return got.reason, got.detail


@pytest.mark.parametrize(
    "event_type", ["meeting_held", "training_delivered", "request_fulfilled"]
)
def test_every_activity_may_supersede_an_earlier_event(event, event_type):
    parsed = parse(event(event_type, supersedes=EARLIER))
    assert str(parsed.supersedes) == EARLIER


def test_supersedes_left_out_or_null_supersedes_nothing(event):
    assert parse(event()).supersedes is None
    assert parse(event(supersedes=None)).supersedes is None


def test_an_event_superseding_itself_is_rejected(event):
    itself = event(supersedes=event()["event_id"].upper())
    assert rejection(itself) == (
        "invalid_field",
        "record: Value error, supersedes names the event itself",
    )


@pytest.mark.parametrize(
    "supersedes", ["not-a-uuid", EARLIER.replace("-", ""), f"{{{EARLIER}}}", "", 7]
)
def test_supersedes_must_be_a_hyphenated_uuid(event, supersedes):
    reason, detail = rejection(event(supersedes=supersedes))
    assert (reason, detail.split(":")[0]) == ("invalid_field", "supersedes")


def test_a_valid_void_parses_to_event_voided(void):
    parsed = parse(void())
    assert type(parsed) is EventVoided
    assert (str(parsed.voids), parsed.reason) == (EARLIER, void()["reason"])


@pytest.mark.parametrize(
    "name", ["voids", "reason", "region", "source", "event_id", "occurred_at"]
)
def test_every_field_of_a_void_is_required(void, name):
    fields = void()
    del fields[name]
    assert rejection(fields)[0] == "missing_field"


@pytest.mark.parametrize("reason", ["", "   ", "\n\t", "r" * 501, None, 5])
def test_a_void_needs_a_reason_of_1_to_500_characters(void, reason):
    detail = rejection(void(reason=reason))[1]
    assert detail.startswith("reason:")


def test_a_reason_is_trimmed_and_may_be_500_characters(void):
    assert parse(void(reason=f"  {'r' * 500}\n")).reason == "r" * 500


def test_a_void_of_itself_is_rejected(void):
    assert rejection(void(voids=VOID_ID)) == (
        "invalid_field",
        "record: Value error, voids names the event itself",
    )


@pytest.mark.parametrize("voids", ["not-a-uuid", EARLIER.replace("-", ""), None])
def test_voids_must_be_a_hyphenated_uuid(void, voids):
    reason, detail = rejection(void(voids=voids))
    assert (reason, detail.split(":")[0]) == ("invalid_field", "voids")


@pytest.mark.parametrize("supersedes", [EARLIER, None])
def test_a_void_carrying_supersedes_is_rejected_not_ignored(void, supersedes):
    assert rejection(void(supersedes=supersedes)) == (
        "invalid_field",
        "record: Value error, event_voided cannot carry supersedes",
    )


def test_a_void_carrying_supersedes_is_rejected_by_the_model_too(void):
    with pytest.raises(ValidationError, match="event_voided cannot carry supersedes"):
        EventVoided.model_validate(void(supersedes=EARLIER), strict=False)


def test_country_and_agency_on_a_void_are_ignored(void):
    parsed = parse(void(country="TW", agency="Criminal Investigation Bureau"))
    assert not hasattr(parsed, "country") and not hasattr(parsed, "agency")
    assert b"country" not in event_adapter().dump_json(parsed)


def test_a_void_is_keyed_by_its_region_like_any_event(void):
    got = admit(b"EMEA", json.dumps(void()).encode())
    assert got.reason == "key_mismatch"
