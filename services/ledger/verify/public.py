"""The public answers compared, each at a moment the ledger held still.

A public answer is gathered across workers at its own moment and does not say
which offsets it reflects. So each is fetched between two readings of the
offsets (``/api/v1/stats``), and compared only when both readings agree, with
the log recomputed up to exactly those offsets. A busy ledger moves between the
readings now and then: each answer is tried again, a few times.
"""

import time

from ledger.read import answers
from ledger.verify.answers_compare import compare_answers
from ledger.verify.errors import CannotVerifyError
from ledger.verify.rebuilt import (
    Build,
    recent_rejections,
    recomputed_state,
    region_answers,
    regions_of,
)
from ledger.verify.served import offsets_of

RETRY_WAIT_S = 0.05
REGIONS, STATS = "/api/v1/regions", "/api/v1/stats"


def compare_public(ledger, reader, outcome, attempts: int) -> None:
    """Every public answer verify knows of; results go into ``outcome``."""
    listed = _compare(ledger, reader, outcome, (REGIONS, answers.regions), attempts)
    _compare(ledger, reader, outcome, (STATS, answers.stats), attempts)
    regions = regions_of(recomputed_state(outcome.recounts))
    regions |= {row["region"] for row in (listed or {}).get("regions", [])}
    for path_and_build in region_answers(regions):
        _compare(ledger, reader, outcome, path_and_build, attempts)


def _compare(ledger, reader, outcome, answer: tuple[str, Build], attempts: int):
    path, build = answer
    for attempt in range(1, attempts + 1):
        try:
            served, offsets = _held_still(ledger, path, outcome.recounts)
        except CannotVerifyError as error:
            outcome.not_compared[path] = str(error)
        else:
            reader.read_to(offsets, outcome.recounts)
            state = recomputed_state(outcome.recounts)
            theirs, ours = {path: served}, {path: build(state)}
            rejections = recent_rejections(outcome.recounts)
            outcome.differences += compare_answers(theirs, ours, rejections)
            outcome.compared[path] = offsets
            outcome.not_compared.pop(path, None)
            return served
        time.sleep(RETRY_WAIT_S * attempt)
    return None


def _held_still(ledger, path: str, recounts: dict) -> tuple[dict | None, dict]:
    """The answer and the offsets it reflects, or CannotVerifyError saying why not."""
    if path == STATS:  # it says its own offsets
        served = ledger.get(STATS)
        return served, _not_behind(offsets_of(served), recounts)
    before = _not_behind(ledger.offsets(), recounts)
    served = ledger.get(path)
    if ledger.offsets() != before:
        raise CannotVerifyError("the ledger counted more records meanwhile")
    return served, before


def _not_behind(offsets: dict[int, int], recounts: dict) -> dict[int, int]:
    """The recount only moves forward: a copy behind it cannot be compared."""
    behind = sorted(p for p in recounts if offsets.get(p, -1) < recounts[p].position)
    if behind:
        raise CannotVerifyError(f"served copies went back (partitions {behind})")
    return offsets
