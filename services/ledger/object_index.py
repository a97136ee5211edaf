"""A bucket's objects on disk, with their names kept sorted in memory so that a
listing by prefix costs a search, not a walk of the folder.

Record batches (`*.batch`, written once each) are packed into their folder's
batch log; every other object (offsets, groups, metadata: small and rewritten
often) is a file of its own, replaced whole by a rename."""

import bisect
import os
from datetime import UTC, datetime
from email.utils import formatdate
from pathlib import Path

from ledger.batch_log import LOG_NAME, BatchLog, Packed, sync_folder

LAST = chr(0x10FFFF)  # sorts after any character a key may hold next


def http_date(mtime: float) -> str:
    return formatdate(mtime, usegmt=True)


def iso_date(mtime: float) -> str:
    moment = datetime.fromtimestamp(mtime, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def as_tuple(key: str, size: int, mtime: float) -> tuple[str, int, float]:
    return key, size, mtime


def _file_etag(path: Path) -> str | None:
    """A file is only ever replaced whole (a new inode), so inode, mtime and size
    make a cheap, exact version."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return f'"{stat.st_ino:x}-{stat.st_mtime_ns:x}-{stat.st_size:x}"'


class ObjectIndex:
    """Objects under `folder`; names starting with a dot are never objects (batch
    logs, temporaries of writes in progress). A listing gives each object as
    `describe(key, size, mtime)` made when it was written, so the listings a
    server answers over and over are made once."""

    def __init__(self, folder: Path, sync: bool = True, describe=as_tuple):
        self.folder, self.sync, self.describe = folder.resolve(), sync, describe
        self.folder.mkdir(parents=True, exist_ok=True)
        self._described: dict[str, object] = {}
        self._logs: dict[Path, BatchLog] = {}
        for top, _, names in os.walk(self.folder):
            self._load(Path(top), names)
        self._keys = sorted(self._described)

    def path(self, key: str) -> Path:
        path = (self.folder / key).resolve()
        if not path.is_relative_to(self.folder) or path == self.folder:
            raise ValueError(f"key outside the folder: {key!r}")
        return path

    def etag(self, key: str) -> str | None:
        packed = self._packed(key)
        return packed.etag if packed else _file_etag(self.path(key))

    def read(self, key: str) -> tuple[bytes, str, float] | None:
        """The object's bytes, version and modification time; None if none."""
        packed = self._packed(key)
        if packed:
            return packed.read(), packed.etag, packed.stamp
        path = self.path(key)
        tag = _file_etag(path)
        return None if tag is None else (path.read_bytes(), tag, path.stat().st_mtime)

    def put(self, key: str, body: bytes, if_match, if_none_match) -> str | None:
        """Write the object; None, writing nothing, when a condition fails."""
        current = self.etag(key)
        if (if_none_match == "*" and current) or (if_match and current != if_match):
            return None
        if key.endswith(".batch"):
            path = self.path(key)
            packed = self._log(path.parent).append(path.name, body)
            self._remember(key, len(body), packed.stamp)
            return packed.etag
        return self._write_file(key, body)

    def delete(self, key: str) -> None:
        path = self.path(key)
        if self._packed(key):
            self._logs[path.parent].append(path.name, None)
        path.unlink(missing_ok=True)
        if self._described.pop(key, None) is not None:
            del self._keys[bisect.bisect_left(self._keys, key)]

    def listing(self, prefix: str, after: str = "") -> list:
        """Every object whose key starts with prefix and sorts after `after`, in
        key order, as described."""
        start = bisect.bisect_right(self._keys, after) if after > prefix else None
        if start is None:
            start = bisect.bisect_left(self._keys, prefix)
        end = bisect.bisect_left(self._keys, prefix + LAST, lo=start)
        return [self._described[key] for key in self._keys[start:end]]

    def _write_file(self, key: str, body: bytes) -> str:
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.tmp")
        with temporary.open("wb") as out:
            out.write(body)
            if self.sync:
                os.fsync(out.fileno())
        os.replace(temporary, path)
        if self.sync:
            sync_folder(path.parent)  # the rename itself, through a power cut
        stat = path.stat()
        self._remember(key, stat.st_size, stat.st_mtime)
        return _file_etag(path)

    def _packed(self, key: str) -> Packed | None:
        path = self.path(key)
        log = self._logs.get(path.parent)
        return log.entries.get(path.name) if log else None

    def _log(self, folder: Path) -> BatchLog:
        if folder not in self._logs:
            folder.mkdir(parents=True, exist_ok=True)
            self._logs[folder] = BatchLog(folder / LOG_NAME, self.sync)
        return self._logs[folder]

    def _load(self, folder: Path, names: list[str]) -> None:
        if LOG_NAME in names:
            for name, packed in self._log(folder).entries.items():
                key = (folder / name).relative_to(self.folder).as_posix()
                self._described[key] = self.describe(key, packed.length, packed.stamp)
        for name in names:
            if not name.startswith("."):
                stat = (folder / name).stat()
                key = (folder / name).relative_to(self.folder).as_posix()
                self._described[key] = self.describe(key, stat.st_size, stat.st_mtime)

    def _remember(self, key: str, size: int, mtime: float) -> None:
        if key not in self._described:
            bisect.insort(self._keys, key)
        self._described[key] = self.describe(key, size, mtime)
