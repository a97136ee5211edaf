"""BatchSender: a partition's records in one producer batch each, in order, with a
full batch queued before the next; aiokafka's own BatchBuilder, a fake producer."""

import asyncio
from types import SimpleNamespace

from aiokafka.producer.message_accumulator import BatchBuilder
from aiokafka.record.memory_records import MemoryRecords

from ledger.stream.batch_sender import BatchSender


class QueueingProducer:
    """Keeps what ``send_batch`` was given; every batch lands at once."""

    def __init__(self, batch_size: int) -> None:
        self.batch_size = batch_size
        self.queued: list[tuple[str, int, list[tuple]]] = []

    def create_batch(self) -> BatchBuilder:
        return BatchBuilder(
            self.batch_size, 0, is_transactional=False,
            key_serializer=None, value_serializer=None,
        )  # fmt: skip

    async def send_batch(self, builder, topic, *, partition):
        records = MemoryRecords(bytes(builder._build()))  # noqa: SLF001
        sent = []
        while records.has_next():
            sent += [(r.key, r.value) for r in records.next_batch()]
        self.queued.append((topic, partition, sent))
        landed = asyncio.get_running_loop().create_future()
        landed.set_result(SimpleNamespace(offset=len(self.queued)))
        return landed


def _send(records, batch_size=1 << 20):
    producer = QueueingProducer(batch_size)
    app = SimpleNamespace(producer=SimpleNamespace(_ensure_producer=lambda: producer))

    async def go():
        return await asyncio.gather(*await BatchSender(app).send(records))

    return asyncio.run(go()), producer.queued


def test_each_partition_gets_one_batch_of_its_records_in_order():
    records = [("t", p % 2, f"k{p}".encode(), f"v{p}".encode()) for p in range(6)]
    landed, queued = _send(records)
    assert queued == [
        ("t", 0, [(b"k0", b"v0"), (b"k2", b"v2"), (b"k4", b"v4")]),
        ("t", 1, [(b"k1", b"v1"), (b"k3", b"v3"), (b"k5", b"v5")]),
    ]
    assert [meta.offset for meta in landed] == [1, 2]


def test_a_full_batch_is_queued_before_the_rest_of_its_partition():
    records = [("t", 0, b"k%d" % i, b"x" * 400) for i in range(5)]
    _, queued = _send(records, batch_size=1000)
    assert len(queued) > 1
    sent = [record for _, _, batch in queued for record in batch]
    assert [key for key, _ in sent] == [b"k%d" % i for i in range(5)]


def test_a_tombstone_goes_as_a_lone_batch():
    _, queued = _send([("t", 3, b'"3/~"', None)])
    assert queued == [("t", 3, [(b'"3/~"', None)])]
