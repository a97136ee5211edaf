"""The one codec of table keys; every key starts with the source partition it is of.

``cells``     ``{p}/{region}/{country}/{YYYY-MM}``  one month of one country
``agencies``  ``{p}/{region}/{country}/{agency}``   an agency engaged, written once
``agency_months`` ``{p}/{YYYY-MM}/{region}/{country}/{agency}``  engaged that month,
              on disk only: a period's months are one range of keys
``seen``      ``{p}/{event_id}`` an entry locally; ``{p}/{first offset}/{n}`` chunks
              of entries on the wire
``counters``  ``{p}``                               record counts of the partition

Keys are small and values bounded: a batch rewrites only the keys it touched, and
no value grows with the months, agencies or ids in the history.
"""

from typing import NamedTuple

SEAL = "~"


class Place(NamedTuple):
    """Where a cell or agency key points: its partition, region, country and leaf."""

    partition: int
    region: str
    country: str
    leaf: str


def key(partition: int, region: str, country: str, leaf: str) -> str:
    return f"{partition}/{region}/{country}/{leaf}"


def place(key_: str) -> Place:
    """Agency names may hold ``/``: only the first three split."""
    partition, region, country, leaf = key_.split("/", 3)
    return Place(int(partition), region, country, leaf)


def agency_month_key(
    partition: int, month: str, region: str, country: str, agency: str
) -> str:
    return f"{partition}/{month}/{region}/{country}/{agency}"


def agency_month_place(key_: str) -> tuple[str, Place]:
    """(month, where) of an agency-month key; the agency is the leaf."""
    partition, month, region, country, leaf = key_.split("/", 4)
    return month, Place(int(partition), region, country, leaf)


def month_range(partition: int, first: str | None, last: str | None) -> tuple:
    """The agency-month keys from month ``first`` to ``last`` lie in [low, high)."""
    low = f"{partition}/{first or ''}"
    high = f"{partition}/{last}/{SEAL}" if last else f"{partition}/{SEAL}"
    return low, high


def partition_of(key_: str) -> int:
    return int(key_.split("/", 1)[0])


def seen_key(partition: int, event_id: str) -> str:
    return f"{partition}/{event_id}"


def chunk_key(partition: int, first_offset: int, index: int) -> str:
    """A batch's ``index``-th chunk of entries of a partition whose run began at
    ``first_offset``: never the key of an earlier batch's chunk."""
    return f"{partition}/{first_offset}/{index}"


def counters_key(partition: int) -> str:
    return str(partition)


def seal_key(partition: int) -> str:
    """The lone tombstone that closes a changelog partition after each batch."""
    return f"{partition}/{SEAL}"
