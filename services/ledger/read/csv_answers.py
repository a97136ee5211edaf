"""The summary answers as CSV, for people who paste figures into reports.

One row per region, country or month, with the JSON's field names; a nested
object (``requests_by_type``) becomes one column per key,
``requests_by_type.<type>``. UTF-8, a header row, quoting and CRLF line ends by
Python's ``csv`` module (RFC 4180); ``null`` is an empty cell. A text cell a
spreadsheet would run as a formula (starting ``=``, ``+``, ``-``, ``@``) gets a
leading apostrophe. How fresh the figures are (``complete``, ``as_of``) travels
in the ``Ledger-Complete`` and ``Ledger-As-Of`` response headers, the period
(its label, or ``all time``) in ``Ledger-Period`` and in the file name.
"""

import csv
import io
from collections.abc import Iterable

CONTENT_TYPE = "text/csv; charset=utf-8"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def wants_csv(format_: str | None, accept: str) -> bool:
    """``?format=csv|json`` wins; else CSV when Accept prefers ``text/csv``."""
    if format_ is not None:
        if format_ not in ("csv", "json"):
            raise ValueError(f"format={format_!r}: use csv or json")
        return format_ == "csv"
    ranked = _ranked(accept)
    csv_rank = ranked.get("text/csv")
    json_rank = ranked.get("application/json", (0.0, 0))
    return csv_rank is not None and csv_rank[0] > 0 and csv_rank >= json_rank


def regions(answer: dict) -> tuple[str, str]:
    """(file name, CSV) of ``/api/v1/regions``: one row per region."""
    header = {"region": "", **answer["totals"]}
    return _filename(answer, "ledger-regions"), render(answer["regions"], header)


def countries(answer: dict) -> tuple[str, str]:
    """(file name, CSV) of ``/api/v1/regions/{region}``: one row per country."""
    code = answer["region"]
    rows = [
        {"region": code, "country": country, **summary}
        for country, summary in answer["countries"].items()
    ]
    return _filename(answer, f"ledger-{code}-countries"), render(rows)


def months(answer: dict) -> tuple[str, str]:
    """(file name, CSV) of ``/api/v1/regions/{region}/months``: one row per month."""
    code = answer["region"]
    rows = [{"region": code, **month} for month in answer["months"]]
    return _filename(answer, f"ledger-{code}-months"), render(rows)


def country_months(answer: dict) -> tuple[str, str]:
    """(file name, CSV) of a country's months: one row per month."""
    code, country = answer["region"], answer["country"]
    rows = [{"region": code, "country": country, **m} for m in answer["months"]]
    return _filename(answer, f"ledger-{code}-{country}-months"), render(rows)


ENTRY_COLUMNS = (
    "event_id", "event_type", "occurred_at", "region", "country", "agency",
    "source", "attendees", "units", "hours", "request_type", "turnaround_hours",
    "supersedes", "status", "superseded_by", "voided_by", "void_reason",
    "partition", "offset", "status_offset",
)  # fmt: skip


def entries(answer: dict) -> tuple[str, str]:
    """(file name, CSV) of ``/api/v1/entries``: one row per entry, without its
    status history (JSON only)."""
    place = [answer["filters"][name] for name in ("region", "country")]
    stem = "-".join(["ledger-entries", *(part for part in place if part)])
    header = dict.fromkeys(ENTRY_COLUMNS)
    return _filename(answer, stem), render(answer["entries"], header)


def _filename(answer: dict, stem: str) -> str:
    """``ledger-regions.csv`` for all time, ``ledger-regions-2026-Q1.csv`` for a
    period (``...-2026-01-to-2026-06.csv``, ``-from-2026-01``, ``-until-...``)."""
    period = answer.get("period")
    if not period:
        return f"{stem}.csv"
    return f"{stem}-{slug(period)}.csv"


def slug(period: dict) -> str:
    label, first, last = period["label"], period["from"], period["to"]
    if ".." not in label:
        return label
    if first and last:
        return f"{first}-to-{last}"
    return f"from-{first}" if first else f"until-{last}"


def render(rows: Iterable[dict], header: dict | None = None) -> str:
    """Columns in the order of the first row (or ``header``), nested ones flat."""
    flat = [flatten(row) for row in rows]
    columns = list(flatten(header) if header is not None else flat[0] if flat else {})
    out = io.StringIO()
    writer = csv.writer(out)  # RFC 4180: quotes where needed, CRLF
    writer.writerow(columns)
    writer.writerows([_cell(row.get(column)) for column in columns] for row in flat)
    return out.getvalue()


def flatten(row: dict, prefix: str = "") -> dict:
    flat: dict = {}
    for name, value in row.items():
        if isinstance(value, dict):
            flat.update(flatten(value, f"{prefix}{name}."))
        else:
            flat[f"{prefix}{name}"] = value
    return flat


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _ranked(accept: str) -> dict[str, tuple[float, int]]:
    """Media type -> (quality, earlier first), from an Accept header."""
    ranked = {}
    for index, part in enumerate(accept.split(",")):
        media, *params = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranked.setdefault(media.lower(), (quality, -index))
    return ranked
