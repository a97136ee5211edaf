"""The JSON side of a field type, checked by pydantic-core alone.

A Python validator costs a call per field per record; for JSON input (every record
the stream admits) the same narrowing is done by pydantic-core's own strict type
check and pattern match, each raising the error the Python validator raises (same
type, same message), then the rest of the type as pydantic builds it. Python input
keeps the Python validators, and the published JSON Schema is the Python side's.
"""

from dataclasses import dataclass
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic_core import CoreSchema, core_schema

_STRICT_TYPES = {
    "str": core_schema.str_schema(strict=True),
    "int": core_schema.int_schema(strict=True),
}


def typed(json_type: str, error_type: str, reason: str | None = None) -> CoreSchema:
    """Only a JSON value of ``json_type`` ("str" or "int"), else ``error_type``
    (pydantic's message for it; a ``value_error`` says ``reason``)."""
    return _with_error(_STRICT_TYPES[json_type], error_type, reason)


def text_matching(pattern: str, reason: str) -> CoreSchema:
    """Text matching ``pattern`` in full, else a ``value_error`` saying ``reason``."""
    return _with_error(
        core_schema.str_schema(pattern=pattern, strict=True), "value_error", reason
    )


def _with_error(schema: CoreSchema, error_type: str, reason: str | None) -> CoreSchema:
    context = None if reason is None else {"error": reason}
    return core_schema.custom_error_schema(
        schema, custom_error_type=error_type, custom_error_context=context
    )


@dataclass(frozen=True, eq=False)  # hashed by identity: the checks are dicts
class JsonChecks:
    """Annotated metadata: for JSON input, ``checks`` in turn, then ``rest``."""

    checks: tuple[CoreSchema, ...]
    rest: Any

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return core_schema.json_or_python_schema(
            json_schema=core_schema.chain_schema(
                [*self.checks, handler.generate_schema(self.rest)]
            ),
            python_schema=handler(source),
        )

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict:
        return handler(schema["python_schema"])
