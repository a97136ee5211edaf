"""Record batches packed into one append-only file per partition folder.

Tansu writes each record batch once, as an object of its own, and a stream of
single events makes a batch of each: as files, each would take a 4 KiB block and
two syncs. Appended to one log per folder they take their own size and one sync.
"""

import os
import struct
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

LOG_NAME = ".batches.log"  # a dot name: never listed as an object itself
HEADER = struct.Struct("<IHIdI")  # magic, name length, body length, stamp, CRC-32
MAGIC = 0x31474F4C
DELETED = 0xFFFFFFFF  # body length of a record that deletes the name


@dataclass(frozen=True, slots=True)
class Packed:
    """Where an object's bytes are in its folder's log."""

    log: "BatchLog"
    offset: int
    length: int
    stamp: float

    @property
    def etag(self) -> str:
        return f'"{self.log.inode:x}-{self.offset:x}-{self.length:x}"'

    def read(self) -> bytes:
        return os.pread(self.log.reader, self.length, self.offset)


class BatchLog:
    """One folder's log. Opening it reads every record and cuts off a torn last
    one: a write a kill cut short, which was never acknowledged."""

    def __init__(self, path: Path, sync: bool = True):
        self.path, self.sync = path, sync
        created = not path.exists()
        self.entries: dict[str, Packed] = {}
        self._writer = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        self.reader = os.open(path, os.O_RDONLY)
        self.inode = os.fstat(self.reader).st_ino
        self._end = self._scan()
        if created and sync:
            sync_folder(path.parent)

    def append(self, name: str, body: bytes | None) -> Packed | None:
        """Write `body` under `name` (None: delete it); its place once durable."""
        data = name.encode() + (body or b"")
        length = DELETED if body is None else len(body)
        stamp = time.time()
        header = HEADER.pack(MAGIC, len(name.encode()), length, stamp, zlib.crc32(data))
        self._write(header + data)
        self._end += len(header) + len(data)
        if body is None:
            self.entries.pop(name, None)
            return None
        packed = Packed(self, self._end - len(body), len(body), stamp)
        self.entries[name] = packed
        return packed

    def _write(self, record: bytes) -> None:
        """All of it, durably, or none of it: a record half written (a full disk)
        is cut off at once, or the next open would cut off everything after it."""
        try:
            written = 0
            while written < len(record):
                written += os.write(self._writer, record[written:])
            if self.sync:
                os.fdatasync(self._writer)
        except OSError:
            os.ftruncate(self._writer, self._end)
            raise

    def _scan(self) -> int:
        """Index every whole record; truncate the file after the last one."""
        offset, size = 0, os.fstat(self.reader).st_size
        while offset + HEADER.size <= size:
            magic, name_size, length, stamp, crc = HEADER.unpack(
                os.pread(self.reader, HEADER.size, offset)
            )
            body_size = 0 if length == DELETED else length
            start = offset + HEADER.size
            data = os.pread(self.reader, name_size + body_size, start)
            if magic != MAGIC or len(data) < name_size + body_size:
                break
            if zlib.crc32(data) != crc:
                break
            self._index(data[:name_size].decode(), start + name_size, length, stamp)
            offset = start + name_size + body_size
        if offset < size:
            os.ftruncate(self._writer, offset)
        return offset

    def _index(self, name: str, offset: int, length: int, stamp: float) -> None:
        if length == DELETED:
            self.entries.pop(name, None)
        else:
            self.entries[name] = Packed(self, offset, length, stamp)


def sync_folder(folder: Path) -> None:
    """Make a new name in the folder durable: without it a power cut can undo it."""
    handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)
