"""The entries behind a figure, gathered from every worker that holds a partition.

As for the figures (``state``), each partition is read from its freshest copy:
this worker's and each peer's page of every partition they hold are fetched, the
freshest copy of each partition wins, and the pages are merged into one page in
the ledger's order. A copy's entries are written in the same batch as its figures,
so the entries listed and the figures shown from one copy always agree.
"""

import asyncio
import heapq

import faust

from ledger.read import answers
from ledger.read.copies import describe, freshest
from ledger.read.entry_pages import page
from ledger.read.entry_query import EntryQuery, cursor
from ledger.read.state import LedgerState, StateReader

ENTRIES_INTERNAL_PATH = "/api/v1/internal/entries"


class EntryReader:
    def __init__(self, reader: StateReader, seen: faust.Table) -> None:
        self._reader = reader
        self._seen = seen  # its store (``SeenStore``) exists once the app starts

    def local_pages(self, query: EntryQuery) -> dict:
        """This worker's page of every partition it holds, with the copy's role
        and freshness."""
        return {
            "partitions": {
                p: {**copy, **page(self._seen.data, int(p), query)}
                for p, copy in self._reader.local_copies().items()
            }
        }

    async def gather(self, query: EntryQuery) -> tuple[dict | None, list[int]]:
        """The answer, or None and the partitions no reachable worker holds."""
        reader = self._reader
        asked = query.as_query()
        pages = [self.local_pages(query)]
        pages += await asyncio.gather(
            *(reader.fetch(h, asked, ENTRIES_INTERNAL_PATH) for h in reader.peers())
        )
        chosen = freshest(pages)
        expected = set(range(reader.partitions))
        if missing := expected - set(chosen):
            empty = await reader.never_written(missing)
            chosen.update({p: _nothing(copy) for p, copy in empty.items()})
        if missing := expected - set(chosen):
            return None, sorted(missing)
        return _answer(query, chosen), []


def _nothing(copy: dict) -> dict:
    """A partition that has never held a record has no entries."""
    return {**copy, "rows": [], "more": False}


def _answer(query: EntryQuery, chosen: dict[int, dict]) -> dict:
    rows = heapq.merge(
        *(copy["rows"] for copy in chosen.values()),
        key=lambda row: tuple(row["order"]),
        reverse=True,
    )
    shown = [row for _, row in zip(range(query.limit + 1), rows, strict=False)]
    more = len(shown) > query.limit or any(c["more"] for c in chosen.values())
    shown = shown[: query.limit]
    state = LedgerState(
        cells={},
        agencies=set(),
        counters={},
        partitions={p: describe(copy) for p, copy in chosen.items()},
        expected=len(chosen),
        workers=0,
    )
    return {
        "entries": [row["entry"] for row in shown],
        "next_cursor": cursor(tuple(shown[-1]["order"])) if more and shown else None,
        "filters": query.filters(),
        "period": None if query.period is None else query.period.as_json(),
        **answers.freshness(state),
    }
