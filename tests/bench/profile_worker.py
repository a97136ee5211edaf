"""Profile one worker catching up on a backlog: py-spy samples it from its first
record to its last (``make bench`` records, same settings), and the folded stacks
are summed per function, self time and total, as shares of the samples.

    PYTHONPATH=services .venv/bin/python tests/bench/profile_worker.py --out /tmp/tp
"""

import argparse
import collections
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import run_bench  # noqa: E402

from ledger.broker import EmbeddedBroker, free_port  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--out", type=Path, default=Path("artifacts"))
    parser.add_argument("--rate", type=int, default=200, help="py-spy samples/s")
    parser.add_argument("--pythonpath", help="the worker's PYTHONPATH (another tree)")
    parser.add_argument("--log-level", default="warning", help="the worker's")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="ledger-profile-"))
    with EmbeddedBroker(log_file=workdir / "broker.log") as broker:
        events, records = run_bench.bench_records(args.events)
        run_bench.publish(broker.bootstrap, records)
        folded = _profile(broker.bootstrap, workdir, len(records), args)
    _summarize(folded, args.out / "profile-summary.txt")
    print(f"worker log: {workdir / 'worker.log'}")


def _profile(bootstrap: str, workdir: Path, total: int, args) -> Path:
    port = free_port()
    env = {
        **os.environ,
        "LEDGER_KAFKA_BOOTSTRAP": bootstrap,
        "LEDGER_TOPIC": run_bench.TOPIC,
        "LEDGER_APP_ID": "profile",
        "LEDGER_WEB_PORT": str(port),
        "LEDGER_DATA_DIR": str(workdir),
        "LEDGER_LOG_LEVEL": args.log_level,
    }
    if args.pythonpath:
        env["PYTHONPATH"] = args.pythonpath
    log = (workdir / "worker.log").open("ab")
    worker = subprocess.Popen(
        [sys.executable, "-m", "ledger", "worker"], env=env, stdout=log, stderr=log
    )
    url = f"http://127.0.0.1:{port}"
    folded = args.out / "profile.folded"
    try:
        while not run_bench.processed(url):
            time.sleep(0.01)
        spy = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "py-spy"),
                "record",
                "--pid",
                str(worker.pid),
                "--format",
                "raw",
                "--rate",
                str(args.rate),
                "--output",
                str(folded),
                "--nonblocking",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        started = time.perf_counter()
        while run_bench.processed(url) < total:
            time.sleep(0.05)
        print(f"caught up in {time.perf_counter() - started:.1f} s", flush=True)
        spy.send_signal(signal.SIGINT)
        spy.wait(timeout=60)
        _print_thread_cpu(worker.pid)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)
    return folded


def _print_thread_cpu(pid: int) -> None:
    """CPU seconds of each thread by name, since the worker started: py-spy sees
    Python frames only, not RocksDB's own threads."""
    ticks = os.sysconf("SC_CLK_TCK")
    per_name: collections.Counter = collections.Counter()
    for task in Path(f"/proc/{pid}/task").iterdir():
        name = (task / "comm").read_text().strip()
        if name == "python":  # Python threads keep the process's name
            name = "python (main)" if task.name == str(pid) else "python (other)"
        fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        per_name[name] += (int(fields[11]) + int(fields[12])) / ticks
    for name, seconds in per_name.most_common():
        print(f"thread {name:<20} {seconds:6.2f} s CPU", flush=True)


def _summarize(folded: Path, out: Path) -> None:
    own, total = collections.Counter(), collections.Counter()
    samples = 0
    for line in folded.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        n = int(count)
        frames = [_short(frame) for frame in stack.split(";")]
        samples += n
        own[frames[-1]] += n
        for frame in set(frames):
            total[frame] += n
    lines = [f"{samples} samples"]
    for title, counter in (("self", own), ("total (inclusive)", total)):
        lines.append(f"\n== {title} ==")
        for frame, n in counter.most_common(45):
            lines.append(f"{100 * n / samples:5.1f}%  {frame}")
    out.write_text("\n".join(lines) + "\n")
    print(out.read_text())


def _short(frame: str) -> str:
    """``fn (path/to/file.py:12)`` -> ``fn (file.py)``: lines merged."""
    name, _, where = frame.partition(" (")
    return f"{name} ({Path(where.split(':')[0]).name})"


if __name__ == "__main__":
    main()
