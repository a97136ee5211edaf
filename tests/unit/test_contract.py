"""The wire contract, rule by rule, as a consumer sees it: JSON text in, model out."""

import json
from typing import Any

import pytest
from pydantic import ValidationError

from ledger.contract import (
    MeetingHeld,
    RequestFulfilled,
    TrainingDelivered,
    event_adapter,
)


def parse(fields: dict[str, Any]):
    return event_adapter().validate_json(json.dumps(fields))


def rejected_fields(fields: dict[str, Any]) -> list[str]:
    """The top-level fields named in the errors (loc[0] is the event_type tag)."""
    with pytest.raises(ValidationError) as caught:
        parse(fields)
    return [str(error["loc"][1]) for error in caught.value.errors()]


@pytest.mark.parametrize(
    ("event_type", "model"),
    [
        ("meeting_held", MeetingHeld),
        ("training_delivered", TrainingDelivered),
        ("request_fulfilled", RequestFulfilled),
    ],
)
def test_a_valid_event_of_each_type_parses_to_its_model(event, event_type, model):
    parsed = parse(event(event_type))
    assert type(parsed) is model
    assert parsed.occurred_at.utcoffset().total_seconds() == 8 * 3600


def test_fields_not_in_the_contract_are_ignored(event):
    parsed = parse(event(internal_note="not for the ledger"))
    assert not hasattr(parsed, "internal_note")


def test_topics_may_be_left_out_of_a_meeting(event):
    fields = event()
    del fields["topics"]
    assert parse(fields).topics == []


COMMON_FIELDS = (
    "event_id",
    "event_type",
    "schema_version",
    "occurred_at",
    "region",
    "country",
    "agency",
    "source",
)


@pytest.mark.parametrize("name", COMMON_FIELDS)
def test_every_common_field_is_required(event, name):
    fields = event()
    del fields[name]
    with pytest.raises(ValidationError):
        parse(fields)


@pytest.mark.parametrize(
    ("event_type", "name"),
    [
        ("meeting_held", "participants"),
        ("training_delivered", "course"),
        ("training_delivered", "units"),
        ("training_delivered", "attendees"),
        ("training_delivered", "hours"),
        ("training_delivered", "delivery"),
        ("request_fulfilled", "request_id"),
        ("request_fulfilled", "request_type"),
        ("request_fulfilled", "received_at"),
    ],
)
def test_every_type_specific_field_is_required(event, event_type, name):
    fields = event(event_type)
    del fields[name]
    assert rejected_fields(fields) == [name]


@pytest.mark.parametrize(
    ("event_type", "name", "value"),
    [
        ("meeting_held", "participants", "4"),
        ("meeting_held", "participants", 4.5),
        ("meeting_held", "topics", "scam centres"),
        ("meeting_held", "topics", [1, 2]),
        ("training_delivered", "hours", "8"),
        ("training_delivered", "course", 42),
        ("meeting_held", "event_id", "not-a-uuid"),
        ("meeting_held", "agency", None),
    ],
    ids=str,
)
def test_a_field_of_the_wrong_type_is_rejected(event, event_type, name, value):
    assert name in rejected_fields(event(event_type, **{name: value}))


@pytest.mark.parametrize(
    ("event_type", "name"),
    [
        ("meeting_held", "participants"),
        ("training_delivered", "units"),
        ("training_delivered", "attendees"),
    ],
)
def test_a_bool_is_not_accepted_as_a_count(event, event_type, name):
    assert rejected_fields(event(event_type, **{name: True})) == [name]


@pytest.mark.parametrize(
    ("event_type", "name", "value"),
    [
        ("meeting_held", "participants", 0),
        ("training_delivered", "units", 0),
        ("training_delivered", "attendees", -3),
        ("training_delivered", "attendees", 2**31),
        ("training_delivered", "hours", 0),
        ("training_delivered", "hours", 1000.5),
        ("training_delivered", "delivery", "by_post"),
        ("request_fulfilled", "request_type", "subpoena"),
    ],
    ids=str,
)
def test_a_value_out_of_range_is_rejected(event, event_type, name, value):
    assert rejected_fields(event(event_type, **{name: value})) == [name]


def test_a_thousand_hours_is_the_most_a_training_may_last(event):
    assert parse(event("training_delivered", hours=1000)).hours == 1000
