"""An independent recomputation of what the read API should say, for the tests.

Written from the issue's wording, not from the ledger's code: plain loops over
the accepted events and NumPy's default (linear) quantile.
"""

from collections import defaultdict
from datetime import UTC, datetime

import numpy

REQUEST_TYPES = ("disclosure", "freeze", "seizure", "emergency", "other")


def accepted(events: list[dict]) -> list[dict]:
    """The events that count: the first of each event_id (canonical UUID)."""
    kept, seen = [], set()
    for event in events:
        event_id = event["event_id"].lower()
        if event_id not in seen:
            seen.add(event_id)
            kept.append(event)
    return kept


def summary(events: list[dict]) -> dict:
    trainings = [e for e in events if e["event_type"] == "training_delivered"]
    requests = [e for e in events if e["event_type"] == "request_fulfilled"]
    turnaround = [
        (_at(e["occurred_at"]) - _at(e["received_at"])).total_seconds() / 3600
        for e in requests
    ]
    times = sorted(_at(e["occurred_at"]) for e in events)
    return {
        "events": len(events),
        "meetings": sum(e["event_type"] == "meeting_held" for e in events),
        "trainings": len(trainings),
        "officers_trained": sum(e["attendees"] for e in trainings),
        "units_trained": sum(e["units"] for e in trainings),
        "training_hours": sum(e["hours"] for e in trainings),
        "requests_fulfilled": len(requests),
        "requests_by_type": {
            kind: sum(e["request_type"] == kind for e in requests)
            for kind in REQUEST_TYPES
        },
        "turnaround_hours_p50": _quantile(turnaround, 0.5),
        "turnaround_hours_p90": _quantile(turnaround, 0.9),
        "agencies_engaged": len({agency(e) for e in events}),
        "first_event_at": _utc(times[0]) if times else None,
        "last_event_at": _utc(times[-1]) if times else None,
    }


def agency(event: dict) -> str:
    """Agencies are one after collapsing whitespace and case-folding."""
    return " ".join(event["agency"].split()).casefold()


def utc_month(event: dict) -> str:
    """The UTC calendar month of the event's ``occurred_at``: ``2026-03``."""
    return _at(event["occurred_at"]).astimezone(UTC).strftime("%Y-%m")


def in_period(events: list[dict], first: str | None, last: str | None) -> list[dict]:
    """The events of months ``first`` to ``last`` inclusive (None: an open end)."""
    return [
        e
        for e in events
        if (first is None or utc_month(e) >= first)
        and (last is None or utc_month(e) <= last)
    ]


def by(events: list[dict], field: str) -> dict[str, list[dict]]:
    groups = defaultdict(list)
    for event in events:
        groups[event[field]].append(event)
    return dict(groups)


def months(events: list[dict]) -> list[dict]:
    groups = defaultdict(list)
    for event in events:
        groups[utc_month(event)].append(event)
    rows = []
    for month, group in sorted(groups.items()):
        whole = summary(group)
        rows.append(
            {
                "month": month,
                "meetings": whole["meetings"],
                "trainings": whole["trainings"],
                "officers_trained": whole["officers_trained"],
                "training_hours": whole["training_hours"],
                "requests_fulfilled": whole["requests_fulfilled"],
            }
        )
    return rows


def assert_summary_matches(actual: dict, expected: dict) -> None:
    """Exact, except floats: hours to 1e-6, quantiles within 1% as the issue allows."""
    for name, value in expected.items():
        got = actual[name]
        if name == "training_hours":
            assert abs(got - value) <= 1e-6 * max(1, value), (name, got, value)
        elif name.startswith("turnaround_hours_"):
            assert (got is None) == (value is None), (name, got, value)
            if value is not None:
                assert abs(got - value) <= 0.01 * abs(value) + 1e-9, (name, got, value)
        elif name.endswith("_event_at"):
            assert (got and _at(got.replace("Z", "+00:00"))) == value, (name, got)
        else:
            assert got == value, (name, got, value)
    shown = set(actual) - {"region", "countries", "period", "complete", "as_of"}
    assert shown == set(expected), set(actual)


def _quantile(values: list[float], q: float) -> float | None:
    return float(numpy.quantile(values, q)) if values else None


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)
