"""The running ledger as verify sees it: each partition's tables and the answers.

A partition's cells, agency keys and counters come from one worker's internal
state answer, written in one go, so they are one consistent copy at its
``next_offset``. Of several copies (active, standby, older ones on disk), the
one the read API serves is compared: the freshest, the active owner on a tie.
"""

import json
import urllib.error
import urllib.parse
import urllib.request

from ledger.verify.errors import CannotVerifyError

STATE_PATH = "/api/v1/internal/state"
# Every month: each copy's agency-month keys too (none before year 0001).
ALL_MONTHS = "?from=0001-01"
WORKERS_PATH = "/api/v1/internal/workers"
TIMEOUT_S = 60.0
_ROLE_RANK = {"active": 3, "recovering": 2, "standby": 1, "copy": 0}


class ServedLedger:
    """A worker's URL; through it, every worker of the ledger."""

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")
        self.unreachable: list[str] = []  # peers that did not answer

    def get(self, path: str, base: str | None = None) -> dict | None:
        """The JSON answer; None for a 404; CannotVerifyError for anything else."""
        url = (base or self.url).rstrip("/") + path
        try:
            with urllib.request.urlopen(url, timeout=TIMEOUT_S) as response:
                return json.load(response)
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return None
            message = f"{url} answered {error.code}: {_body(error)}"
            raise CannotVerifyError(message) from error
        except (urllib.error.URLError, OSError, ValueError) as error:
            message = f"cannot reach the ledger at {url}: {error}"
            raise CannotVerifyError(message) from error

    def workers(self) -> list[str]:
        """Every worker in the group, by its advertised URL, and the one asked."""
        listed = (self.get(WORKERS_PATH) or {}).get("workers", [])
        return sorted({self.url, *(url.rstrip("/") for url in listed)})

    def shares(self) -> dict[int, dict]:
        """Per partition, the copy the read API serves."""
        chosen: dict[int, dict] = {}
        for worker in self.workers():
            for partition, copy in self._share(worker).items():
                if copy.get("counters") is None:
                    continue
                best = chosen.get(int(partition))
                if best is None or _rank(copy) > _rank(best):
                    chosen[int(partition)] = {**copy, "worker": worker}
        return chosen

    def _share(self, worker: str) -> dict[str, dict]:
        try:
            share = self.get(STATE_PATH + ALL_MONTHS, worker)
        except CannotVerifyError:
            if worker == self.url:
                raise
            self.unreachable.append(worker)  # its partitions may be held elsewhere
            return {}
        return (share or {}).get("partitions", {})

    def offsets(self) -> dict[int, int]:
        """Per partition, the next offset the public answers reflect now."""
        return offsets_of(self.get("/api/v1/stats"))


def offsets_of(stats: dict) -> dict[int, int]:
    """Per partition, the next offset of the copy a stats answer was built from."""
    return {s["partition"]: s["next_offset"] for s in stats["partition_sources"]}


def region_paths(regions: set[str]) -> list[str]:
    paths = []
    for code in sorted(regions):
        quoted = urllib.parse.quote(code, safe="")
        paths += [f"/api/v1/regions/{quoted}", f"/api/v1/regions/{quoted}/months"]
    return paths


def _rank(copy: dict) -> tuple[int, int]:
    return copy["next_offset"], _ROLE_RANK.get(copy["role"], 0)


def _body(error: urllib.error.HTTPError) -> str:
    try:
        return error.read().decode("utf-8", "replace")[:500]
    except OSError:
        return ""
