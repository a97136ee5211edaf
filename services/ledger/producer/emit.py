"""One event from the command line (`ledger emit`): read it, fill ids, publish."""

import json
import sys
import uuid
from pathlib import Path
from typing import TextIO

from ledger.errors import InvalidEventError
from ledger.producer.client import LedgerProducer


def read_event_text(arg: str | None, stdin: TextIO | None = None) -> str:
    """JSON text from inline JSON, `@file`, a file path, or None or `-` (stdin)."""
    if arg is None or arg == "-":
        return (stdin or sys.stdin).read()
    if arg.lstrip().startswith("{"):
        return arg
    path = Path(arg.removeprefix("@"))
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidEventError(
            f"cannot read an event from {str(path)!r}: {exc}"
        ) from exc


def emit(text: str, producer: LedgerProducer) -> str:
    """Publish one event given as a JSON object; returns its event_id.

    Corrections are events too: an activity with `supersedes`, or an
    `event_voided`, go through the same contract as any other event.

    Only `event_id` (a new uuid4) and `schema_version` (1) are filled in when
    missing, for convenience; every other field is required as the contract says.
    """
    try:
        fields = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidEventError(f"the event is not valid JSON: {exc}") from exc
    if not isinstance(fields, dict):
        raise InvalidEventError("the event must be one JSON object")
    return producer.publish(
        {"event_id": str(uuid.uuid4()), "schema_version": 1, **fields}
    )
