"""What `ledger verify` costs: its wall time, rate and peak RSS on a long history.

Publishes ten years of events (scale.py's history, plus 1% retried duplicates) to
the embedded broker, lets one worker count them, then runs `ledger verify` as an
operator would and records how long it took and how much memory it held.
Writes artifacts/verify-cost.json; asserts nothing about time.

    .venv/bin/python tests/bench/verify_cost.py --records 200000
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from scale import history, publish  # noqa: E402

from harness import Ledger, processed, wait_for  # noqa: E402
from ledger.broker import EmbeddedBroker  # noqa: E402

# `ledger verify` with its own peak RSS (VmHWM, kB) as the last line of stderr:
# not ru_maxrss, which keeps the forking parent's peak across exec.
MEASURED = """
import runpy, sys
from pathlib import Path
sys.argv = ["ledger", "verify", "--url", sys.argv[1]]
try:
    runpy.run_module("ledger", run_name="__main__")
finally:
    status = Path("/proc/self/status").read_text().splitlines()
    print(next(l for l in status if l.startswith("VmHWM:")).split()[1], file=sys.stderr)
"""


def run_verify(ledger: Ledger, url: str) -> dict:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", MEASURED, url],
        env={
            **os.environ,
            "LEDGER_KAFKA_BOOTSTRAP": ledger.bootstrap,
            "LEDGER_TOPIC": ledger.topic,
        },
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    peak = int(done.stderr.splitlines()[-1]) / 1024
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return {"verify_s": round(seconds, 1), "peak_rss_mb": round(peak, 1)}


def measure(records: int) -> dict:
    events = history(records)
    events += events[: records // 100]
    with tempfile.TemporaryDirectory() as home, EmbeddedBroker() as broker:
        ledger = Ledger.fresh(broker.bootstrap, _Factory(Path(home)), "verify")
        publish(broker.bootstrap, ledger.topic, events)
        worker = ledger.start_worker()
        try:
            wait_for(processed(worker, len(events)), timeout=3600, every=0.5)
            cost = run_verify(ledger, worker.url)
        finally:
            ledger.stop()
    return {
        "records": len(events),
        **cost,
        "records_per_s": round(len(events) / cost["verify_s"]),
    }


class _Factory:
    """tmp_path_factory's one method, for a script."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def mktemp(self, name: str) -> Path:
        path = self.root / name
        path.mkdir()
        return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, nargs="+", default=[200_000])
    results = [measure(n) for n in parser.parse_args().records]
    out = HERE.parents[1] / "artifacts" / "verify-cost.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
