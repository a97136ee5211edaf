"""The ledger's arithmetic: cells that events fold into, summaries merged from cells.

A cell holds everything known about one (partition, region, country): plain JSON,
so it is stored in a Faust table and its changelog as is. Every number a summary
shows is derived by merging cells, so regions, countries, totals and any number of
workers all add up the same way. Hours are kept as integer micro-hours so sums do
not depend on the order they were added in.
"""

import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from ledger.contract.events import (
    REQUEST_TYPES,
    LedgerEvent,
    MeetingHeld,
    RequestFulfilled,
    TrainingDelivered,
)
from ledger.stream import quantiles

Cell = dict
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_WHITESPACE = re.compile(r"\s+")
_COUNTS = (
    "events",
    "meetings",
    "trainings",
    "officers_trained",
    "units_trained",
    "training_uh",
    "requests_fulfilled",
)
_MONTH_FIELDS = (
    "meetings",
    "trainings",
    "officers_trained",
    "training_uh",
    "requests_fulfilled",
)


def new_cell() -> Cell:
    cell: Cell = dict.fromkeys(_COUNTS, 0)
    cell.update(
        requests_by_type={},
        turnaround={},
        agencies={},
        first_us=None,
        last_us=None,
        months={},
    )
    return cell


@lru_cache(maxsize=65_536)
def agency_key(name: str) -> str:
    """Agencies are the same after collapsing whitespace and case-folding."""
    return _WHITESPACE.sub(" ", name).strip().casefold()


def micro_hours(hours: float) -> int:
    return round(hours * 1_000_000)


def apply(cell: Cell, event: LedgerEvent) -> None:
    """Fold one accepted event into its cell, in place."""
    moment = event.occurred_at.astimezone(UTC)
    at_us = _epoch_us(moment)
    month = _month(cell["months"], f"{moment.year:04d}-{moment.month:02d}")
    cell["events"] += 1
    agencies = cell["agencies"]
    name = agency_key(event.agency)
    agencies[name] = agencies.get(name, 0) + 1
    first, last = cell["first_us"], cell["last_us"]
    cell["first_us"] = at_us if first is None or at_us < first else first
    cell["last_us"] = at_us if last is None or at_us > last else last
    _FOLDS[event.event_type](cell, month, event)


def _month(months: dict, key: str) -> dict:
    counts = months.get(key)
    if counts is None:
        counts = months[key] = dict.fromkeys(_MONTH_FIELDS, 0)
    return counts


def _meeting(cell: Cell, month: dict, event: MeetingHeld) -> None:
    cell["meetings"] += 1
    month["meetings"] += 1


def _training(cell: Cell, month: dict, event: TrainingDelivered) -> None:
    hours_uh = micro_hours(event.hours)
    for counts in (cell, month):
        counts["trainings"] += 1
        counts["officers_trained"] += event.attendees
        counts["training_uh"] += hours_uh
    cell["units_trained"] += event.units


def _request(cell: Cell, month: dict, event: RequestFulfilled) -> None:
    cell["requests_fulfilled"] += 1
    month["requests_fulfilled"] += 1
    by_type = cell["requests_by_type"]
    by_type[event.request_type] = by_type.get(event.request_type, 0) + 1
    quantiles.add(cell["turnaround"], event.turnaround_hours)


_FOLDS = {
    "meeting_held": _meeting,
    "training_delivered": _training,
    "request_fulfilled": _request,
}


def summarize(cells: Iterable[Cell]) -> dict:
    """The summary the read API shows, merged from any set of cells."""
    cells = list(cells)
    counts = {name: sum(cell[name] for cell in cells) for name in _COUNTS}
    hours = counts.pop("training_uh")
    turnaround = quantiles.merge(cell["turnaround"] for cell in cells)
    agencies = set().union(*(cell["agencies"] for cell in cells))
    firsts = [cell["first_us"] for cell in cells if cell["first_us"] is not None]
    lasts = [cell["last_us"] for cell in cells if cell["last_us"] is not None]
    return {
        **counts,
        "training_hours": _hours(hours),
        "requests_by_type": {
            kind: sum(cell["requests_by_type"].get(kind, 0) for cell in cells)
            for kind in REQUEST_TYPES
        },
        "turnaround_hours_p50": _rounded(quantiles.quantile(turnaround, 0.5)),
        "turnaround_hours_p90": _rounded(quantiles.quantile(turnaround, 0.9)),
        "agencies_engaged": len(agencies),
        "first_event_at": _rfc3339(min(firsts)) if firsts else None,
        "last_event_at": _rfc3339(max(lasts)) if lasts else None,
    }


def monthly(cells: Iterable[Cell]) -> list[dict]:
    """Per calendar month (UTC), ascending, merged from cells."""
    merged: dict[str, dict] = {}
    for cell in cells:
        for month, counts in cell["months"].items():
            into = merged.setdefault(month, dict.fromkeys(_MONTH_FIELDS, 0))
            for name in _MONTH_FIELDS:
                into[name] += counts[name]
    return [
        {
            "month": month,
            "meetings": counts["meetings"],
            "trainings": counts["trainings"],
            "officers_trained": counts["officers_trained"],
            "training_hours": _hours(counts["training_uh"]),
            "requests_fulfilled": counts["requests_fulfilled"],
        }
        for month, counts in sorted(merged.items())
    ]


def _epoch_us(moment: datetime) -> int:
    since = moment - _EPOCH
    return (since.days * 86_400 + since.seconds) * 1_000_000 + since.microseconds


def _rfc3339(epoch_us: int) -> str:
    moment = _EPOCH + timedelta(microseconds=epoch_us)
    return moment.isoformat().replace("+00:00", "Z")


def _hours(micro: int) -> float:
    return round(micro / 1_000_000, 6)


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 6)
