"""The published JSON Schema files under schemas/ match the event models."""

import json

import pytest

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
