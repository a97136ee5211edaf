"""/readyz says ready only once the worker has joined, recovered and sees it all."""

import asyncio

from ledger.read.health import Readiness
from ledger.read.state import LedgerState


class Signal:
    def __init__(self):
        self.receivers = []

    def connect(self, receiver):
        self.receivers.append(receiver)

    def send(self, assigned):
        for receiver in self.receivers:
            asyncio.run(receiver(None, assigned))


class App:
    def __init__(self):
        self.on_partitions_assigned = Signal()


class Reader:
    def __init__(self, ready=True, sources=None):
        self._ready = ready
        self.sources = sources if sources is not None else {0: "active", 1: "active"}

    def ready(self):
        return self._ready

    async def gather(self):
        partitions = {p: {"source": s} for p, s in self.sources.items()}
        return LedgerState({}, set(), {}, partitions, expected=2, workers=2)


def check(app, reader, joined=True) -> dict:
    readiness = Readiness(app, reader)
    if joined:
        app.on_partitions_assigned.send(set())
    return asyncio.run(readiness.check())


def test_a_worker_that_has_not_joined_the_group_is_not_ready():
    answer = check(App(), Reader(), joined=False)
    assert answer == {
        "status": "not_ready",
        "reason": "has not joined the consumer group yet",
    }


def test_a_worker_recovering_its_tables_is_not_ready():
    answer = check(App(), Reader(ready=False))
    assert answer["reason"] == "rebalancing or recovering its tables"


def test_a_partition_from_a_standby_or_held_by_nobody_makes_it_not_ready():
    answer = check(App(), Reader(sources={0: "standby"}))
    assert answer["status"] == "not_ready"
    assert (answer["missing_partitions"], answer["partitions_not_active"]) == ([1], [0])


def test_joined_recovered_and_complete_is_ready():
    assert check(App(), Reader()) == {"status": "ready", "workers": 2}
