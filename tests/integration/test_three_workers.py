"""The production topology without Docker: topics provisioned first by the code
`ledger provision` runs, then three `ledger worker` processes sharing them.

All three answer with the same, correct numbers, and /livez and /readyz behave as
an orchestrator needs through a worker's restart.
"""

import time

from snapshots import snapshot

from exactness import assert_every_figure
from harness import processed, wait_for
from ledger.config import Settings
from ledger.kafka_admin import provision
from ledger.producer.demo import demo_batch
from wire import raw_record

BAD = [(b"APAC", b"{not json"), (b"EMEA", b"[]"), (b"APAC", b"")]


def test_three_provisioned_workers_agree_and_report_health_through_a_restart(
    new_ledger,
):
    ledger = new_ledger()
    settings = Settings(topic=ledger.topic, app_id=ledger.app_id, partitions=6)
    assert provision(ledger.bootstrap, settings) == []
    workers = [ledger.new_worker() for _ in range(3)]
    for worker in workers:
        worker.start(ready_timeout=None)
    for worker in workers:
        wait_for(lambda w=worker: w.get("/readyz")[0] == 200, timeout=90, every=0.5)

    events = [event.model_dump(mode="json") for event in demo_batch(3000, seed=21)]
    sent = events + events[:100]
    ledger.send_raw([raw_record(event) for event in sent] + BAD)
    for worker in workers:
        wait_for(processed(worker, len(sent) + len(BAD)), timeout=90)
    assert_every_figure(workers[0], sent, rejected=len(BAD))
    before = snapshot(workers[0])
    assert snapshot(workers[1]) == before == snapshot(workers[2])
    assert workers[0].api("/api/v1/stats")["workers"] == 3

    restarted, survivors = workers[2], workers[:2]
    restarted.stop()
    restarted.start(ready_timeout=None)
    seen = watch_until_ready(restarted, survivors, before)

    assert seen["survivor_livez"] == {200}, "a survivor's /livez failed"
    assert seen["livez_while_not_ready"] == {200}
    assert 503 in seen["readyz_before_ready"], "never saw the worker not ready"
    assert "has not joined the consumer group yet" in seen["not_ready_reasons"]
    assert snapshot(restarted) == before


def watch_until_ready(restarted, survivors, expected: dict, timeout: float = 90):
    """Poll the restarted worker until /readyz says 200; each time it does, its
    read API must answer completely with the numbers it had before."""
    seen = {
        "survivor_livez": set(),
        "livez_while_not_ready": set(),
        "readyz_before_ready": [],
        "not_ready_reasons": set(),
    }
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for survivor in survivors:
            seen["survivor_livez"].add(survivor.get("/livez")[0])
        code, body = restarted.get("/readyz")
        if code == 200:
            regions = restarted.api("/api/v1/regions")
            assert regions["complete"], "ready, but the answer is not complete"
            assert snapshot(restarted)["regions"] == expected["regions"]
            return seen
        seen["readyz_before_ready"].append(code)
        if code == 503:
            seen["not_ready_reasons"].add(body["reason"])
            seen["livez_while_not_ready"].add(restarted.get("/livez")[0])
        time.sleep(0.1)
    raise AssertionError(f"not ready in {timeout}s: {seen}")
