"""Which entries a request lists, newest first, from a partition's index keys.

The entries table keeps two indexes (``stream.seen``): by cell (region, country,
month, instant) and by agency (region, country, agency, month, id). Each
(region, country) is read from one of them, newest first, from the end of the
period or from the cursor, and the places are merged into the ledger's one order
(``entry_query``): an agency is read from its own index, so a rare one does not
read through every entry of its region.
"""

import heapq
from collections.abc import Iterator

from ledger.read.entry_query import EntryQuery, Order
from ledger.rules import entries as e
from ledger.rules.rollup import month_of_us
from ledger.stream.seen import SeenStore, from_sortable_us, sortable_us

Listed = Iterator[tuple[Order, str]]  # (place in the order, event_id)


def newest_first(store: SeenStore, partition: int, query: EntryQuery) -> Listed:
    places = [
        (region, country)
        for region, country in store.places(partition, query.region)
        if query.country in (None, country)
    ]
    read = _of_agency if query.agency is not None else _of_cells
    return heapq.merge(
        *(read(store, partition, query, *place) for place in places), reverse=True
    )


def _of_cells(
    store: SeenStore, partition: int, query: EntryQuery, region: str, country: str
) -> Listed:
    """A (region, country)'s entries in the period, newest first."""
    prefix = ["c", region, country]
    top = _top(prefix, query)
    if query.after is not None and len(top) == 4 and top[3] == _month(query.after):
        top.append(sortable_us(query.after[0]))  # from the cursor's instant
    for key in _keys(store, partition, query, prefix, top):
        _, _, _, _, instant, event_id = key
        order = (from_sortable_us(instant), region, country, event_id)
        if query.after is None or order < query.after:
            yield order, event_id


def _of_agency(
    store: SeenStore, partition: int, query: EntryQuery, region: str, country: str
) -> Listed:
    """An agency's entries in a (region, country): its index holds them by month,
    then by id, so each month's are put in time order."""
    prefix = ["a", region, country, query.agency_key]
    month, ids = None, []
    for key in _keys(store, partition, query, prefix, _top(prefix, query)):
        if key[4] != month:
            yield from _by_time(store, partition, query, ids)
            month, ids = key[4], []
        ids.append(key[5])
    yield from _by_time(store, partition, query, ids)


def _keys(store, partition, query: EntryQuery, prefix: list, top: list):
    """Index keys under ``prefix`` from ``top`` down to the period's first month;
    for ``status=counted``, only those of entries that count."""
    first = query.period.first if query.period else None
    month_at = len(prefix)
    for key, counts in store.newest_first(partition, prefix, top):
        if first is not None and key[month_at] < first:
            return
        if counts or query.status != e.COUNTED:
            yield key


def _top(prefix: list, query: EntryQuery) -> list:
    """Where reading starts: the last month of the period, or the cursor's."""
    last = query.period.last if query.period else None
    if query.after is not None and (last is None or _month(query.after) <= last):
        last = _month(query.after)
    return prefix + ([last] if last else [])


def _by_time(store, partition: int, query: EntryQuery, ids: list[str]) -> Listed:
    listed = []
    for event_id in ids:
        entry = store.entry_of(partition, event_id)
        order = (entry["at_us"], entry["region"], entry["country"], event_id)
        if query.after is None or order < query.after:
            listed.append((order, event_id))
    return iter(sorted(listed, reverse=True))


def _month(order: Order) -> str:
    return month_of_us(order[0])
