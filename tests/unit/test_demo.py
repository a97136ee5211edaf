"""The demo stream: reproducible, valid, varied, and paced."""

import threading
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from ledger.contract import event_adapter
from ledger.producer.demo import demo_batch, demo_events, run_demo

UNTIL = datetime(2026, 1, 15, 12, tzinfo=UTC)


def test_the_same_seed_gives_the_same_events():
    assert demo_batch(200, seed=7, until=UNTIL) == demo_batch(200, seed=7, until=UNTIL)


def test_different_seeds_give_different_events():
    assert demo_batch(5, seed=1, until=UNTIL) != demo_batch(5, seed=2, until=UNTIL)


def test_every_demo_event_survives_the_wire_round_trip():
    adapter = event_adapter()
    for event in demo_batch(1000, seed=3, until=UNTIL):
        assert adapter.validate_json(adapter.dump_json(event)) == event


def test_event_ids_are_unique():
    events = demo_batch(5000, seed=4, until=UNTIL)
    assert len({event.event_id for event in events}) == len(events)


def test_the_mix_is_mostly_requests_then_meetings_then_trainings():
    kinds = Counter(event.event_type for event in demo_batch(4000, seed=5, until=UNTIL))
    assert abs(kinds["request_fulfilled"] / 4000 - 0.40) < 0.04
    assert abs(kinds["meeting_held"] / 4000 - 0.35) < 0.04
    assert abs(kinds["training_delivered"] / 4000 - 0.25) < 0.04


def test_every_region_and_request_type_appears_and_disclosures_lead():
    events = demo_batch(4000, seed=6, until=UNTIL)
    assert {event.region for event in events} == {"APAC", "EMEA", "AMER", "LATAM"}
    kinds = Counter(getattr(event, "request_type", None) for event in events)
    del kinds[None]
    assert len(kinds) == 5
    assert kinds.most_common(1)[0][0] == "disclosure"
    assert kinds["emergency"] < kinds["freeze"]


def test_events_fall_within_the_18_months_before_until():
    for event in demo_batch(2000, seed=8, until=UNTIL):
        assert UNTIL - timedelta(days=550) <= event.occurred_at <= UNTIL


def test_emergencies_are_turned_around_within_hours():
    events = demo_batch(4000, seed=9, until=UNTIL)
    emergencies = [e for e in events if getattr(e, "request_type", "") == "emergency"]
    assert emergencies
    assert all(event.turnaround_hours <= 4 for event in emergencies)


def test_the_stream_is_endless():
    stream = demo_events(seed=10)
    assert sum(1 for _ in zip(range(2_001), stream, strict=False)) == 2_001


class RecordingProducer:
    """Takes whatever run_demo publishes."""

    topic = "demo-test"

    def __init__(self) -> None:
        self.published: list = []

    def publish_many(self, events) -> list[str]:
        batch = list(events)
        self.published.extend(batch)
        return [str(event.event_id) for event in batch]


def test_run_demo_publishes_at_about_the_rate_until_stopped():
    producer, stop = RecordingProducer(), threading.Event()
    threading.Timer(0.5, stop.set).start()
    sent = run_demo(producer, rate_per_s=200, stop=stop, seed=11)
    assert sent == len(producer.published)
    assert 60 <= sent <= 120


def test_run_demo_needs_a_positive_rate():
    with pytest.raises(ValueError, match="rate_per_s"):
        run_demo(RecordingProducer(), rate_per_s=0, stop=threading.Event())
