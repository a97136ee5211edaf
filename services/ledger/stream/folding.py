"""A run of one partition's records within a batch, as the book's shelf (see
``rules.book``): entries, cells and agency keys (all time, and per month) read
from the batch first, then from the tables, and changed only in the batch.

The batch changes copies: readers keep the stored values until the batch is
written. A cell already reflecting an offset (``upto``) is not changed again.
"""

from functools import lru_cache

from ledger.rules import entries as e
from ledger.rules import keys, rollup
from ledger.rules.intake import Rejection
from ledger.stream.batch_index import BatchIndex
from ledger.stream.seen import agency_prefix, cell_prefix, from_sortable_us
from ledger.stream.tables import Tables

_ABSENT = object()


class RunFold:
    """Agency keys are worked out once per run for each agency name as written: a
    run of thousands of events repeats them."""

    def __init__(self, tables: Tables, batch, partition: int) -> None:
        self._partition = partition
        self._batch = batch
        self._cells, self._agencies = batch.cells, batch.agencies
        self._entries = batch.seen.setdefault(partition, {})
        self._counted_in_batch = batch.counted.setdefault(
            partition, BatchIndex(self._entries)
        )
        self._stored_cells = tables.cells.data.values_of(partition)
        self._stored_agencies = tables.agencies.data.values_of(partition)
        self._seen = tables.seen.data
        self._stored_entry = self._seen.lookup(partition)
        self._named: set[tuple] = set()
        self._agency_months = batch.agency_months
        self._stored_agency_months = tables.agency_months.data
        self._named_months: set[tuple] = set()

    def entry(self, event_id: str) -> e.Entry | None:
        found = self._entries.get(event_id)
        return self._stored_entry(event_id) if found is None else found

    def keep(self, event_id: str, entry: e.Entry) -> None:
        self._counted_in_batch.keep(event_id, entry)

    def cell(self, entry: e.Entry, offset: int) -> dict | None:
        """The batch's copy of the entry's month cell, if ``offset`` may change it."""
        month = rollup.month_of_us(entry["at_us"])
        cell_key = _cell_key(self._partition, entry["region"], entry["country"], month)
        cell = self._cells.get(cell_key)
        if cell is None:
            cell = self._cells[cell_key] = _copy(self._stored_cells.get(cell_key))
        return cell if offset >= cell.get("upto", 0) else None

    def note_agency(self, entry: e.Entry, offset: int) -> None:
        """Agency keys are written once, when first seen: existence is idempotent."""
        region, country, name = entry["region"], entry["country"], entry["agency"]
        named_month = (region, country, name, rollup.month_of_us(entry["at_us"]))
        if named_month not in self._named_months:
            self._named_months.add(named_month)
            key = self._agency_month_key(*named_month)
            in_batch = self._agency_months.get(key, _ABSENT)
            if in_batch is None or (
                in_batch is _ABSENT
                and not self._stored_agency_months.holds(self._partition, key)
            ):
                self._agency_months[key] = {"since_offset": offset}
        if named_month[:3] in self._named:
            return
        self._named.add(named_month[:3])
        key = keys.key(self._partition, region, country, rollup.agency_key(name))
        in_batch = self._agencies.get(key, _ABSENT)
        if in_batch is None or (
            in_batch is _ABSENT and key not in self._stored_agencies
        ):
            self._agencies[key] = {"since_offset": offset}

    def agency_left(self, entry: e.Entry) -> None:
        """A correction took back an event: is its agency still engaged there?"""
        region, country, name = entry["region"], entry["country"], entry["agency"]
        month = rollup.month_of_us(entry["at_us"])
        self._named.discard((region, country, name))
        self._named_months.discard((region, country, name, month))
        prefix = agency_prefix(region, country, name)
        if not any(True for _ in self._counted([*prefix, month])):
            key = self._agency_month_key(region, country, name, month)
            self._agency_months[key] = None  # a tombstone
        if not any(True for _ in self._counted(prefix)):
            key = keys.key(self._partition, region, country, rollup.agency_key(name))
            self._agencies[key] = None

    def rebound(self, entry: e.Entry, cell: dict) -> None:
        """The first and last instants of a cell, from the entries still counted."""
        month = rollup.month_of_us(entry["at_us"])
        instants = [
            from_sortable_us(index[4])
            for index in self._counted(
                cell_prefix(entry["region"], entry["country"], month)
            )
        ]
        cell["first_us"] = min(instants, default=None)
        cell["last_us"] = max(instants, default=None)

    def dead_letter(self, entry: e.Entry, rejection: Rejection) -> None:
        self._batch.late_letters.append((self._partition, entry, rejection))

    def mark_upto(self, end: int) -> None:
        """Every cell of the partition in the batch reflects offsets below ``end``."""
        for key, cell in self._cells.items():
            if keys.partition_of(key) == self._partition:
                # Never lower: a replayed batch may end before the one that wrote
                # this value did.
                cell["upto"] = max(cell.get("upto", 0), end)

    def _counted(self, prefix: list):
        """Index keys under ``prefix`` of entries that count: the stored ones the
        batch has not changed, then the batch's own."""
        for index, counts in self._seen.counted_under(self._partition, prefix):
            if counts and index[-1] not in self._entries:
                yield index
        yield from self._counted_in_batch.under(prefix)

    def _agency_month_key(self, region, country, name, month) -> str:
        agency = rollup.agency_key(name)
        return keys.agency_month_key(self._partition, month, region, country, agency)


@lru_cache(maxsize=65_536)
def _cell_key(partition: int, region: str, country: str, month: str) -> str:
    """Cell keys repeat across runs and batches: each is built once."""
    return keys.key(partition, region, country, month)


def _copy(stored: dict | None) -> dict:
    """A copy the batch may change; a new cell when none is stored. Its only
    nested values are the two count dicts (see ``rollup.new_cell``)."""
    if not stored:
        return rollup.new_cell()
    cell = dict(stored)
    cell["requests_by_type"] = dict(cell["requests_by_type"])
    cell["turnaround"] = dict(cell["turnaround"])
    return cell
