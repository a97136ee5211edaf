"""A realistic, reproducible stream of demo events for dashboards and load tests."""

import math
import random
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from itertools import islice
from typing import Any

import structlog

from ledger.contract import (
    LedgerEvent,
    MeetingHeld,
    RequestFulfilled,
    TrainingDelivered,
)
from ledger.producer import catalogue as cat
from ledger.producer.client import LedgerProducer

WINDOW = timedelta(days=548)  # about 18 months
MAX_TICK_S = 0.1

log = structlog.get_logger()


def demo_events(
    seed: int | None = None, until: datetime | None = None
) -> Iterator[LedgerEvent]:
    """Endless events spread over the ~18 months before `until` (default: now)."""
    rng = random.Random(seed)
    until = until or datetime.now(UTC)
    while True:
        yield _event(rng, until)


def demo_batch(
    n: int, seed: int | None = None, until: datetime | None = None
) -> list[LedgerEvent]:
    return list(islice(demo_events(seed, until), n))


def run_demo(
    producer: LedgerProducer,
    rate_per_s: float,
    stop: threading.Event,
    seed: int | None = None,
) -> int:
    """Publish demo events at about `rate_per_s` until `stop` is set; count them."""
    if rate_per_s <= 0:
        raise ValueError("rate_per_s must be positive")
    events, sent, start = demo_events(seed), 0, time.monotonic()
    log.info("demo_started", rate_per_s=rate_per_s, topic=producer.topic)
    while not stop.wait(min(1 / rate_per_s, MAX_TICK_S)):
        due = int((time.monotonic() - start) * rate_per_s) - sent
        if due > 0:
            sent += len(producer.publish_many(islice(events, due)))
    log.info("demo_stopped", sent=sent)
    return sent


def _event(rng: random.Random, until: datetime) -> LedgerEvent:
    event_type = _pick(rng, cat.EVENT_TYPE_WEIGHTS)
    region = _pick(rng, cat.REGION_WEIGHTS)
    country = rng.choice(cat.REGIONS[region])
    local = timezone(timedelta(hours=country.utc_offset_h))
    occurred = (until - WINDOW * rng.random()).astimezone(local)
    common = {
        "event_id": uuid.UUID(int=rng.getrandbits(128), version=4),
        "schema_version": 1,
        "occurred_at": occurred.replace(microsecond=0),
        "region": region,
        "country": country.code,
        "agency": rng.choice(country.agencies),
        "source": rng.choice(cat.SOURCES[event_type]),
    }
    return _BUILDERS[event_type](rng, common)


def _meeting(rng: random.Random, common: dict[str, Any]) -> MeetingHeld:
    topics = rng.sample(cat.MEETING_TOPICS, rng.randint(1, 3))
    participants = rng.randint(2, 25)
    return MeetingHeld(
        event_type="meeting_held", participants=participants, topics=topics, **common
    )


def _training(rng: random.Random, common: dict[str, Any]) -> TrainingDelivered:
    roadshow = rng.random() < 0.03
    attendees = (
        rng.randint(600, 1200) if roadshow else round(rng.triangular(10, 300, 40))
    )
    return TrainingDelivered(
        event_type="training_delivered",
        course=rng.choice(cat.COURSES),
        units=rng.randint(1, 11),
        attendees=attendees,
        hours=float(rng.choice(cat.TRAINING_HOURS)),
        delivery=_pick(rng, cat.DELIVERY_WEIGHTS),
        **common,
    )


def _request(rng: random.Random, common: dict[str, Any]) -> RequestFulfilled:
    weights = {kind: spec[0] for kind, spec in cat.REQUEST_TYPES.items()}
    request_type = _pick(rng, weights)
    _, fastest, slowest = cat.REQUEST_TYPES[request_type]
    hours = math.exp(rng.uniform(math.log(fastest), math.log(slowest)))
    received = common["occurred_at"] - timedelta(hours=hours)
    return RequestFulfilled(
        event_type="request_fulfilled",
        request_id=f"LER-{received.year}-{rng.randrange(1_000_000):06d}",
        request_type=request_type,
        received_at=received.replace(microsecond=0),
        **common,
    )


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


_BUILDERS = {
    "meeting_held": _meeting,
    "training_delivered": _training,
    "request_fulfilled": _request,
}
