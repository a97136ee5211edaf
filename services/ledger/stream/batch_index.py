"""A partition's entries in the batch, with the index keys of those that count,
by what a retraction asks.

When a correction takes an event back, the fold asks whether its cell still has
counted entries (for the cell's first and last instants) and whether its agency
is still engaged, there and in that month. The stored index answers for the
entries the batch has not changed; this answers for the batch's own, by a lookup
instead of a pass over every entry of the batch (a bulk correction of thousands
of events in one batch would otherwise cost the square of its size). The index is
built at the first question, so a batch without corrections never pays for it.
"""

from collections import defaultdict
from collections.abc import Iterable

from ledger.rules import entries as e
from ledger.stream.seen import index_keys


class BatchIndex:
    def __init__(self, entries: dict[str, e.Entry]) -> None:
        self._entries = entries  # the batch's entries of the partition, by id
        # prefix -> {event_id: the index key under it}; None until first asked
        self._under: dict[tuple, dict[str, list]] | None = None

    def keep(self, event_id: str, entry: e.Entry) -> None:
        """The batch's entry of ``event_id`` is now ``entry``."""
        if self._under is not None:
            for prefix, _ in _prefixes(event_id, self._entries.get(event_id)):
                self._under[prefix].pop(event_id, None)
            self._index(event_id, entry)
        self._entries[event_id] = entry

    def under(self, prefix: list) -> Iterable[list]:
        """The index keys under ``prefix`` of the batch's entries that count."""
        if self._under is None:
            self._under = defaultdict(dict)
            for event_id, entry in self._entries.items():
                self._index(event_id, entry)
        return self._under.get(tuple(prefix), {}).values()

    def _index(self, event_id: str, entry: e.Entry) -> None:
        if e.counts(entry):
            for prefix, index in _prefixes(event_id, entry):
                self._under[prefix][event_id] = index


def _prefixes(event_id: str, entry: e.Entry | None) -> list[tuple[tuple, list]]:
    """Each prefix a retraction asks about, with the entry's index key under it:
    its cell's month, its agency, and its agency in that month."""
    indexed = None if entry is None else index_keys(event_id, entry)
    if indexed is None:
        return []
    in_cell, of_agency = indexed
    return [
        (tuple(in_cell[:4]), in_cell),
        (tuple(of_agency[:4]), of_agency),
        (tuple(of_agency[:5]), of_agency),
    ]
