"""Accepted events on local RocksDB, one entry each (see ``rules.entries``), so
de-duplication and corrections read one key, and memory does not grow with history.

``{p}/{id}`` -> the entry. On the wire (the changelog) entries travel in chunks,
a few records per batch and partition; locally each is its own key, with two
index keys derived from it, rebuilt the same way in recovery:

``["c", region, country, month, sortable_us(at_us), id]`` -> ``1`` if it counts,
  else ``0``: the first and last instants of a month cell, its entries by time;
``["a", region, country, agency_key, month, id]`` -> the same: is an agency still
  engaged, at all and in that month.
"""

from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import lru_cache
from typing import NamedTuple

import faust
import orjson
from rocksdict import WriteBatch

from ledger.rules import entries as e
from ledger.rules.keys import seen_key
from ledger.rules.rollup import agency_key, month_of_us
from ledger.stream import heap
from ledger.stream.encoding import encode_key
from ledger.stream.store import PartitionedStore, by_partition

YES, NO = b"1", b"0"


def cell_prefix(region: str, country: str, month: str) -> list:
    return ["c", region, country, month]


def agency_prefix(region: str, country: str, agency: str) -> list:
    return ["a", region, country, agency_key(agency)]


def sortable_us(at_us: int) -> str:
    """Instants from year 1 to 9999 as text that sorts as they do."""
    return f"{at_us + 10**17:018d}"


def from_sortable_us(text: str) -> int:
    return int(text) - 10**17


def index_keys(event_id: str, entry: e.Entry) -> tuple[list, list] | None:
    if "country" not in entry:  # a void, or an event awaited but not arrived
        return None
    region, country = entry["region"], entry["country"]
    month = month_of_us(entry["at_us"])
    return (
        [*cell_prefix(region, country, month), sortable_us(entry["at_us"]), event_id],
        [*agency_prefix(region, country, entry["agency"]), month, event_id],
    )


def index_keys_json(event_id: str, entry: e.Entry) -> tuple[bytes, bytes] | None:
    """``orjson.dumps`` of each of ``index_keys``, written out directly: region,
    country, month, instant and id are plain codes and digits (the contract's
    patterns), only the agency needs JSON's escaping."""
    if "country" not in entry:
        return None
    at_us = entry["at_us"]
    month, place = month_of_us(at_us), f'"{entry["region"]}","{entry["country"]}"'
    agency = _agency_json(entry["agency"])
    return (
        f'["c",{place},"{month}","{sortable_us(at_us)}","{event_id}"]'.encode(),
        f'["a",{place},{agency},"{month}","{event_id}"]'.encode(),
    )


@lru_cache(maxsize=65_536)
def _agency_json(name: str) -> str:
    return orjson.dumps(agency_key(name)).decode()


# Bytes of entries per changelog record of the seen table: records stay under 64 KiB
# (a waiting correction keeps its record's text, at most 64 KiB, in a chunk alone).
CHUNK_BYTES = 48 * 1024


class Prepared(NamedTuple):
    """A partition's entries of a batch, each serialized once for both its uses."""

    chunks: list[bytes]  # changelog values: ``orjson.dumps`` of {id: entry, ...}
    writes: WriteBatch  # each entry and its index keys, for the local database


def prepare(
    partition: int, entries: Mapping[str, e.Entry], chunked: bool = True
) -> Prepared:
    """One pass over the entries: each serialized, its key written out directly
    (``encode_key(seen_key(...))``: an id is hex, its JSON string needs no
    escaping), its index keys put with whether it counts, and (``chunked``) the
    entries in order as changelog chunks of up to ``CHUNK_BYTES``."""
    writes = WriteBatch(raw_mode=True)
    put = writes.put
    chunks: list[bytes] = []
    members: list[bytes] = []
    size = 1  # the chunk's bytes so far: "{", then each member and "," or "}"
    for event_id, entry in entries.items():
        ident, value = event_id.encode(), orjson.dumps(entry)
        put(b'"%d/%b"' % (partition, ident), value)
        indexed = index_keys_json(event_id, entry)
        if indexed:  # an entry with a place: not a void, counted or not by status
            flag = YES if entry["history"][-1][1] == e.COUNTED else NO
            put(indexed[0], flag)
            put(indexed[1], flag)
        if chunked:
            member = b'"%b":%b' % (ident, value)
            if members and size + len(member) + 1 > CHUNK_BYTES:
                chunks.append(_object(members))
                members, size = [], 1
            members.append(member)
            size += len(member) + 1
    if members:
        chunks.append(_object(members))
    return Prepared(chunks, writes)


def _object(members: list[bytes]) -> bytes:
    return b"{" + b",".join(members) + b"}"


class SeenStore(PartitionedStore):
    def entry_of(self, partition: int, event_id: str) -> e.Entry | None:
        """The entry of an id, or None; an absent id (nearly every new one) is
        answered from bloom filters in memory."""
        value = self._db_for_partition(partition).get(
            encode_key(seen_key(partition, event_id))
        )
        return None if value is None else orjson.loads(value)

    def write(
        self, partition: int, entries: Mapping[str, e.Entry], offset: int
    ) -> None:
        """Put the entries, their index keys and the changelog offset, at once."""
        self.commit(partition, prepare(partition, entries, chunked=False), offset)

    def commit(self, partition: int, prepared: Prepared, offset: int) -> None:
        """Write prepared entries with the changelog offset they reach, at once."""
        prepared.writes.put(self.offset_key, b"%d" % offset)
        self._db_for_partition(partition).write(prepared.writes)

    def counted_under(
        self, partition: int, prefix: list
    ) -> Iterator[tuple[list, bool]]:
        """(index key, counts) of every index key under the prefix, in key order."""
        start = _opening(prefix)
        db = self._db_for_partition(partition)
        for key, flag in db.items(from_key=start):
            if not key.startswith(start):
                return
            yield orjson.loads(key), flag == YES

    def places(self, partition: int, region: str | None) -> Iterator[tuple[str, str]]:
        """(region, country) of the partition's cell index, one seek each."""
        if not self.has_local_copy(partition):
            return
        db = self._db_for_partition(partition)
        within = _opening(["c"] if region is None else ["c", region])
        start = within
        while (key := next(db.keys(from_key=start), None)) is not None:
            if not key.startswith(within):
                return
            _, found_region, country, *_ = orjson.loads(key)
            yield found_region, country
            start = _opening(["c", found_region, country]) + _PAST

    def newest_first(
        self, partition: int, prefix: list, top: list
    ) -> Iterator[tuple[list, bool]]:
        """(index key, counts) under ``prefix``, newest first, from the end of
        ``top`` (a longer prefix, e.g. down to a month or an instant)."""
        within = _opening(prefix)
        db = self._db_for_partition(partition)
        for key, flag in db.items(backwards=True, from_key=_opening(top) + _PAST):
            if not key.startswith(within):
                return
            yield orjson.loads(key), flag == YES

    def apply_changelog_batch(
        self, batch: Iterable[faust.types.EventT], to_key: Callable, to_value: Callable
    ) -> None:
        """Each chunk record becomes one key per entry, with its index keys."""
        last: dict[int, int] = {}
        for partition, pairs in by_partition(list(batch), last).items():
            entries = {
                event_id: entry
                for _, chunk in pairs
                if chunk
                for event_id, entry in chunk.items()
            }
            self.write(partition, entries, last[partition])
        heap.trimmer.now_and_then()

    def lookup(self, partition: int) -> Callable[[str], e.Entry | None]:
        """``entry_of`` for one partition, for a run of records: the database
        found once and each key's bytes built directly (an id is hex, so its JSON
        string needs no escaping)."""
        get = self._db_for_partition(partition).get
        prefix = f'"{partition}/'

        def entry_of(event_id: str) -> e.Entry | None:
            value = get(f'{prefix}{event_id}"'.encode())
            return None if value is None else orjson.loads(value)

        return entry_of


_PAST = b"\xff"  # after every key that starts with what precedes it


def _opening(prefix: list) -> bytes:
    """The bytes every index key under ``prefix`` starts with."""
    return orjson.dumps(prefix)[:-1] + b","
