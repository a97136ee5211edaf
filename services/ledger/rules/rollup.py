"""The ledger's arithmetic: month cells that events fold into, summaries merged back.

A cell holds one month of one (partition, region, country): plain JSON with
bounded fields, so a batch rewrites only the months it touched and no value grows
with history. Distinct agencies are keys of their own (see ``keys``). Every number
a summary shows is merged from cells, so regions, countries, totals and any number
of workers add up the same way. Hours are integer micro-hours so sums do not
depend on the order they were added in.
"""

import re
import sys
from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

from ledger.contract.events import REQUEST_TYPES, LedgerEvent
from ledger.rules import quantiles
from ledger.rules.instants import epoch_us, from_epoch_us, rfc3339

Cell = dict
_DAY_US = 86_400_000_000
_EPOCH_DAY = date(1970, 1, 1)
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


def new_cell() -> Cell:
    cell: Cell = dict.fromkeys(_COUNTS, 0)
    cell.update(requests_by_type={}, turnaround={}, first_us=None, last_us=None)
    return cell


@lru_cache(maxsize=65_536)
def agency_key(name: str) -> str:
    """Agencies are the same after collapsing whitespace and case-folding."""
    return _WHITESPACE.sub(" ", name).strip().casefold()


def month_of(event: LedgerEvent) -> str:
    """The UTC calendar month of the event: ``2026-03``."""
    return month_of_us(epoch_us(event.occurred_at))


def month_of_us(at_us: int) -> str:
    """The UTC calendar month of an instant in epoch microseconds."""
    return _month_of_day(day_of_us(at_us))


def day_of_us(at_us: int) -> int:
    """The UTC day of an instant in epoch microseconds, as days since the epoch."""
    return at_us // _DAY_US


@lru_cache(maxsize=65_536)
def _month_of_day(day: int) -> str:
    """Days since the epoch repeat across a batch: each is worked out once."""
    moment = _EPOCH_DAY + timedelta(days=day)
    return f"{moment.year:04d}-{moment.month:02d}"


def micro_hours(hours: float) -> int:
    return round(hours * 1_000_000)


def add(cell: Cell, entry: dict) -> None:
    """Fold one counted entry (see ``entries``) into the cell of its month."""
    _change(cell, entry, 1)
    at_us, first, last = entry["at_us"], cell["first_us"], cell["last_us"]
    cell["first_us"] = at_us if first is None or at_us < first else first
    cell["last_us"] = at_us if last is None or at_us > last else last


def take_back(cell: Cell, entry: dict) -> None:
    """Take back what ``add`` added; the caller recomputes the first and last
    instants if the entry held one of them."""
    _change(cell, entry, -1)
    if cell["events"] == 0:
        cell["first_us"] = cell["last_us"] = None


def _change(cell: Cell, entry: dict, sign: int) -> None:
    cell["events"] += sign
    kind = entry["type"]
    if kind == "meeting_held":
        cell["meetings"] += sign
    elif kind == "training_delivered":
        cell["trainings"] += sign
        cell["officers_trained"] += sign * entry["attendees"]
        cell["training_uh"] += sign * entry["uh"]
        cell["units_trained"] += sign * entry["units"]
    else:
        cell["requests_fulfilled"] += sign
        _bump(cell["requests_by_type"], entry["request_type"], sign)
        # One string per bucket, shared by every cell (sys.intern): a worker's
        # cells hold hundreds of thousands of bucket keys, and a new string each
        # was about 17 MB at a million records.
        bucket = sys.intern(quantiles.bucket_of(entry["turnaround_h"]))
        _bump(cell["turnaround"], bucket, sign)


def _bump(counts: dict, key: str, sign: int) -> None:
    """Add to a count; a count back at zero is dropped, as if never added."""
    count = counts.get(key, 0) + sign
    if count:
        counts[key] = count
    else:
        counts.pop(key, None)


def summarize(cells: Iterable[Cell], agencies: Iterable[str]) -> dict:
    """The summary the read API shows, merged from cells and agency names."""
    cells = list(cells)
    counts = {name: sum(cell[name] for cell in cells) for name in _COUNTS}
    hours = counts.pop("training_uh")
    turnaround = quantiles.merge(cell["turnaround"] for cell in cells)
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
        "agencies_engaged": len(set(agencies)),
        "first_event_at": rfc3339(from_epoch_us(min(firsts))) if firsts else None,
        "last_event_at": rfc3339(from_epoch_us(max(lasts))) if lasts else None,
    }


def monthly(cells: Iterable[tuple[str, Cell]]) -> list[dict]:
    """Per calendar month (UTC), ascending, from (month, cell) pairs."""
    merged: dict[str, dict] = {}
    for month, cell in cells:
        into = merged.setdefault(month, dict.fromkeys(_COUNTS, 0))
        for name in _COUNTS:
            into[name] += cell[name]
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


def _hours(micro: int) -> float:
    return round(micro / 1_000_000, 6)


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 6)
