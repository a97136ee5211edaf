"""Corrections through the real embedded broker: amend, void and `ledger emit`."""

import json
import os
import subprocess
import sys
import uuid

import pytest
from kafka import KafkaAdminClient, KafkaConsumer
from kafka.admin import NewTopic

import wire
from ledger.contract import event_adapter
from ledger.producer import LedgerProducer
from ledger.producer.demo import demo_batch
from wire import wire_event

AT = "2026-03-14T10:30:00+08:00"


@pytest.fixture
def topic(broker) -> str:
    name = f"corrections-{uuid.uuid4().hex[:8]}"
    admin = KafkaAdminClient(bootstrap_servers=broker.bootstrap)
    admin.create_topics([NewTopic(name, num_partitions=6, replication_factor=1)])
    admin.close()
    return name


def read_back(bootstrap: str, topic: str, count: int) -> dict[str, tuple]:
    """event_id -> (key, partition, JSON value) of the first `count` records."""
    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        auto_offset_reset="earliest",
        consumer_timeout_ms=15_000,
    )
    found = {}
    for record in consumer:
        value = json.loads(record.value)
        found[value["event_id"]] = (record.key, record.partition, value)
        if len(found) == count:
            break
    consumer.close()
    return found


def emit_command(bootstrap: str, topic: str, event: dict) -> str:
    env = {**os.environ, "LEDGER_KAFKA_BOOTSTRAP": bootstrap, "LEDGER_TOPIC": topic}
    done = subprocess.run(
        [sys.executable, "-m", "ledger", "emit", json.dumps(event)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def wire_json(event) -> dict:
    return json.loads(event_adapter().dump_json(event, exclude_none=True))


def one_per_region(seed: int) -> list:
    firsts: dict[str, object] = {}
    for event in demo_batch(200, seed=seed):
        firsts.setdefault(event.region, event)
    return list(firsts.values())


def corrected(event) -> dict:
    """The event as a correction: no event_id of its own yet, one field changed."""
    fields = {k: v for k, v in wire_json(event).items() if k != "event_id"}
    return {**fields, "source": "corrections-test"}


def test_amendments_land_keyed_and_partitioned_with_what_they_supersede(broker, topic):
    originals = one_per_region(seed=31)
    with LedgerProducer(broker.bootstrap, topic) as producer:
        producer.publish_many(originals)
        fixes = [producer.amend(e.event_id, corrected(e)) for e in originals]
    records = read_back(broker.bootstrap, topic, 2 * len(originals))
    for original, fix_id in zip(originals, fixes, strict=True):
        key, partition, value = records[str(original.event_id)]
        assert (key, value) == (original.region.encode(), wire_json(original))
        supersedes = {"event_id": fix_id, "supersedes": str(original.event_id)}
        assert records[fix_id] == (key, partition, corrected(original) | supersedes)


def test_voids_land_keyed_and_partitioned_with_what_they_void(broker, topic):
    originals = one_per_region(seed=32)
    with LedgerProducer(broker.bootstrap, topic) as producer:
        producer.publish_many(originals)
        voids = [
            producer.void(e.event_id, e.region, "entered twice") for e in originals
        ]
    records = read_back(broker.bootstrap, topic, 2 * len(originals))
    for original, void_id in zip(originals, voids, strict=True):
        key, partition, void = records[void_id]
        assert (key, partition) == records[str(original.event_id)][:2]
        assert key == original.region.encode()
        assert void == {
            "event_id": void_id,
            "schema_version": 1,
            "event_type": "event_voided",
            "occurred_at": void["occurred_at"],
            "region": original.region,
            "source": "ledger-producer",
            "voids": str(original.event_id),
            "reason": "entered twice",
        }


def test_ledger_emit_publishes_a_correction_and_a_void(broker, topic):
    original = wire_event(
        "training_delivered", AT, **wire.OWN_FIELDS["training_delivered"]
    )
    fixed = {**original, "attendees": 12, "supersedes": original["event_id"]}
    del fixed["event_id"]
    void = {
        "event_type": "event_voided",
        "occurred_at": "2026-03-15T09:00:00Z",
        "region": "APAC",
        "source": "ops-desk",
        "voids": original["event_id"],
        "reason": "not a partnership training",
    }
    with LedgerProducer(broker.bootstrap, topic) as producer:
        producer.publish(original)
    fixed_id = emit_command(broker.bootstrap, topic, fixed)
    void_id = emit_command(broker.bootstrap, topic, void)
    records = read_back(broker.bootstrap, topic, 3)
    key, partition, _ = records[original["event_id"]]
    assert records[fixed_id] == (key, partition, {**fixed, "event_id": fixed_id})
    expected_void = {**void, "event_id": void_id, "schema_version": 1}
    assert records[void_id] == (key, partition, expected_void)
