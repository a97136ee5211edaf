"""The availability bench's reader: what a client asking any running worker sees."""

import http.client
import json
import random
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import datetime
from itertools import cycle

from harness import Worker, wait_for
from ledger.producer.catalogue import REGIONS

EVERY_S = 0.1
PATHS = (
    "/api/v1/regions",
    "/api/v1/stats",
    "/api/v1/regions",
    "/api/v1/regions/{region}",
    "/api/v1/regions",
    "/api/v1/regions/{region}/months",
)


class Fleet:
    """The workers, and which of them have a running process."""

    def __init__(self, workers: list[Worker]):
        self.workers = workers
        self._running = set(range(len(workers)))
        self._lock = threading.Lock()

    def pick(self, rng: random.Random) -> Worker:
        with self._lock:
            return self.workers[rng.choice(sorted(self._running))]

    def kill_and_restart(self, victim: Worker) -> None:
        """SIGKILL, then start again at once, as a crashed pod is restarted."""
        index = self.workers.index(victim)
        with self._lock:
            self._running.discard(index)
        victim.kill()
        victim.start(ready_timeout=None)
        # As a load balancer's health check would: back in rotation once it
        # answers HTTP at all (it may still be recovering, and say so).
        wait_for(lambda: victim.get("/livez")[0] != 0, timeout=60, every=0.05)
        with self._lock:
            self._running.add(index)


def whole(workers: list[Worker]) -> Callable[[], bool]:
    """A check: every worker answers complete and counts every worker active."""

    def check() -> bool:
        for worker in workers:
            status, stats = worker.get("/api/v1/stats")
            if status != 200 or not stats["complete"]:
                return False
            if stats["workers"] != len(workers):
                return False
        return True

    return check


def every_region(worker: Worker) -> Callable[[], bool]:
    def check() -> bool:
        status, answer = worker.get("/api/v1/regions")
        return status == 200 and len(answer["regions"]) == len(REGIONS)

    return check


def read_rounds(fleet: Fleet, stop: threading.Event, rounds: list[dict]) -> None:
    """Every ~100 ms, one GET to a running worker, endpoints in rotation."""
    rng = random.Random(1)
    for path in cycle(PATHS):
        if stop.is_set():
            return
        worker = fleet.pick(rng)
        started = time.time()
        path = path.format(region=rng.choice(list(REGIONS)))
        status, body = _get(worker.url + path)
        answered = time.time()
        rounds.append(_round(worker, path, started, answered, status, body))
        stop.wait(max(0.0, EVERY_S - (answered - started)))


def _round(worker, path, started, answered, status, body) -> dict:
    as_of = body.get("as_of") if status == 200 else None
    staleness = answered - datetime.fromisoformat(as_of).timestamp() if as_of else None
    sources = body.get("partition_sources")
    every_partition = sources is None or len(sources) == body["partitions"]
    return {
        "at": round(started, 3),
        "took_s": round(answered - started, 3),
        "worker": worker.port,
        "path": path,
        "status": status,
        "ok": status == 200 and every_partition,
        "complete": body.get("complete") if status == 200 else None,
        "as_of": as_of,
        "staleness_s": None if staleness is None else round(staleness, 3),
        "missing_partitions": body.get("missing_partitions"),
        "sources": [s["source"] for s in sources] if sources else None,
    }


def _get(url: str) -> tuple[int | str, dict]:
    """Status and JSON body; instead of a status, why no answer came."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, _json_or_empty(error.read())
    except urllib.error.URLError as error:
        return _why(error.reason), {}
    except (OSError, http.client.HTTPException) as error:
        return _why(error), {}


def _why(reason: object) -> str:
    if isinstance(reason, ConnectionRefusedError):
        return "refused"
    if isinstance(reason, TimeoutError):
        return "timeout"
    return type(reason).__name__


def _json_or_empty(raw: bytes) -> dict:
    try:
        return json.loads(raw)
    except ValueError:
        return {}
