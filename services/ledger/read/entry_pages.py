"""One partition's page of entries, read from its local copy of the entries table:
the entries ``entry_scan`` lists, checked against the request's other filters
(type, source, status) and shown as the API shows them."""

from uuid import UUID

from ledger.read.entry_query import EntryQuery
from ledger.read.entry_scan import newest_first
from ledger.rules import entries as e
from ledger.rules.instants import from_epoch_us, rfc3339
from ledger.stream.seen import SeenStore


def page(store: SeenStore, partition: int, query: EntryQuery) -> dict:
    """Up to ``query.limit`` entries after the cursor, and whether more follow;
    each with its place in the order, for merging with other partitions."""
    rows: list[dict] = []
    for order, event_id in newest_first(store, partition, query):
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


def _void_reason(store: SeenStore, partition: int, entry: e.Entry) -> str | None:
    if e.status(entry) != e.VOIDED:
        return None
    void = store.entry_of(partition, e.corrected_by(entry))
    return None if void is None else void.get("reason")


def _uuid(hex_id: str | None) -> str | None:
    return None if hex_id is None else str(UUID(hex=hex_id))
