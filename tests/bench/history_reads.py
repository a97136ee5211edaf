"""What reading a long, corrected history costs: the entries endpoint and
`ledger verify`.

Publishes scale.py's ten years of events plus corrections (2% amended, 1%
voided, each after the event it names) to the embedded broker, lets one worker
count them, then times entries requests (median of five, first pages, a page
deep behind cursors, filters, a CSV) next to the all-time summary, and runs
`ledger verify` as an operator would (its wall time and peak RSS). Writes
artifacts/history-reads.json; asserts nothing about time.

    .venv/bin/python tests/bench/history_reads.py --records 1000000
"""

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from scale import history, publish  # noqa: E402
from verify_cost import _Factory, run_verify  # noqa: E402

from harness import Ledger, get_json, processed, wait_for  # noqa: E402
from ledger.broker import EmbeddedBroker  # noqa: E402

ENTRIES = "/api/v1/entries"
DE = f"{ENTRIES}?region=EMEA&country=DE"
READS = {
    "summary, all time": "/api/v1/regions",
    "entries, first page": ENTRIES,
    "entries of a country": DE,
    "entries of a country, a year": f"{DE}&period=2021",
    "entries of a country, counted": f"{DE}&status=counted",
    "entries of an agency": f"{ENTRIES}?region=EMEA&agency=EMEA%20agency%207",
    "entries of a type": f"{ENTRIES}?event_type=training_delivered",
}
DEEP_PAGES = 50
CSV = f"{DE}&period=2021&format=csv"


def corrected(records: int, seed: int = 3) -> list[dict]:
    rng = random.Random(seed)
    events = history(records)
    originals = rng.sample(events, records * 3 // 100)
    fixes = [_amend(e) for e in originals[: records // 50]]
    fixes += [_void(e) for e in originals[records // 50 :]]
    return events + fixes


def _amend(event: dict) -> dict:
    fresh = {"event_id": str(uuid.uuid4()), "supersedes": event["event_id"]}
    return {**event, **fresh, "source": "corrections"}


def _void(event: dict) -> dict:
    return {
        "event_id": str(uuid.uuid4()),
        "schema_version": 1,
        "event_type": "event_voided",
        "occurred_at": event["occurred_at"],
        "region": event["region"],
        "source": "corrections",
        "voids": event["event_id"],
        "reason": "entered twice",
    }


def _median_ms(url: str, times: int = 5) -> float:
    spent = []
    for _ in range(times):
        started = time.perf_counter()
        status, _ = get_json(url)
        spent.append(time.perf_counter() - started)
        assert status == 200, (url, status)
    return round(statistics.median(spent) * 1000, 1)


def _deep_page_ms(base: str) -> float:
    """The time of page ``DEEP_PAGES`` (100 entries each), reached by cursors."""
    cursor = None
    for _ in range(DEEP_PAGES):
        query = f"?limit=100&cursor={cursor}" if cursor else "?limit=100"
        started = time.perf_counter()
        _, answer = get_json(base + "/api/v1/entries" + query)
        spent = time.perf_counter() - started
        cursor = urllib.parse.quote(answer["next_cursor"])
    return round(spent * 1000, 1)


def _csv_ms(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=600) as response:
        rows = response.read().count(b"\n") - 1
    return {"ms": round((time.perf_counter() - started) * 1000, 1), "rows": rows}


def measure(records: int) -> dict:
    events = corrected(records)
    with tempfile.TemporaryDirectory() as home, EmbeddedBroker() as broker:
        ledger = Ledger.fresh(broker.bootstrap, _Factory(Path(home)), "reads")
        publish(broker.bootstrap, ledger.topic, events)
        worker = ledger.start_worker()
        try:
            wait_for(processed(worker, len(events)), timeout=3600, every=0.5)
            reads = {
                name: _median_ms(worker.url + path) for name, path in READS.items()
            }
            reads[f"entries, page {DEEP_PAGES}"] = _deep_page_ms(worker.url)
            reads["entries CSV of a country, a year"] = _csv_ms(worker.url + CSV)
            verify = run_verify(ledger, worker.url)
        finally:
            ledger.stop()
    return {"records": len(events), "reads_ms": reads, "verify": verify}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, nargs="+", default=[200_000])
    results = [measure(n) for n in parser.parse_args().records]
    out = HERE.parents[1] / "artifacts" / "history-reads.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
