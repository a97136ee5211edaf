"""One partition's page of entries, read from its local copy of the entries table.

The cell index (``stream.seen``) holds every entry that has a country, keyed by
region, country, month and instant: each (region, country) is read newest first
from the end of the period, or from the cursor, and the places are merged into
the ledger's one order (``entry_query``). Filters other than place and period are
checked on each entry, so a rare agency or source can read far to fill a page.
"""

import heapq
from collections.abc import Iterator
from uuid import UUID

from ledger.read.entry_query import EntryQuery, Order
from ledger.rules import entries as e
from ledger.rules.instants import from_epoch_us, rfc3339
from ledger.rules.rollup import month_of_us
from ledger.stream.seen import SeenStore, from_sortable_us, sortable_us


def page(store: SeenStore, partition: int, query: EntryQuery) -> dict:
    """Up to ``query.limit`` entries after the cursor, and whether more follow;
    each with its place in the order, for merging with other partitions."""
    rows: list[dict] = []
    for order, event_id in _newest_first(store, partition, query):
        entry = store.entry_of(partition, event_id)
        if entry is None or not query.matches(entry):
            continue
        if len(rows) == query.limit:
            return {"rows": rows, "more": True}
        reason = _void_reason(store, partition, entry)
        row = shown(partition, event_id, entry, reason)
        rows.append({"order": order, "entry": row})
    return {"rows": rows, "more": False}


def shown(partition: int, event_id: str, entry: e.Entry, void_reason=None) -> dict:
    """An entry as the API shows it (field names of ``/api/v1/entries``)."""
    status, by = e.status(entry), e.corrected_by(entry)
    hours = entry.get("uh")
    return {
        "event_id": _uuid(event_id),
        "event_type": entry["type"],
        "occurred_at": rfc3339(from_epoch_us(entry["at_us"])),
        **{name: entry.get(name) for name in ("region", "country", "agency")},
        "source": entry["source"],
        "attendees": entry.get("attendees"),
        "units": entry.get("units"),
        "hours": None if hours is None else hours / 1_000_000,
        "request_type": entry.get("request_type"),
        "turnaround_hours": entry.get("turnaround_h"),
        "supersedes": _uuid(entry.get("supersedes")),
        "status": status,
        "superseded_by": _uuid(by) if status == e.SUPERSEDED else None,
        "voided_by": _uuid(by) if status == e.VOIDED else None,
        "void_reason": void_reason,
        "partition": partition,
        "offset": entry["offset"],
        "status_offset": entry["history"][-1][0],
        "history": [
            {"offset": offset, "status": step, "by": _uuid(who)}
            for offset, step, who in entry["history"]
        ],
    }


def _newest_first(
    store: SeenStore, partition: int, query: EntryQuery
) -> Iterator[tuple[Order, str]]:
    places = [
        (region, country)
        for region, country in store.places(partition, query.region)
        if query.country in (None, country)
    ]
    streams = [_place(store, partition, query, *where) for where in places]
    return heapq.merge(*streams, reverse=True)


def _place(
    store: SeenStore, partition: int, query: EntryQuery, region: str, country: str
) -> Iterator[tuple[Order, str]]:
    """One (region, country)'s entries in the period, newest first."""
    prefix = ["c", region, country]
    top = prefix + ([query.period.last] if query.period and query.period.last else [])
    if query.after is not None:
        at_us = query.after[0]
        month = month_of_us(at_us)
        if len(top) == len(prefix) or month <= top[-1]:  # within the period
            top = [*prefix, month, sortable_us(at_us)]
    first = query.period.first if query.period else None
    counted_only = query.status == e.COUNTED
    for key, counts in store.newest_first(partition, prefix, top):
        _, _, _, month, instant, event_id = key
        if first is not None and month < first:
            return
        order = (from_sortable_us(instant), region, country, event_id)
        if query.after is not None and order >= query.after:
            continue
        if counts or not counted_only:
            yield order, event_id


def _void_reason(store: SeenStore, partition: int, entry: e.Entry) -> str | None:
    if e.status(entry) != e.VOIDED:
        return None
    void = store.entry_of(partition, e.corrected_by(entry))
    return None if void is None else void.get("reason")


def _uuid(hex_id: str | None) -> str | None:
    return None if hex_id is None else str(UUID(hex=hex_id))
