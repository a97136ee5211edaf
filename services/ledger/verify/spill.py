"""The recount's entries on a temporary local RocksDB instead of in memory.

A recount keeps every accepted event's entry: in memory that was about 500 bytes
an event (a million events, half a gigabyte), and a ledger with ten million would
not have fit. On disk, verify's memory stays about the same whatever the length
of the history; what it reads back is nearly always absent (a new event_id),
which the bloom filters answer from memory. Nothing here needs to survive a
crash: the write-ahead log is off, and the folder is removed when verify ends.
"""

import shutil
import tempfile
from pathlib import Path

from rocksdict import Options, Rdict, WriteOptions

MEMTABLE_BYTES = 16 * 1024 * 1024


class SpilledEntries:
    """A partition's entries (event_id -> JSON bytes), as a dict's get and set."""

    def __init__(self, db: Rdict, partition: int, unlogged: WriteOptions) -> None:
        self._db, self._unlogged = db, unlogged
        self._prefix = f"{partition}/"

    def get(self, event_id: str) -> bytes | None:
        return self._db.get((self._prefix + event_id).encode())

    def __setitem__(self, event_id: str, entry: bytes) -> None:
        self._db.put((self._prefix + event_id).encode(), entry, self._unlogged)


class EntrySpill:
    """One temporary database for a verify run; ``of(p)`` is a partition's view."""

    def __init__(self, parent: Path | None = None) -> None:
        self._folder = Path(tempfile.mkdtemp(prefix="ledger-verify-", dir=parent))
        options = Options(raw_mode=True)
        options.create_if_missing(True)
        options.set_write_buffer_size(MEMTABLE_BYTES)
        options.optimize_for_point_lookup(8)  # bloom filters, an 8 MiB block cache
        self._db = Rdict(str(self._folder), options)
        self._unlogged = WriteOptions()
        self._unlogged.disable_wal = True

    def of(self, partition: int) -> SpilledEntries:
        return SpilledEntries(self._db, partition, self._unlogged)

    def close(self) -> None:
        self._db.close()
        shutil.rmtree(self._folder, ignore_errors=True)

    def __enter__(self) -> "EntrySpill":
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
