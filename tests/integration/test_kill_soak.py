"""Twenty SIGKILLs while a worker catches up on 200,000 records: every figure exact."""

import random
import time

from exactness import assert_every_figure
from harness import processed, wait_for
from ledger.producer.demo import demo_batch
from wire import raw_record

RECORDS = 200_000
KILLS = 20


def test_twenty_kills_while_catching_up_leave_every_figure_exact(new_ledger):
    ledger = new_ledger()
    rng = random.Random(20)
    events = [e.model_dump(mode="json") for e in demo_batch(RECORDS, seed=20)]
    sent = events + rng.sample(events, RECORDS // 100)
    records = [raw_record(event) for event in sent] + [(b"EMEA", b"[]")] * 500
    rng.shuffle(records)
    ledger.send_raw(records)

    worker = ledger.new_worker(LEDGER_BATCH_MAX="4000")
    counts = [0]
    for _ in range(KILLS):
        counts.append(_kill_at_a_random_moment(worker, rng, counts[-1]))
    behind = sum(count < len(records) for count in counts[1:])
    assert behind >= KILLS // 2, f"only {behind} of {KILLS} kills hit the catch-up"

    worker.start()
    wait_for(processed(worker, len(records)), timeout=300)
    assert_every_figure(worker, sent, rejected=500)


def _kill_at_a_random_moment(worker, rng: random.Random, before: int) -> int:
    """Start; kill while starting up, or soon after it records more than
    ``before``; return the last count seen before the kill."""
    worker.start(ready_timeout=None)
    if rng.random() < 0.25:  # while starting or recovering
        time.sleep(rng.uniform(0, 4))
    else:  # while recording
        wait_for(lambda: _counted(worker) > before, timeout=60, every=0.02)
        time.sleep(rng.uniform(0, 0.4))
    seen = max(before, _counted(worker))
    worker.kill()
    return seen


def _counted(worker) -> int:
    status, stats = worker.get("/api/v1/stats")
    if status != 200:
        return 0
    return stats["accepted"] + stats["duplicates"] + stats["rejected"]
