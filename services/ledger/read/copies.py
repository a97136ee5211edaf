"""Copies of a partition's state, as workers offer them, and which one to show."""

import time

from ledger.rules.counters import new_counters

_ROLE_RANK = {"active": 3, "recovering": 2, "standby": 1, "copy": 0, "empty": 0}
LIVE = ("active", "empty")


def empty_copy(role: str = "empty") -> dict:
    """A partition that has never held a record: its figures are zero, exactly,
    whoever owns it. No worker keeps a copy of nothing, so none is offered.
    A worker that has not joined the group says so with the role "copy"."""
    return {
        "role": role,
        "next_offset": 0,
        "end": 0,
        "updated_at": time.time(),
        "cells": {},
        "agencies": [],
        "counters": new_counters(),
    }


def freshest(shares: list[dict]) -> dict[int, dict]:
    chosen: dict[int, dict] = {}
    for share in shares:
        for partition, copy in share["partitions"].items():
            best = chosen.get(int(partition))
            if best is None or rank(copy) > rank(best):
                chosen[int(partition)] = copy
    return chosen


def rank(copy: dict) -> tuple[int, int]:
    return copy["next_offset"], _ROLE_RANK[copy["role"]]


def describe(copy: dict) -> dict:
    """Where a partition's figures come from and how far behind they may be."""
    end = copy["end"]
    return {
        "source": copy["role"],
        "next_offset": copy["next_offset"],
        "lag": None if end is None else max(0, end - copy["next_offset"]),
        "updated_at": copy["updated_at"],
    }


def has_active(share: dict) -> bool:
    return any(c["role"] == "active" for c in share["partitions"].values())
