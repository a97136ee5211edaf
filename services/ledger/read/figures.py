"""The cells and agency names behind each (region, country), for all time or for
one reporting period.

Every (region, country) ever recorded has a group, so a period lists the same
regions and countries as all time, with the figures of that period (zero when it
holds no events there). A period takes the month cells whose month it holds and
the agencies engaged in those months (the agency-month keys a period's request
gathers); all time takes every cell and the agencies table.
"""

from collections.abc import Callable

from ledger.read.state import LedgerState
from ledger.rules import rollup
from ledger.rules.keys import agency_month_place, place
from ledger.rules.periods import Period

Groups = dict[tuple[str, str], tuple[list[dict], list[str]]]
Pick = Callable[[str, str], bool]


def groups(state: LedgerState, period: Period | None = None) -> Groups:
    """Cells and agency names per (region, country), keys parsed once."""
    found: Groups = {}
    for key, cell in state.cells.items():
        where = place(key)
        group = found.setdefault((where.region, where.country), ([], []))
        if period is None or period.holds(where.leaf):
            group[0].append(cell)
    for region, country, name in _agencies(state, period):
        found.setdefault((region, country), ([], []))[1].append(name)
    return found


def summary(groups_: Groups, pick: Pick) -> dict:
    chosen = [
        group for (region, country), group in groups_.items() if pick(region, country)
    ]
    cells = [cell for group in chosen for cell in group[0]]
    names = [name for group in chosen for name in group[1]]
    return rollup.summarize(cells, names)


def month_cells(
    state: LedgerState, pick: Pick, period: Period | None
) -> list[tuple[str, dict]] | None:
    """(month, cell) of the picked places within the period; None if the picked
    places were never recorded at all."""
    picked = [
        (where.leaf, cell)
        for key, cell in state.cells.items()
        if pick((where := place(key)).region, where.country)
    ]
    if not picked:
        return None
    return [(m, cell) for m, cell in picked if period is None or period.holds(m)]


def _agencies(state: LedgerState, period: Period | None) -> set[tuple[str, ...]]:
    if period is None:
        return {(w.region, w.country, w.leaf) for w in map(place, state.agencies)}
    found = set()
    for key in state.agency_months:
        month, where = agency_month_place(key)
        if period.holds(month):
            found.add((where.region, where.country, where.leaf))
    return found
