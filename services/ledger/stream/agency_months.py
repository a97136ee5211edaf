"""Which agencies were engaged in which month, on local RocksDB only.

``{p}/{YYYY-MM}/{region}/{country}/{agency}`` -> ``{"since_offset": n}``, written
once per key. Unlike the agencies table it is neither mirrored in memory nor
shipped whole between workers: years of history hold hundreds of thousands of
keys, and only a request for a period needs them, as one range scan of its months
per partition. A tombstone (a value of None) removes a key, locally (``write``)
and in recovery and standby updates alike (Faust's ``apply_changelog_batch``
deletes a key whose value is None).
"""

import orjson

from ledger.rules.keys import month_range
from ledger.stream.encoding import encode_key
from ledger.stream.store import PartitionedStore


class AgencyMonthStore(PartitionedStore):
    def holds(self, partition: int, key: str) -> bool:
        """Is the key stored? An absent one is answered from bloom filters."""
        return self._db_for_partition(partition).get(encode_key(key)) is not None

    def keys_between(
        self, partition: int, first: str | None, last: str | None
    ) -> list[str]:
        """The partition's keys of months ``first`` to ``last`` (None: open)."""
        if not self.has_local_copy(partition):
            return []
        low, high = (encode_key(k) for k in month_range(partition, first, last))
        found = []
        for raw in self._db_for_partition(partition).keys(from_key=low):
            if raw >= high:
                break
            found.append(orjson.loads(raw))
        return found
