"""Two workers sharing the topic's partitions answer every endpoint like one."""

import threading

from snapshots import snapshot

import reference
from harness import processed, wait_for
from ledger.producer.client import LedgerProducer
from ledger.producer.demo import demo_batch
from wire import raw_record


def test_either_of_two_workers_gives_the_whole_ledger(new_ledger):
    ledger = new_ledger()
    first = ledger.start_worker()
    second = ledger.start_worker()
    wait_for(lambda: first.api("/api/v1/stats")["workers"] == 2, timeout=60)
    events = [event.model_dump(mode="json") for event in demo_batch(2000, seed=3)]
    with LedgerProducer(ledger.bootstrap, topic=ledger.topic) as producer:
        producer.publish_many(events + events[:100])
    for worker in (first, second):
        wait_for(processed(worker, 2100), timeout=120)

    assert snapshot(first) == snapshot(second)
    assert first.api("/api/v1/stats")["workers"] == 2
    answer = second.api("/api/v1/regions")
    reference.assert_summary_matches(answer["totals"], reference.summary(events))
    for row in answer["regions"]:
        own = [e for e in events if e["region"] == row["region"]]
        reference.assert_summary_matches(row, reference.summary(own))


def test_a_worker_joining_mid_stream_changes_no_number(new_ledger):
    ledger = new_ledger()
    first = ledger.start_worker()
    events = [event.model_dump(mode="json") for event in demo_batch(30_000, seed=11)]
    records = [raw_record(event) for event in events]
    sender = threading.Thread(target=ledger.send_raw, args=(records, 20.0))
    sender.start()
    wait_for(lambda: first.api("/api/v1/stats")["accepted"] > 0, every=0.05)
    second = ledger.start_worker()
    assert sender.is_alive(), "the second worker joined after the stream ended"
    sender.join()

    for worker in (first, second):
        stats = wait_for(processed(worker, len(events)), timeout=120)
        assert (stats["accepted"], stats["duplicates"], stats["workers"]) == (
            len(events),
            0,
            2,
        )
    assert snapshot(first) == snapshot(second)
    totals = first.api("/api/v1/regions")["totals"]
    reference.assert_summary_matches(totals, reference.summary(events))
