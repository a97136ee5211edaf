"""`ledger emit`: where the event text comes from, and what is filled in."""

import io
import json
import uuid

import pytest

from ledger.errors import InvalidEventError
from ledger.producer import LedgerProducer, MemoryTransport
from ledger.producer.emit import emit, read_event_text


@pytest.fixture
def transport():
    return MemoryTransport()


@pytest.fixture
def producer(transport):
    return LedgerProducer("unused:9092", transport=transport)


def test_inline_json_is_taken_as_is():
    assert read_event_text(' {"a": 1}') == ' {"a": 1}'


def test_an_at_path_and_a_plain_path_are_read(tmp_path):
    path = tmp_path / "event.json"
    path.write_text('{"a": 1}', encoding="utf-8")
    assert read_event_text(f"@{path}") == read_event_text(str(path)) == '{"a": 1}'


@pytest.mark.parametrize("arg", [None, "-"])
def test_none_or_a_dash_reads_stdin(arg):
    assert read_event_text(arg, stdin=io.StringIO('{"b": 2}')) == '{"b": 2}'


def test_a_missing_file_is_an_invalid_event_naming_the_path(tmp_path):
    with pytest.raises(InvalidEventError, match="nope.json"):
        read_event_text(f"@{tmp_path / 'nope.json'}")


def test_emit_publishes_and_returns_the_given_event_id(producer, transport, event):
    assert emit(json.dumps(event()), producer) == event()["event_id"]
    assert len(transport.records) == 1


def test_a_missing_event_id_and_schema_version_are_filled_in(producer, event):
    fields = event()
    del fields["event_id"], fields["schema_version"]
    assert uuid.UUID(emit(json.dumps(fields), producer)).version == 4


def test_a_missing_occurred_at_is_not_filled_in(producer, transport, event):
    fields = event()
    del fields["occurred_at"]
    with pytest.raises(InvalidEventError, match="occurred_at"):
        emit(json.dumps(fields), producer)
    assert transport.records == []


@pytest.mark.parametrize("text", ["{oops", "[]", '"meeting_held"'])
def test_text_that_is_not_one_json_object_is_rejected(producer, text):
    with pytest.raises(InvalidEventError):
        emit(text, producer)


EARLIER = "9d2c1f4e-7a3b-4c5d-8e6f-0a1b2c3d4e5f"
VOID = {
    "event_type": "event_voided",
    "occurred_at": "2026-11-21T09:15:00Z",
    "region": "APAC",
    "source": "ops-desk",
    "voids": EARLIER,
    "reason": "entered twice",
}


def test_a_correction_is_emitted_with_its_supersedes(producer, transport, event):
    fields = event("training_delivered", supersedes=EARLIER)
    del fields["event_id"]
    event_id = emit(json.dumps(fields), producer)
    [record] = transport.records
    assert json.loads(record.value)["supersedes"] == EARLIER
    assert json.loads(record.value)["event_id"] == event_id


def test_a_void_is_emitted_with_its_ids_filled_in(producer, transport):
    event_id = emit(json.dumps(VOID), producer)
    [record] = transport.records
    assert record.key == b"APAC"
    assert json.loads(record.value) == {
        **VOID,
        "event_id": event_id,
        "schema_version": 1,
    }


def test_a_void_carrying_supersedes_is_not_emitted(producer, transport):
    with pytest.raises(InvalidEventError, match="cannot carry supersedes"):
        emit(json.dumps({**VOID, "supersedes": EARLIER}), producer)
    assert transport.records == []
