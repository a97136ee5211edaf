"""Two workers sharing the topic's partitions answer every endpoint like one."""

from snapshots import snapshot

import reference
from harness import processed, wait_for
from ledger.producer.client import LedgerProducer
from ledger.producer.demo import demo_batch


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
