"""A BatchConsumer whose fetches, seeks and commits are scripted: no broker needed."""

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field

from aiokafka.structs import ConsumerRecord
from faust.types import TP

from ledger.stream.batch_consumer import BatchApp, BatchConsumer

ACTIVITY = "activity"


def records(partition: int, *offsets: int, topic: str = ACTIVITY) -> list:
    return [
        ConsumerRecord(topic, partition, offset, 0, 0, b"k", b"v", None, 1, 1, [])
        for offset in offsets
    ]


@dataclass
class Handler:
    """The batch handler: keeps every batch; ``gate`` holds it until set."""

    batches: list[list] = field(default_factory=list)
    entered: asyncio.Event = field(default_factory=asyncio.Event)
    gate: asyncio.Event | None = None
    rewind: dict[int, int] | None = None  # what the handler asks to read again

    async def __call__(self, batch: Sequence) -> dict[int, int] | None:
        self.entered.set()
        if self.gate is not None:
            await self.gate.wait()
        self.batches.append(list(batch))
        return self.rewind


def batch_app(datadir, handler: Handler, acks: bool = True, **conf) -> BatchApp:
    app = BatchApp(
        "bulk-test",
        broker="kafka://127.0.0.1:9",
        store="memory://",
        datadir=str(datadir),
        autodiscover=False,
        **conf,
    )
    app.batch_agent(app.topic(ACTIVITY, acks=acks), handler)
    if acks:  # what Faust's Conductor does once it has subscribed
        app.topics.acking_topics.add(ACTIVITY)
    return app


class ScriptedConsumer(BatchConsumer):
    """Each fetch returns the next scripted (records, active partitions)."""

    def __init__(self, app: BatchApp, fetches: list, committed=None, seek_error=None):
        super().__init__(
            app.transport,
            callback=_ignore,
            on_partitions_revoked=_ignore,
            on_partitions_assigned=_ignore,
        )
        self.fetches = list(fetches)
        self.broker_committed: dict[TP, int] = dict(committed or {})
        self.seek_error = seek_error
        self.sought: dict[TP, int] = {}

    async def drain(self) -> list:
        """One pass of Faust's drain loop: the messages of other topics."""
        return [message async for message in self.getmany(timeout=1.0)]

    def arm_ack_waiter(self) -> asyncio.Future:
        """What Faust's ``wait_empty`` arms to be woken by the next ack."""
        self._waiting_for_ack = asyncio.get_running_loop().create_future()
        return self._waiting_for_ack

    async def _wait_next_records(self, timeout: float):
        return self.fetches.pop(0)

    def highwater(self, tp: TP) -> int:
        return 1_000

    async def _seek(self, tp: TP, offset: int) -> None:
        self.sought[tp] = offset

    async def seek_to_committed(self) -> dict[TP, int]:
        if self.seek_error is not None:
            raise self.seek_error
        return dict(self.broker_committed)

    async def _commit_offsets(self, offsets, start_new_transaction=True) -> bool:
        self.broker_committed.update(offsets)
        return True


async def _ignore(*args, **kwargs) -> None:
    return None
