"""Reporting periods: whole UTC calendar months, from a request's query.

``period=2026``, ``2026-H1``, ``2026-Q3``, ``2026-03`` or ``2026-01..2026-06``
(either end may be left open), or ``from=2026-01&to=2026-06`` (inclusive; one side
alone leaves the other end open). A month is ``YYYY-MM`` text, so months compare
as strings. Bad input raises ``ValueError`` with a message fit for the caller.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass

_YEAR = r"(?P<year>[0-9]{4})"
_FORMS = (
    re.compile(rf"{_YEAR}"),
    re.compile(rf"{_YEAR}-[Hh](?P<half>[12])"),
    re.compile(rf"{_YEAR}-[Qq](?P<quarter>[1-4])"),
    re.compile(rf"{_YEAR}-(?P<month>[0-9]{{2}})"),
)
_MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")
_FORMS_HELP = (
    "use period=YYYY, YYYY-H1|H2, YYYY-Q1..Q4, YYYY-MM or YYYY-MM..YYYY-MM, "
    "or from=YYYY-MM and/or to=YYYY-MM"
)


@dataclass(frozen=True)
class Period:
    """Months ``first`` to ``last`` inclusive; None is an open end."""

    first: str | None
    last: str | None
    label: str

    def holds(self, month: str) -> bool:
        after_first = self.first is None or month >= self.first
        return after_first and (self.last is None or month <= self.last)

    def as_json(self) -> dict:
        return {"from": self.first, "to": self.last, "label": self.label}

    def as_query(self) -> dict[str, str]:
        """The same months as ``from``/``to`` query parameters."""
        ends = {"from": self.first, "to": self.last}
        return {name: month for name, month in ends.items() if month}


def from_query(query: Mapping[str, str]) -> Period | None:
    """The period a request asks for; None for all time (no or empty parameters)."""
    period, first, last = (query.get(name) or None for name in ("period", "from", "to"))
    if period and (first or last):
        raise ValueError("give either period= or from=/to=, not both")
    if period:
        return parse(period)
    if first or last:
        return between(first, last)
    return None


def parse(text: str) -> Period:
    """A ``period=`` value."""
    if ".." in text:
        first, _, last = text.partition("..")
        return between(first or None, last or None)
    for form in _FORMS:
        found = form.fullmatch(text)
        if found:
            return _named(**found.groupdict())
    raise ValueError(f"period={text!r} is not a period: {_FORMS_HELP}")


def between(first: str | None, last: str | None) -> Period:
    """Months ``first`` to ``last``, inclusive, either end open."""
    if first is None and last is None:
        raise ValueError(f"a period needs at least one end: {_FORMS_HELP}")
    for month in (first, last):
        if month is not None:
            _check_month(month)
    if first and last and first > last:
        raise ValueError(f"from={first} is after to={last}")
    return Period(first, last, f"{first or ''}..{last or ''}")


def _named(year: str, half=None, quarter=None, month=None) -> Period:
    _check_year(year)
    if month is not None:
        _check_month(f"{year}-{month}")
        return Period(f"{year}-{month}", f"{year}-{month}", f"{year}-{month}")
    if half is not None:
        span, label = (int(half) - 1) * 6, f"{year}-H{half}"
        return Period(_month(year, span + 1), _month(year, span + 6), label)
    if quarter is not None:
        span, label = (int(quarter) - 1) * 3, f"{year}-Q{quarter}"
        return Period(_month(year, span + 1), _month(year, span + 3), label)
    return Period(_month(year, 1), _month(year, 12), year)


def _month(year: str, number: int) -> str:
    return f"{year}-{number:02d}"


def _check_year(year: str) -> None:
    if year == "0000":
        raise ValueError("year 0000 is not a year (0001-9999)")


def _check_month(month: str) -> None:
    if not _MONTH.fullmatch(month):
        raise ValueError(f"{month!r} is not a month: use YYYY-MM, e.g. 2026-03")
    _check_year(month[:4])
    if not 1 <= int(month[5:]) <= 12:
        raise ValueError(f"{month!r}: the month must be 01-12")
