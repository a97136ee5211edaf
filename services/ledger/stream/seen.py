"""Accepted event ids on local RocksDB, one key each, so de-duplication memory
does not grow with history.

``{p}/{id}`` -> the offset that accepted it. On the wire (the changelog) ids
travel in chunks, one record per batch and partition, so a batch of thousands of
events costs a few changelog records; locally each id is its own key, so a lookup
is one read, never a scan.
"""

from collections.abc import Callable, Iterable, Mapping

import faust
from rocksdict import WriteBatch

from ledger.rules.keys import seen_key
from ledger.stream.encoding import encode_key
from ledger.stream.store import PartitionedStore, by_partition


class SeenStore(PartitionedStore):
    def offset_of(self, partition: int, event_id: str) -> int | None:
        """The offset that accepted the id, or None; an absent id (nearly every
        new one) is answered from bloom filters in memory."""
        value = self._db_for_partition(partition).get(
            encode_key(seen_key(partition, event_id))
        )
        return None if value is None else int(value)

    def write(self, partition: int, ids: Mapping[str, int], offset: int) -> None:
        """Put ``event_id -> accepting offset`` and the changelog offset, at once."""
        batch = WriteBatch(raw_mode=True)
        for key, at in zip(_raw_keys(partition, ids), ids.values(), strict=True):
            batch.put(key, b"%d" % at)
        batch.put(self.offset_key, b"%d" % offset)
        self._db_for_partition(partition).write(batch)

    def apply_changelog_batch(
        self, batch: Iterable[faust.types.EventT], to_key: Callable, to_value: Callable
    ) -> None:
        """Each chunk record becomes one key per id."""
        last: dict[int, int] = {}
        for partition, pairs in by_partition(list(batch), last).items():
            ids = {
                event_id: at
                for _, chunk in pairs
                if chunk
                for event_id, at in chunk.items()
            }
            self.write(partition, ids, last[partition])


def _raw_keys(partition: int, event_ids: Iterable[str]) -> list[bytes]:
    return [encode_key(seen_key(partition, event_id)) for event_id in event_ids]
