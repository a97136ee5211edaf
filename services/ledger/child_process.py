"""Child servers of `ledger up` that never outlive it, started and stopped by pid."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

LAUNCHER_ARGS = 4  # python -c LAUNCHER parent-pid, before the command


class BrokerError(RuntimeError):
    """The embedded broker did not start."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def check_free(port: int) -> None:
    """Refuse a port something listens on; one a dead broker left in TIME_WAIT is
    free (address reuse, as the broker itself binds), so a restart never waits."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            raise BrokerError(
                f"port {port} is taken; set LEDGER_EMBEDDED_PORT to a free port"
            ) from None


# Sets PR_SET_PDEATHSIG (1), then becomes the command: the kernel sends the child
# SIGKILL when its parent dies, however it dies (kill -9 included), so no child is
# left holding its port; if the parent died already, the child goes at once. A
# launcher, not preexec_fn: code between fork and exec can deadlock in a parent
# with threads.
LAUNCHER = """import ctypes, os, signal, sys
ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)
if os.getppid() != int(sys.argv[1]):
    sys.exit(1)
os.execv(sys.argv[2], sys.argv[2:])
"""


def spawn(command: list[str], log_file: Path | None, env=None) -> subprocess.Popen:
    """Start a child in its own session (Ctrl-C reaches the worker, which stops
    first and then stops its children) that dies if its parent does. The kernel
    means the parent thread: start children from a thread that lives as long."""
    output = log_file.open("ab") if log_file else subprocess.DEVNULL
    launcher = [sys.executable, "-c", LAUNCHER, str(os.getpid())]
    try:
        return subprocess.Popen(
            launcher + command,
            stdout=output,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
    finally:
        if log_file:
            output.close()


def _name(process: subprocess.Popen) -> str:
    return Path(process.args[LAUNCHER_ARGS]).name


def wait_listening(process: subprocess.Popen, port: int, wait_s: float) -> None:
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BrokerError(f"{_name(process)} exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    stop(process)
    raise BrokerError(f"{_name(process)} not listening on port {port} in {wait_s}s")


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
