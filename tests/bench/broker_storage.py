"""`make bench-storage`: the embedded broker in memory against on disk, side by side.

Each run starts a fresh broker, publishes N records (kafka-python, batched as
`make bench` does), reads them all back (no group), publishes some one at a time
(each send waits for its ack, as `ledger emit` does), commits a group's offsets,
and, on disk, stops the broker, starts it again on the same folder and checks that
every record, end offset and committed offset is still there. Runs alternate
between the modes; medians are printed and written to artifacts/storage.json."""

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import KafkaAdminClient, NewTopic
from kafka.structs import OffsetAndMetadata

from ledger.broker import EmbeddedBroker

TOPIC, PARTITIONS, GROUP = "storage-bench", 6, "storage-bench-group"
ARTIFACT = Path(__file__).resolve().parents[2] / "artifacts" / "storage.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--single", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    runs: dict[str, list[dict]] = {"memory": [], "disk": []}
    for run in range(args.runs):
        for mode in runs:
            runs[mode].append(_run(mode, args, run))
            print(mode, run, runs[mode][-1], flush=True)
    _report(runs, args)


def _run(mode: str, args, run: int) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix=f"storage-{mode}-{run}-"))
    storage = workdir / "broker" if mode == "disk" else None
    broker = EmbeddedBroker(log_file=workdir / "broker.log", storage_dir=storage)
    with broker:
        result = _exercise(broker.bootstrap, args)
        before = _state(broker.bootstrap)
    if storage is not None:
        started = time.perf_counter()
        with EmbeddedBroker(port=broker.port, storage_dir=storage) as again:
            result["restart_s"] = round(time.perf_counter() - started, 2)
            result["survived_restart"] = _state(again.bootstrap) == before
        result["folder_mb"] = round(_size(storage) / 1e6, 1)
    return result


def _exercise(bootstrap: str, args) -> dict:
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    admin.create_topics([NewTopic(TOPIC, PARTITIONS, 1)])
    admin.close()
    value = json.dumps({"event_type": "meeting_held", "pad": "x" * 250}).encode()
    started = time.perf_counter()
    producer = KafkaProducer(
        bootstrap_servers=bootstrap, acks="all", linger_ms=20, batch_size=512 * 1024
    )
    for i in range(args.records):
        producer.send(TOPIC, key=str(i % 40).encode(), value=value)
    producer.flush()
    produce_s = time.perf_counter() - started
    producer.close()
    consume_s = _consume_all(bootstrap, args.records)
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=0)
    started = time.perf_counter()
    for i in range(args.single):
        producer.send(TOPIC, key=str(i % 40).encode(), value=value).get(timeout=30)
    single_s = time.perf_counter() - started
    total = args.records + args.single
    all_s = _consume_all(bootstrap, total)
    latency = _tail_latency_ms(bootstrap, producer)
    producer.close()
    return {
        "produce_per_s": round(args.records / produce_s),
        "consume_per_s": round(args.records / consume_s),
        "acked_one_by_one_per_s": round(args.single / single_s),
        "consume_with_small_batches_per_s": round(total / all_s),
        "tail_latency_ms": latency,
    }


def _tail_latency_ms(bootstrap: str, producer, samples: int = 20) -> float:
    """Median time from a send to a consumer at the partition's end having it."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, fetch_max_wait_ms=100)
    partition = TopicPartition(TOPIC, 0)
    consumer.assign([partition])
    consumer.seek_to_end()
    consumer.poll(timeout_ms=200)
    took = []
    for _ in range(samples):
        started = time.perf_counter()
        producer.send(TOPIC, value=b"tail", partition=0).get(timeout=30)
        while not consumer.poll(timeout_ms=1000):
            pass
        took.append((time.perf_counter() - started) * 1000)
    consumer.close()
    return round(statistics.median(took), 1)


def _consume_all(bootstrap: str, total: int) -> float:
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    partitions = [TopicPartition(TOPIC, p) for p in range(PARTITIONS)]
    consumer.assign(partitions)
    consumer.seek_to_beginning()
    started, seen = time.perf_counter(), 0
    while seen < total:
        seen += sum(len(r) for r in consumer.poll(timeout_ms=1000).values())
    elapsed = time.perf_counter() - started
    consumer.close()
    return elapsed


def _state(bootstrap: str) -> dict:
    """Every partition's end offset, records readable and the group's offsets
    (committed here, at each partition's end, the first time)."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=GROUP)
    partitions = [TopicPartition(TOPIC, p) for p in range(PARTITIONS)]
    ends = consumer.end_offsets(partitions)
    if all(consumer.committed(tp) is None for tp in partitions):
        consumer.commit({tp: OffsetAndMetadata(ends[tp], "", -1) for tp in partitions})
    committed = {tp.partition: consumer.committed(tp) for tp in partitions}
    consumer.close()
    readable = _readable(bootstrap, partitions)
    return {
        "ends": {tp.partition: ends[tp] for tp in partitions},
        "committed": committed,
        "readable": readable,
    }


def _readable(bootstrap: str, partitions) -> int:
    consumer = KafkaConsumer(
        bootstrap_servers=bootstrap, enable_auto_commit=False, consumer_timeout_ms=3000
    )
    consumer.assign(partitions)
    consumer.seek_to_beginning()
    count = sum(1 for _ in consumer)
    consumer.close()
    return count


def _size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def _report(runs: dict[str, list[dict]], args) -> None:
    fields = [
        "produce_per_s",
        "consume_per_s",
        "acked_one_by_one_per_s",
        "consume_with_small_batches_per_s",
        "tail_latency_ms",
    ]
    medians = {
        mode: {f: statistics.median(r[f] for r in results) for f in fields}
        for mode, results in runs.items()
    }
    print(f"\n{args.records:,} records, {args.runs} runs each, medians:")
    for field in fields:
        memory, disk = medians["memory"][field], medians["disk"][field]
        print(
            f"  {field:32} memory {memory:>9,.0f}  disk {disk:>9,.0f}  "
            f"disk/memory {disk / memory:.2f}"
        )
    disk = runs["disk"]
    print("  restart on disk (s):", [r["restart_s"] for r in disk])
    print("  survived restart:", [r["survived_restart"] for r in disk])
    ARTIFACT.parent.mkdir(exist_ok=True)
    ARTIFACT.write_text(json.dumps({"runs": runs, "medians": medians}, indent=2))


if __name__ == "__main__":
    main()
