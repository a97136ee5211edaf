"""Folds a run's accepted events into the batch's copies of cells and agency keys
(all time, and per month).

The batch changes copies: readers keep the stored values until the batch is
written. A cell already reflecting an offset (``upto``) is not folded into again.
"""

from ledger.rules import keys, rollup
from ledger.rules.instants import epoch_us
from ledger.stream.tables import Tables


class RunFold:
    """The folds of one partition's run of records within a batch.

    Keys are worked out once per run for each (region, country, day) and each
    agency name as written: a run of thousands of events repeats them.
    """

    def __init__(self, tables: Tables, batch, partition: int) -> None:
        self._partition = partition
        self._cells, self._agencies = batch.cells, batch.agencies
        self._stored_cells = tables.cells.data.values_of(partition)
        self._stored_agencies = tables.agencies.data.values_of(partition)
        self._cell_keys: dict[tuple, str] = {}
        self._named: set[tuple] = set()
        self._agency_months = batch.agency_months
        self._stored_agency_months = tables.agency_months.data
        self._named_months: set[tuple] = set()

    def add(self, offset: int, event) -> None:
        """Fold one accepted event into its month cell; note a new agency."""
        at_us = epoch_us(event.occurred_at)
        region, country = event.region, event.country
        day = (region, country, rollup.day_of_us(at_us))
        cell_key = self._cell_keys.get(day) or self._cell_key(day, at_us)
        cell = self._cells.get(cell_key)
        if cell is None:
            cell = self._cells[cell_key] = _copy(self._stored_cells.get(cell_key))
        if offset >= cell.get("upto", 0):
            rollup.fold(cell, event, at_us)
        named = (region, country, event.agency)
        if named not in self._named:
            self._named.add(named)
            self._note_agency(named, offset)
        if (event.agency, cell_key) not in self._named_months:
            self._note_agency_month(event.agency, cell_key, offset)

    def mark_upto(self, end: int) -> None:
        """Every cell of the partition in the batch reflects offsets below ``end``."""
        for key, cell in self._cells.items():
            if keys.partition_of(key) == self._partition:
                # Never lower: a replayed batch may end before the one that wrote
                # this value did.
                cell["upto"] = max(cell.get("upto", 0), end)

    def _cell_key(self, day: tuple, at_us: int) -> str:
        region, country, _ = day
        month = rollup.month_of_us(at_us)
        self._cell_keys[day] = key = keys.key(self._partition, region, country, month)
        return key

    def _note_agency(self, named: tuple, offset: int) -> None:
        """An agency key is written once, when first seen: existence is idempotent."""
        region, country, name = named
        key = keys.key(self._partition, region, country, rollup.agency_key(name))
        if key not in self._agencies and key not in self._stored_agencies:
            self._agencies[key] = {"since_offset": offset}

    def _note_agency_month(self, name: str, cell_key: str, offset: int) -> None:
        """An agency-month key too is written once; stored ones are on disk only."""
        self._named_months.add((name, cell_key))
        where = keys.place(cell_key)
        key = keys.agency_month_key(
            self._partition,
            where.leaf,
            where.region,
            where.country,
            rollup.agency_key(name),
        )
        stored = self._stored_agency_months.holds(self._partition, key)
        if key not in self._agency_months and not stored:
            self._agency_months[key] = {"since_offset": offset}


def _copy(stored: dict | None) -> dict:
    """A copy the batch may change; a new cell when none is stored."""
    if not stored:
        return rollup.new_cell()
    return {k: dict(v) if isinstance(v, dict) else v for k, v in stored.items()}
