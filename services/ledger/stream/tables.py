"""The changelog-backed tables, on local RocksDB; keys are built by ``rules.keys``.

State is kept per source partition, not per region, so it is right whatever
partitioner a producer used, and each partition has exactly one owner. Every
value a batch writes carries ``upto``, the source offset it reflects: a batch
replayed after a crash changes nothing it had already changed.
"""

from dataclasses import dataclass
from typing import Any

import faust

from ledger.stream.agency_months import AgencyMonthStore
from ledger.stream.seen import SeenStore
from ledger.stream.store import ROCKSDB_OPTIONS, LedgerStore


class LedgerTable(faust.Table):
    """A Faust table kept in a store of the given class."""

    def __init__(self, *args: Any, store_class: type = LedgerStore, **kwargs) -> None:
        self._store_class = store_class
        super().__init__(*args, **kwargs)

    def _new_store_by_url(self, url):
        return self._store_class(
            url,
            self.app,
            self,
            table_name=self.name,
            key_type=self.key_type,
            key_serializer=self.key_serializer,
            value_serializer=self.value_serializer,
            value_type=self.value_type,
            loop=self.loop,
            options=dict(ROCKSDB_OPTIONS),
        )


# Changelog records of the entries table applied in one step while recovering
# (Faust's default, kept for the other tables, is 1,000): a chunk of entries is
# up to 48 KiB, and 1,000 of them held at once took a rebuild past 600 MB.
ENTRY_CHUNKS_BUFFERED = 100


@dataclass(frozen=True)
class Tables:
    cells: LedgerTable
    agencies: LedgerTable
    seen: LedgerTable
    counters: LedgerTable
    agency_months: LedgerTable

    def all(self) -> tuple[LedgerTable, ...]:
        return (self.cells, self.agencies, self.seen, self.counters, self.agency_months)

    def shown(self) -> tuple[LedgerTable, ...]:
        """The tables the read API shows, mirrored in memory."""
        return (self.cells, self.agencies, self.counters)


def declare_tables(app: faust.App, partitions: int) -> Tables:
    def table(
        name: str, help_: str, store_class: type = LedgerStore, **options: Any
    ) -> LedgerTable:
        return app.tables.add(
            LedgerTable(
                app,
                name=name,
                partitions=partitions,
                help=help_,
                beacon=app.tables.beacon,
                store="rocksdb://",
                store_class=store_class,
                **options,
            )
        )

    return Tables(
        cells=table("cells", "One month of one country per partition"),
        agencies=table("agencies", "Agencies engaged, one key each"),
        seen=table(
            "seen",
            "Accepted event_ids",
            SeenStore,
            recovery_buffer_size=ENTRY_CHUNKS_BUFFERED,
        ),
        counters=table("counters", "Record counts per partition"),
        agency_months=table(
            "agency_months", "Agencies engaged per month, on disk", AgencyMonthStore
        ),
    )
