"""The changelog-backed tables; every key starts with the partition it belongs to.

``cells``     ``{p}/{region}/{country}`` -> the rollup cell of that partition
``seen``      ``{p}/{first offset}``     -> event_ids accepted in one batch
``counters``  ``{p}``                    -> accepted, duplicate, rejected counts

State is kept per source partition, not per region, so it is right whatever
partitioner a producer used, and each partition has exactly one owner.
"""

from dataclasses import dataclass

import faust


@dataclass(frozen=True)
class Tables:
    cells: faust.Table
    seen: faust.Table
    counters: faust.Table

    def all(self) -> tuple[faust.Table, ...]:
        return (self.cells, self.seen, self.counters)


def declare_tables(app: faust.App, partitions: int) -> Tables:
    def table(name: str, help_: str) -> faust.Table:
        return app.Table(
            name,
            schema=faust.Schema(key_serializer="json", value_serializer="json"),
            partitions=partitions,
            help=help_,
        )

    return Tables(
        cells=table("cells", "Rollup cells per partition, region and country"),
        seen=table("seen", "Accepted event_ids, one batch per key"),
        counters=table("counters", "Record counts per partition"),
    )


def partition_of(key: str) -> int:
    return int(key.split("/", 1)[0])
