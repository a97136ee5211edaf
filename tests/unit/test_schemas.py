"""The published JSON Schema files under schemas/ match the event models."""

import json

import pytest
from jsonschema import Draft202012Validator

from ledger.contract import event_adapter
from ledger.contract.schema import DEFAULT_DIR, UNION_FILE, json_schemas, render
from ledger.producer.demo import demo_batch

REGENERATE = "regenerate with: PYTHONPATH=services python -m ledger.contract.schema"


@pytest.mark.parametrize("name", sorted(json_schemas()))
def test_the_published_schema_matches_the_models(name):
    path = DEFAULT_DIR / name
    assert path.exists(), f"schemas/{name} is missing; {REGENERATE}"
    published = json.loads(path.read_text(encoding="utf-8"))
    assert published == json_schemas()[name], f"schemas/{name} drifted; {REGENERATE}"


def test_no_stale_schema_files_are_published():
    published = {path.name for path in DEFAULT_DIR.glob("*.schema.json")}
    assert published == set(json_schemas()), f"stale files in schemas/; {REGENERATE}"


def test_schemas_are_written_pretty_with_sorted_keys_and_a_final_newline():
    text = render({"b": 1, "a": {"d": 2, "c": 3}})
    assert text == '{\n  "a": {\n    "c": 3,\n    "d": 2\n  },\n  "b": 1\n}\n'


def test_the_union_schema_is_draft_2020_12_with_a_title():
    union = json_schemas()[UNION_FILE]
    assert union["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert union["title"] == "LedgerEvent"
    assert union["discriminator"]["propertyName"] == "event_type"


def test_demo_events_carry_exactly_the_properties_their_schema_publishes():
    schemas = json_schemas()
    for event in demo_batch(300, seed=12):
        wire = json.loads(event_adapter().dump_json(event))
        schema = schemas[f"{event.event_type}.schema.json"]
        assert set(schema["required"]) <= set(wire) <= set(schema["properties"])


@pytest.mark.parametrize("name", ["event_voided.schema.json", UNION_FILE])
def test_the_schemas_refuse_a_void_carrying_supersedes(name):
    void = {
        "event_id": "5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d",
        "schema_version": 1,
        "event_type": "event_voided",
        "occurred_at": "2025-03-15T09:00:00Z",
        "region": "APAC",
        "source": "training-portal",
        "voids": "9d2c1f4e-7a3b-4c5d-8e6f-0a1b2c3d4e5f",
        "reason": "entered twice",
    }
    validator = Draft202012Validator(json_schemas()[name])
    assert validator.is_valid(void)
    assert not validator.is_valid({**void, "supersedes": void["voids"]})
    assert not validator.is_valid({**void, "supersedes": None})
