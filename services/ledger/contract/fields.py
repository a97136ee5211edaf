"""Field types the events share, each taking only the JSON form the contract names.

The checks that narrow a type's JSON form (a hyphenated UUID, RFC 3339 text, the
integer 1) run twice over: as Python validators for Python input, and, for JSON
input (every record the stream reads), as pydantic-core's own string, pattern and
integer checks (``JsonChecks``) that give the same outcome without a Python call.
"""

import re
from datetime import UTC, datetime
from functools import cache
from typing import Annotated, Any, Literal
from uuid import UUID

import pycountry
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BeforeValidator,
    Field,
    Strict,
    StringConstraints,
)
from pydantic_core import PydanticCustomError

from ledger.contract.json_checks import JsonChecks, text_matching, typed

# A signed 32-bit integer, as other teams' Java and Go types hold it; it also keeps
# the ledger's sums of counts far inside the 64-bit integers its stored state holds.
MAX_COUNT = 2**31 - 1
UUID_PATTERN = r"^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$"
RFC3339_PATTERN = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?"
    r"(?:[Zz]|[+-][0-9]{2}:[0-9]{2})$"
)
_UUID = re.compile(UUID_PATTERN)
_RFC3339 = re.compile(RFC3339_PATTERN)


def _uuid_text(value: Any) -> Any:
    """The UUID parser also takes braces, URNs and bare hex; the contract does not."""
    if isinstance(value, str) and not _UUID.fullmatch(value):
        raise ValueError("not written as a hyphenated UUID")
    return value


def _timestamp_text(value: Any) -> Any:
    """The datetime parser also takes Unix numbers and other ISO 8601 spellings."""
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise PydanticCustomError("datetime_type", "Input should be a valid datetime")
    if not _RFC3339.fullmatch(value):
        raise ValueError("not written as an RFC 3339 date-time with an offset")
    return value


def _json_integer(value: Any) -> Any:
    """A Literal[1] would take true and 1.0, which equal 1 in Python."""
    if type(value) is not int:
        raise ValueError("must be the JSON integer 1")
    return value


def _in_utc_years(value: datetime) -> datetime:
    """The ledger works in UTC; an instant outside its years 1-9999 cannot be kept.
    An offset is under a day, so only years 1 and 9999 can leave them."""
    if 1 < value.year < 9999:
        return value
    try:
        value.astimezone(UTC)
    except OverflowError:
        raise ValueError("the instant in UTC is outside years 0001-9999") from None
    return value


@cache
def _iso_countries() -> frozenset[str]:
    return frozenset(country.alpha_2 for country in pycountry.countries)


def _assigned_country(code: str) -> str:
    if code not in _iso_countries():
        raise ValueError(f"{code!r} is not an assigned ISO 3166-1 alpha-2 code")
    return code


def text(max_length: int) -> type[str]:
    """1 to max_length characters once Unicode white space is trimmed off the ends."""
    return Annotated[  # type: ignore[return-value]
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length),
    ]


# Each type as its Python validators check it, for any input; the types below add
# the same checks done by pydantic-core for JSON input (``JsonChecks``).
# After a before-validator the parser sees a Python str, which strict mode refuses;
# _timestamp_text has already narrowed the input to RFC 3339 text or a datetime.
_Instant = Annotated[AwareDatetime, Strict(False), AfterValidator(_in_utc_years)]
PythonEventId = Annotated[UUID, BeforeValidator(_uuid_text)]
PythonSchemaVersion = Annotated[Literal[1], BeforeValidator(_json_integer)]
PythonTimestamp = Annotated[_Instant, BeforeValidator(_timestamp_text)]

EventId = Annotated[
    PythonEventId,
    JsonChecks(
        (
            typed("str", "uuid_type"),
            text_matching(UUID_PATTERN, "not written as a hyphenated UUID"),
        ),
        Annotated[UUID, Strict(False)],
    ),
    Field(json_schema_extra={"pattern": UUID_PATTERN}),
]
SchemaVersion = Annotated[
    PythonSchemaVersion,
    JsonChecks(
        (typed("int", "value_error", "must be the JSON integer 1"),), Literal[1]
    ),
]
Timestamp = Annotated[
    PythonTimestamp,
    JsonChecks(
        (
            typed("str", "datetime_type"),
            text_matching(
                RFC3339_PATTERN, "not written as an RFC 3339 date-time with an offset"
            ),
        ),
        _Instant,
    ),
    Field(
        description="RFC 3339 with an offset",
        json_schema_extra={"pattern": RFC3339_PATTERN},
    ),
]
Region = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9_-]{2,16}$")]
Country = Annotated[
    str, StringConstraints(pattern=r"^[A-Z]{2}$"), AfterValidator(_assigned_country)
]
Count = Annotated[int, Field(ge=1, le=MAX_COUNT)]
Hours = Annotated[float, Field(gt=0, le=1000, allow_inf_nan=False)]
