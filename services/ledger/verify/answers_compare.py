"""The public answers compared, the ledger's against those rebuilt from the log.

Left out is what the log cannot say: how fresh an answer is (``complete``,
``as_of``, ``lag``, ``last_processed_at``, the workers and partition sources) and
when each recent rejection happened (``rejected_at``; the stats answer shows the
newest across partitions by it, so each one shown must be one the log has).
"""

from typing import Any

from ledger.rules.counters import RECENT_REJECTIONS
from ledger.verify.compare import ABSENT, Difference, differences, without

FRESHNESS = ("complete", "as_of")
STATS = "/api/v1/stats"
STATS_COMPARED = (
    "accepted",
    "duplicates",
    "rejected",
    "rejected_by_reason",
    "partitions",
)


def compare_answers(served: dict, recomputed: dict, rejections: list) -> list:
    """The public answers by path; ``rejections`` is every partition's recent ones
    recomputed, of which the ledger shows the newest by when it rejected them."""
    found = []
    for path in sorted(served.keys() | recomputed.keys()):
        ledger, ours = served.get(path), recomputed.get(path)
        found += differences(f"{path}:", _comparable(ledger), _comparable(ours))
    stats = served.get(STATS)
    if stats is None:
        return found
    return found + _recent(stats.get("recent_rejections", []), rejections)


def _comparable(answer: dict | None) -> Any:
    """Freshness left out; lists keyed by region or month, so a missing one is
    named instead of shifting every row after it."""
    if answer is None:
        return ABSENT
    kept = {k: v for k, v in answer.items() if k not in FRESHNESS}
    if "partition_sources" in kept:  # the stats answer: counts only
        kept = {k: kept[k] for k in STATS_COMPARED if k in kept}
    if isinstance(kept.get("regions"), list):
        kept["regions"] = {r["region"]: r for r in kept["regions"]}
    if isinstance(kept.get("months"), list):
        kept["months"] = {m["month"]: m for m in kept["months"]}
    return kept


def _recent(shown: list[dict], recomputed: list[dict]) -> list[Difference]:
    """Each recent rejection the ledger shows is one the log has; as many shown."""
    known = [without(r, "rejected_at") for r in recomputed]
    found = [
        Difference(
            f"/api/v1/stats: recent_rejections[{r['partition']}:{r['offset']}]",
            without(r, "rejected_at"),
            ABSENT,
        )
        for r in shown
        if without(r, "rejected_at") not in known
    ]
    if len(shown) != min(RECENT_REJECTIONS, len(known)):
        found.append(
            Difference(
                "/api/v1/stats: recent_rejections (how many)",
                len(shown),
                min(RECENT_REJECTIONS, len(known)),
            )
        )
    return found
