"""`ledger up` with N events published at once: how long until all are counted
and, on disk, how long a restart takes after a SIGTERM and after a SIGKILL of the
whole process group, until every partition answers complete with every event
counted. `--storage memory` gives the first figure to compare. Prints the seconds
and writes artifacts/up_restart_<storage>.json."""

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from kafka import KafkaProducer

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tests/harness.py, tests/ledger_up.py

from harness import processed, wait_for  # noqa: E402
from ledger.producer.demo import demo_batch  # noqa: E402
from ledger_up import LedgerUp  # noqa: E402

ARTIFACT = HERE.parents[1] / "artifacts" / "up_restart.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=200_000)
    storages = ["disk", "memory"]
    parser.add_argument("--storage", choices=storages, default="disk")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="up-restart-"))
    env = {"LEDGER_PARTITIONS": "6", "LEDGER_EMBEDDED_STORAGE": args.storage}
    up = LedgerUp(folder / "ledger", env=env).start()
    started = time.perf_counter()
    _publish(up.bootstrap, args.events)
    results = {"events": args.events, "storage": args.storage}
    results["publish_s"] = _since(started)
    wait_for(processed(up, args.events), timeout=1800, every=0.25)
    results["all_counted_s"] = _since(started)
    for how in ("sigterm", "sigkill") if args.storage == "disk" else ():
        if how == "sigterm":
            up.stop()
        else:
            up.kill_group()
        started = time.perf_counter()
        up.start(ready_timeout=600)
        wait_for(processed(up, args.events), timeout=600, every=0.25)
        results[f"restart_after_{how}_s"] = _since(started)
    up.stop()
    results["folder_mb"] = round(_size(folder / "ledger") / 1e6, 1)
    print(json.dumps(results, indent=2))
    ARTIFACT.parent.mkdir(exist_ok=True)
    artifact = ARTIFACT.with_name(f"up_restart_{args.storage}.json")
    artifact.write_text(json.dumps(results, indent=2))


def _publish(bootstrap: str, n: int) -> None:
    producer = KafkaProducer(
        bootstrap_servers=bootstrap, acks="all", linger_ms=20, batch_size=512 * 1024
    )
    for event in demo_batch(n, seed=3):
        value = event.model_dump_json().encode()
        producer.send("partnership-activity", key=event.region.encode(), value=value)
    producer.flush()
    producer.close()


def _since(started: float) -> float:
    return round(time.perf_counter() - started, 1)


def _size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


if __name__ == "__main__":
    main()
