"""`make bench-availability`: do reads stay up while workers are SIGKILLed mid-stream?

Two workers aggregate a live demo stream; a reader asks a running worker every
~100 ms; every few seconds one worker is killed and restarted on its own state
folder and port, and the next kill waits until the ledger answers completely
again. Reports what the reads saw (issue 7: >= 99% answered 200 with every
partition accounted for, none more than 10 s behind) and checks accepted == sent.
"""

import argparse
import json
import random
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tests/harness.py

from availability_reads import Fleet, every_region, read_rounds, whole  # noqa: E402
from availability_report import report, summarize  # noqa: E402

from harness import Ledger, Worker, processed, wait_for  # noqa: E402
from ledger import logs  # noqa: E402
from ledger.broker import EmbeddedBroker  # noqa: E402
from ledger.producer.client import LedgerProducer  # noqa: E402
from ledger.producer.demo import run_demo  # noqa: E402


class _Folders:
    """What Ledger.fresh needs of pytest's tmp_path_factory."""

    def __init__(self, root: Path):
        self._root = root

    def mktemp(self, name: str) -> Path:
        path = self._root / name
        path.mkdir(parents=True)
        return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rate", type=float, default=500, help="events per second")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--worker-env",
        action="append",
        default=[],
        metavar="LEDGER_X=V",
        help="a setting for every worker, e.g. LEDGER_SESSION_TIMEOUT_S=3",
    )
    args = parser.parse_args()
    logs.configure("warning")  # not a line per published event
    workdir = Path(tempfile.mkdtemp(prefix="ledger-availability-"))
    print(f"workers' logs and state under {workdir}", flush=True)
    with EmbeddedBroker(log_file=workdir / "broker.log") as broker:
        ledger = Ledger.fresh(broker.bootstrap, _Folders(workdir), "availability")
        try:
            results = _measure(ledger, args)
        finally:
            ledger.stop()
    results["workdir"] = str(workdir)
    report(results)
    Path("artifacts").mkdir(exist_ok=True)
    Path("artifacts/availability.json").write_text(json.dumps(results, indent=2))


def _measure(ledger: Ledger, args: argparse.Namespace) -> dict:
    env = dict(setting.split("=", 1) for setting in args.worker_env)
    workers = [ledger.new_worker(**env).start() for _ in range(args.workers)]
    wait_for(whole(workers), timeout=180)
    fleet, rounds, sent = Fleet(workers), [], [0]
    stop_stream, stop_reads = threading.Event(), threading.Event()
    stream = threading.Thread(target=_stream, args=(ledger, args, stop_stream, sent))
    reader = threading.Thread(target=read_rounds, args=(fleet, stop_reads, rounds))
    stream.start()
    try:
        wait_for(every_region(workers[0]), timeout=60)  # else a region is a 404
        reader.start()
        started = time.time()
        kills = _kill_and_restart(fleet, random.Random(args.seed), args.kills)
    finally:
        stop_stream.set()
        stream.join()
        stop_reads.set()
        if reader.is_alive():
            reader.join()
    ended = time.time()
    return {
        "settings": vars(args),
        "seconds": round(ended - started, 1),
        "summary": summarize(rounds, started, ended),
        "kills": kills,
        "final": _final_check(workers, sent[0]),
        "rounds": rounds,
    }


def _stream(ledger: Ledger, args, stop: threading.Event, sent: list[int]) -> None:
    with LedgerProducer(ledger.bootstrap, topic=ledger.topic) as producer:
        sent[0] = run_demo(producer, args.rate, stop, seed=args.seed)


def _kill_and_restart(fleet: Fleet, rng: random.Random, kills: int) -> list[dict]:
    """Kill, restart, and wait for whole answers again before the next kill."""
    done: list[dict] = []
    for number in range(1, kills + 1):
        time.sleep(rng.uniform(3, 8))
        victim = rng.choice(fleet.workers)
        killed_at = time.time()
        fleet.kill_and_restart(victim)
        try:
            wait_for(whole(fleet.workers), timeout=180, every=0.25)
        except AssertionError:
            done.append({"kill": number, "worker": victim.port, "whole_after_s": None})
            print(f"kill {number}: not whole again after 180 s; stopping", flush=True)
            break
        after = round(time.time() - killed_at, 1)
        done.append({"kill": number, "worker": victim.port, "whole_after_s": after})
        print(f"kill {number}: worker :{victim.port}, whole again after {after} s")
    return done


def _final_check(workers: list[Worker], sent: int) -> dict:
    for worker in workers:
        wait_for(processed(worker, sent), timeout=300)
    stats = [worker.api("/api/v1/stats") for worker in workers]
    figures = [(s["accepted"], s["duplicates"], s["rejected"]) for s in stats]
    return {
        "sent": sent,
        "per_worker": figures,
        "exact": all(figure == (sent, 0, 0) for figure in figures),
    }


if __name__ == "__main__":
    main()
