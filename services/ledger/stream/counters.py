"""Per-partition record counts, kept as plain JSON in the counters table."""

from datetime import UTC, datetime

from ledger.stream.intake import Rejection

RECENT_REJECTIONS = 20


def new_counters() -> dict:
    return {
        "accepted": 0,
        "duplicates": 0,
        "rejected": 0,
        "rejected_by_reason": {},
        "recent_rejections": [],
        "last_processed_at": None,
        "next_offset": 0,
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


def now_rfc3339() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
