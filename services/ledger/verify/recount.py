"""One partition's tables recomputed from its raw records, through the same rules.

Admission (``rules.intake``), the arithmetic (``rules.rollup``), the counts
(``rules.counters``) and the keys (``rules.keys``) are the ledger's own; what is
here is only the order the worker applies them in: records of a partition in
offset order, each admitted or rejected, an id accepted once per partition, each
accepted event folded into the cell of its month and its agency noted, for all
time and for that month.
"""

from dataclasses import dataclass, field

from ledger.rules import counters as counting
from ledger.rules import keys, rollup
from ledger.rules.intake import Rejection, admit


@dataclass
class PartitionRecount:
    """The cells, agency keys and counters of one partition, as the log says."""

    partition: int
    cells: dict[str, dict] = field(default_factory=dict)
    agencies: set[str] = field(default_factory=set)
    agency_months: set[str] = field(default_factory=set)
    counters: dict = field(default_factory=counting.new_counters)
    # Offset of the last event folded into each cell: a cell's ``upto`` is past it.
    last_folded: dict[str, int] = field(default_factory=dict)
    _seen: set[bytes] = field(default_factory=set, repr=False)

    @property
    def position(self) -> int:
        """The next offset to apply: everything below it is counted."""
        return self.counters["next_offset"]

    def apply(self, key: bytes | None, value: bytes | None, offset: int) -> None:
        """Count one record of this partition; records come in offset order."""
        counters = self.counters
        counters["next_offset"] = offset + 1
        outcome = admit(key, value)
        if isinstance(outcome, Rejection):
            counting.count_rejection(counters, outcome, offset)
        elif outcome.event_id.bytes in self._seen:
            counters["duplicates"] += 1
        else:
            self._seen.add(outcome.event_id.bytes)
            counters["accepted"] += 1
            self._fold(outcome, offset)

    def _fold(self, event, offset: int) -> None:
        where = (self.partition, event.region, event.country)
        month = rollup.month_of(event)
        cell_key = keys.key(*where, month)
        cell = self.cells.get(cell_key)
        if cell is None:
            cell = self.cells[cell_key] = rollup.new_cell()
        rollup.fold(cell, event)
        self.last_folded[cell_key] = offset
        agency = rollup.agency_key(event.agency)
        self.agencies.add(keys.key(*where, agency))
        partition, region, country = where
        self.agency_months.add(
            keys.agency_month_key(partition, month, region, country, agency)
        )
