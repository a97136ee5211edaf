"""The one RFC 3339 format the ledger shows instants in, and epoch microseconds."""

from datetime import UTC, datetime, timedelta

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def rfc3339(moment: datetime, timespec: str = "auto") -> str:
    """UTC, with a ``Z``: ``2026-03-01T09:30:00Z``."""
    text = moment.astimezone(UTC).isoformat(timespec=timespec)
    return text.replace("+00:00", "Z")


def now_rfc3339(timespec: str = "milliseconds") -> str:
    return rfc3339(datetime.now(UTC), timespec)


def epoch_us(moment: datetime) -> int:
    """Plain arithmetic: cheaper than dividing a timedelta, exact to the µs."""
    since = moment - _EPOCH
    return (since.days * 86_400 + since.seconds) * 1_000_000 + since.microseconds


def from_epoch_us(micros: int) -> datetime:
    return _EPOCH + timedelta(microseconds=micros)
