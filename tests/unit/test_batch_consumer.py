"""The batch consumer's own bookkeeping, against scripted fetches: no broker."""

import asyncio

from aiokafka.errors import IllegalStateError
from faust.types import TP
from scripted_consumer import ACTIVITY, Handler, ScriptedConsumer, batch_app, records
from structlog.testing import capture_logs

TP0, TP1 = TP(ACTIVITY, 0), TP(ACTIVITY, 1)


def test_a_fetched_batch_goes_to_the_handler_once_and_its_offsets_get_committed(
    tmp_path,
):
    handler = Handler()
    fetched = {TP0: records(0, 10, 11, 12), TP1: records(1, 5)}

    async def scenario():
        consumer = ScriptedConsumer(batch_app(tmp_path, handler), [(fetched, None)])
        assert await consumer.drain() == []
        await consumer.commit()
        return consumer.broker_committed

    assert asyncio.run(scenario()) == {TP0: 13, TP1: 6}
    assert handler.batches == [fetched[TP0] + fetched[TP1]]


def test_a_gap_in_offsets_does_not_hold_the_commit_back(tmp_path):
    fetched = {TP0: records(0, 10, 11, 14)}  # 12 and 13: transaction markers, say

    async def scenario():
        app = batch_app(tmp_path, Handler())
        consumer = ScriptedConsumer(app, [(fetched, None)], committed={TP0: 10})
        await consumer.perform_seek()
        await consumer.drain()
        await consumer.commit()
        return consumer.broker_committed

    assert asyncio.run(scenario()) == {TP0: 15}


def test_a_partition_the_handler_wants_again_is_sought_back_and_not_committed(
    tmp_path,
):
    handler = Handler(rewind={0: 8})  # records 8 and 9 were never read
    fetched = {TP0: records(0, 10, 11), TP1: records(1, 5)}

    async def scenario():
        app = batch_app(tmp_path, handler)
        consumer = ScriptedConsumer(app, [(fetched, None)], committed={TP0: 8})
        await consumer.perform_seek()
        await consumer.drain()
        await consumer.commit()
        return consumer

    consumer = asyncio.run(scenario())
    assert consumer.sought == {TP0: 8}
    assert consumer.broker_committed == {TP0: 8, TP1: 6}


def test_records_of_a_revoked_partition_are_not_handed_over(tmp_path):
    handler = Handler()
    fetched = {TP0: records(0, 1, 2), TP1: records(1, 7)}

    async def scenario():
        app = batch_app(tmp_path, handler)
        await ScriptedConsumer(app, [(fetched, {TP1})]).drain()

    asyncio.run(scenario())
    assert handler.batches == [fetched[TP1]]


def test_a_rebalance_while_other_topics_are_delivered_keeps_the_batch_back(tmp_path):
    handler = Handler()
    other = TP("changelog", 0)
    fetched = {other: records(0, 1, 2, topic="changelog"), TP0: records(0, 3)}

    async def scenario():
        consumer = ScriptedConsumer(batch_app(tmp_path, handler), [(fetched, None)])
        async for _ in consumer.getmany(timeout=1.0):
            consumer.app.consumer_generation_id += 1  # a new assignment came in

    asyncio.run(scenario())
    assert handler.batches == []


def test_records_before_the_committed_offset_are_not_handed_over_again(tmp_path):
    handler = Handler()
    fetched = {TP0: records(0, 10, 11, 12, 13)}

    async def scenario():
        consumer = ScriptedConsumer(
            batch_app(tmp_path, handler), [(fetched, None)], committed={TP0: 12}
        )
        await consumer.perform_seek()
        await consumer.drain()

    asyncio.run(scenario())
    assert [record.offset for record in handler.batches[0]] == [12, 13]


def test_a_seek_whose_partition_was_reassigned_does_not_crash_the_fetcher(tmp_path):
    lost = IllegalStateError(f"No current assignment for partition {TP0}")
    handler = Handler()

    async def scenario():
        app = batch_app(tmp_path, handler)
        consumer = ScriptedConsumer(
            app, [({TP0: records(0, 1)}, None)], seek_error=lost
        )
        consumer.stop_flow()  # a rebalance began while the fetch was out
        await consumer.drain()

    with capture_logs() as logs:
        asyncio.run(scenario())
    assert handler.batches == []
    assert [entry["event"] for entry in logs] == ["seek_after_stopped_flow_failed"]


def test_no_offsets_are_kept_for_a_topic_declared_without_acks(tmp_path):
    async def scenario():
        app = batch_app(tmp_path, Handler(), acks=False)
        consumer = ScriptedConsumer(app, [({TP0: records(0, 1, 2)}, None)])
        await consumer.drain()
        await consumer.commit()
        return consumer.broker_committed

    assert asyncio.run(scenario()) == {}


def test_a_full_commit_interval_commits_without_waiting_for_the_timer(tmp_path):
    async def scenario():
        app = batch_app(tmp_path, Handler(), broker_commit_every=3)
        consumer = ScriptedConsumer(app, [({TP0: records(0, 1, 2, 3)}, None)])
        await consumer.drain()
        return consumer.broker_committed

    assert asyncio.run(scenario()) == {TP0: 4}


def test_a_recorded_batch_wakes_whoever_waits_for_acks_and_marks_its_partition_busy(
    tmp_path,
):
    async def scenario():
        app = batch_app(tmp_path, Handler())
        consumer = ScriptedConsumer(app, [({TP0: records(0, 1)}, None)])
        waiter = consumer.arm_ack_waiter()
        await consumer.drain()
        return waiter.done(), app.monitor.stream_inbound_time

    woken, inbound = asyncio.run(scenario())
    assert woken
    assert TP0 in inbound  # Faust's livelock check would call it idle otherwise


def test_stopping_waits_for_the_batch_being_recorded_then_commits_it(tmp_path):
    handler = Handler(gate=asyncio.Event())

    async def scenario():
        app = batch_app(tmp_path, handler)
        consumer = ScriptedConsumer(app, [({TP0: records(0, 1, 2)}, None)])
        fetching = asyncio.ensure_future(consumer.drain())
        await handler.entered.wait()
        fetching.cancel()  # Faust stops the fetcher first
        stopping = asyncio.ensure_future(consumer.wait_empty())
        await asyncio.sleep(0.05)
        assert not stopping.done()
        handler.gate.set()
        await stopping
        return consumer.broker_committed

    assert asyncio.run(scenario()) == {TP0: 3}
    assert len(handler.batches) == 1
