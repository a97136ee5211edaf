"""How far verify has read, on stderr: records read of the total, and the rate."""

import sys
import time
from typing import TextIO

TTY_EVERY_S = 0.5
LOG_EVERY_S = 5.0  # when stderr is a file or a pipe: a line now and then


class Progress:
    """Counts records read; redraws one line on a terminal, else writes lines."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream or sys.stderr
        self._tty = self._stream.isatty()
        self._every = TTY_EVERY_S if self._tty else LOG_EVERY_S
        self._total = self._read = 0
        self._started = self._shown = time.monotonic()

    def start(self, total: int, what: str) -> None:
        self._total, self._read, self._what = total, 0, what
        self._started = self._shown = time.monotonic()
        self._show()

    def advance(self, records: int) -> None:
        self._read += records
        now = time.monotonic()
        if now - self._shown >= self._every:
            self._shown = now
            self._show()

    def finish(self) -> None:
        self._show(end="\n")

    def _show(self, end: str | None = None) -> None:
        elapsed = max(time.monotonic() - self._started, 1e-9)
        line = (
            f"ledger verify: {self._what}: read {self._read:,} / {self._total:,} "
            f"records ({self._read / elapsed:,.0f}/s, {elapsed:.1f} s)"
        )
        if self._tty:
            self._stream.write(f"\r\x1b[K{line}{end or ''}")
        else:
            self._stream.write(f"{line}\n")
        self._stream.flush()
