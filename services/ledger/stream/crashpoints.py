"""Test-only: stop the worker dead at a named point of a batch's write.

``LEDGER_TEST_CRASH_AT=mid_changelog:3`` makes the worker ``os._exit`` the third
time it reaches ``mid_changelog``: no cleanup, no commit, as ``kill -9`` would.
The exactness tests use it to hit every point deterministically. Unset (always,
outside tests), ``reach`` is a dictionary lookup.
"""

import os
import sys

POINTS = (
    "before_changelog",
    "mid_changelog",
    "before_counters",
    "before_seal",
    "before_local",
    "mid_local",
    "before_ack",
    "during_recovery",
)
_armed: dict[str, int] = {}


def arm(spec: str | None) -> None:
    """``point:n``; None disarms."""
    _armed.clear()
    if not spec:
        return
    point, _, nth = spec.partition(":")
    if point not in POINTS:
        raise ValueError(f"unknown crash point {point!r}; one of {POINTS}")
    _armed[point] = int(nth or 1)


def reach(point: str) -> None:
    if point not in _armed:
        return
    _armed[point] -= 1
    if _armed[point] == 0:
        print(f"crashpoint: exiting at {point}", file=sys.stderr, flush=True)
        os._exit(70)
