"""The index keys of a batch's own counted entries, by what a retraction asks.

When a correction takes an event back, the fold asks whether its cell still has
counted entries (for the cell's first and last instants) and whether its agency
is still engaged, there and in that month. The stored index answers for the
entries the batch has not changed; this answers for the batch's own, by a lookup
instead of a pass over every entry of the batch (a bulk correction of thousands
of events in one batch would otherwise cost the square of its size).
"""

from collections import defaultdict
from collections.abc import Iterable

from ledger.rules import entries as e
from ledger.stream.seen import index_keys


class BatchIndex:
    def __init__(self) -> None:
        # prefix -> {event_id: the index key under it}
        self._under: dict[tuple, dict[str, list]] = defaultdict(dict)

    def update(self, event_id: str, before: e.Entry | None, after: e.Entry) -> None:
        """The batch's entry of ``event_id`` was ``before`` and is now ``after``."""
        for prefix, _ in _prefixes(event_id, before):
            self._under[prefix].pop(event_id, None)
        if e.counts(after):
            for prefix, index in _prefixes(event_id, after):
                self._under[prefix][event_id] = index

    def under(self, prefix: list) -> Iterable[list]:
        """The index keys under ``prefix`` of the batch's entries that count."""
        return self._under.get(tuple(prefix), {}).values()


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
