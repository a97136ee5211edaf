"""How table keys and values are serialized: the changelog and RocksDB hold the
same bytes, so a value is serialized once, for both."""

from typing import Any, NamedTuple

import orjson


def encode_key(key: str) -> bytes:
    return orjson.dumps(key)


class Encoded(NamedTuple):
    """A value with its key and value as the changelog and RocksDB both hold them:
    serialized once, for both."""

    key: str
    value: Any
    raw_key: bytes
    raw_value: bytes | None  # None: a tombstone, which deletes the key


def encoded(key: str, value: Any) -> Encoded:
    raw_value = None if value is None else orjson.dumps(value)
    return Encoded(key, value, encode_key(key), raw_value)
