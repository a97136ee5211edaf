"""`ledger verify` against a real broker and a real worker: a clean ledger agrees
with its log, a tampered one is caught and named, an unreachable one is exit 2.

The tables are made wrong the way a bug or a bad restore would leave them, with
no switch in the product: while the worker is stopped, a wrong value is written
into its changelog (keys and values as ``stream/writer.py`` writes them) and its
local state is deleted, so the restarted worker rebuilds its tables from the
changelog, wrong value included.
"""

import os
import shutil
import subprocess
import sys
import threading

import orjson
from kafka import KafkaProducer

from harness import processed, wait_for
from ledger.producer.client import LedgerProducer
from ledger.producer.demo import demo_batch
from ledger.rules.keys import place
from wire import raw_record

BAD = [(b"APAC", b"{not json"), (b"EMEA", b"[1, 2]"), (None, b'{"region": 1}')]


def run_verify(ledger, *args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ledger", "verify", *args],
        env={
            **os.environ,
            "LEDGER_KAFKA_BOOTSTRAP": ledger.bootstrap,
            "LEDGER_TOPIC": ledger.topic,
            "LEDGER_APP_ID": ledger.app_id,
        },
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def wire_events(count: int, seed: int) -> list[dict]:
    return [event.model_dump(mode="json") for event in demo_batch(count, seed=seed)]


def feed(ledger, events: list[dict], duplicates: int) -> int:
    """Publish events, some again (retries), and bad records; how many records."""
    with LedgerProducer(ledger.bootstrap, topic=ledger.topic) as producer:
        producer.publish_many(events)
    ledger.send_raw([raw_record(e) for e in events[:duplicates]] + BAD)
    return len(events) + duplicates + len(BAD)


def tamper(ledger, worker) -> tuple[str, str]:
    """Stop the worker, write a wrong cell and a bogus agency into its changelogs,
    drop its local state; return the cell key and the agency key written."""
    share = worker.api("/api/v1/internal/state")["partitions"]
    partition, copy = next((p, c) for p, c in share.items() if c["cells"])
    cell_key, cell = sorted(copy["cells"].items())[0]
    where = place(cell_key)
    agency_key = f"{partition}/{where.region}/{where.country}/bogus agency"
    worker.stop()
    producer = KafkaProducer(bootstrap_servers=ledger.bootstrap, acks="all")
    wrong = {**cell, "events": cell["events"] + 1000}
    for table, key, value in (("cells", cell_key, wrong), ("agencies", agency_key, {})):
        topic = f"{ledger.app_id}-{table}-changelog"
        producer.send(
            topic,
            key=orjson.dumps(key),
            value=orjson.dumps(value),
            partition=int(partition),
        ).get(timeout=30)
    producer.close()
    shutil.rmtree(worker.home / ledger.app_id)
    worker.start()
    return cell_key, agency_key


def test_a_clean_ledger_agrees_and_a_tampered_one_is_caught(new_ledger):
    ledger = new_ledger()
    worker = ledger.start_worker()
    total = feed(ledger, wire_events(3000, seed=21), duplicates=40)
    stats = wait_for(processed(worker, total), timeout=120)
    assert (stats["duplicates"], stats["rejected"]) == (40, len(BAD))

    clean = run_verify(ledger, "--url", worker.url)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "result: AGREES" in clean.stdout
    assert f"records recomputed from the log: {total:,}" in clean.stdout
    assert "public answers compared" in clean.stdout
    assert "NOT compared" not in clean.stdout
    assert "  /api/v1/regions/APAC/months at " in clean.stdout
    assert f"/ {total:,} records" in clean.stderr  # the progress line

    cell_key, agency_key = tamper(ledger, worker)
    caught = run_verify(ledger, "--url", worker.url)
    assert caught.returncode == 1, caught.stdout + caught.stderr
    out = caught.stdout
    partition, region = place(cell_key).partition, place(cell_key).region
    assert f"partition {partition} cells[{cell_key}].events: ledger " in out
    assert f"partition {partition} agencies[{agency_key}]: ledger present, " in out
    assert f"/api/v1/regions: regions.{region}.events: ledger " in out
    assert f"/api/v1/regions: regions.{region}.agencies_engaged: ledger " in out
    assert "result: DIFFERS" in out


def test_verify_agrees_while_the_ledger_keeps_counting(new_ledger):
    """Records keep arriving while verify reads: each partition is compared at
    the offset its copy reflects; the public answers when the ledger is quiet."""
    ledger = new_ledger()
    worker = ledger.start_worker()
    first = feed(ledger, wire_events(2000, seed=22), duplicates=20)
    wait_for(processed(worker, first), timeout=120)
    more = [raw_record(e) for e in wire_events(6000, seed=23)[2000:]]
    sending = threading.Thread(target=ledger.send_raw, args=(more, 8.0))
    sending.start()
    try:
        done = run_verify(ledger, "--url", worker.url, "--attempts", "30")
    finally:
        sending.join()
    assert done.returncode == 0, done.stdout + done.stderr
    assert "result: AGREES" in done.stdout


def test_any_worker_of_two_verifies_the_whole_ledger(new_ledger):
    """Each partition's tables are taken from whichever worker serves them."""
    ledger = new_ledger()
    first, second = ledger.start_worker(), ledger.start_worker()
    wait_for(lambda: first.api("/api/v1/stats")["workers"] == 2, timeout=60)
    total = feed(ledger, wire_events(2000, seed=24), duplicates=20)
    for worker in (first, second):
        wait_for(processed(worker, total), timeout=120)
    listed = second.api("/api/v1/internal/workers")["workers"]
    assert sorted(listed) == sorted([first.url, second.url])

    done = run_verify(ledger, "--url", second.url)
    assert done.returncode == 0, done.stdout + done.stderr
    copies = [line for line in done.stdout.splitlines() if "active copy on" in line]
    assert {line.split("active copy on ")[1].split(")")[0] for line in copies} == {
        first.url,
        second.url,
    }
    assert "result: AGREES" in done.stdout


def test_an_unreachable_ledger_or_kafka_is_exit_2(new_ledger, broker):
    ledger = new_ledger()
    ledger.send_raw(BAD)
    nobody = run_verify(ledger, "--url", "http://127.0.0.1:9")
    assert nobody.returncode == 2
    assert "could not verify: cannot reach the ledger at http://127.0.0.1:9" in (
        nobody.stderr
    )
    ledger.bootstrap = "127.0.0.1:9"
    no_kafka = run_verify(ledger, "--url", "http://127.0.0.1:9", timeout=120)
    assert no_kafka.returncode == 2
    assert "could not verify: cannot reach Kafka at 127.0.0.1:9" in no_kafka.stderr
