"""For JSON input, the contract's types checked by pydantic-core alone
(``JsonChecks``) say exactly what their Python validators say: the same value, or
the same errors (type, place and message)."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from json_values import EDGES, FIELD_EDGES, KINDS, SHAPED, Raw
from pydantic import ConfigDict, TypeAdapter, ValidationError

from ledger.contract.fields import (
    EventId,
    PythonEventId,
    PythonSchemaVersion,
    PythonTimestamp,
    SchemaVersion,
    Timestamp,
)

STRICT = ConfigDict(strict=True)
TYPES = {
    "event_id": (EventId, PythonEventId),
    "schema_version": (SchemaVersion, PythonSchemaVersion),
    "occurred_at": (Timestamp, PythonTimestamp),
}
ANY_JSON = st.one_of(*KINDS.values())


def outcome(adapter: TypeAdapter, text: str):
    try:
        return "valid", adapter.validate_json(text)
    except ValidationError as error:
        problems = error.errors(include_url=False, include_input=False)
        return "invalid", [(p["type"], p["loc"], p["msg"]) for p in problems]


def assert_same(name: str, value) -> None:
    fast, by_python = (TypeAdapter(t, config=STRICT) for t in TYPES[name])
    text = value if type(value) is Raw else json.dumps(value)
    assert outcome(fast, text) == outcome(by_python, text), f"{name} = {text:.80}"


@pytest.mark.parametrize("name", sorted(TYPES))
@pytest.mark.parametrize("value", EDGES, ids=repr)
def test_edge_values_get_the_python_validators_outcome(name, value):
    assert_same(name, value)


@pytest.mark.parametrize("name", sorted(TYPES))
def test_each_fields_own_edges_get_the_python_validators_outcome(name):
    for value in FIELD_EDGES.get(name, []):
        assert_same(name, value)


@pytest.mark.parametrize("name", sorted(TYPES))
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_near_misses_and_any_json_get_the_python_validators_outcome(name, data):
    assert_same(name, data.draw(SHAPED[name] | ANY_JSON, label=name))


def test_the_python_side_still_takes_python_objects():
    from datetime import UTC, datetime
    from uuid import UUID

    moment = datetime(2025, 3, 14, tzinfo=UTC)
    event_id = UUID("6f1c6c2e-9a59-4f3b-9c1e-2b0f7a3c1d11")
    assert TypeAdapter(Timestamp, config=STRICT).validate_python(moment) == moment
    assert TypeAdapter(EventId, config=STRICT).validate_python(event_id) == event_id
