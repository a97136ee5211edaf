"""The public answers rebuilt from the recount by the read side's own functions."""

from collections.abc import Callable

from ledger.read import answers
from ledger.read.state import LedgerState
from ledger.rules.keys import place
from ledger.verify.served import region_paths

Build = Callable[[LedgerState], dict | None]


def recomputed_state(recounts: dict) -> LedgerState:
    """The recount as the read side gathers a ledger: every partition active."""
    return LedgerState(
        cells={k: v for r in recounts.values() for k, v in r.cells.items()},
        agencies={k for r in recounts.values() for k in r.agencies},
        counters={str(p): r.counters for p, r in recounts.items()},
        partitions={p: _active(r.position) for p, r in recounts.items()},
        expected=len(recounts),
        workers=1,
        agency_months=frozenset(k for r in recounts.values() for k in r.agency_months),
    )


def _active(next_offset: int) -> dict:
    return {
        "source": "active",
        "next_offset": next_offset,
        "lag": 0,
        "updated_at": None,
    }


def regions_of(state: LedgerState) -> set[str]:
    return {place(key).region for key in state.cells}


def region_answers(regions: set[str]) -> list[tuple[str, Build]]:
    """(path, how to build its answer) of each region's detail and months."""
    paths = region_paths(regions)
    found = []
    for code, detail, months in zip(
        sorted(regions), paths[::2], paths[1::2], strict=True
    ):
        found.append((detail, lambda state, c=code: answers.region(state, c)))
        found.append((months, lambda state, c=code: answers.months(state, c)))
    return found


def recent_rejections(recounts: dict) -> list[dict]:
    """Every partition's recent rejections, tagged with their partition."""
    return [
        {**rejection, "partition": p}
        for p, recount in recounts.items()
        for rejection in recount.counters["recent_rejections"]
    ]
