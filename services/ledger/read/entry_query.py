"""What a request for entries asks: its filters, period, page size and cursor.

Entries are listed newest first in one order across the whole ledger: by
``(at_us, region, country, event_id)``, descending. A cursor is the place of the
last entry shown, so the next page starts strictly after it whichever worker
answers and whatever was recorded since.
"""

import base64
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

import orjson

from ledger.rules import entries as e
from ledger.rules import periods
from ledger.rules.periods import Period
from ledger.rules.rollup import agency_key

EVENT_TYPES = ("meeting_held", "training_delivered", "request_fulfilled")
STATUSES = (e.COUNTED, e.SUPERSEDED, e.VOIDED, e.WAITING, e.REJECTED)
PAGE = {"json": (100, 1000), "csv": (100_000, 100_000)}  # (default, most)
TEXT_FILTERS = ("region", "country", "agency", "source")

Order = tuple[int, str, str, str]  # at_us, region, country, event_id (hex)


@dataclass(frozen=True)
class EntryQuery:
    region: str | None = None
    country: str | None = None
    agency: str | None = None
    source: str | None = None
    event_type: str | None = None
    status: str = "all"
    period: Period | None = None
    limit: int = PAGE["json"][0]
    after: Order | None = None  # the cursor: list entries strictly older

    def matches(self, entry: e.Entry) -> bool:
        """An agency matches as the figures count it: whitespace and case aside."""
        agency = entry.get("agency")
        wanted = (
            (self.event_type, entry["type"]),
            (self.agency_key, agency_key(agency) if agency else None),
            (self.source, entry["source"]),
            (None if self.status == "all" else self.status, e.status(entry)),
        )
        return all(want is None or want == got for want, got in wanted)

    @cached_property
    def agency_key(self) -> str | None:
        return None if self.agency is None else agency_key(self.agency)

    def filters(self) -> dict:
        shown = {name: getattr(self, name) for name in TEXT_FILTERS}
        return {**shown, "event_type": self.event_type, "status": self.status}

    def as_query(self) -> dict[str, str]:
        """The same request, for a peer."""
        query = {k: v for k, v in self.filters().items() if v is not None}
        query.update(self.period.as_query() if self.period else {})
        query["limit"] = str(self.limit)
        if self.after is not None:
            query["cursor"] = cursor(self.after)
        return query


def from_query(query: Mapping[str, str], form: str = "json") -> EntryQuery:
    """The request's query; ValueError says what is wrong with it."""
    text = {name: query.get(name) or None for name in TEXT_FILTERS}
    event_type = query.get("event_type") or None
    if event_type is not None and event_type not in EVENT_TYPES:
        raise ValueError(f"event_type must be one of {', '.join(EVENT_TYPES)}")
    status = query.get("status") or "all"
    if status != "all" and status not in STATUSES:
        raise ValueError(f"status must be all or one of {', '.join(STATUSES)}")
    return EntryQuery(
        **text,
        event_type=event_type,
        status=status,
        period=periods.from_query(query),
        limit=_limit(query.get("limit"), *PAGE[form]),
        after=_from_cursor(query["cursor"]) if query.get("cursor") else None,
    )


def cursor(order: Order) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(order)).decode().rstrip("=")


def _from_cursor(text: str) -> Order:
    try:
        padded = text + "=" * (-len(text) % 4)
        at_us, region, country, event_id = orjson.loads(
            base64.urlsafe_b64decode(padded)
        )
    except (ValueError, TypeError) as error:
        raise ValueError("cursor is not one this ledger gave") from error
    if not isinstance(at_us, int) or not all(
        isinstance(part, str) for part in (region, country, event_id)
    ):
        raise ValueError("cursor is not one this ledger gave")
    return at_us, region, country, event_id


def _limit(text: str | None, default: int, most: int) -> int:
    if text is None or text == "":
        return default
    if not text.isdigit() or not 1 <= int(text) <= most:
        raise ValueError(f"limit must be a whole number from 1 to {most}")
    return int(text)
