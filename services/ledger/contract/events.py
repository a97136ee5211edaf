"""Partnership activity events: past-tense facts, one pydantic model per event type."""

from functools import cache
from typing import Annotated, Literal
from uuid import UUID

import pycountry
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    model_validator,
)

MAX_RECORD_BYTES = 64 * 1024
EVENT_TYPES = ("meeting_held", "training_delivered", "request_fulfilled")
REQUEST_TYPES = ("disclosure", "freeze", "seizure", "emergency", "other")


@cache
def _iso_countries() -> frozenset[str]:
    return frozenset(country.alpha_2 for country in pycountry.countries)


def _assigned_country(code: str) -> str:
    if code not in _iso_countries():
        raise ValueError(f"{code!r} is not an assigned ISO 3166-1 alpha-2 code")
    return code


Region = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9_-]{2,16}$")]
Country = Annotated[
    str, StringConstraints(pattern=r"^[A-Z]{2}$"), AfterValidator(_assigned_country)
]
Timestamp = Annotated[AwareDatetime, Field(description="RFC 3339 with an offset")]


def _text(max_length: int) -> type[str]:
    return Annotated[  # type: ignore[return-value]
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length),
    ]


class _Event(BaseModel):
    """Fields every event carries."""

    model_config = ConfigDict(frozen=True, strict=True, extra="ignore")

    event_id: UUID = Field(description="UUID; the de-duplication key")
    schema_version: Literal[1] = Field(description="Contract version, 1")
    occurred_at: Timestamp = Field(description="When it happened (event time)")
    region: Region = Field(description="Upper-case region code, e.g. APAC")
    country: Country = Field(description="ISO 3166-1 alpha-2, e.g. TW")
    agency: _text(200) = Field(description="Partner agency name")
    source: _text(64) = Field(description="Emitting service")


class MeetingHeld(_Event):
    """An executive met a law-enforcement partner."""

    event_type: Literal["meeting_held"]
    participants: int = Field(ge=1)
    topics: list[str] = Field(default_factory=list)


class TrainingDelivered(_Event):
    """A course was delivered to law-enforcement units."""

    event_type: Literal["training_delivered"]
    course: _text(200)
    units: int = Field(ge=1, description="Law-enforcement units attending")
    attendees: int = Field(ge=1, description="Officers trained")
    hours: float = Field(gt=0, le=1000)
    delivery: Literal["in_person", "virtual", "hybrid"]


class RequestFulfilled(_Event):
    """The operations team fulfilled a law-enforcement request."""

    event_type: Literal["request_fulfilled"]
    request_id: _text(64)
    request_type: Literal["disclosure", "freeze", "seizure", "emergency", "other"]
    received_at: Timestamp = Field(description="When the request came in")

    @model_validator(mode="after")
    def _received_before_fulfilled(self) -> "RequestFulfilled":
        if self.received_at > self.occurred_at:
            raise ValueError("received_at is after occurred_at")
        return self

    @property
    def turnaround_hours(self) -> float:
        return (self.occurred_at - self.received_at).total_seconds() / 3600


LedgerEvent = Annotated[
    MeetingHeld | TrainingDelivered | RequestFulfilled,
    Field(discriminator="event_type"),
]


@cache
def event_adapter() -> TypeAdapter[LedgerEvent]:
    """The one validator for every event, on the write side and the stream side."""
    return TypeAdapter(LedgerEvent)
