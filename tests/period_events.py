"""Events spread over three years, countries and agencies, for the period tests.

Some agencies are engaged in a few months only, and some events sit at a month's
edge in a time zone that puts them in the next or previous UTC month, so a period
that counted local months, or all-time agencies, would come out wrong.
"""

import random
import uuid
from datetime import UTC, datetime, timedelta, timezone

from wire import OWN_FIELDS

PLACES = (("APAC", "TW"), ("APAC", "JP"), ("EMEA", "DE"), ("EMEA", "FR"))
AGENCIES = ("Bureau A", "bureau  a", "Agency B", "Unit C", "Police D", "Office E")
# Agencies engaged only in these months (any year): the rest in any month.
SEASONAL = {"Unit C": (2, 3), "Police D": (7,), "Office E": (11, 12)}
PERIODS = (
    {"period": "2025"},
    {"period": "2026-H1"},
    {"period": "2025-H2"},
    {"period": "2026-Q1"},
    {"period": "2025-Q4"},
    {"period": "2025-03"},
    {"period": "2026-04"},
    {"from": "2024-11", "to": "2025-02"},
    {"from": "2026-02"},
    {"to": "2024-12"},
    {"period": "2023"},  # no events at all
)


def period_events(count: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    return [_event(rng) for _ in range(count)] + _month_edges()


def _event(rng: random.Random) -> dict:
    region, country = rng.choice(PLACES)
    agency = rng.choice(AGENCIES)
    moment = datetime(2024, 6, 1, tzinfo=UTC) + timedelta(
        seconds=rng.randrange(0, 2 * 365 * 86_400)
    )
    months = SEASONAL.get(agency)
    if months and moment.month not in months:
        moment = moment.replace(month=rng.choice(months), day=min(moment.day, 28))
    zone = timezone(timedelta(hours=rng.choice((0, 8, -5, 9))))
    return _wire(rng, moment.astimezone(zone), region, country, agency)


def _month_edges() -> list[dict]:
    rng = random.Random(0)
    late = datetime(2026, 3, 31, 23, 30, tzinfo=timezone(timedelta(hours=-5)))
    early = datetime(2025, 7, 1, 0, 30, tzinfo=timezone(timedelta(hours=8)))
    return [
        _wire(rng, late, "APAC", "TW", "Edge Agency"),  # April 2026 in UTC
        _wire(rng, early, "EMEA", "DE", "Edge Agency"),  # June 2025 in UTC
    ]


def _wire(rng, moment: datetime, region: str, country: str, agency: str) -> dict:
    event_type = rng.choice(tuple(OWN_FIELDS))
    fields = dict(OWN_FIELDS[event_type])
    if event_type == "request_fulfilled":
        received = moment - timedelta(hours=rng.randrange(1, 500))
        fields["received_at"] = received.isoformat()
    if event_type == "training_delivered":
        fields["attendees"] = rng.randrange(1, 400)
        fields["hours"] = rng.choice((1.5, 8, 40))
    return {
        "event_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "schema_version": 1,
        "event_type": event_type,
        "occurred_at": moment.isoformat(),
        "region": region,
        "country": country,
        "agency": agency,
        "source": "period-test",
        **fields,
    }
