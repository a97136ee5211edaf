"""Stopping and restarting a worker (broker still up) keeps every aggregate exact."""

from snapshots import snapshot

import reference
from harness import processed, wait_for
from ledger.producer.client import LedgerProducer
from ledger.producer.demo import demo_batch
from wire import raw_record


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


def test_a_worker_stopped_while_busy_resumes_without_losing_or_recounting(new_ledger):
    ledger = new_ledger()
    events = _wire(demo_batch(40_000, seed=9))
    ledger.send_raw([raw_record(event) for event in events])
    worker = ledger.start_worker()
    busy = wait_for(lambda: _accepted_so_far(worker), timeout=120, every=0.02)
    worker.stop()
    assert busy < len(events), "the worker finished before it was stopped"

    restarted = ledger.start_worker()
    stats = wait_for(processed(restarted, len(events)), timeout=180)
    assert (stats["accepted"], stats["duplicates"]) == (len(events), 0)
    totals = restarted.api("/api/v1/regions")["totals"]
    reference.assert_summary_matches(totals, reference.summary(events))


def _accepted_so_far(worker) -> int:
    status, stats = worker.get("/api/v1/stats")
    return stats["accepted"] if status == 200 else 0
