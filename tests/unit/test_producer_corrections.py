"""LedgerProducer.amend and .void against an in-memory transport."""

import json
import uuid
from datetime import UTC, datetime

import pytest

from ledger.contract import event_adapter
from ledger.errors import InvalidEventError
from ledger.producer import LedgerProducer, MemoryTransport

ORIGINAL = "0b7f3c1e-2f4a-4d8e-9a51-3f1c2d4e5f60"
CORRECTED = "7c0e9d2a-3b4f-4a5e-8d6c-1f2e3a4b5c6d"


@pytest.fixture
def transport():
    return MemoryTransport()


@pytest.fixture
def producer(transport):
    return LedgerProducer("unused:9092", "activity-test", transport=transport)


@pytest.fixture
def correction(event):
    """The original event, as a new event of its own with attendees fixed."""
    fields = event("training_delivered", attendees=1040)
    del fields["event_id"]
    return fields


def sent(transport) -> list[tuple[bytes, dict]]:
    return [(record.key, json.loads(record.value)) for record in transport.records]


def test_an_amendment_supersedes_the_original_under_a_fresh_event_id(
    producer, transport, correction
):
    event_id = producer.amend(ORIGINAL, correction)
    [(key, value)] = sent(transport)
    assert uuid.UUID(event_id).version == 4 and event_id != ORIGINAL
    assert (key, value["event_id"]) == (b"APAC", event_id)
    assert (value["supersedes"], value["attendees"]) == (ORIGINAL, 1040)


def test_an_amendment_keeps_an_event_id_it_was_given(producer, transport, correction):
    assert producer.amend(ORIGINAL, {**correction, "event_id": CORRECTED}) == CORRECTED


def test_a_dict_json_text_and_model_are_amended_the_same(
    producer, transport, correction
):
    fields = {**correction, "event_id": CORRECTED}
    producer.amend(ORIGINAL, fields)
    producer.amend(ORIGINAL, json.dumps(fields))
    producer.amend(ORIGINAL, json.dumps(fields).encode())
    producer.amend(ORIGINAL, event_adapter().validate_json(json.dumps(fields)))
    assert len({record.value for record in transport.records}) == 1


def test_a_model_that_already_supersedes_the_original_may_be_amended(
    producer, correction
):
    fields = {**correction, "event_id": CORRECTED, "supersedes": ORIGINAL.upper()}
    model = event_adapter().validate_json(json.dumps(fields))
    assert producer.amend(uuid.UUID(ORIGINAL), model) == CORRECTED


def test_the_original_event_id_is_not_the_corrections_own(
    producer, transport, correction
):
    with pytest.raises(InvalidEventError, match="event_id of its own"):
        producer.amend(ORIGINAL, {**correction, "event_id": ORIGINAL.upper()})
    assert transport.records == []


def test_a_correction_superseding_another_event_is_refused(
    producer, transport, correction
):
    with pytest.raises(InvalidEventError, match=f"supersedes {CORRECTED}, not"):
        producer.amend(ORIGINAL, {**correction, "supersedes": CORRECTED})
    assert transport.records == []


def test_a_void_cannot_be_amended(producer, transport):
    void = {"event_type": "event_voided", "voids": CORRECTED, "region": "APAC"}
    with pytest.raises(InvalidEventError, match="retract an event with void"):
        producer.amend(ORIGINAL, void)
    assert transport.records == []


@pytest.mark.parametrize(
    "text", ["{oops", "[1, 2]", '"training_delivered"', b"\xff{}", object()]
)
def test_text_that_is_not_one_json_object_is_not_amended(producer, text):
    with pytest.raises(InvalidEventError, match="corrected event"):
        producer.amend(ORIGINAL, text)


def test_an_invalid_correction_is_raised_before_anything_is_sent(
    producer, transport, correction
):
    with pytest.raises(InvalidEventError, match="attendees"):
        producer.amend(ORIGINAL, {**correction, "attendees": 0})
    with pytest.raises(InvalidEventError, match="supersedes"):
        producer.amend("not-a-uuid", correction)
    assert transport.records == []


def test_a_void_is_published_keyed_by_region_now_in_utc(producer, transport):
    before = datetime.now(UTC)
    event_id = producer.void(ORIGINAL, "EMEA", "entered twice")
    [(key, value)] = sent(transport)
    assert key == b"EMEA" and uuid.UUID(event_id).version == 4
    assert value == {
        "event_id": event_id,
        "schema_version": 1,
        "event_type": "event_voided",
        "occurred_at": value["occurred_at"],
        "region": "EMEA",
        "source": "ledger-producer",
        "voids": ORIGINAL,
        "reason": "entered twice",
    }
    placed = datetime.fromisoformat(value["occurred_at"])
    assert placed.utcoffset().total_seconds() == 0
    assert before <= placed <= datetime.now(UTC)


def test_a_void_takes_its_source_and_time_when_given(producer, transport):
    producer.void(
        uuid.UUID(ORIGINAL),
        "APAC",
        "wrong agency",
        source="exec-crm",
        occurred_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    )
    [(_, value)] = sent(transport)
    assert value["source"] == "exec-crm"
    assert value["occurred_at"] == "2026-01-02T03:04:05Z"


def test_each_void_is_a_new_event(producer):
    first = producer.void(ORIGINAL, "APAC", "entered twice")
    assert producer.void(ORIGINAL, "APAC", "entered twice") != first


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ((ORIGINAL, "APAC", "  "), "reason"),
        ((ORIGINAL, "APAC", "r" * 501), "reason"),
        ((ORIGINAL, "apac", "typo"), "region"),
        (("not-a-uuid", "APAC", "typo"), "voids"),
    ],
)
def test_an_invalid_void_is_raised_and_not_sent(producer, transport, args, field):
    with pytest.raises(InvalidEventError, match=field):
        producer.void(*args)
    assert transport.records == []


def test_a_naive_time_for_a_void_is_refused(producer):
    with pytest.raises(InvalidEventError, match="occurred_at"):
        producer.void(ORIGINAL, "APAC", "typo", occurred_at=datetime(2026, 1, 2))


def test_an_event_correcting_nothing_is_sent_without_supersedes(
    producer, transport, event
):
    producer.publish(event(supersedes=None))
    assert b"supersedes" not in transport.records[0].value
