"""Per-partition record counts, kept as plain JSON in the counters table."""

from ledger.rules.instants import now_rfc3339
from ledger.rules.intake import Rejection

RECENT_REJECTIONS = 20


def new_counters() -> dict:
    return {
        "accepted": 0,
        "duplicates": 0,
        "rejected": 0,
        "superseded": 0,
        "voided": 0,
        "corrections_waiting": 0,
        "rejected_by_reason": {},
        "recent_rejections": [],
        "last_processed_at": None,
        "next_offset": 0,
    }


def copy_counters(counters: dict) -> dict:
    """A copy a batch may change while readers keep the stored one."""
    return {
        **counters,
        "rejected_by_reason": dict(counters["rejected_by_reason"]),
        "recent_rejections": list(counters["recent_rejections"]),
    }


def count_rejection(counters: dict, rejection: Rejection, offset: int) -> None:
    counters["rejected"] += 1
    by_reason = counters["rejected_by_reason"]
    by_reason[rejection.reason] = by_reason.get(rejection.reason, 0) + 1
    recent = counters["recent_rejections"]
    recent.insert(
        0,
        {
            "reason": rejection.reason,
            "detail": rejection.detail,
            "event_id": rejection.event_id,
            "offset": offset,
            "rejected_at": now_rfc3339(),
        },
    )
    del recent[RECENT_REJECTIONS:]
