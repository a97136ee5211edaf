"""Realistic read-API answers for page tests, consistent from country up to totals."""

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl

from ledger.rules.periods import from_query

REQUEST_TYPES = ("disclosure", "freeze", "seizure", "emergency", "other")
MONTHS = ["2025-12"] + [f"2026-{m:02d}" for m in range(1, 12)]
# Activity ramps up over the year, with a dip in the northern summer.
MONTH_WEIGHTS = (4, 5, 6, 7, 8, 8, 6, 5, 9, 10, 11, 12)

# meetings, trainings, officers, units, hours, requests by type, p50, p90, agencies
COUNTRIES = {
    "APAC": {
        "TW": (38, 14, 412, 22, 96.0, (31, 6, 3, 4, 2), 5.2, 30.5, 17),
        "JP": (21, 9, 265, 12, 58.5, (18, 2, 1, 2, 1), 7.8, 41.0, 11),
        "SG": (17, 6, 148, 8, 36.0, (22, 9, 4, 3, 0), 3.9, 19.2, 9),
        "AU": (25, 11, 309, 15, 70.5, (27, 5, 2, 6, 2), 6.1, 36.8, 14),
        "IN": (19, 8, 356, 10, 52.0, (14, 3, 2, 1, 3), 11.4, 64.0, 12),
    },
    "EMEA": {
        "GB": (44, 18, 521, 26, 118.5, (41, 11, 6, 7, 3), 4.6, 27.5, 21),
        "DE": (29, 12, 338, 17, 80.0, (25, 8, 5, 3, 1), 6.9, 38.0, 15),
        "NL": (16, 7, 164, 9, 42.0, (19, 6, 4, 2, 1), 4.1, 22.4, 8),
        "AE": (12, 5, 137, 6, 30.0, (9, 4, 2, 1, 0), 9.5, 52.0, 6),
        "NG": (14, 9, 281, 11, 61.5, (7, 2, 1, 1, 2), 14.8, 88.0, 9),
    },
    "AMER": {
        "US": (67, 24, 745, 38, 164.0, (88, 19, 11, 14, 6), 3.5, 21.0, 34),
        "CA": (22, 10, 243, 13, 64.0, (21, 4, 2, 3, 1), 5.8, 33.5, 12),
    },
    "LATAM": {
        "BR": (31, 15, 468, 19, 101.5, (24, 7, 5, 4, 2), 8.3, 49.5, 16),
        "MX": (24, 12, 377, 16, 82.0, (19, 5, 4, 5, 1), 9.1, 55.0, 13),
        "CO": (13, 7, 196, 8, 44.5, (11, 3, 3, 2, 0), 10.6, 61.0, 7),
    },
}


def iso(moment: datetime) -> str:
    return (
        moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    )


def country_summary(row: tuple, last_event: datetime) -> dict:
    meetings, trainings, officers, units, hours, by_type, p50, p90, agencies = row
    requests = dict(zip(REQUEST_TYPES, by_type, strict=True))
    return {
        "events": meetings + trainings + sum(by_type),
        "meetings": meetings,
        "trainings": trainings,
        "officers_trained": officers,
        "units_trained": units,
        "training_hours": hours,
        "requests_fulfilled": sum(by_type),
        "requests_by_type": requests,
        "turnaround_hours_p50": p50,
        "turnaround_hours_p90": p90,
        "agencies_engaged": agencies,
        "first_event_at": "2025-12-02T08:15:00Z",
        "last_event_at": iso(last_event),
    }


def combine(summaries: list[dict]) -> dict:
    """Sum the counts; quantiles and agencies are approximations, fine for a picture."""
    total = {
        key: round(sum(s[key] for s in summaries), 1)
        for key in summaries[0]
        if isinstance(summaries[0][key], int | float)
    }
    total["requests_by_type"] = {
        t: sum(s["requests_by_type"][t] for s in summaries) for t in REQUEST_TYPES
    }
    for key in ("turnaround_hours_p50", "turnaround_hours_p90"):
        total[key] = round(sorted(s[key] for s in summaries)[len(summaries) // 2], 1)
    total["first_event_at"] = min(s["first_event_at"] for s in summaries)
    total["last_event_at"] = max(s["last_event_at"] for s in summaries)
    return total


def monthly(summary: dict) -> list[dict]:
    fields = ("meetings", "trainings", "officers_trained", "requests_fulfilled")
    rows = [{"month": month} for month in MONTHS]
    cumulative = [sum(MONTH_WEIGHTS[: i + 1]) / sum(MONTH_WEIGHTS) for i in range(12)]
    for field in fields:
        running = [round(summary[field] * c) for c in cumulative]
        for row, before, upto in zip(rows, [0, *running], running, strict=False):
            row[field] = upto - before
    for row in rows:
        row["training_hours"] = round(row["trainings"] * 6.5, 1)
    return rows


def stats(now: datetime, accepted: int, rejections: list[dict]) -> dict:
    by_reason: dict[str, int] = {}
    for rejection in rejections:
        by_reason[rejection["reason"]] = by_reason.get(rejection["reason"], 0) + 1
    return {
        "accepted": accepted,
        "duplicates": 37,
        "rejected": len(rejections),
        "rejected_by_reason": by_reason,
        "recent_rejections": rejections,
        "last_processed_at": iso(now - timedelta(seconds=2)),
        "as_of": iso(now),
        "lag": 0,
        "workers": 2,
    }


def rejections(now: datetime) -> list[dict]:
    samples = [
        ("invalid_field", "participants: Input should be greater than 0"),
        ("key_mismatch", "record key 'EMEA' but event region 'APAC'"),
        ("missing_field", "occurred_at: Field required"),
        ("not_json", "Expecting value: line 1 column 1 (char 0)"),
        ("unknown_event_type", "event_type 'meeting_cancelled' is not known"),
        ("invalid_field", "request_type: Input should be 'disclosure', 'freeze', …"),
    ]
    return [
        {
            "reason": reason,
            "detail": detail,
            "partition": (3 * i + 1) % 6,
            "offset": 18_240 - 517 * i,
            "rejected_at": iso(now - timedelta(minutes=4 + 23 * i)),
        }
        for i, (reason, detail) in enumerate(samples)
    ]


def populated(
    now: datetime | None = None, countries_: dict = COUNTRIES
) -> dict[str, dict]:
    """Every API path the page asks for, mapped to its answer."""
    now = now or datetime.now(UTC)
    answers: dict[str, dict] = {}
    regions = []
    for i, (region, countries) in enumerate(countries_.items()):
        per_country = {
            code: country_summary(row, now - timedelta(minutes=7 * i + 13 * j))
            for j, (code, row) in enumerate(countries.items())
        }
        summary = {"region": region, **combine(list(per_country.values()))}
        regions.append(summary)
        answers[f"/api/v1/regions/{region}"] = summary | {"countries": per_country}
        answers[f"/api/v1/regions/{region}/months"] = {
            "region": region,
            "months": monthly(summary),
        }
    totals = combine(regions)
    answers["/api/v1/regions"] = {"regions": regions, "totals": totals}
    answers["/api/v1/stats"] = stats(now, totals["events"] + 37, rejections(now))
    return answers


def empty(now: datetime | None = None) -> dict[str, dict]:
    now = now or datetime.now(UTC)
    zero = country_summary((0, 0, 0, 0, 0.0, (0,) * 5, None, None, 0), now)
    totals = zero | {"first_event_at": None, "last_event_at": None}
    quiet = stats(now, 0, []) | {"duplicates": 0, "last_processed_at": None}
    return {
        "/api/v1/regions": {"regions": [], "totals": totals},
        "/api/v1/stats": quiet,
    }


def in_period(query: str, share: float, now: datetime | None = None) -> dict:
    """The summaries of a period (``period=2026-Q1``, ``from=...&to=...``), keyed by
    path and that query: every figure about ``share`` of all time's, only the
    period's months, and the period in each answer. Stats are never by period."""
    period = from_query(dict(parse_qsl(query)))
    scaled = {
        region: {code: _scaled(row, share) for code, row in countries.items()}
        for region, countries in COUNTRIES.items()
    }
    answers = populated(now, scaled)
    del answers["/api/v1/stats"]
    for answer in answers.values():
        answer["period"] = period.as_json()
        if "months" in answer:
            answer["months"] = [m for m in answer["months"] if period.holds(m["month"])]
    return {f"{path}?{query}": answer for path, answer in answers.items()}


def _scaled(row: tuple, share: float) -> tuple:
    meetings, trainings, officers, units, hours, by_type, p50, p90, agencies = row
    whole = [round(n * share) for n in (meetings, trainings, officers, units)]
    by_type = tuple(round(n * share) for n in by_type)
    return (*whole, round(hours * share, 1), by_type, p50, p90, round(agencies * share))
