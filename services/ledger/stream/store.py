"""Table state on local RocksDB, keyed so each key says its partition.

Faust's rocksdb store finds a key's partition through the event being processed,
and the batch path has none: here every key starts with its partition (see
``rules.keys``), and a batch is written to a partition's database in one
``WriteBatch`` together with the changelog offset it reflects. A restarted worker
then reads only the changelog written since (Faust's recovery starts from that
offset); a worker on a new machine rebuilds from the whole changelog.

The tables the read API shows (cells, agencies, counters) are also mirrored in
memory per partition: reads never iterate RocksDB. Recovery and standby updates
reach the mirror too, so a worker can answer from a standby or an older local
copy while it is not the active owner.
"""

import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import faust
import orjson
from faust.stores import rocksdb
from rocksdict import WriteBatch

from ledger.rules.keys import seen_key
from ledger.stream import crashpoints

# Small per-database buffers: a worker opens one database per table and partition.
ROCKSDB_OPTIONS = {
    "driver": "rocksdict",
    "write_buffer_size": 1024 * 1024,
    "max_write_buffer_number": 2,
    "block_cache_size": 2 * 1024 * 1024,
    "block_cache_compressed_size": 0,
}


def encode_key(key: str) -> bytes:
    return orjson.dumps(key)


class LedgerStore(rocksdb.Store):
    """A table's databases, one per partition, plus the in-memory mirror."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._mirror: dict[int, dict[str, Any]] = {}
        self.changed_at: dict[int, float] = {}

    def values_of(self, partition: int) -> Mapping[str, Any]:
        """Every key of the partition, decoded; loaded from disk once."""
        if partition not in self._mirror:
            self._mirror[partition] = self._load(partition)
        return self._mirror[partition]

    def has_local_copy(self, partition: int) -> bool:
        return partition in self._dbs or self.partition_path(partition).exists()

    def write(self, partition: int, changes: Mapping[str, Any], offset: int) -> None:
        """Put a batch's values, and the changelog offset they reach, at once."""
        batch = WriteBatch(raw_mode=True)
        for key, value in changes.items():
            batch.put(encode_key(key), orjson.dumps(value))
        batch.put(self.offset_key, str(offset).encode())
        self._db_for_partition(partition).write(batch)
        self._remember(partition, changes.items())

    def keep_locally(self, partition: int, key: str, value: Any) -> None:
        """A value only this machine needs, e.g. that an empty partition is known
        to be empty; it never reaches the changelog, so it is never ahead of it."""
        self._db_for_partition(partition).put(encode_key(key), orjson.dumps(value))
        self._remember(partition, [(key, value)])

    def apply_changelog_batch(
        self, batch: Iterable[faust.types.EventT], to_key: Callable, to_value: Callable
    ) -> None:
        """Recovery and standby updates: as Faust's, and the mirror follows."""
        events = list(batch)
        crashpoints.reach("during_recovery")
        super().apply_changelog_batch(events, to_key, to_value)
        _persist_offsets(self, events)
        for partition, pairs in _by_partition(events).items():
            self._remember(partition, pairs)

    def _remember(self, partition: int, pairs: Iterable[tuple[str, Any]]) -> None:
        self.changed_at[partition] = time.time()
        mirror = self._mirror.get(partition)
        if mirror is None:
            return
        for key, value in pairs:
            if value is None:
                mirror.pop(key, None)
            else:
                mirror[key] = value

    def _load(self, partition: int) -> dict[str, Any]:
        if not self.has_local_copy(partition):
            return {}
        db = self._db_for_partition(partition)
        return {
            orjson.loads(key): orjson.loads(value)
            for key, value in db.items()
            if key != self.offset_key
        }


class SeenStore(rocksdb.Store):
    """Accepted event ids on disk: ``{p}/{id}`` -> the offset that accepted it.

    On the wire (the changelog) ids travel in chunks, one record per batch and
    partition, so a batch of thousands of events costs a few changelog records;
    locally each id is its own key, so a lookup is one read, never a scan.
    """

    def offset_of(self, partition: int, event_id: str) -> int | None:
        key = encode_key(seen_key(partition, event_id))
        value = self._db_for_partition(partition).get(key)
        return None if value is None else int(value)

    def write(self, partition: int, ids: Mapping[str, int], offset: int) -> None:
        batch = WriteBatch(raw_mode=True)
        for key, accepted_at in ids.items():
            batch.put(encode_key(key), str(accepted_at).encode())
        batch.put(self.offset_key, str(offset).encode())
        self._db_for_partition(partition).write(batch)

    def apply_changelog_batch(
        self, batch: Iterable[faust.types.EventT], to_key: Callable, to_value: Callable
    ) -> None:
        """Each chunk record becomes one key per id."""
        last: dict[int, int] = {}
        for partition, pairs in _by_partition(list(batch), last).items():
            ids = {
                seen_key(partition, event_id): at
                for _, chunk in pairs
                if chunk
                for event_id, at in chunk.items()
            }
            self.write(partition, ids, last[partition])


def _persist_offsets(store: rocksdb.Store, events: list) -> None:
    """What Faust's rocksdb store computes and then forgets to keep: the last
    changelog offset applied, so a restarted standby reads on from there instead
    of replaying (and showing) older values again."""
    last: dict = {}
    for event in events:
        last[event.message.tp] = event.message.offset
    for tp, offset in last.items():
        store.set_persisted_offset(tp, offset)


def _by_partition(events: list, last: dict[int, int] | None = None) -> dict:
    """Decoded (key, value) pairs per changelog partition, in order."""
    pairs: dict[int, list[tuple[str, Any]]] = {}
    for event in events:
        message = event.message
        value = None if message.value is None else orjson.loads(message.value)
        pairs.setdefault(message.partition, []).append(
            (orjson.loads(message.key), value)
        )
        if last is not None:
            last[message.partition] = message.offset
    return pairs


class LedgerTable(faust.Table):
    """A Faust table kept in a store of the given class."""

    def __init__(self, *args: Any, store_class: type = LedgerStore, **kwargs) -> None:
        self._store_class = store_class
        super().__init__(*args, **kwargs)

    def _new_store_by_url(self, url):
        return self._store_class(
            url,
            self.app,
            self,
            table_name=self.name,
            key_type=self.key_type,
            key_serializer=self.key_serializer,
            value_serializer=self.value_serializer,
            value_type=self.value_type,
            loop=self.loop,
            options=dict(ROCKSDB_OPTIONS),
        )
