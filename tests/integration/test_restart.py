"""Stopping and restarting a worker (broker still up) keeps every aggregate exact."""

from snapshots import snapshot

import reference
from harness import processed, wait_for
from ledger.producer.client import LedgerProducer
from ledger.producer.demo import demo_batch


def _wire(events) -> list[dict]:
    return [event.model_dump(mode="json") for event in events]


def test_restarted_worker_recovers_every_aggregate_and_every_seen_id(new_ledger):
    ledger = new_ledger()
    worker = ledger.start_worker()
    first = _wire(demo_batch(3000, seed=7))
    with LedgerProducer(ledger.bootstrap, topic=ledger.topic) as producer:
        producer.publish_many(first)
    wait_for(processed(worker, 3000), timeout=120)
    before = snapshot(worker)

    worker.stop()
    restarted = ledger.start_worker()
    assert snapshot(restarted) == before

    later = _wire(demo_batch(3050, seed=8))[:50]
    with LedgerProducer(ledger.bootstrap, topic=ledger.topic) as producer:
        producer.publish_many(first[:100] + later)
    stats = wait_for(processed(restarted, 3150), timeout=120)
    assert (stats["accepted"], stats["duplicates"]) == (3050, 100)
    totals = restarted.api("/api/v1/regions")["totals"]
    reference.assert_summary_matches(totals, reference.summary(first + later))
