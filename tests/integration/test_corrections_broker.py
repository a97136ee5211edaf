"""Corrections through a real broker and worker: the figures are those of the
events that still count, written out by hand below, and every rule shows in
/api/v1/stats."""

from uuid import uuid4

import pytest

import reference
from harness import processed, wait_for
from ledger.producer.client import LedgerProducer
from wire import wire_event


def _training(region="APAC", attendees=120, **fields) -> dict:
    country = {"APAC": "TW", "EMEA": "DE"}[region]
    return wire_event(
        "training_delivered",
        **{
            "region": region,
            "country": country,
            "occurred_at": "2026-03-14T10:30:00Z",
            "course": "Crypto tracing",
            "units": 3,
            "attendees": attendees,
            "hours": 7.5,
            "delivery": "hybrid",
            **fields,
        },
    )


def _amend(original: dict, **changes) -> dict:
    fresh = {"event_id": str(uuid4()), "supersedes": original["event_id"]}
    return {**original, **fresh, **changes}


def _void(original: dict) -> dict:
    return wire_event(
        "event_voided",
        region=original["region"],
        occurred_at="2026-04-01T00:00:00Z",
        voids=original["event_id"],
        reason="recorded against the wrong agency",
    )


a1 = _training(attendees=10_400)
a2 = _amend(a1, attendees=1_040)
b1 = _training(agency="Coast Guard Administration", occurred_at="2026-05-01T00:00:00Z")
c1 = _training(attendees=7)
c2 = _amend(c1, attendees=70)
d1 = _training("EMEA")
d_void = _void(d1)
e1 = _training("EMEA", attendees=5)
g1, h1, h2 = _training(attendees=1), _training(), _training("EMEA", attendees=9)
g2 = _amend(g1, attendees=2)
g3 = _amend(g2, attendees=3)
ghost = _amend(_training(), attendees=11)  # names an event that never comes

PUBLISHED = [
    a1,
    a2,
    b1,
    _void(b1),
    c2,
    c1,
    d1,
    d_void,
    _void(d_void),
    e1,
    _void(e1),
    _amend(e1),
    g1,
    g2,
    g3,
    h1,
    h2,
    a2,
    ghost,
]
COUNTED = [a2, c2, g3, h1, h2]


@pytest.fixture(scope="module")
def corrected(broker, tmp_path_factory):
    from harness import Ledger

    ledger = Ledger.fresh(broker.bootstrap, tmp_path_factory, "corrections")
    worker = ledger.start_worker()
    with LedgerProducer(broker.bootstrap, topic=ledger.topic) as producer:
        producer.publish_many(PUBLISHED)
    stats = wait_for(processed(worker, len(PUBLISHED)), timeout=60)
    yield worker, stats
    ledger.stop()


def test_only_the_events_that_still_count_are_in_the_figures(corrected):
    worker, _ = corrected
    answer = worker.api("/api/v1/regions")
    expected = reference.by(COUNTED, "region")
    for row in answer["regions"]:
        reference.assert_summary_matches(
            row, reference.summary(expected[row["region"]])
        )
    reference.assert_summary_matches(answer["totals"], reference.summary(COUNTED))


def test_stats_count_each_kind_of_correction(corrected):
    _, stats = corrected
    assert stats["superseded"] == 4  # a1, c1, g1, g2
    assert stats["voided"] == 3  # b1, d1, e1
    assert stats["corrections_waiting"] == 1  # ghost
    assert stats["duplicates"] == 1  # a2 again
    assert stats["rejected_by_reason"] == {"already_corrected": 1, "corrects_a_void": 1}
    assert stats["accepted"] == len(PUBLISHED) - 3
