"""A worker stopped dead at any instant restarts with every figure exact.

``LEDGER_TEST_CRASH_AT`` (see ``ledger.stream.crashpoints``) makes the worker
``os._exit`` at a named point of a batch's write, as ``kill -9`` would there.
"""

import random

import pytest

from exactness import assert_every_figure
from harness import Ledger, processed, wait_for
from ledger.producer.demo import demo_batch
from ledger.stream.crashpoints import POINTS
from wire import raw_record

CRASHED = 70  # the exit code crashpoints use
IN_A_BATCH = [point for point in POINTS if point != "during_recovery"]


def _publish(ledger: Ledger, n: int = 2500, seed: int = 5) -> tuple[int, list, int]:
    """Events with retries and bad records mixed in; (records, events, rejects)."""
    events = [event.model_dump(mode="json") for event in demo_batch(n, seed=seed)]
    sent = events + random.Random(seed).sample(events, n // 25)
    records = [raw_record(event) for event in sent]
    for at in range(0, len(records), 250):
        records.insert(at, (b"APAC", b"{not json"))
    ledger.send_raw(records)
    return len(records), sent, len(records) - len(sent)


def _crash_then_restart(worker, total: int) -> None:
    code = wait_for(worker.exited, timeout=120)
    assert code == CRASHED, worker.log_tail()
    worker.env.clear()
    worker.start()
    wait_for(processed(worker, total), timeout=120)


@pytest.mark.parametrize("point", IN_A_BATCH)
def test_a_worker_killed_at_any_point_of_a_batch_restarts_exact(new_ledger, point):
    ledger = new_ledger()
    total, sent, rejected = _publish(ledger)
    doomed = ledger.new_worker(LEDGER_TEST_CRASH_AT=f"{point}:3")
    doomed.start(ready_timeout=None)
    _crash_then_restart(doomed, total)
    assert_every_figure(doomed, sent, rejected)


def test_a_worker_killed_while_rebuilding_its_tables_resumes_exact(new_ledger):
    ledger = new_ledger()
    total, sent, rejected = _publish(ledger, seed=6)
    first = ledger.start_worker()
    wait_for(processed(first, total), timeout=120)
    first.stop()

    rebuilder = ledger.new_worker(LEDGER_TEST_CRASH_AT="during_recovery:2")
    rebuilder.start(ready_timeout=None)
    _crash_then_restart(rebuilder, total)
    assert_every_figure(rebuilder, sent, rejected)
