"""`ledger up` as a user runs it: a real process tree on free ports, its own folder."""

import os
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from harness import get_json, wait_for
from ledger.broker import free_port


@dataclass
class LedgerUp:
    data_dir: Path
    env: dict[str, str] = field(default_factory=dict)
    web_port: int = field(default_factory=free_port)
    broker_port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.broker_port}"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def start(self, ready_timeout: float = 60) -> "LedgerUp":
        """Start (again, on the same ports and folder) in a process group of its
        own, as a shell would; wait until every partition answers."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with (self.data_dir / "up.log").open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "ledger", "up"],
                env=self._env(),
                stdout=log,
                stderr=subprocess.STDOUT,
                process_group=0,
            )
        wait_for(self.ready, timeout=ready_timeout, every=0.25)
        return self

    def ready(self) -> bool:
        assert self.process.poll() is None, f"ledger up exited: {self.log_tail()}"
        status, answer = get_json(self.url + "/api/v1/regions")
        return status == 200 and answer["complete"]

    def get(self, path: str) -> tuple[int, dict]:
        return get_json(self.url + path)

    def api(self, path: str) -> dict:
        status, body = self.get(path)
        assert status == 200, (status, body)
        return body

    def tree(self) -> set[int]:
        """The pids of `ledger up` and every process below it."""
        return {self.process.pid} | descendants(self.process.pid)

    def stop(self) -> None:
        """SIGTERM, as systemd or `kill` sends it."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=60)

    def kill_group(self) -> None:
        """SIGKILL to the whole process group: nothing gets to clean up."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def log_tail(self, lines: int = 40) -> str:
        text = (self.data_dir / "up.log").read_text(errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def _env(self) -> dict[str, str]:
        inherited = {k: v for k, v in os.environ.items() if not k.startswith("LEDGER_")}
        return inherited | {
            "LEDGER_EMBEDDED_PORT": str(self.broker_port),
            "LEDGER_WEB_PORT": str(self.web_port),
            "LEDGER_DATA_DIR": str(self.data_dir),
            "LEDGER_PARTITIONS": "3",
            **self.env,
        }


def descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            parent = _parent(entry)
            if parent is not None:
                children.setdefault(parent, []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _parent(entry: Path) -> int | None:
    try:
        stat = (entry / "stat").read_text()
    except OSError:
        return None
    return int(stat.rpartition(")")[2].split()[1])


def alive(pids: set[int]) -> set[int]:
    """Those of pids still running (a zombie counts as gone)."""
    running = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
        except OSError:
            continue
        if state != "Z":
            running.add(pid)
    return running
