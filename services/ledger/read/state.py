"""The whole ledger's state, gathered from every worker that owns a partition.

Each worker owns some partitions of the activity topic and holds only their
cells. A request to any worker asks every other worker for its share, so all
of them answer with the same numbers; until every partition is accounted for
(a rebalance or recovery is under way) the state is incomplete and says so.
"""

import asyncio
from dataclasses import dataclass

import aiohttp
import faust
from faust.types import TP
from yarl import URL

from ledger.stream.tables import Tables, partition_of

INTERNAL_PATH = "/api/v1/internal/state"


@dataclass(frozen=True)
class LedgerState:
    cells: dict[str, dict]
    counters: dict[str, dict]
    lag: dict[str, int | None]
    partitions: set[int]
    expected: int
    workers: int

    @property
    def missing(self) -> list[int]:
        return sorted(set(range(self.expected)) - self.partitions)


class StateReader:
    """Reads this worker's share of the tables and fetches the others'."""

    def __init__(self, app: faust.App, tables: Tables, topic: str, partitions: int):
        self._app = app
        self._tables = tables
        self._topic = topic
        self._partitions = partitions

    def ready(self) -> bool:
        app = self._app
        recovered = app.tables.recovery.completed.is_set()
        return recovered and not app.rebalancing and not app.in_recovery

    def local_share(self) -> dict:
        """This worker's active partitions and their cells and counts."""
        owned = self._owned() if self.ready() else set()
        return {
            "partitions": sorted(owned),
            "cells": _owned_items(self._tables.cells, owned),
            "counters": _owned_items(self._tables.counters, owned),
            "lag": {str(p): self._lag(p) for p in owned},
        }

    async def gather(self) -> LedgerState:
        shares = [self.local_share()]
        shares += await asyncio.gather(*map(self._fetch, self._peers()))
        return LedgerState(
            cells={k: v for share in shares for k, v in share["cells"].items()},
            counters={k: v for share in shares for k, v in share["counters"].items()},
            lag={k: v for share in shares for k, v in share["lag"].items()},
            partitions={p for share in shares for p in share["partitions"]},
            expected=self._partitions,
            workers=sum(1 for share in shares if share["partitions"]),
        )

    def _owned(self) -> set[int]:
        actives = self._app.assignor.assigned_actives()
        return {tp.partition for tp in actives if tp.topic == self._topic}

    def _lag(self, partition: int) -> int | None:
        counters = self._tables.counters.data.get(str(partition)) or {}
        try:
            end = self._app.consumer.highwater(TP(self._topic, partition))
        except Exception:  # the consumer has not fetched from it yet
            return None
        if end is None:
            return None
        return max(0, end - counters.get("next_offset", 0))

    def _peers(self) -> list[URL]:
        me = URL(str(self._app.conf.canonical_url))
        hosts = self._app.router.tables_metadata()
        return [URL(host) for host in hosts if URL(host) != me]

    async def _fetch(self, host: URL) -> dict:
        timeout = aiohttp.ClientTimeout(total=5)
        try:
            async with self._app.http_client.get(
                host.with_path(INTERNAL_PATH), timeout=timeout
            ) as response:
                response.raise_for_status()
                return await response.json()
        except (TimeoutError, aiohttp.ClientError):
            return {"partitions": [], "cells": {}, "counters": {}, "lag": {}}


def _owned_items(table: faust.Table, owned: set[int]) -> dict:
    return {
        key: value
        for key, value in table.data.items()
        if value and partition_of(key) in owned
    }
