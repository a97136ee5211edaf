"""Fakes at verify's edges: a kafka-python consumer over an in-memory log, and a
ledger answering from tables it is handed. No broker, no worker."""

import json
from collections import namedtuple

from kafka import TopicPartition

from ledger.read import answers
from ledger.verify.rebuilt import recomputed_state, region_answers, regions_of
from ledger.verify.recount import PartitionRecount

Record = namedtuple("Record", "topic partition offset key value")
TOPIC = "activity"


def log_of(events: list[dict], partitions: int = 2) -> dict[int, list[Record]]:
    """Events as records, partitioned by region the way no real partitioner does
    (what matters is that each partition is read in order)."""
    log: dict[int, list[Record]] = {p: [] for p in range(partitions)}
    for event in events:
        partition = sum(event["region"].encode()) % partitions
        value = json.dumps(event).encode()
        offset = len(log[partition])
        log[partition].append(
            Record(TOPIC, partition, offset, event["region"].encode(), value)
        )
    return log


class FakeConsumer:
    """Just what TopicReader uses; each poll hands out a few records per
    resumed partition, past any offset a caller wants (as fetches do)."""

    def __init__(self, log: dict[int, list[Record]], per_poll: int = 3, start=0):
        self.log = log
        self.per_poll = per_poll
        self.start = start  # the first offset still kept, for every partition
        self.positions = {p: 0 for p in log}
        self.paused: set[int] = set()
        self.closed = False

    def partitions_for_topic(self, topic: str):
        return set(self.log) if topic == TOPIC else None

    def assign(self, tps) -> None:
        assert all(tp.topic == TOPIC for tp in tps)

    def pause(self, *tps) -> None:
        self.paused |= {tp.partition for tp in tps}

    def resume(self, *tps) -> None:
        self.paused -= {tp.partition for tp in tps}

    def seek(self, tp, offset: int) -> None:
        self.positions[tp.partition] = offset

    def position(self, tp) -> int:
        return self.positions[tp.partition]

    def beginning_offsets(self, tps):
        return {tp: self.start for tp in tps}

    def poll(self, timeout_ms: int = 0) -> dict:
        polled = {}
        for p, records in self.log.items():
            at = self.positions[p]
            if p in self.paused or at >= len(records):
                continue
            polled[TopicPartition(TOPIC, p)] = records[at : at + self.per_poll]
            self.positions[p] = min(len(records), at + self.per_poll)
        return polled


class FakeLedger:
    """A ledger that counts the log through recounts of its own and serves them
    as a worker would; while ``moves`` last, each reading of its offsets finds
    it one record further on (it keeps counting while verify works)."""

    url = "http://worker-0:6066"

    def __init__(self, log: dict, upto: dict[int, int], moves: int = 0) -> None:
        self.log = log
        self.recounts = {p: PartitionRecount(p) for p in log}
        self.moves = moves
        self.unreachable: list[str] = []
        for partition, end in upto.items():
            for record in log[partition][:end]:
                self._apply(record)

    def shares(self) -> dict[int, dict]:
        return {p: share(r) for p, r in self.recounts.items()}

    def offsets(self) -> dict[int, int]:
        if self.moves:
            self.moves -= 1
            self._count_one_more()
        return {p: r.position for p, r in self.recounts.items()}

    def get(self, path: str) -> dict | None:
        state = recomputed_state(self.recounts)
        found = {"/api/v1/stats": answers.stats, "/api/v1/regions": answers.regions}
        found |= dict(region_answers(regions_of(state)))
        return found[path](state) if path in found else None

    def _count_one_more(self) -> None:
        for partition, records in self.log.items():
            at = self.recounts[partition].position
            if at < len(records):
                self._apply(records[at])
                return

    def _apply(self, record: Record) -> None:
        self.recounts[record.partition].apply(record.key, record.value, record.offset)


def share(recount) -> dict:
    """A partition's share as the internal state endpoint gives it."""
    upto = recount.position
    counters = {**recount.counters, "last_processed_at": "2026-01-01T00:00:00Z"}
    counters["recent_rejections"] = [
        {**r, "rejected_at": "2026-01-01T00:00:00Z"}
        for r in recount.counters["recent_rejections"]
    ]
    return {
        "role": "active",
        "next_offset": recount.position,
        "worker": "http://worker-0:6066",
        "cells": {
            k: {**json.loads(json.dumps(c)), "upto": upto}
            for k, c in recount.cells.items()
        },
        "agencies": sorted(recount.agencies),
        "agency_months": sorted(recount.agency_months),
        "counters": json.loads(json.dumps(counters)),
    }
