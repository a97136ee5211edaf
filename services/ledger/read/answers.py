"""The read API's answers, computed from the gathered ledger state."""

from collections import defaultdict
from datetime import UTC, datetime

from ledger.read.state import LedgerState
from ledger.stream import rollup
from ledger.stream.counters import RECENT_REJECTIONS


def regions(state: LedgerState) -> dict:
    by_region = _group(state.cells, _region_of)
    return {
        "regions": [
            {"region": region, **rollup.summarize(cells)}
            for region, cells in sorted(by_region.items())
        ],
        "totals": rollup.summarize(state.cells.values()),
    }


def region(state: LedgerState, code: str) -> dict | None:
    cells = _group(state.cells, _region_of).get(code)
    if not cells:
        return None
    by_country = _group(
        {key: cell for key, cell in state.cells.items() if _region_of(key) == code},
        _country_of,
    )
    return {
        "region": code,
        **rollup.summarize(cells),
        "countries": {
            country: rollup.summarize(cells)
            for country, cells in sorted(by_country.items())
        },
    }


def months(state: LedgerState, code: str) -> dict | None:
    cells = _group(state.cells, _region_of).get(code)
    if not cells:
        return None
    return {"region": code, "months": rollup.monthly(cells)}


def stats(state: LedgerState) -> dict:
    counters = list(state.counters.values())
    by_reason: dict[str, int] = defaultdict(int)
    for share in counters:
        for reason, count in share["rejected_by_reason"].items():
            by_reason[reason] += count
    processed = [c["last_processed_at"] for c in counters if c["last_processed_at"]]
    lags = list(state.lag.values())
    return {
        "accepted": sum(c["accepted"] for c in counters),
        "duplicates": sum(c["duplicates"] for c in counters),
        "rejected": sum(c["rejected"] for c in counters),
        "rejected_by_reason": dict(sorted(by_reason.items())),
        "recent_rejections": _recent_rejections(state),
        "last_processed_at": max(processed, default=None),
        "as_of": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "lag": None if None in lags else sum(lags),
        "workers": state.workers,
        "partitions": state.expected,
    }


def _recent_rejections(state: LedgerState) -> list[dict]:
    recent = [
        {**rejection, "partition": int(partition)}
        for partition, share in state.counters.items()
        for rejection in share["recent_rejections"]
    ]
    recent.sort(key=lambda r: (r["rejected_at"], r["partition"], r["offset"]))
    return recent[::-1][:RECENT_REJECTIONS]


def _group(cells: dict[str, dict], by) -> dict[str, list[dict]]:
    groups: dict[str, list[dict]] = defaultdict(list)
    for key, cell in cells.items():
        groups[by(key)].append(cell)
    return groups


def _region_of(key: str) -> str:
    return key.split("/")[1]


def _country_of(key: str) -> str:
    return key.split("/")[2]
