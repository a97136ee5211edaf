"""`make bench`: publish N realistic events, time workers from first to last event,
check the result against an independent recomputation, and compare side by side
with a naive Faust agent and a plain aiokafka loop on the same records.
``--compare REV`` also times the worker of commit REV on the same records, its
runs taken in turns with this tree's (see side_by_side.py)."""

import argparse
import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from aiokafka import AIOKafkaConsumer
from kafka import KafkaProducer

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tests/reference.py

import side_by_side  # noqa: E402
from process_cpu import CpuPerRecord  # noqa: E402

import reference  # noqa: E402
from ledger.broker import EmbeddedBroker, free_port  # noqa: E402
from ledger.config import Settings  # noqa: E402
from ledger.kafka_admin import ensure_topics  # noqa: E402
from ledger.producer.demo import demo_batch  # noqa: E402

TOPIC = "bench-activity"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--naive-events", type=int, default=20_000)
    parser.add_argument("--compare", metavar="REV", help="also time commit REV")
    parser.add_argument(
        "--ledger-only", action="store_true", help="skip the naive agent etc."
    )
    args = parser.parse_args()
    if args.compare:
        with side_by_side.worktree(args.compare) as other:
            _bench(args, other)
    else:
        _bench(args, None)


def _bench(args: argparse.Namespace, other: Path | None) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="ledger-bench-"))
    results: dict = {"events": args.events}
    with EmbeddedBroker(log_file=workdir / "broker.log") as broker:
        events, records = bench_records(args.events)
        results["publish_per_s"] = publish(broker.bootstrap, records)

        def time_run(run: int, pythonpath: str | None = None) -> dict:
            return _time_ledger(
                broker.bootstrap, workdir, run, len(records), events, pythonpath
            )

        if other is not None:
            runs = side_by_side.in_turns(args.runs, time_run, other)
            results["ledger_runs"], results["compared"] = runs["this"], runs["other"]
            _print(side_by_side.report(args.compare, runs))
        else:
            results["ledger_runs"] = [time_run(run) for run in range(args.runs)]
        if not args.ledger_only:
            results["naive_faust_per_s"] = _time_naive(
                broker.bootstrap, args.naive_events
            )
            results["plain_consumer_per_s"] = asyncio.run(
                _time_plain_consumer(broker.bootstrap, len(records))
            )
    if not args.ledger_only:
        results["startup_s"] = [_time_startup(workdir, r) for r in range(args.runs)]
        _report(results)
    Path("artifacts").mkdir(exist_ok=True)
    Path("artifacts/bench.json").write_text(json.dumps(results, indent=2))


def bench_records(n: int) -> tuple[list[dict], list[tuple[bytes, bytes]]]:
    """n demo events, then 1% of them again (retries) and 0.5% bad records."""
    events = [event.model_dump(mode="json") for event in demo_batch(n, seed=2024)]
    records = [(e["region"].encode(), json.dumps(e).encode()) for e in events]
    records += records[: n // 100]
    records += [(b"APAC", b"{not json")] * (n // 200)
    return events, records


def publish(bootstrap: str, records: list[tuple[bytes, bytes]]) -> float:
    ensure_topics(bootstrap, Settings(topic=TOPIC, kafka_bootstrap=bootstrap))
    producer = KafkaProducer(
        bootstrap_servers=bootstrap, acks="all", linger_ms=20, batch_size=512 * 1024
    )
    started = time.perf_counter()
    for key, value in records:
        producer.send(TOPIC, key=key, value=value)
    producer.flush()
    producer.close()
    return round(len(records) / (time.perf_counter() - started))


def _time_ledger(bootstrap, workdir, run, total, events, pythonpath=None) -> dict:
    port = free_port()
    env = {
        **os.environ,
        "LEDGER_KAFKA_BOOTSTRAP": bootstrap,
        "LEDGER_TOPIC": TOPIC,
        "LEDGER_APP_ID": f"bench-{run}",
        "LEDGER_WEB_PORT": str(port),
        "LEDGER_DATA_DIR": str(workdir),
        "LEDGER_LOG_LEVEL": "warning",
    }
    if pythonpath:  # another commit's worker: its tree's `ledger` comes first
        env["PYTHONPATH"] = pythonpath
    with (workdir / f"worker-{run}.log").open("ab") as log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "ledger", "worker"], env=env, stdout=log, stderr=log
        )
    cpu = CpuPerRecord(worker.pid)
    try:
        url = f"http://127.0.0.1:{port}"
        seconds = _time_until(cpu.counting(lambda: processed(url)), total)
        peak_rss_mb = _peak_rss_mb(worker.pid)
        _check(url, events)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)
    return {
        "per_s": round(total / seconds),
        "seconds": round(seconds, 2),
        "cpu_us_per_record": cpu.us_per_record(),
        "peak_rss_mb": peak_rss_mb,
    }


def _time_until(count, total: int, timeout: float = 900) -> float:
    """Seconds from the first record counted to the last, polling every 20 ms."""
    deadline = time.monotonic() + timeout
    first = None
    while time.monotonic() < deadline:
        seen = count()
        now = time.perf_counter()
        if seen and first is None:
            first, at_first = now, seen
        if seen >= total:
            return (now - first) * total / (total - at_first)
        time.sleep(0.02)
    raise TimeoutError(f"only {seen} of {total} records after {timeout}s")


def processed(url: str) -> int:
    try:
        with urllib.request.urlopen(url + "/api/v1/stats", timeout=5) as response:
            stats = json.load(response)
    except OSError:
        return 0
    return stats["accepted"] + stats["duplicates"] + stats["rejected"]


def _check(url: str, events: list[dict]) -> None:
    with urllib.request.urlopen(url + "/api/v1/regions", timeout=30) as response:
        answer = json.load(response)
    reference.assert_summary_matches(answer["totals"], reference.summary(events))


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def _time_naive(bootstrap: str, n: int) -> int:
    port = free_port()
    env = {
        **os.environ,
        "BENCH_BOOTSTRAP": bootstrap,
        "BENCH_TOPIC": TOPIC,
        "BENCH_APP_ID": "bench-naive",
        "BENCH_WEB_PORT": str(port),
    }
    command = [sys.executable, "-m", "faust", "-A", "naive_app", "worker", "-l", "warn"]
    naive = subprocess.Popen(
        command, cwd=HERE, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        seconds = _time_until(lambda: _naive_count(port), n)
    finally:
        naive.send_signal(signal.SIGTERM)
        naive.wait(timeout=60)
    return round(n / seconds)


def _naive_count(port: int) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/count", timeout=5) as r:
            return json.load(r)["events"]
    except OSError:
        return 0


async def _time_plain_consumer(bootstrap: str, total: int) -> int:
    """The floor: consume, parse JSON and count per region, nothing else."""
    consumer = AIOKafkaConsumer(
        TOPIC, bootstrap_servers=bootstrap, auto_offset_reset="earliest"
    )
    await consumer.start()
    counts: dict[str, int] = {}
    seen, started = 0, None
    try:
        while seen < total:
            batches = await consumer.getmany(timeout_ms=1000, max_records=10_000)
            started = started or time.perf_counter()
            for records in batches.values():
                for record in records:
                    region = _region_or_none(record.value)
                    counts[region] = counts.get(region, 0) + 1
                seen += len(records)
    finally:
        await consumer.stop()
    return round(total / (time.perf_counter() - started))


def _region_or_none(value: bytes) -> str | None:
    try:
        return json.loads(value)["region"]
    except ValueError:
        return None


def _time_startup(workdir: Path, run: int) -> float:
    """Seconds from `ledger up` (embedded broker included) to a ready read API."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "LEDGER_KAFKA_BOOTSTRAP"}
    env |= {
        "LEDGER_WEB_PORT": str(port),
        "LEDGER_EMBEDDED_PORT": str(free_port()),
        "LEDGER_DATA_DIR": str(workdir / f"up{run}"),
    }
    started = time.perf_counter()
    up = subprocess.Popen(
        [sys.executable, "-m", "ledger", "up"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while _status(f"http://127.0.0.1:{port}/api/v1/regions") != 200:
            time.sleep(0.05)
        return round(time.perf_counter() - started, 2)
    finally:
        up.send_signal(signal.SIGINT)
        up.wait(timeout=60)


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except OSError:
        return 0


def _report(results: dict) -> None:
    runs = results["ledger_runs"]
    median = statistics.median(run["per_s"] for run in runs)
    naive, plain = results["naive_faust_per_s"], results["plain_consumer_per_s"]
    startup = results["startup_s"]
    rows = [
        ("events published", f"{results['events']:,} (+1% duplicates, +0.5% bad)"),
        ("publish (kafka-python)", f"{results['publish_per_s']:,} records/s"),
        ("ledger worker, per run", ", ".join(f"{r['per_s']:,}" for r in runs)),
        ("ledger worker, median", f"{median:,.0f} records/s"),
        ("ledger CPU per record", f"{[r['cpu_us_per_record'] for r in runs]} µs"),
        ("ledger peak RSS, per run", f"{[r['peak_rss_mb'] for r in runs]} MB"),
        ("naive Faust agent", f"{naive:,} records/s (ledger {median / naive:.1f}x)"),
        ("plain aiokafka loop", f"{plain:,} records/s (ledger {median / plain:.2f}x)"),
        ("ledger up -> API ready", f"{startup} s, median {statistics.median(startup)}"),
        ("result check", "totals match the independent recomputation"),
    ]
    _print(rows)


def _print(rows: list[tuple[str, str]]) -> None:
    for name, value in rows:
        print(f"{name:<28}{value}", flush=True)


if __name__ == "__main__":
    main()
