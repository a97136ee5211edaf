"""`ledger up` on its embedded broker keeps every event, correction, figure, entry
and dead letter on disk: through a SIGTERM and through a SIGKILL of its whole
process group, leaving no process behind, and then counts new events exactly."""

from collections.abc import Iterator
from uuid import uuid4

import pytest
from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from snapshots import snapshot

import reference
from harness import processed, wait_for
from ledger.producer.client import LedgerProducer
from ledger.producer.demo import demo_batch
from ledger_up import LedgerUp, alive
from wire import wire_event

TOPIC, APP_ID = "partnership-activity", "partnership-ledger"
BAD = [(b"APAC", b"not json"), (b"EMEA", b"[1, 2]")]


def _wire(events) -> list[dict]:
    return [event.model_dump(mode="json") for event in events]


def _publish(up: LedgerUp, events: list[dict], bad=()) -> None:
    with LedgerProducer(up.bootstrap, topic=TOPIC) as producer:
        producer.publish_many(events)
    raw = KafkaProducer(bootstrap_servers=up.bootstrap, acks="all")
    for key, value in bad:
        raw.send(TOPIC, key=key, value=value)
    raw.close()


def _committed(up: LedgerUp) -> dict[int, int | None]:
    consumer = KafkaConsumer(bootstrap_servers=up.bootstrap, group_id=APP_ID)
    offsets = {p: consumer.committed(TopicPartition(TOPIC, p)) for p in range(3)}
    consumer.close()
    return offsets


def _dead_letters(up: LedgerUp) -> int:
    consumer = KafkaConsumer(bootstrap_servers=up.bootstrap, consumer_timeout_ms=2000)
    consumer.assign([TopicPartition(f"{TOPIC}.dlq", p) for p in range(3)])
    consumer.seek_to_beginning()
    letters = sum(1 for _ in consumer)
    consumer.close()
    return letters


@pytest.fixture
def up(tmp_path) -> Iterator[LedgerUp]:
    """`ledger up` on its own folder; killed at the end whatever happened."""
    running = LedgerUp(tmp_path / "ledger")
    yield running
    if running.process and running.process.poll() is None:
        running.kill_group()


def _corrections(events: list[dict]) -> tuple[list[dict], list[dict]]:
    """Amends of five events and voids of three: (corrections, what still counts)."""
    amends = [
        {**e, "event_id": str(uuid4()), "supersedes": e["event_id"], "source": "fix"}
        for e in events[:5]
    ]
    voids = [
        wire_event("event_voided", e["occurred_at"], region=e["region"],
                   voids=e["event_id"], reason="entered twice")
        for e in events[5:8]
    ]  # fmt: skip
    return amends + voids, amends + events[8:]


def test_ledger_up_keeps_every_event_and_figure_through_sigterm_and_sigkill(up):
    events = _wire(demo_batch(1500, seed=21))
    first, second, third = events[:1000], events[1000:1400], events[1400:]
    corrections, counted = _corrections(first)
    up.start()
    _publish(up, first + corrections, BAD)
    first = first + corrections
    wait_for(processed(up, len(first) + len(BAD)), timeout=60)
    assert up.api("/api/v1/stats")["superseded"] == 5
    before = snapshot(up)
    pids = up.tree()
    assert len(pids) == 3, "ledger up, its broker and the broker's object store"

    up.stop()
    assert not alive(pids), "a SIGTERM leaves nothing running"
    committed = _committed(up.start())
    assert snapshot(up) == before
    assert any(committed.values()), "the worker's group offsets were kept"
    assert _dead_letters(up) >= len(BAD)

    _publish(up, first[:50] + second)
    stats = wait_for(processed(up, len(first) + len(BAD) + 450), timeout=60)
    assert (stats["accepted"], stats["duplicates"]) == (1408, 50)
    before = snapshot(up)
    pids = up.tree()

    up.kill_group()
    wait_for(lambda: not alive(pids), timeout=10)
    assert snapshot(up.start()) == before
    assert _dead_letters(up) >= len(BAD)

    _publish(up, second[:20] + third)
    stats = wait_for(processed(up, len(first) + len(BAD) + 570), timeout=60)
    assert (stats["accepted"], stats["duplicates"], stats["rejected"]) == (
        1508,
        70,
        len(BAD),
    )
    assert (stats["superseded"], stats["voided"]) == (5, 3)
    reference.assert_summary_matches(
        up.api("/api/v1/regions")["totals"],
        reference.summary(counted + second + third),
    )
