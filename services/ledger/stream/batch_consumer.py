"""A Faust consumer that hands one topic to its handler a fetched batch at a time.

Faust delivers each record on its own (two tasks, the Conductor, a channel queue
and a Stream: about 110 µs a record). The ledger wants whole batches anyway, so
this gives the handler everything one fetch brought for the topic and acks the
offsets in bulk; other topics, assignment, flow control, commits and rebalances
keep Faust's path. It also caps aiokafka's fetch wait (``fetch_max_wait_s``): one
fetch is in flight per broker, so a busy partition's next fetch queues behind an
idle one's wait. faust_internals lists the private names used here.
"""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from pathlib import Path
from time import monotonic
from typing import Any

import faust
import structlog
from faust.transport.drivers import aiokafka as faust_kafka
from faust.types import TP, Message
from mode.utils.futures import notify

from ledger.stream import faust_internals, membership

# Records in, and the partitions to read again from an offset (none: all recorded).
BatchHandler = Callable[[Sequence[Any]], Awaitable[Mapping[int, int] | None]]

log = structlog.get_logger(__name__)


class _ConsumerThread(faust_kafka.AIOKafkaConsumerThread):
    def _create_worker_consumer(self, transport):
        consumer = super()._create_worker_consumer(transport)
        faust_internals.check_client(consumer)
        consumer._fetch_max_wait_ms = int(self.app.fetch_max_wait_s * 1000)
        return consumer

    async def on_start(self) -> None:
        """Rejoin as the member this worker was (see ``membership``)."""
        await super().on_start()
        faust_internals.check_started(self)
        member_id = membership.remembered(Path(self.app.conf.datadir))
        if member_id:
            self._consumer._coordinator.member_id = member_id

    async def on_partitions_assigned(self, assigned, generation_id: int = 0) -> None:
        member_id = self._consumer._coordinator.member_id
        membership.remember(Path(self.app.conf.datadir), member_id)
        await super().on_partitions_assigned(assigned, generation_id)


class BatchConsumer(faust_kafka.Consumer):
    """Records of a topic with a batch handler skip the per-message path."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        faust_internals.check_consumer(self)
        self._in_flight: asyncio.Future | None = None

    def _new_consumer_thread(self) -> _ConsumerThread:
        return _ConsumerThread(self, loop=self.loop, beacon=self.beacon)

    async def getmany(self, timeout: float) -> AsyncIterator[tuple[TP, Message]]:
        records, active = await self._wait_next_records(timeout)
        generation = self.app.consumer_generation_id
        if records is None or self.should_stop:
            return
        if not self.flow_active:
            await self._seek_to_committed()
            return

        def wanted(tp: TP) -> bool:
            return self._still_wanted(tp, active, generation)

        handed: dict[str, list[tuple[TP, list]]] = {}
        for tp, batch in records.items():
            if not wanted(tp):
                continue
            self.app.monitor.track_tp_end_offset(tp, self.highwater(tp))
            if tp.topic in self.app.batch_handlers:
                handed.setdefault(tp.topic, []).append((tp, self._unread(tp, batch)))
                continue
            for record in batch:
                if not wanted(tp):
                    break
                yield tp, self._to_message(tp, record)
        for topic, parts in handed.items():
            await self._hand_over(topic, [(tp, b) for tp, b in parts if wanted(tp)])

    async def _seek_to_committed(self) -> None:
        """Re-read what a stopped flow dropped, guarded as Faust's ``getmany`` is.

        A rebalance stops the flow and can reassign partitions mid-seek (aiokafka's
        IllegalStateError); recovery seeks the new assignment before flow resumes.
        """
        try:
            await self.perform_seek()
        except Exception as exc:
            log.warning("seek_after_stopped_flow_failed", error=repr(exc))

    def _still_wanted(self, tp: TP, active, generation: int) -> bool:
        return (
            self.flow_active
            and self.app.consumer_generation_id == generation
            and (active is None or tp in active or tp in self._buffered_partitions)
        )

    def _unread(self, tp: TP, batch: Sequence[Any]) -> list:
        read = self._read_offset[tp]
        return [record for record in batch if read is None or record.offset >= read]

    async def _hand_over(self, topic: str, parts: list[tuple[TP, list]]) -> None:
        """Record and ack as one step that a stopping fetcher cannot cut short.

        Faust cancels the fetcher first when it stops, then waits for what is in
        flight (``wait_empty``) and commits: no batch is left recorded but unacked.
        """
        if any(batch for _, batch in parts):
            handler = self.app.batch_handlers[topic]
            self._in_flight = asyncio.ensure_future(self._record(handler, parts))
            await asyncio.shield(self._in_flight)

    async def _record(self, handler, parts: list[tuple[TP, list]]) -> None:
        for tp, _ in parts:  # Faust's livelock check reads it for every partition
            self.app.monitor.stream_inbound_time[tp] = monotonic()
        rewind = await handler([record for _, batch in parts for record in batch])
        for tp, batch in parts:
            if rewind and tp.partition in rewind:
                await self._read_again(tp, rewind[tp.partition])
            elif batch:
                if self.app.topics.acks_enabled_for(tp.topic):
                    await self._ack_offsets(tp, [record.offset for record in batch])
                self._read_offset[tp] = batch[-1].offset
        notify(self._waiting_for_ack)

    async def _read_again(self, tp: TP, offset: int) -> None:
        """Nothing of the batch is acked; a revoked partition's new owner starts
        from the committed offset instead, which this batch never moved."""
        try:
            await self.seek(tp, offset)
        except Exception as exc:
            log.warning("seek_back_failed", partition=tp.partition, error=repr(exc))

    async def _ack_offsets(self, tp: TP, offsets: list[int]) -> None:
        """What ``ack`` and the drain loop do per message, for a whole batch.

        Not here: ``_unacked_messages`` and the sensors' per-message calls, which
        take Message, Stream and Event objects this path exists not to build
        (``wait_empty`` waits for the batch instead; the ledger has its own metrics).
        """
        read = self._read_offset[tp]
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
        """Stops and rebalances wait for the batch being recorded, as for streams."""
        if self._in_flight is not None:
            await asyncio.wait([self._in_flight])
        await super().wait_empty()


class BatchTransport(faust_kafka.Transport):
    Consumer = BatchConsumer


class BatchApp(faust.App):
    """A Faust app whose consumer can hand a topic to a batch handler."""

    def __init__(self, *args: Any, fetch_max_wait_s: float = 1.5, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.batch_handlers: dict[str, BatchHandler] = {}
        self.fetch_max_wait_s = fetch_max_wait_s

    def batch_agent(self, topic: faust.TopicT, handler: BatchHandler) -> None:
        """Subscribe to ``topic`` and give each fetched batch to ``handler``."""
        self.batch_handlers[topic.get_topic_name()] = handler
        self.topics.add(topic)

    def _new_transport(self) -> BatchTransport:
        return BatchTransport(self.conf.broker_consumer, self)
