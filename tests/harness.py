"""The test harness: ledgers on a real broker, real `ledger worker` processes."""

import json
import math
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kafka import KafkaProducer

from ledger.broker import free_port


def wait_for(check: Callable[[], object], timeout: float = 60, every: float = 0.2):
    """Poll until check() returns something truthy; return it."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {timeout}s waiting for {check}")
        time.sleep(every)


def get_json(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, {}


@dataclass
class Ledger:
    """One ledger deployment: a topic and the workers aggregating it."""

    bootstrap: str
    topic: str
    app_id: str
    data_dir: Path
    workers: list["Worker"] = field(default_factory=list)

    @classmethod
    def fresh(cls, bootstrap: str, tmp_path_factory, label: str = "ledger") -> "Ledger":
        """A ledger of its own: unique topic, app id and data folder."""
        name = uuid.uuid4().hex[:8]
        return cls(
            bootstrap=bootstrap,
            topic=f"{label}-{name}",
            app_id=f"ledger-{name}",
            data_dir=tmp_path_factory.mktemp(f"{label}-{name}"),
        )

    def start_worker(self) -> "Worker":
        """A worker on a machine of its own: its own port and state folder."""
        return self.new_worker().start()

    def new_worker(self, **env: str) -> "Worker":
        """A worker not started yet; ``env`` adds LEDGER_* settings of its own."""
        home = self.data_dir / f"worker-{len(self.workers)}"
        worker = Worker(self, port=free_port(), home=home, env=env)
        self.workers.append(worker)
        return worker

    def raw_producer(self) -> KafkaProducer:
        return KafkaProducer(bootstrap_servers=self.bootstrap, acks="all")

    def send_raw(
        self,
        records: list[tuple[bytes | None, bytes | None]],
        spread_s: float = 0,
        chunks: int = 60,
    ) -> None:
        """Publish records; with `spread_s`, in even chunks over about that long."""
        chunks = chunks if spread_s else 1
        size = max(1, math.ceil(len(records) / chunks))
        producer = self.raw_producer()
        for start in range(0, len(records), size):
            for key, value in records[start : start + size]:
                producer.send(self.topic, key=key, value=value)
            producer.flush()
            time.sleep(spread_s / chunks)
        producer.close()

    def stop(self) -> None:
        for worker in self.workers:
            worker.stop()


@dataclass
class Worker:
    ledger: Ledger
    port: int
    home: Path
    process: subprocess.Popen | None = None
    env: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, ready_timeout: float | None = 90) -> "Worker":
        """Start (or start again, on the same port and state folder).

        With ``ready_timeout=None``, return at once without waiting for answers.
        """
        self.home.mkdir(parents=True, exist_ok=True)
        log = (self.home / "worker.log").open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ledger", "worker"],
            env={**os.environ, **self._env()},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        if ready_timeout is not None:
            wait_for(self.ready, timeout=ready_timeout, every=0.25)
        return self

    def exited(self) -> int | None:
        return self.process.poll()

    def ready(self) -> bool:
        assert self.process.poll() is None, f"worker exited: {self.log_tail()}"
        status, answer = self.get("/api/v1/regions")
        return status == 200 and answer["complete"]

    def get(self, path: str) -> tuple[int, dict]:
        return get_json(self.url + path)

    def api(self, path: str) -> dict:
        status, body = self.get(path)
        assert status == 200, (status, body)
        return body

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def kill(self) -> None:
        """SIGKILL: no cleanup, no commit, as a crashed pod or an OOM kill."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def log_tail(self, lines: int = 40) -> str:
        path = self.home / "worker.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def _env(self) -> dict[str, str]:
        return {
            "LEDGER_KAFKA_BOOTSTRAP": self.ledger.bootstrap,
            "LEDGER_TOPIC": self.ledger.topic,
            "LEDGER_APP_ID": self.ledger.app_id,
            "LEDGER_WEB_PORT": str(self.port),
            "LEDGER_DATA_DIR": str(self.home),
            # Small batches: even a few thousand records take many of them.
            "LEDGER_BATCH_MAX": "500",
            **self.env,
        }


def processed(worker: Worker, total: int) -> Callable[[], dict | None]:
    """A check that every one of `total` records has been accounted for."""

    def check() -> dict | None:
        status, stats = worker.get("/api/v1/stats")
        if status != 200:
            return None
        seen = stats["accepted"] + stats["duplicates"] + stats["rejected"]
        return stats if seen >= total else None

    return check
