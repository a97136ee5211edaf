"""How `ledger up` sets up its embedded broker: where its data goes, which ports
it takes, and that its children never outlive it (no broker is started here)."""

import socket
import subprocess
import sys
import time

import pytest

from ledger.broker import configured_broker
from ledger.child_process import (
    BrokerError,
    check_free,
    free_port,
    spawn,
    stop,
    wait_listening,
)
from ledger.config import Settings


def test_the_embedded_broker_keeps_its_data_under_the_data_dir_by_default(tmp_path):
    broker = configured_broker(Settings(data_dir=tmp_path), 19092)
    assert broker.storage_dir == tmp_path / "broker"
    assert broker.kept == f"data in {tmp_path / 'broker'}"
    assert broker.bootstrap == "127.0.0.1:19092"


def test_memory_storage_keeps_nothing_on_disk(tmp_path):
    config = Settings(data_dir=tmp_path, embedded_storage="memory")
    broker = configured_broker(config, 19092)
    assert broker.storage_dir is None
    assert broker.kept == "in memory"


def test_an_unknown_storage_is_refused(monkeypatch):
    monkeypatch.setenv("LEDGER_EMBEDDED_STORAGE", "sqlite")
    with pytest.raises(ValueError, match="embedded_storage"):
        Settings()


def test_a_port_something_listens_on_is_taken():
    server = socket.create_server(("127.0.0.1", 0))
    with server, pytest.raises(BrokerError, match="is taken"):
        check_free(server.getsockname()[1])


def test_a_port_left_in_time_wait_by_a_dead_server_is_free_at_once():
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    client = socket.create_connection(("127.0.0.1", port))
    accepted, _ = server.accept()
    accepted.close()  # the server side closes first: its port enters TIME_WAIT
    server.close()
    time.sleep(0.1)
    client.close()
    check_free(port)


def test_a_child_dies_when_its_parent_is_killed(tmp_path):
    pid_file = tmp_path / "child.pid"
    parent = subprocess.Popen([sys.executable, "-c", _PARENT, str(pid_file)])
    deadline = time.monotonic() + 20
    while not pid_file.exists() or not pid_file.read_text():
        assert time.monotonic() < deadline, "the parent never started its child"
        time.sleep(0.05)
    child = int(pid_file.read_text())
    parent.kill()
    parent.wait()
    while _running(child):
        assert time.monotonic() < deadline, "the child outlived its parent"
        time.sleep(0.05)


def test_stop_ends_a_child_by_its_pid():
    child = spawn([sys.executable, "-c", "import time; time.sleep(60)"], None)
    stop(child)
    assert child.returncode is not None


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rpartition(")")[2].split()[0] != "Z"
    except OSError:
        return False


_PARENT = """
import sys, time
from pathlib import Path
from ledger.child_process import spawn
child = spawn([sys.executable, "-c", "import time; time.sleep(60)"], None)
Path(sys.argv[1]).write_text(str(child.pid))
time.sleep(60)
"""


def test_a_child_that_exits_at_start_is_named_in_the_error():
    child = spawn(["/bin/false"], None)
    with pytest.raises(BrokerError, match="false exited with 1"):
        wait_listening(child, free_port(), 10)
