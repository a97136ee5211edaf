"""`make bench` against an older commit: the same records, runs taken in turns.

The machine is shared and noisy, so one commit's runs are never all before the
other's: run i of this tree is followed by run i of the other commit. The other
commit runs from a git worktree of its own (``PYTHONPATH`` points its worker at
that tree's ``services``), with this tree's virtualenv.
"""

import statistics
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


@contextmanager
def worktree(rev: str) -> Iterator[Path]:
    """A detached checkout of ``rev``, removed afterwards; yields its services/."""
    where = Path(tempfile.mkdtemp(prefix="ledger-bench-rev-")) / "tree"
    _git("worktree", "add", "--detach", str(where), rev)
    try:
        yield where / "services"
    finally:
        _git("worktree", "remove", "--force", str(where))


def in_turns(runs: int, time_run: Callable[[int, str | None], dict], other) -> dict:
    """``time_run(run, pythonpath)`` for this tree and ``other``, alternately."""
    mine, theirs = [], []
    for run in range(runs):
        mine.append(time_run(2 * run, None))
        theirs.append(time_run(2 * run + 1, str(other)))
    return {"this": mine, "other": theirs}


def report(rev: str, runs: dict) -> list[tuple[str, str]]:
    this, other = _median(runs["this"], "per_s"), _median(runs["other"], "per_s")
    cpu, cpu_other = (_median(runs[side], "cpu_us_per_record") for side in runs)
    return [
        ("this tree, per run", _each(runs["this"])),
        (f"{rev}, per run", _each(runs["other"])),
        ("medians", f"{this:,.0f} vs {other:,.0f} records/s ({this / other:.2f}x)"),
        ("worker CPU per record", f"{cpu} vs {cpu_other} µs (medians)"),
    ]


def _median(runs: list[dict], name: str) -> float:
    return statistics.median(run[name] for run in runs)


def _each(runs: list[dict]) -> str:
    return ", ".join(f"{r['per_s']:,} ({r['cpu_us_per_record']} µs)" for r in runs)


def _git(*args: str) -> None:
    subprocess.run(["git", "-C", str(REPO), *args], check=True, capture_output=True)
