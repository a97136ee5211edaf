"""Partnership activity events: past-tense facts, one pydantic model per event type."""

from functools import cache
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator

from ledger.contract.fields import (
    Count,
    Country,
    EventId,
    Hours,
    Region,
    SchemaVersion,
    Timestamp,
    text,
)

MAX_RECORD_BYTES = 64 * 1024
ACTIVITY_TYPES = ("meeting_held", "training_delivered", "request_fulfilled")
EVENT_TYPES = (*ACTIVITY_TYPES, "event_voided")
REQUEST_TYPES = ("disclosure", "freeze", "seizure", "emergency", "other")


class _Common(BaseModel):
    """Fields every event carries, corrections included."""

    model_config = ConfigDict(frozen=True, strict=True, extra="ignore")

    event_id: EventId = Field(description="UUID; the de-duplication key")
    schema_version: SchemaVersion = Field(description="Contract version, 1")
    occurred_at: Timestamp = Field(description="When it happened (event time)")
    region: Region = Field(description="Upper-case region code, e.g. APAC")
    source: text(64) = Field(description="Emitting service")


class _Event(_Common):
    """Fields every activity carries: where, with whom, and what it corrects."""

    country: Country = Field(description="ISO 3166-1 alpha-2, e.g. TW")
    agency: text(200) = Field(description="Partner agency name")
    supersedes: EventId | None = Field(
        default=None,
        description="event_id of an earlier event of the same region that this one "
        "replaces: the earlier one stops counting, this one counts in its place",
    )

    @model_validator(mode="after")
    def _not_itself(self) -> "_Event":
        if self.supersedes == self.event_id:
            raise ValueError("supersedes names the event itself")
        return self


class MeetingHeld(_Event):
    """An executive met a law-enforcement partner."""

    event_type: Literal["meeting_held"]
    participants: Count
    topics: list[str] = Field(default_factory=list)


class TrainingDelivered(_Event):
    """A course was delivered to law-enforcement units."""

    event_type: Literal["training_delivered"]
    course: text(200)
    units: Count = Field(description="Law-enforcement units attending")
    attendees: Count = Field(description="Officers trained")
    hours: Hours
    delivery: Literal["in_person", "virtual", "hybrid"]


class RequestFulfilled(_Event):
    """The operations team fulfilled a law-enforcement request."""

    event_type: Literal["request_fulfilled"]
    request_id: text(64)
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


class EventVoided(_Common):
    """An earlier event of the same region was wrong and no longer counts anywhere."""

    # A void replaces nothing: say so in the schema, and refuse it rather than
    # let extra="ignore" drop it silently.
    model_config = ConfigDict(json_schema_extra={"not": {"required": ["supersedes"]}})

    event_type: Literal["event_voided"]
    voids: EventId = Field(description="event_id of the event to retract")
    reason: text(500) = Field(description="Why it is retracted, for the record")

    @model_validator(mode="before")
    @classmethod
    def _replaces_nothing(cls, data: Any) -> Any:
        if isinstance(data, dict) and "supersedes" in data:
            raise ValueError("event_voided cannot carry supersedes")
        return data

    @model_validator(mode="after")
    def _not_itself(self) -> "EventVoided":
        if self.voids == self.event_id:
            raise ValueError("voids names the event itself")
        return self


Activity = MeetingHeld | TrainingDelivered | RequestFulfilled

LedgerEvent = Annotated[
    MeetingHeld | TrainingDelivered | RequestFulfilled | EventVoided,
    Field(discriminator="event_type"),
]


@cache
def event_adapter() -> TypeAdapter[LedgerEvent]:
    """The one validator for every event, on the write side and the stream side."""
    return TypeAdapter(LedgerEvent)
