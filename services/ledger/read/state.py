"""The whole ledger's state, gathered from every worker that holds a partition.

Each worker holds the partitions it owns, its standby copies and whatever older
copies are on its disk. A request to any worker asks the others for their share;
for each partition the freshest copy wins (the highest next offset, the active
owner on a tie). Reads stay up through rebalances and restarts: while a partition
is served from a copy that is not its active owner's, the answer says so, with how
far behind that copy may be. Only a partition that no reachable worker holds makes
the state incomplete.

Peers come from the group's assignment, which a restarted worker has only after the
rebalance its return starts; until then it asks the peers its last run knew, kept
in its data folder, rather than answering from its own older copies alone.
"""

import asyncio
import json
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import aiohttp
import faust
import orjson
from faust.types import TP
from yarl import URL

from ledger.read.copies import LIVE, describe, empty_copy, freshest, has_active
from ledger.rules.counters import new_counters
from ledger.rules.keys import counters_key
from ledger.rules.periods import Period
from ledger.stream.tables import Tables

INTERNAL_PATH = "/api/v1/internal/state"
PEER_TIMEOUT_S = 1.0
PEER_MEMORY_S = 60.0
PEERS_FILE = "peers.json"


@dataclass(frozen=True)
class LedgerState:
    cells: dict[str, dict]
    agencies: set[str]
    counters: dict[str, dict]
    partitions: dict[int, dict]
    expected: int
    workers: int
    # Asked for a period only: the agency-month keys of its months (``figures``).
    agency_months: frozenset[str] = frozenset()

    @property
    def missing(self) -> list[int]:
        return sorted(set(range(self.expected)) - set(self.partitions))

    @property
    def complete(self) -> bool:
        """Every partition served by its active owner, recovered."""
        live = all(p["source"] in LIVE for p in self.partitions.values())
        return not self.missing and live

    @property
    def lag(self) -> int | None:
        lags = [p["lag"] for p in self.partitions.values()]
        return None if None in lags or self.missing else sum(lags)


class StateReader:
    """Reads this worker's share of the tables and fetches the others'."""

    def __init__(self, app: faust.App, tables: Tables, topic: str, partitions: int):
        self._app = app
        self._tables = tables
        self._topic = topic
        self._partitions = partitions
        self._peers_file = Path(app.conf.datadir) / PEERS_FILE
        self._members = _recall(self._peers_file)
        started = time.monotonic()
        self._peers_answered = {host: started for host in self._members}
        self._active_at: dict[int, float] = {}

    @property
    def partitions(self) -> int:
        return self._partitions

    def ready(self) -> bool:
        app = self._app
        recovered = app.tables.recovery.completed.is_set()
        return recovered and not app.rebalancing and not app.in_recovery

    def active_partitions(self) -> int:
        return sum(role == "active" for role in self._roles().values())

    def local_share(self, period: Period | None = None) -> dict:
        """Every partition this worker holds a copy of, with its role; with a
        period, each copy's agency-month keys of its months too."""
        roles = self._roles()
        shares = {
            str(p): self._partition_share(p, roles.get(p, "copy"), period)
            for p in range(self._partitions)
        }
        return {
            "partitions": {
                p: share
                for p, share in shares.items()
                if share["counters"] or share["role"] == "active"
            }
        }

    async def gather(self, period: Period | None = None) -> LedgerState:
        """Every partition's freshest copy; agency months only for a period."""
        query = {} if period is None else period.as_query()
        shares = [self.local_share(period)]
        shares += await asyncio.gather(*(self.fetch(h, query) for h in self.peers()))
        chosen = freshest(shares)
        missing = set(range(self._partitions)) - set(chosen)
        if missing:
            chosen.update(await self.never_written(missing))
        return LedgerState(
            cells={
                k: v for share in chosen.values() for k, v in share["cells"].items()
            },
            agencies={k for share in chosen.values() for k in share["agencies"]},
            counters={str(p): share["counters"] for p, share in chosen.items()},
            partitions={p: describe(share) for p, share in chosen.items()},
            expected=self._partitions,
            workers=sum(1 for share in shares if has_active(share)),
            agency_months=frozenset(
                k for share in chosen.values() for k in share.get("agency_months", ())
            ),
        )

    def local_copies(self) -> dict[str, dict]:
        """Each partition this worker holds a copy of: its role and how current
        it is, without its figures (what a request for entries needs)."""
        roles = self._roles()
        copies = {
            str(p): self._copy(p, roles.get(p, "copy")) for p in range(self._partitions)
        }
        return {p: copy for p, copy in copies.items() if copy["counters"]}

    def _partition_share(
        self, partition: int, role: str, period: Period | None = None
    ) -> dict:
        copy = self._copy(partition, role)
        if not copy["counters"]:
            return copy
        tables = self._tables
        return {
            **copy,
            "cells": tables.cells.data.values_of(partition),
            "agencies": list(tables.agencies.data.values_of(partition)),
            **self._agency_months(partition, period),
        }

    def _copy(self, partition: int, role: str) -> dict:
        """The role, counters and freshness of this worker's copy of a partition."""
        tables = self._tables
        counters = None
        if tables.counters.data.has_local_copy(partition):
            stored = tables.counters.data.values_of(partition)
            counters = stored.get(counters_key(partition))
        if not counters and role == "active":
            # Owned, recovered and empty: remember that, so a restart can say so
            # before it owns the partition again.
            counters = new_counters()
            tables.counters.data.keep_locally(
                partition, counters_key(partition), counters
            )
        if not counters:
            return {"role": role, "counters": None}
        if role == "active":
            self._active_at[partition] = time.time()
        return {
            "role": role,
            "next_offset": counters.get("next_offset", 0),
            "end": self._end(partition) if role == "active" else None,
            "updated_at": self._updated_at(partition, counters),
            "counters": counters,
        }

    def _agency_months(self, partition: int, period: Period | None) -> dict:
        if period is None:
            return {}
        store = self._tables.agency_months.data
        return {
            "agency_months": store.keys_between(partition, period.first, period.last)
        }

    def _updated_at(self, partition: int, counters: dict) -> float | None:
        """When the copy was last known current: its last change, or the last time
        this worker served it as its owner (an idle partition rarely changes); for
        a copy read from disk, when it last recorded a batch rather than never."""
        changed = self._tables.counters.data.changed_at.get(partition)
        known = [at for at in (changed, self._active_at.get(partition)) if at]
        stamped = counters.get("last_processed_at")
        if not known and stamped:
            return datetime.fromisoformat(stamped).timestamp()
        return max(known, default=None)

    def _roles(self) -> dict[int, str]:
        assignor = self._app.assignor
        roles = {
            tp.partition: "standby"
            for tp in assignor.assigned_standbys()
            if tp.topic == self._tables.counters.changelog_topic_name
        }
        active = "active" if self.ready() else "recovering"
        for tp in assignor.assigned_actives():
            if tp.topic == self._topic:
                roles[tp.partition] = active
        return roles

    async def never_written(self, partitions: set[int]) -> dict[int, dict]:
        """Partitions no worker offers that have no record at all, as empty."""
        tps = [TP(self._topic, p) for p in sorted(partitions)]
        try:
            ends = await asyncio.wait_for(
                self._app.consumer.highwaters(*tps), PEER_TIMEOUT_S
            )
        except Exception:  # not connected yet: they stay missing
            return {}
        role = "empty" if self.ready() else "copy"
        return {tp.partition: empty_copy(role) for tp, end in ends.items() if end == 0}

    def _end(self, partition: int) -> int | None:
        try:
            return self._app.consumer.highwater(TP(self._topic, partition))
        except Exception:  # the consumer has not fetched from it yet
            return None

    def peers(self) -> list[URL]:
        me = URL(str(self._app.conf.canonical_url))
        now = time.monotonic()
        hosts = {URL(host) for host in self._app.router.tables_metadata()}
        if hosts and hosts != self._members:
            self._members = hosts
            _remember(self._peers_file, hosts)
        hosts |= {
            host
            for host, at in self._peers_answered.items()
            if now - at < PEER_MEMORY_S
        }
        return sorted(hosts - {me})

    async def fetch(
        self, host: URL, query: dict[str, str], path: str = INTERNAL_PATH
    ) -> dict:
        """A peer's share (by default of the figures; ``query`` asks for a
        period's agency months), or no partitions if it does not answer."""
        timeout = aiohttp.ClientTimeout(total=PEER_TIMEOUT_S)
        url = host.with_path(path).with_query(query)
        try:
            async with self._app.http_client.get(url, timeout=timeout) as response:
                response.raise_for_status()
                share = orjson.loads(await response.read())
        except (TimeoutError, aiohttp.ClientError, orjson.JSONDecodeError):
            self._peers_answered.pop(host, None)
            return {"partitions": {}}
        self._peers_answered[host] = time.monotonic()
        return share


def _recall(path: Path) -> set[URL]:
    try:
        return {URL(host) for host in json.loads(path.read_text())}
    except (OSError, ValueError, TypeError):  # none yet, or cut short by a kill
        return set()


def _remember(path: Path, hosts: set[URL]) -> None:
    path.write_text(json.dumps(sorted(str(host) for host in hosts)))
