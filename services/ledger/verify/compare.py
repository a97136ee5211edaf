"""What differs between the ledger's figures and the recomputed ones, by path.

Compared exactly, value by value: the recomputation runs the ledger's own rules,
so even a float or a quantile must come out the same. Left out of a partition's
tables are only what the log cannot say: when a worker processed a batch
(``last_processed_at``, each rejection's ``rejected_at``) and the batch a cell
was last written by (its ``upto``, checked to lie between its last event and the
partition's next offset).
"""

from dataclasses import dataclass
from typing import Any


class Note(str):
    """Words about a value rather than a value: shown without quotes."""


ABSENT = Note("(absent)")
PRESENT = Note("present")


@dataclass(frozen=True)
class Difference:
    path: str
    ledger: Any
    recomputed: Any

    def line(self) -> str:
        return (
            f"{self.path.removesuffix(':')}: ledger {_shown(self.ledger)}, "
            f"recomputed {_shown(self.recomputed)}"
        )


def differences(path: str, ledger: Any, recomputed: Any) -> list[Difference]:
    """Every leaf that differs, named by its path; dicts are compared by key."""
    if isinstance(ledger, dict) and isinstance(recomputed, dict):
        found = []
        for key in sorted(ledger.keys() | recomputed.keys(), key=str):
            found += differences(
                _child(path, key), ledger.get(key, ABSENT), recomputed.get(key, ABSENT)
            )
        return found
    return [] if ledger == recomputed else [Difference(path, ledger, recomputed)]


def compare_partition(share: dict, recount) -> list[Difference]:
    """One partition's cells, agency keys (all time and per month) and counters,
    all of them exactly."""
    where = f"partition {recount.partition}"
    cells = {key: without(cell, "upto") for key, cell in share["cells"].items()}
    found = differences(f"{where} cells", cells, recount.cells)
    found += _upto(where, share, recount)
    found += _keys(f"{where} agencies", share["agencies"], recount.agencies)
    found += _keys(
        f"{where} agency_months",
        share.get("agency_months", []),
        recount.agency_months,
    )
    counters = (share["counters"], recount.counters)
    return found + differences(
        f"{where} counters", *map(_comparable_counters, counters)
    )


def _upto(where: str, share: dict, recount) -> list[Difference]:
    end = share["counters"]["next_offset"]
    found = []
    for key, cell in share["cells"].items():
        last = recount.last_folded.get(key)
        upto = cell.get("upto")
        if last is not None and not (isinstance(upto, int) and last < upto <= end):
            wanted = Note(f"an offset in ({last}, {end}]")
            found.append(Difference(f"{where} cells{_index(key)}.upto", upto, wanted))
    return found


def _keys(path: str, served: list[str], recounted: set[str]) -> list[Difference]:
    """Keys whose existence is the figure: each one only one side has."""
    served_keys = set(served)
    return [
        Difference(
            f"{path}[{key}]",
            *((PRESENT, ABSENT) if key in served_keys else (ABSENT, PRESENT)),
        )
        for key in sorted(served_keys ^ recounted)
    ]


def _comparable_counters(counters: dict) -> dict:
    kept = without(counters, "last_processed_at")
    kept["recent_rejections"] = [
        without(rejection, "rejected_at") for rejection in counters["recent_rejections"]
    ]
    return kept


def without(value: dict, *names: str) -> dict:
    return {k: v for k, v in value.items() if k not in names}


def _child(path: str, key: Any) -> str:
    text = str(key)
    if not text.isidentifier():
        return f"{path}{_index(text)}"
    return f"{path} {text}" if path.endswith(":") else f"{path}.{text}"


def _index(key: str) -> str:
    return f"[{key}]"


def _shown(value: Any) -> str:
    return str(value) if isinstance(value, Note) else repr(value)
