"""A bucket's objects as files in a folder, with their names kept sorted in memory
so that a listing by prefix costs a search, not a walk of the folder."""

import bisect
import os
from datetime import UTC, datetime
from email.utils import formatdate
from pathlib import Path

LAST = chr(0x10FFFF)  # sorts after any character a key may hold next


def etag(path: Path) -> str | None:
    """A file is only ever replaced whole (a new inode), so inode, mtime and size
    make a cheap, exact version."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return f'"{stat.st_ino:x}-{stat.st_mtime_ns:x}-{stat.st_size:x}"'


def http_date(mtime: float) -> str:
    return formatdate(mtime, usegmt=True)


def iso_date(mtime: float) -> str:
    moment = datetime.fromtimestamp(mtime, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable: without it a power cut can undo it."""
    handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def as_tuple(key: str, size: int, mtime: float) -> tuple[str, int, float]:
    return key, size, mtime


class ObjectIndex:
    """Objects under `folder`, one file each; names starting with a dot are the
    temporaries of writes in progress and never objects. A listing gives each
    object as `describe(key, size, mtime)` made when it was written, so the
    listings a server answers over and over are made once."""

    def __init__(self, folder: Path, sync: bool = True, describe=as_tuple):
        self.folder, self.sync, self.describe = folder.resolve(), sync, describe
        self.folder.mkdir(parents=True, exist_ok=True)
        self._described: dict[str, object] = {}
        for top, _, names in os.walk(self.folder):
            for name in names:
                if not name.startswith("."):
                    self._remember(Path(top, name))
        self._keys = sorted(self._described)

    def path(self, key: str) -> Path:
        path = (self.folder / key).resolve()
        if not path.is_relative_to(self.folder) or path == self.folder:
            raise ValueError(f"key outside the folder: {key!r}")
        return path

    def put(self, key: str, body: bytes, if_match, if_none_match) -> str | None:
        """Write the object; None, writing nothing, when a condition fails."""
        path = self.path(key)
        current = etag(path)
        if (if_none_match == "*" and current) or (if_match and current != if_match):
            return None
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.tmp")
        with temporary.open("wb") as out:
            out.write(body)
            if self.sync:
                os.fsync(out.fileno())
        os.replace(temporary, path)
        if self.sync:
            _sync_folder(path.parent)
        if self._remember(path):
            bisect.insort(self._keys, key)
        return etag(path)

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)
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

    def _remember(self, path: Path) -> bool:
        """Describe the file; True if it is a new key."""
        key = path.relative_to(self.folder).as_posix()
        stat = path.stat()
        new = key not in self._described
        self._described[key] = self.describe(key, stat.st_size, stat.st_mtime)
        return new
