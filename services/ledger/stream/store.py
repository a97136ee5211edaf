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
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from typing import Any

import faust
import orjson
import rocksdict
from faust.stores import rocksdb
from rocksdict import WriteBatch

from ledger.stream import crashpoints, heap
from ledger.stream.encoding import Encoded, encode_key

# A worker opens one database per table and partition. Memtables of 8 MiB each
# (arena blocks of 256 KiB, so a database written little holds little), under one
# budget for the whole process: a 1 MiB memtable was flushed every few hundred
# events of a busy partition, and flushing and compacting those small files took
# about a tenth of the worker's CPU.
ROCKSDB_OPTIONS = {
    "driver": "rocksdict",
    "write_buffer_size": 8 * 1024 * 1024,
    "max_write_buffer_number": 2,
    "block_cache_compressed_size": 0,
    "bloom_filter_size": 10,  # bits per key: 1% of absent keys read a block
}
ARENA_BLOCK_BYTES = 256 * 1024
MEMTABLES_BYTES = 32 * 1024 * 1024  # all databases' memtables, together
# All databases' cached blocks, together: a cache of 2 MiB per database (five
# tables, a database per partition) filled as history grew, 60 MiB at most.
BLOCK_CACHE_BYTES = 16 * 1024 * 1024


@cache
def _memtable_budget() -> rocksdict.WriteBufferManager:
    """One for the process: past it, the database being written flushes."""
    return rocksdict.WriteBufferManager(MEMTABLES_BYTES, False)


@cache
def _block_cache() -> rocksdict.Cache:
    """One for the process, shared by every database (least recently used out)."""
    return rocksdict.Cache(BLOCK_CACHE_BYTES)


class LookupOptions(rocksdb.RocksDBOptions):
    """Faust's options, with bloom filters that answer "absent" from memory.

    Faust asks RocksDB for block-based bloom filters, which it no longer builds,
    so a lookup of an absent key (nearly every new event id) read blocks of every
    file. A full filter per file and one on the memtable make it about 4x faster.
    """

    def as_options(self) -> rocksdict.Options:
        options = super().as_options()
        table = rocksdict.BlockBasedOptions()
        table.set_bloom_filter(self.bloom_filter_size, False)
        table.set_block_cache(_block_cache())
        table.set_index_type(rocksdict.BlockBasedIndexType.binary_search())
        options.set_block_based_table_factory(table)
        options.set_memtable_prefix_bloom_ratio(0.02)
        options.set_memtable_whole_key_filtering(True)
        options.set_arena_block_size(ARENA_BLOCK_BYTES)
        options.set_write_buffer_manager(_memtable_budget())
        return options


class PartitionedStore(rocksdb.Store):
    """Faust's RocksDB store with ``LookupOptions`` and batch writes by partition."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rocksdb_options = LookupOptions(
            **self.options, use_rocksdict=self.use_rocksdict
        )

    def has_local_copy(self, partition: int) -> bool:
        return partition in self._dbs or self.partition_path(partition).exists()

    def write(self, partition: int, changes: Sequence[Encoded], offset: int) -> None:
        """Put (a tombstone: delete) a batch's values and the changelog offset
        they reach, at once."""
        batch = WriteBatch(raw_mode=True)
        for change in changes:
            if change.raw_value is None:
                batch.delete(change.raw_key)
            else:
                batch.put(change.raw_key, change.raw_value)
        batch.put(self.offset_key, str(offset).encode())
        self._db_for_partition(partition).write(batch)


class LedgerStore(PartitionedStore):
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

    def write(self, partition: int, changes: Sequence[Encoded], offset: int) -> None:
        super().write(partition, changes, offset)
        self._remember(partition, [(change.key, change.value) for change in changes])

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
        for partition, pairs in by_partition(events).items():
            self._remember(partition, pairs)
        heap.trimmer.now_and_then()

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


def _persist_offsets(store: rocksdb.Store, events: list) -> None:
    """What Faust's rocksdb store computes and then forgets to keep: the last
    changelog offset applied, so a restarted standby reads on from there instead
    of replaying (and showing) older values again."""
    last: dict = {}
    for event in events:
        last[event.message.tp] = event.message.offset
    for tp, offset in last.items():
        store.set_persisted_offset(tp, offset)


def by_partition(events: list, last: dict[int, int] | None = None) -> dict:
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
