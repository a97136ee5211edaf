"""`make bench-scale`: one worker's life with a long history, at 200k and 1M records.

For each size: publish ten years of events from ~1,400 agencies per region, time
one worker's catch-up and its peak RSS, kill -9 it and time the restart to
complete answers, SIGTERM it and the same, rebuild on a new machine (empty state
folder), then read every changelog for its largest value and its length.
"""

import argparse
import json
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from kafka import KafkaConsumer, KafkaProducer, TopicPartition

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import reference  # noqa: E402
from harness import Ledger, Worker, processed, wait_for  # noqa: E402
from ledger.broker import EmbeddedBroker  # noqa: E402
from ledger.config import Settings  # noqa: E402
from ledger.producer.demo import demo_batch  # noqa: E402

YEARS = 10
AGENCIES_PER_REGION = 1400
TABLES = ("cells", "agencies", "seen", "counters", "agency_months")


def history(n: int, seed: int = 10) -> list[dict]:
    """Demo events moved into a ten-year span, with a few thousand agencies."""
    rng = random.Random(seed)
    end = datetime(2026, 11, 1, tzinfo=UTC)
    span = timedelta(days=365 * YEARS)
    events = []
    for event in demo_batch(n, seed=seed):
        wire = event.model_dump(mode="json")
        shift = (end - span * rng.random()) - event.occurred_at
        for field in ("occurred_at", "received_at"):
            if field in wire:
                wire[field] = (datetime.fromisoformat(wire[field]) + shift).isoformat()
        wire["agency"] = f"{wire['region']} agency {rng.randrange(AGENCIES_PER_REGION)}"
        events.append(wire)
    return events


def publish(bootstrap: str, topic: str, events: list[dict]) -> float:
    producer = KafkaProducer(
        bootstrap_servers=bootstrap, acks="all", linger_ms=20, batch_size=512 * 1024
    )
    started = time.perf_counter()
    for event in events:
        producer.send(
            topic, key=event["region"].encode(), value=json.dumps(event).encode()
        )
    producer.flush()
    producer.close()
    return time.perf_counter() - started


def peak_rss_mb(worker: Worker) -> float:
    status = Path(f"/proc/{worker.process.pid}/status").read_text()
    line = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
    return round(int(line.split()[1]) / 1024, 1)


def catch_up(worker: Worker, total: int) -> dict:
    worker.start(ready_timeout=None)
    wait_for(lambda: _counted(worker) > 0, timeout=120, every=0.05)
    first = time.perf_counter()
    wait_for(processed(worker, total), timeout=1800, every=0.2)
    seconds = time.perf_counter() - first
    return {
        "catch_up_s": round(seconds, 1),
        "events_per_s": round(total / seconds),
        "peak_rss_mb": peak_rss_mb(worker),
    }


def restart(worker: Worker, total: int, how: str) -> dict:
    worker.kill() if how == "kill -9" else worker.stop()
    return time_to_answers(worker, total)


def time_to_answers(worker: Worker, total: int) -> dict:
    """Seconds from the start to any 200, and to complete, up-to-date answers."""
    started = time.perf_counter()
    worker.start(ready_timeout=None)
    wait_for(lambda: worker.get("/api/v1/regions")[0] == 200, timeout=600, every=0.05)
    answering = time.perf_counter() - started
    wait_for(
        lambda: worker.ready() and processed(worker, total)(), timeout=600, every=0.05
    )
    return {
        "first_200_s": round(answering, 1),
        "complete_s": round(time.perf_counter() - started, 1),
        "peak_rss_mb": peak_rss_mb(worker),
    }


def changelogs(bootstrap: str, app_id: str, partitions: int) -> dict:
    sizes = {}
    for table in TABLES:
        topic = f"{app_id}-{table}-changelog"
        consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
        tps = [TopicPartition(topic, p) for p in range(partitions)]
        consumer.assign(tps)
        consumer.seek_to_beginning()
        ends = consumer.end_offsets(tps)
        records, largest = 0, 0
        while any(consumer.position(tp) < ends[tp] for tp in tps):
            for batch in consumer.poll(timeout_ms=1000, max_records=50_000).values():
                records += len(batch)
                largest = max([largest, *(len(r.value or b"") for r in batch)])
        consumer.close()
        sizes[table] = {"records": records, "largest_value_bytes": largest}
    return sizes


# The worker's own default batch, not the test harness's smaller one.
BATCH_MAX = str(Settings.model_fields["batch_max"].default)


def measure(n: int, workdir: Path) -> dict:
    events = history(n)
    with EmbeddedBroker(log_file=workdir / f"broker-{n}.log") as broker:
        ledger = Ledger.fresh(broker.bootstrap, _Folders(workdir), f"scale{n}")
        result = {
            "records": n,
            "publish_s": round(publish_after_topics(ledger, events), 1),
        }
        worker = ledger.new_worker(LEDGER_BATCH_MAX=BATCH_MAX)
        try:
            result["first_count"] = catch_up(worker, n)
            result["restart_after_kill_9"] = restart(worker, n, "kill -9")
            result["restart_after_sigterm"] = restart(worker, n, "SIGTERM")
            totals = worker.api("/api/v1/regions")["totals"]
            reference.assert_summary_matches(totals, reference.summary(events))
            result["answers"] = "identical to the independent recomputation"
            worker.stop()
            fresh = ledger.new_worker(LEDGER_BATCH_MAX=BATCH_MAX)
            result["new_machine_rebuild"] = time_to_answers(fresh, n)
            result["changelogs"] = changelogs(broker.bootstrap, ledger.app_id, 6)
        finally:
            ledger.stop()
    return result


def publish_after_topics(ledger: Ledger, events: list[dict]) -> float:
    from ledger.config import Settings
    from ledger.kafka_admin import ensure_topics

    ensure_topics(ledger.bootstrap, Settings(topic=ledger.topic))
    return publish(ledger.bootstrap, ledger.topic, events)


class _Folders:
    def __init__(self, root: Path) -> None:
        self.root = root

    def mktemp(self, name: str) -> Path:
        return Path(tempfile.mkdtemp(prefix=name, dir=self.root))


def _counted(worker: Worker) -> int:
    status, stats = worker.get("/api/v1/stats")
    if status != 200:
        return 0
    return stats["accepted"] + stats["duplicates"] + stats["rejected"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[200_000, 1_000_000])
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="ledger-scale-"))
    results = [measure(n, workdir) for n in args.sizes]
    print(json.dumps(results, indent=2))
    Path("artifacts").mkdir(exist_ok=True)
    Path("artifacts/scale.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
