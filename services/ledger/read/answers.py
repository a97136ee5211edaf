"""The read API's answers, computed from the gathered ledger state."""

from collections import defaultdict
from datetime import UTC, datetime

from ledger.read import figures
from ledger.read.state import LedgerState
from ledger.rules import rollup
from ledger.rules.counters import RECENT_REJECTIONS
from ledger.rules.instants import now_rfc3339, rfc3339
from ledger.rules.periods import Period


def regions(state: LedgerState, period: Period | None = None) -> dict:
    groups = figures.groups(state, period)
    codes = sorted({region for region, _ in groups})
    return {
        "regions": [
            {"region": code, **figures.summary(groups, lambda r, _, c=code: r == c)}
            for code in codes
        ],
        "totals": figures.summary(groups, lambda r, c: True),
        "period": _shown(period),
        **freshness(state),
    }


def region(state: LedgerState, code: str, period: Period | None = None) -> dict | None:
    groups = figures.groups(state, period)
    countries = sorted(country for region, country in groups if region == code)
    if not countries:
        return None
    return {
        "region": code,
        **figures.summary(groups, lambda r, _: r == code),
        "countries": {
            country: figures.summary(
                groups, lambda r, c, k=country: (r, c) == (code, k)
            )
            for country in countries
        },
        "period": _shown(period),
        **freshness(state),
    }


def months(state: LedgerState, code: str, period: Period | None = None) -> dict | None:
    cells = figures.month_cells(state, lambda r, _: r == code, period)
    if cells is None:
        return None
    return {
        "region": code,
        "months": rollup.monthly(cells),
        "period": _shown(period),
        **freshness(state),
    }


def country_months(
    state: LedgerState, code: str, country: str, period: Period | None = None
) -> dict | None:
    """A country's month series, as a region's."""
    cells = figures.month_cells(state, lambda *at: at == (code, country), period)
    if cells is None:
        return None
    return {
        "region": code,
        "country": country,
        "months": rollup.monthly(cells),
        "period": _shown(period),
        **freshness(state),
    }


def stats(state: LedgerState) -> dict:
    counters = [c for c in state.counters.values() if c]
    by_reason: dict[str, int] = defaultdict(int)
    for share in counters:
        for reason, count in share["rejected_by_reason"].items():
            by_reason[reason] += count
    processed = [c["last_processed_at"] for c in counters if c["last_processed_at"]]
    return {
        "accepted": sum(c["accepted"] for c in counters),
        "duplicates": sum(c["duplicates"] for c in counters),
        "rejected": sum(c["rejected"] for c in counters),
        # Corrections: events no longer counted, and corrections whose event
        # has not arrived yet (counters kept before corrections lack them).
        **{
            name: sum(c.get(name, 0) for c in counters)
            for name in ("superseded", "voided", "corrections_waiting")
        },
        "rejected_by_reason": dict(sorted(by_reason.items())),
        "recent_rejections": _recent_rejections(state),
        "last_processed_at": max(processed, default=None),
        "lag": state.lag,
        "workers": state.workers,
        "partitions": state.expected,
        "partition_sources": [
            {"partition": p, **state.partitions[p]} for p in sorted(state.partitions)
        ],
        **freshness(state),
    }


def freshness(state: LedgerState) -> dict:
    """Whether every figure is its active owner's, and since when it may lag."""
    stale = [
        p["updated_at"]
        for p in state.partitions.values()
        if p["source"] != "active" and p["updated_at"] is not None
    ]
    as_of = rfc3339(datetime.fromtimestamp(min(stale), UTC)) if stale else None
    return {
        "complete": state.complete,
        "as_of": as_of or now_rfc3339("seconds"),
    }


def _shown(period: Period | None) -> dict | None:
    """The period an answer is for; None for all time."""
    return None if period is None else period.as_json()


def _recent_rejections(state: LedgerState) -> list[dict]:
    recent = [
        {**rejection, "partition": int(partition)}
        for partition, share in state.counters.items()
        if share
        for rejection in share["recent_rejections"]
    ]
    recent.sort(key=lambda r: (r["rejected_at"], r["partition"], r["offset"]))
    return recent[::-1][:RECENT_REJECTIONS]
