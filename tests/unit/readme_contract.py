"""The wire contract as the README words it, written apart from the models it checks."""

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

ACCEPTED = "accepted"
MAX_BYTES = 64 * 1024
MAX_COUNT = 2_147_483_647  # a count is "an integer from 1 to 2,147,483,647"
# Unicode's White_Space property: what "after trimming" trims.
WHITE_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000" + "".join(
    map(chr, range(0x2000, 0x200B))
)
# "assigned ISO 3166-1 alpha-2": a sample either way; other A-Z pairs may go either way.
ASSIGNED = {"TW", "US", "GB", "FR", "DE", "JP", "KR", "BR", "IN", "ZA", "AQ", "SS"}
NOT_ASSIGNED = {"XX", "ZZ", "AA", "QM", "UK", "EU", "SU", "YU", "XK", "OO"}
_RFC3339 = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)[Tt](\d\d):(\d\d):(\d\d)(?:\.(\d+))?"
    r"(?:[Zz]|([+-])(\d\d):(\d\d))",
    re.ASCII,
)
Rule = Callable[[Any], bool | None]


def instant(value: Any) -> datetime | None:
    """RFC 3339 with an offset, read to the microsecond, within years 0001-9999 UTC."""
    found = _RFC3339.fullmatch(value) if isinstance(value, str) else None
    if not found:
        return None
    *when, fraction, sign, off_h, off_m = found.groups()
    if sign and (int(off_h) > 23 or int(off_m) > 59):
        return None
    offset = timedelta(hours=int(off_h or 0), minutes=int(off_m or 0))
    micro = int((fraction or "")[:6].ljust(6, "0"))
    zone = timezone(-offset if sign == "-" else offset)
    try:
        return datetime(*map(int, when), micro, tzinfo=zone).astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def integer(low: int, high: int) -> Rule:
    """A JSON integer: no fraction, no exponent, never true/false."""
    return lambda value: type(value) is int and low <= value <= high


def hours(value: Any) -> bool:
    """A JSON number read as a 64-bit float (1e400 is infinite): 0 < hours <= 1000."""
    return type(value) in (int, float) and 0 < value <= 1000


def text(most: int) -> Rule:
    """1 to `most` characters (code points) once white space is trimmed off the ends."""
    return lambda value: (
        isinstance(value, str) and 1 <= len(value.strip(WHITE_SPACE)) <= most
    )


def one_of(*choices: str) -> Rule:
    return lambda value: isinstance(value, str) and value in choices


def pattern(regex: str) -> Rule:
    return lambda value: isinstance(value, str) and bool(re.fullmatch(regex, value))


def country(value: Any) -> bool | None:
    """None: an A-Z pair outside both samples, which the README alone cannot judge."""
    if not (isinstance(value, str) and re.fullmatch("[A-Z]{2}", value)):
        return False
    if value in ASSIGNED or value in NOT_ASSIGNED:
        return value in ASSIGNED
    return None


def strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


HEX = "[0-9a-fA-F]"
UUID = pattern(f"{HEX}{{8}}-{HEX}{{4}}-{HEX}{{4}}-{HEX}{{4}}-{HEX}{{12}}")
COMMON: dict[str, Rule] = {
    "event_id": UUID,
    "schema_version": integer(1, 1),
    "occurred_at": lambda value: instant(value) is not None,
    "region": pattern("[A-Z0-9_-]{2,16}"),
    "source": text(64),
}
# Every activity: where, with whom, and (optionally, null as good as absent) what it
# supersedes. A void names the event it retracts and carries neither.
ACTIVITY: dict[str, Rule] = {
    "country": country,
    "agency": text(200),
    "supersedes": lambda value: value is None or UUID(value),
}
BY_TYPE: dict[str, dict[str, Rule]] = {
    "meeting_held": {
        **ACTIVITY,
        "participants": integer(1, MAX_COUNT),
        "topics": strings,
    },
    "training_delivered": {
        **ACTIVITY,
        "course": text(200),
        "units": integer(1, MAX_COUNT),
        "attendees": integer(1, MAX_COUNT),
        "hours": hours,
        "delivery": one_of("in_person", "virtual", "hybrid"),
    },
    "request_fulfilled": {
        **ACTIVITY,
        "request_id": text(64),
        "request_type": one_of("disclosure", "freeze", "seizure", "emergency", "other"),
        "received_at": COMMON["occurred_at"],
    },
    "event_voided": {"voids": UUID, "reason": text(500)},
}
OPTIONAL = {"topics", "supersedes"}


def outcomes(record: bytes) -> set[str]:
    """Every outcome the README allows for one record (it names no order of reasons)."""
    if len(record) > MAX_BYTES:
        return {"too_large"}
    try:
        event = json.loads(record, parse_constant=_not_json)
    except ValueError:
        return {"not_json"}
    if "event_type" not in event:
        return {"missing_field"}
    if not one_of(*BY_TYPE)(event["event_type"]):
        return {"unknown_event_type"}
    rules = {**COMMON, **BY_TYPE[event["event_type"]]}
    verdicts = {name: _verdict(event, name, rule) for name, rule in rules.items()}
    if "received_at" in rules and _received_after_occurred(event):
        verdicts["received_at"] = "invalid_field"
    verdicts |= _corrections(event, rules)
    reasons = set(verdicts.values()) - {ACCEPTED, None}
    if reasons:
        return reasons
    return {ACCEPTED, "invalid_field"} if None in verdicts.values() else {ACCEPTED}


def _not_json(token: str) -> None:
    raise ValueError(f"{token} is not JSON")


def _verdict(event: dict, name: str, rule: Rule) -> str | None:
    if name not in event:
        return ACCEPTED if name in OPTIONAL else "missing_field"
    valid = rule(event[name])
    if valid is None:
        return None
    if valid:
        return ACCEPTED
    return "unsupported_schema_version" if name == "schema_version" else "invalid_field"


def _corrections(event: dict, rules: dict[str, Rule]) -> dict[str, str]:
    """An event naming itself, or a void carrying supersedes, is invalid_field."""
    names = {"supersedes", "voids"} & set(rules)
    itself = event.get("event_id")
    found = {n: "invalid_field" for n in names if _same_uuid(event.get(n), itself)}
    if "supersedes" in event and "supersedes" not in rules:
        found["supersedes"] = "invalid_field"
    return found


def _same_uuid(one: Any, other: Any) -> bool:
    return bool(UUID(one) and UUID(other)) and one.lower() == other.lower()


def _received_after_occurred(event: dict) -> bool:
    received = instant(event.get("received_at"))
    occurred = instant(event.get("occurred_at"))
    return received is not None and occurred is not None and received > occurred
