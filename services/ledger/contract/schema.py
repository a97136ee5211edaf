"""JSON Schema files generated from the event models, for teams not writing Python."""

import json
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ledger.contract.events import (
    EventVoided,
    MeetingHeld,
    RequestFulfilled,
    TrainingDelivered,
    event_adapter,
)

DRAFT = "https://json-schema.org/draft/2020-12/schema"
DEFAULT_DIR = Path(__file__).resolve().parents[3] / "schemas"
UNION_FILE = "ledger-event.schema.json"
_UNION_DESCRIPTION = (
    "One partnership activity event, as one JSON object (UTF-8) per record on the "
    "partnership-activity topic, keyed by its region; event_type picks the shape."
)


def json_schemas() -> dict[str, dict[str, Any]]:
    """File name -> schema: the union plus one file per event type."""
    union = event_adapter().json_schema()
    union = {"title": "LedgerEvent", "description": _UNION_DESCRIPTION, **union}
    schemas = {UNION_FILE: _published(UNION_FILE, union)}
    for model in (MeetingHeld, TrainingDelivered, RequestFulfilled, EventVoided):
        name = f"{_event_type(model)}.schema.json"
        schemas[name] = _published(name, model.model_json_schema())
    return schemas


def write(directory: Path = DEFAULT_DIR) -> list[Path]:
    """Write every schema as pretty, key-sorted JSON; returns the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, schema in json_schemas().items():
        path = directory / name
        path.write_text(render(schema), encoding="utf-8")
        paths.append(path)
    return paths


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _published(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"$schema": DRAFT, "$id": f"urn:partnership-ledger:schema:{name}", **schema}


def _event_type(model: type[BaseModel]) -> str:
    return model.model_fields["event_type"].annotation.__args__[0]


if __name__ == "__main__":
    for written in write(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DIR):
        print(written)
