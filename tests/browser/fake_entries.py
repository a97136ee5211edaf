"""Entries for page tests, and a fake ledger that pages through them as the entries
API does: filtered, newest first, a few at a time behind a cursor."""

from datetime import UTC, datetime

from aiohttp import web
from fake_ledger import FakeLedger

from ledger.rules.periods import from_query

YEAR = datetime.now(UTC).year
PAGE = 3  # small, so a handful of entries takes several pages
HOSTILE = '<img src=x onerror="window.__injected=1">'


def event_id(n: int) -> str:
    return f"{n:08x}-0000-4000-8000-{n:012x}"


def entry(n: int, event_type: str, occurred: str, status: str = "counted", **fields):
    figures = {"attendees": None, "units": None, "hours": None}
    requests = {"request_type": None, "turnaround_hours": None}
    return {
        "event_id": event_id(n),
        "event_type": event_type,
        "occurred_at": occurred,
        "region": "EMEA",
        "country": "DE",
        "agency": "Bundeskriminalamt",
        "source": "training-service",
        **figures,
        **requests,
        "supersedes": None,
        "status": status,
        "superseded_by": None,
        "voided_by": None,
        "void_reason": None,
        "partition": 2,
        "offset": 100 + n,
        "status_offset": 100 + n,
        "history": [{"offset": 100 + n, "status": status, "by": None}],
    } | fields


def training(attendees: int, units: int, hours: float) -> dict:
    return {"attendees": attendees, "units": units, "hours": hours}


def request(kind: str, turnaround: float) -> dict:
    return {"request_type": kind, "turnaround_hours": turnaround}


# EMEA's entries, in no order: a correction and the entry it superseded, a voided
# meeting, a correction waiting for its event, one in GB, one the year before.
ENTRIES = [
    entry(
        1,
        "training_delivered",
        f"{YEAR}-03-02T10:00:00Z",
        **training(40, 2, 16.0),
        supersedes=event_id(2),
    ),
    entry(
        2,
        "training_delivered",
        f"{YEAR}-03-02T10:00:00Z",
        "superseded",
        **training(400, 2, 16.0),
        superseded_by=event_id(1),
    ),
    entry(3, "request_fulfilled", f"{YEAR}-02-15T08:00:00Z", **request("freeze", 5.5)),
    entry(
        4,
        "meeting_held",
        f"{YEAR}-02-10T09:30:00Z",
        "voided",
        voided_by=event_id(9),
        void_reason="Entered twice",
    ),
    entry(5, "meeting_held", f"{YEAR}-02-10T09:00:00Z", source="exec-crm"),
    entry(
        6,
        "request_fulfilled",
        f"{YEAR}-01-20T12:00:00Z",
        **request("disclosure", 30.0),
        agency=HOSTILE,
    ),
    entry(
        7,
        "training_delivered",
        f"{YEAR}-01-05T09:00:00Z",
        "waiting",
        **training(12, 1, 4.0),
        supersedes=event_id(8),
    ),
    entry(10, "meeting_held", f"{YEAR}-01-12T09:00:00Z", country="GB"),
    entry(11, "meeting_held", f"{YEAR - 1}-11-03T09:00:00Z"),
]
FILTERS = ("region", "country", "agency", "source", "event_type")


def newest_first(entries: list[dict]) -> list[dict]:
    order = ("occurred_at", "region", "country", "event_id")
    return sorted(entries, key=lambda e: tuple(e[k] for k in order), reverse=True)


def matching(query, entries: list[dict] = ENTRIES) -> list[dict]:
    """The entries a query asks for (the ledger checks the period before this)."""
    period = from_query(query)
    status = query.get("status", "all")
    return newest_first(
        [
            e
            for e in entries
            if all(e[name] == query[name] for name in FILTERS if name in query)
            and status in ("all", e["status"])
            and (period is None or period.holds(e["occurred_at"][:7]))
        ]
    )


class EntriesLedger(FakeLedger):
    """The summaries' canned answers, and entries answered from `entries`."""

    def __init__(self, answers: dict[str, dict], entries: list[dict] = ENTRIES):
        super().__init__(answers)
        self.entries = entries
        self.complete = True

    async def api(self, request: web.Request) -> web.Response:
        if request.path != "/api/v1/entries" or not self.reachable:
            return await super().api(request)
        self.asked.append(request.path_qs)
        try:
            found = matching(request.query, self.entries)
        except ValueError as error:
            return web.json_response({"error": str(error)}, status=400)
        return web.json_response(self.page(request.query, found))

    def page(self, query, found: list[dict]) -> dict:
        start = int(query.get("cursor", "at-0").removeprefix("at-"))
        end = start + PAGE
        period = from_query(query)
        return {
            "entries": found[start:end],
            "next_cursor": f"at-{end}" if end < len(found) else None,
            "filters": {name: query.get(name) for name in FILTERS}
            | {"status": query.get("status", "all")},
            "period": period.as_json() if period else None,
            "complete": self.complete,
            "as_of": f"{YEAR}-11-21T19:00:00Z",
        }
