"""Random event streams, with duplicates and bad records mixed in, against an
independent recomputation of the aggregates (tests/reference.py)."""

import itertools
import json
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import reference
from exactness import assert_every_region
from harness import Ledger, wait_for

COUNTRIES = ("TW", "JP", "DE", "BR")
AGENCIES = ("Criminal Investigation Bureau", "criminal  investigation BUREAU", "BKA")
_examples = itertools.count()
_event_ids = itertools.count(1)  # unique ids; duplicates are made on purpose below

moments = st.datetimes(
    min_value=datetime(2023, 1, 1), max_value=datetime(2026, 11, 1)
).map(lambda moment: moment.replace(microsecond=0))
offsets = st.sampled_from([0, 8, -5, 9, 5.5]).map(
    lambda h: timezone(timedelta(hours=h))
)


@st.composite
def events(draw, regions: tuple[str, str]) -> dict:
    occurred = draw(moments).replace(tzinfo=draw(offsets))
    common = {
        "event_id": str(uuid.UUID(int=next(_event_ids))),
        "schema_version": 1,
        "occurred_at": occurred.isoformat(),
        "region": draw(st.sampled_from(regions)),
        "country": draw(st.sampled_from(COUNTRIES)),
        "agency": draw(st.sampled_from(AGENCIES)),
        "source": "property-test",
    }
    kind = draw(
        st.sampled_from(["meeting_held", "training_delivered", "request_fulfilled"])
    )
    if kind == "meeting_held":
        return {**common, "event_type": kind, "participants": draw(st.integers(1, 50))}
    if kind == "training_delivered":
        return {
            **common,
            "event_type": kind,
            "course": "Digital evidence handling",
            "units": draw(st.integers(1, 11)),
            "attendees": draw(st.integers(1, 1200)),
            "hours": draw(st.integers(1, 100_000)) / 100,
            "delivery": draw(st.sampled_from(["in_person", "virtual", "hybrid"])),
        }
    waited = timedelta(seconds=draw(st.integers(0, 30 * 24 * 3600)))
    return {
        **common,
        "event_type": kind,
        "request_id": "LER-1",
        "request_type": draw(st.sampled_from(reference.REQUEST_TYPES)),
        "received_at": (occurred - waited).isoformat(),
    }


CORRUPTIONS = {
    "not_json": lambda e: (e["region"].encode(), b"{" + json.dumps(e).encode()),
    "invalid_field": lambda e: _raw({**e, "region": e["region"].lower()}, e["region"]),
    "missing_field": lambda e: _raw({k: v for k, v in e.items() if k != "country"}),
    "unknown_event_type": lambda e: _raw({**e, "event_type": "lunch_had"}),
    "key_mismatch": lambda e: _raw(e, "OTHER"),
}


def _raw(event: dict, key: str | None = None) -> tuple[bytes, bytes]:
    return (key or event["region"]).encode(), json.dumps(event).encode()


@st.composite
def streams(draw):
    """(records to send, the valid events among them in order, rejects)."""
    k = next(_examples)
    regions = (f"P{k}A", f"P{k}B")
    valid = draw(st.lists(events(regions), min_size=1, max_size=40))
    records = [(_raw(e), e) for e in valid]
    for _ in range(draw(st.integers(0, 8))):
        again = draw(st.sampled_from(valid))
        changed = {**again, "source": "retry"}
        at = draw(st.integers(0, len(records)))
        records.insert(at, (_raw(changed), changed))
    rejects = draw(st.lists(st.sampled_from(sorted(CORRUPTIONS)), max_size=6))
    for reason in rejects:
        at = draw(st.integers(0, len(records)))
        records.insert(at, (CORRUPTIONS[reason](draw(st.sampled_from(valid))), None))
    return regions, records, rejects


@pytest.fixture(scope="module")
def ledger_worker(broker, tmp_path_factory):
    ledger = Ledger.fresh(broker.bootstrap, tmp_path_factory, "prop")
    worker = ledger.start_worker()
    yield ledger, worker
    ledger.stop()


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(stream=streams())
def test_api_matches_an_independent_recomputation(ledger_worker, stream):
    ledger, worker = ledger_worker
    regions, records, rejects = stream
    before = worker.api("/api/v1/stats")
    ledger.send_raw([record for record, _ in records])
    sent = [event for _, event in records if event is not None]
    expected = reference.accepted(sent)

    stats = wait_for(lambda: _grown(worker, before, len(records)), timeout=60)
    assert stats["accepted"] - before["accepted"] == len(expected)
    assert stats["duplicates"] - before["duplicates"] == len(sent) - len(expected)
    assert stats["rejected"] - before["rejected"] == len(rejects)
    assert_every_region(worker, expected)


def _grown(worker, before: dict, records: int) -> dict | None:
    status, stats = worker.get("/api/v1/stats")
    if status != 200:
        return None
    counted = sum(stats[k] - before[k] for k in ("accepted", "duplicates", "rejected"))
    return stats if counted >= records else None
