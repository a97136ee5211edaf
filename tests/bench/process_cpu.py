"""CPU time a worker spends per record: steadier than records/s on a shared machine.

Wall-clock throughput moves with whatever else the machine runs; the CPU seconds
the worker process itself used (all its threads, RocksDB's included) from the first
record counted to the last move much less.
"""

import os
from collections.abc import Callable
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of the process so far (/proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


class CpuPerRecord:
    """Wraps a record count: notes the worker's CPU when records were first seen
    and at the latest count."""

    def __init__(self, pid: int) -> None:
        self._pid = pid
        self._first: tuple[float, int] | None = None
        self._last: tuple[float, int] | None = None

    def counting(self, count: Callable[[], int]) -> Callable[[], int]:
        def counted() -> int:
            seen = count()
            if seen:
                mark = (cpu_seconds(self._pid), seen)
                self._first = self._first or mark
                self._last = mark
            return seen

        return counted

    def us_per_record(self) -> float:
        (cpu_first, seen_first), (cpu_last, seen_last) = self._first, self._last
        if seen_last <= seen_first:
            return float("nan")
        return round((cpu_last - cpu_first) / (seen_last - seen_first) * 1e6, 1)
