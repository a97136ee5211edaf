"""Workers killed and restarted while records flow: no crash, every figure exact.

A fetch that returns after a rebalance stopped the flow seeks back to committed
offsets, and that seek can outlast the rebalance and meet the new assignment: a
worker once died of it (IllegalStateError, then "Fetcher: Crashed"). A short
session (the broker holds a join for half of it) and a stream that pauses between
bursts (so fetchers sit idle when revoked) make that moment likely, not rare: it
comes when one worker holding every partition is joined by another. Workers
here also once resumed a partition past records no one had recorded (a fetch
position moved past them); every record must be counted.
"""

import random
import threading
import time

from snapshots import snapshot

import reference
from harness import Worker, processed, wait_for
from ledger.producer.demo import demo_batch
from wire import raw_record

STREAM_S = 80.0
MIN_KILLS = 4
CRASH_LINES = ("Drain messages raised", "Fetcher]: Crashed")


def test_two_workers_outlive_kills_and_rebalances_mid_fetch_and_count_exactly(
    new_ledger, monkeypatch
):
    monkeypatch.setenv("LEDGER_SESSION_TIMEOUT_S", "2")
    ledger = new_ledger()
    events = [event.model_dump(mode="json") for event in demo_batch(30_000, seed=21)]
    stream = events[:15_000] + events[:1_500] + events[15_000:]
    records = [raw_record(event) for event in stream]
    sender = threading.Thread(  # a daemon: a failed test must not wait for it
        target=ledger.send_raw, args=(records, STREAM_S, 60), daemon=True
    )

    first = ledger.start_worker()
    sender.start()
    wait_for(lambda: first.get("/api/v1/stats")[1].get("accepted"), every=0.1)
    time.sleep(3)  # offsets committed: a seek back has somewhere to go
    workers = [first, ledger.start_worker()]
    kills = _kill_and_restart_while_streaming(workers, sender, random.Random(5))
    sender.join()

    assert kills >= MIN_KILLS, "the stream ended before enough kills"
    _assert_alive_and_never_crashed(workers)
    for worker in workers:
        stats = wait_for(processed(worker, len(stream)), timeout=120)
        assert (stats["accepted"], stats["duplicates"]) == (len(events), 1_500)
    _assert_alive_and_never_crashed(workers)
    assert snapshot(workers[0]) == snapshot(workers[1])
    answer = workers[1].api("/api/v1/regions")
    reference.assert_summary_matches(answer["totals"], reference.summary(events))
    for row in answer["regions"]:
        own = [event for event in events if event["region"] == row["region"]]
        reference.assert_summary_matches(row, reference.summary(own))


def _kill_and_restart_while_streaming(workers: list[Worker], sender, rng) -> int:
    """Kill each worker in turn; restart it once the other holds every partition."""
    kills = 0
    while sender.is_alive():
        wait_for(lambda: _serving(workers, 2), timeout=60)
        time.sleep(rng.uniform(0.2, 1.5))  # mid-fetch, at no fixed phase
        _assert_alive_and_never_crashed(workers)
        _kill_then_restart_when_alone(workers[kills % 2], workers[(kills + 1) % 2])
        kills += 1
    wait_for(lambda: _serving(workers, 2), timeout=60)
    return kills


def _kill_then_restart_when_alone(victim: Worker, survivor: Worker) -> None:
    victim.kill()
    wait_for(lambda: _serving([survivor], 1), timeout=60)
    victim.start()


def _serving(workers: list[Worker], expected: int) -> bool:
    for worker in workers:
        assert worker.process.poll() is None, f"worker died:\n{worker.log_tail()}"
    answers = [worker.get("/api/v1/stats") for worker in workers]
    return all(
        status == 200 and body["workers"] == expected for status, body in answers
    )


def _assert_alive_and_never_crashed(workers: list[Worker]) -> None:
    for worker in workers:
        log = worker.log_tail(lines=10**9)
        assert worker.process.poll() is None, f"worker died:\n{worker.log_tail()}"
        assert not [line for line in CRASH_LINES if line in log], worker.log_tail()
