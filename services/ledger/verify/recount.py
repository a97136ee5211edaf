"""One partition's tables recomputed from its raw records, through the same rules.

Admission (``rules.intake``), the book (``rules.book``: entries, corrections and
counts), the arithmetic (``rules.rollup``) and the keys (``rules.keys``) are the
ledger's own; what is here is only where the book keeps things: plain dicts,
records of a partition applied in offset order.
"""

from collections import Counter
from dataclasses import dataclass, field

import orjson

from ledger.rules import counters as counting
from ledger.rules import entries as e
from ledger.rules import keys, rollup
from ledger.rules.book import DUPLICATE, Book
from ledger.rules.intake import Rejection, admit
from ledger.verify.spill import SpilledEntries


@dataclass
class PartitionRecount:
    """The cells, agency keys and counters of one partition, as the log says."""

    partition: int
    cells: dict[str, dict] = field(default_factory=dict)
    agencies: set[str] = field(default_factory=set)
    agency_months: set[str] = field(default_factory=set)
    counters: dict = field(default_factory=counting.new_counters)
    # Offset of the last record that changed each cell: a cell's ``upto`` is past it.
    last_folded: dict[str, int] = field(default_factory=dict)
    # Each entry as JSON, by event_id: in memory by default, on disk for verify
    # (``spill.EntrySpill``), which may read millions of them.
    entries: dict[str, bytes] | SpilledEntries = field(default_factory=dict, repr=False)
    # Of the entries that count: their instants per cell, how many per agency key
    # and agency-month key (a retraction then looks up, not through every entry).
    instants: dict[str, Counter] = field(default_factory=dict, repr=False)
    engaged: Counter = field(default_factory=Counter, repr=False)
    engaged_months: Counter = field(default_factory=Counter, repr=False)

    @property
    def position(self) -> int:
        """The next offset to apply: everything below it is counted."""
        return self.counters["next_offset"]

    def apply(self, key: bytes | None, value: bytes | None, offset: int) -> None:
        """Count one record of this partition; records come in offset order."""
        counters = self.counters
        counters["next_offset"] = offset + 1
        outcome = admit(key, value)
        if not isinstance(outcome, Rejection):
            outcome = Book(_DictShelf(self), counters).apply(outcome, offset, value)
        if outcome is DUPLICATE:
            counters["duplicates"] += 1
        elif outcome is not None:
            counting.count_rejection(counters, outcome, offset)


class _DictShelf:
    """The book's shelf over a recount's dicts (see ``rules.book.Shelf``)."""

    def __init__(self, recount: PartitionRecount) -> None:
        self._r = recount

    def entry(self, event_id: str) -> dict | None:
        kept = self._r.entries.get(event_id)
        return None if kept is None else orjson.loads(kept)

    def keep(self, event_id: str, entry: dict) -> None:
        before = self.entry(event_id)
        # A copy in memory: orjson's own bytes keep a 4 KiB buffer behind them.
        self._r.entries[event_id] = bytes(memoryview(orjson.dumps(entry)))
        counts = e.counts(entry)
        if counts and not e.counts(before):
            self._tally(entry, 1)
        elif before is not None and e.counts(before) and not counts:
            self._tally(before, -1)

    def cell(self, entry: dict, offset: int) -> dict:
        key = self._cell_key(entry)
        self._r.last_folded[key] = offset
        return self._r.cells.setdefault(key, rollup.new_cell())

    def rebound(self, entry: dict, cell: dict) -> None:
        instants = self._r.instants.get(self._cell_key(entry), ())
        cell["first_us"] = min(instants, default=None)
        cell["last_us"] = max(instants, default=None)

    def note_agency(self, entry: dict, offset: int) -> None:
        self._r.agencies.add(self._agency_key(entry))
        self._r.agency_months.add(self._agency_month_key(entry))

    def agency_left(self, entry: dict) -> None:
        for key, keys_, engaged in (
            (self._agency_key(entry), self._r.agencies, self._r.engaged),
            (
                self._agency_month_key(entry),
                self._r.agency_months,
                self._r.engaged_months,
            ),
        ):
            if not engaged[key]:
                keys_.discard(key)

    def _tally(self, entry: dict, step: int) -> None:
        """An entry starts (1) or stops (-1) counting."""
        instants = self._r.instants.setdefault(self._cell_key(entry), Counter())
        instants[entry["at_us"]] += step
        if not instants[entry["at_us"]]:
            del instants[entry["at_us"]]
        self._r.engaged[self._agency_key(entry)] += step
        self._r.engaged_months[self._agency_month_key(entry)] += step

    def dead_letter(self, entry: dict, rejection: Rejection) -> None:
        """Counted by the book; the letter itself is the worker's to send."""

    def _cell_key(self, entry: dict) -> str:
        month = rollup.month_of_us(entry["at_us"])
        return keys.key(self._r.partition, entry["region"], entry["country"], month)

    def _agency_month_key(self, entry: dict) -> str:
        month = rollup.month_of_us(entry["at_us"])
        name = rollup.agency_key(entry["agency"])
        where = (entry["region"], entry["country"], name)
        return keys.agency_month_key(self._r.partition, month, *where)

    def _agency_key(self, entry: dict) -> str:
        name = rollup.agency_key(entry["agency"])
        return keys.key(self._r.partition, entry["region"], entry["country"], name)
