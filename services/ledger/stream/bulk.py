"""A Faust consumer that hands one topic to its handler a fetched batch at a time.

Faust delivers each record on its own: two tasks through ``wait_first``, the
Conductor, a channel queue and a Stream, about 110 µs a record before the ledger
sees it. For the activity topic the ledger wants whole batches anyway, so this
consumer gives the handler each partition's fetched records at once and acks their
offsets in bulk. Every other topic (table changelogs during recovery) keeps Faust's
path, and so do assignment, flow control, commits and rebalances.
"""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any

import faust
from faust.transport.drivers import aiokafka as faust_kafka
from faust.types import TP, Message

BatchHandler = Callable[[Sequence[Any]], Awaitable[None]]


class BatchConsumer(faust_kafka.Consumer):
    """Records of a topic with a batch handler skip the per-message path."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._idle = asyncio.Event()
        self._idle.set()

    async def getmany(self, timeout: float) -> AsyncIterator[tuple[TP, Message]]:
        records, active = await self._wait_next_records(timeout)
        generation = self.app.consumer_generation_id
        if records is None or self.should_stop:
            return
        if not self.flow_active:
            await self.perform_seek()  # as Faust does: re-read from committed
            return
        handlers = self.app.batch_handlers
        for tp, batch in records.items():
            if not self._still_wanted(tp, active, generation):
                continue
            self.app.monitor.track_tp_end_offset(tp, self.highwater(tp))
            if tp.topic in handlers:
                await self._hand_over(tp, batch, handlers[tp.topic])
                continue
            for record in batch:
                if not self._still_wanted(tp, active, generation):
                    break
                yield tp, self._to_message(tp, record)

    def _still_wanted(self, tp: TP, active, generation: int) -> bool:
        return (
            self.flow_active
            and self.app.consumer_generation_id == generation
            and (active is None or tp in active or tp in self._buffered_partitions)
        )

    async def _hand_over(self, tp: TP, batch: Sequence[Any], handler) -> None:
        """Give the handler the records not yet read, then ack them all."""
        read = self._read_offset[tp]
        fresh = [record for record in batch if read is None or record.offset >= read]
        if not fresh:
            return
        self._idle.clear()
        try:
            await handler(fresh)
        finally:
            self._idle.set()
        await self._ack_offsets(tp, [record.offset for record in fresh], read)
        self._read_offset[tp] = fresh[-1].offset

    async def _ack_offsets(self, tp: TP, offsets: list[int], read: int | None) -> None:
        """What ``ack`` does for each message, for a whole batch at once."""
        for before, offset in zip([read, *offsets], offsets, strict=False):
            if before and offset - before > 1:  # a gap, e.g. transaction markers
                await self._add_gap(tp, before + 1, offset)
        committed = self._committed_offset[tp]
        index = self._acked_index[tp]
        acked = [
            offset
            for offset in offsets
            if (committed is None or offset >= committed) and offset not in index
        ]
        index.update(acked)
        self._acked[tp].extend(acked)
        self._n_acked += len(acked)
        if self._commit_every is not None and self._n_acked >= self._commit_every:
            self._n_acked = 0
            await self.commit()

    async def wait_empty(self) -> None:
        """A rebalance waits for the batch being recorded, as for Faust's streams."""
        await self._idle.wait()
        await super().wait_empty()


class BatchTransport(faust_kafka.Transport):
    Consumer = BatchConsumer


class BatchApp(faust.App):
    """A Faust app whose consumer can hand a topic to a batch handler."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.batch_handlers: dict[str, BatchHandler] = {}

    def batch_agent(self, topic: faust.TopicT, handler: BatchHandler) -> None:
        """Subscribe to ``topic`` and give each fetched batch to ``handler``."""
        self.batch_handlers[topic.get_topic_name()] = handler
        self.topics.add(topic)

    def _new_transport(self) -> BatchTransport:
        return BatchTransport(self.conf.broker_consumer, self)
