"""Prometheus exposition of the read API's answers, rebuilt on every scrape."""

from collections.abc import Iterable, Iterator
from datetime import datetime

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric

from ledger.rules.intake import REASONS

# Every dead-letter reason code is exported, so a reason that never happened shows 0
# and rate() works from the first rejection onwards.
REJECTION_REASONS = REASONS

SUMMARY_GAUGES = (
    ("events", "Partnership events applied to the ledger"),
    ("meetings", "Meetings held with prosecutors or police"),
    ("trainings", "Trainings delivered to police units"),
    ("officers_trained", "Officers who attended a training"),
    ("units_trained", "Police units that received a training"),
    ("training_hours", "Hours of training delivered"),
    ("requests_fulfilled", "Law-enforcement requests fulfilled"),
    ("agencies_engaged", "Distinct agencies with at least one recorded event"),
)

QUANTILES = (("0.5", "turnaround_hours_p50"), ("0.9", "turnaround_hours_p90"))

Scoped = list[tuple[list[str], dict]]


def exposition(
    regions: dict | None, stats: dict | None, worker: dict
) -> tuple[bytes, str]:
    """Render the /api/v1/regions and /api/v1/stats payloads as Prometheus text.

    Without them (the ledger is rebalancing) only the worker's own health shows.
    """
    registry = CollectorRegistry()
    registry.register(LedgerCollector(regions, stats, worker))
    return generate_latest(registry), CONTENT_TYPE_LATEST


class LedgerCollector:
    """Turns one snapshot of the read API into metric families."""

    def __init__(self, regions: dict, stats: dict, worker: dict) -> None:
        self._regions = regions
        self._stats = stats
        self._worker = worker

    def collect(self) -> Iterator[Metric]:
        if self._regions is not None and self._stats is not None:
            yield from self._ledger_families()
        yield from worker_families(self._worker)

    def _ledger_families(self) -> Iterator[Metric]:
        per_region = [([row["region"]], row) for row in self._regions["regions"]]
        totals = self._regions["totals"]
        yield from summary_families("ledger_region", ["region"], per_region)
        yield from summary_families("ledger_total", [], [([], totals)])
        yield from record_families(self._stats)
        yield from freshness_families(self._stats, totals)


def summary_families(
    prefix: str, labels: list[str], scoped: Scoped
) -> Iterator[Metric]:
    scope = "per region" if labels else "across all regions"
    for field, help_text in SUMMARY_GAUGES:
        family = GaugeMetricFamily(
            f"{prefix}_{field}", f"{help_text}, {scope}", labels=labels
        )
        for values, summary in scoped:
            family.add_metric(values, summary[field])
        yield family
    yield requests_by_type(prefix, labels, scoped, scope)
    yield turnaround(prefix, labels, scoped, scope)
    yield last_event(prefix, labels, scoped, scope)


def requests_by_type(
    prefix: str, labels: list[str], scoped: Scoped, scope: str
) -> Metric:
    family = GaugeMetricFamily(
        f"{prefix}_requests_by_type",
        f"Law-enforcement requests fulfilled by request type, {scope}",
        labels=[*labels, "request_type"],
    )
    for values, summary in scoped:
        for request_type, count in sorted(summary["requests_by_type"].items()):
            family.add_metric([*values, request_type], count)
    return family


def turnaround(prefix: str, labels: list[str], scoped: Scoped, scope: str) -> Metric:
    family = GaugeMetricFamily(
        f"{prefix}_turnaround_hours",
        f"Hours from a request being received to it being fulfilled, {scope}",
        labels=[*labels, "quantile"],
    )
    for values, summary in scoped:
        for quantile, field in QUANTILES:
            if summary[field] is not None:
                family.add_metric([*values, quantile], summary[field])
    return family


def last_event(prefix: str, labels: list[str], scoped: Scoped, scope: str) -> Metric:
    family = GaugeMetricFamily(
        f"{prefix}_last_event_timestamp_seconds",
        f"When the newest event happened (its occurred_at), Unix time, {scope}",
        labels=labels,
    )
    for values, summary in scoped:
        if summary["last_event_at"] is not None:
            family.add_metric(values, unix_seconds(summary["last_event_at"]))
    return family


def record_families(stats: dict) -> Iterator[Metric]:
    yield CounterMetricFamily(
        "ledger_records_accepted", "Records applied to the ledger", stats["accepted"]
    )
    yield CounterMetricFamily(
        "ledger_records_duplicate",
        "Records skipped because their event_id was already applied",
        stats["duplicates"],
    )
    rejected = CounterMetricFamily(
        "ledger_records_rejected",
        "Records sent to the dead-letter topic, by reason",
        labels=["reason"],
    )
    counts = {reason: 0 for reason in REJECTION_REASONS} | stats["rejected_by_reason"]
    for reason, count in sorted(counts.items()):
        rejected.add_metric([reason], count)
    yield rejected


def freshness_families(stats: dict, totals: dict) -> Iterator[Metric]:
    if stats["lag"] is not None:
        yield gauge(
            "ledger_consumer_lag_records", "Records not yet processed", stats["lag"]
        )
    if stats["last_processed_at"] is not None:
        yield gauge(
            "ledger_last_processed_timestamp_seconds",
            "When the ledger last applied a record, Unix time",
            unix_seconds(stats["last_processed_at"]),
        )
    if totals["last_event_at"] is not None:
        age = unix_seconds(stats["as_of"]) - unix_seconds(totals["last_event_at"])
        yield gauge(
            "ledger_event_age_seconds",
            "Seconds between now and the newest event's occurred_at",
            age,
        )


def worker_families(worker: dict) -> Iterable[Metric]:
    return (
        gauge("ledger_worker_up", "1 while this worker answers scrapes", 1),
        gauge(
            "ledger_worker_ready",
            "1 when this worker has its partitions and serves reads",
            int(bool(worker["ready"])),
        ),
        gauge(
            "ledger_worker_partitions_assigned",
            "Topic partitions this worker currently owns",
            worker["partitions_assigned"],
        ),
        gauge(
            "ledger_worker_uptime_seconds",
            "Seconds since this worker started",
            worker["uptime_seconds"],
        ),
    )


def gauge(name: str, help_text: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, help_text, value=value)


def unix_seconds(rfc3339: str) -> float:
    return datetime.fromisoformat(rfc3339).timestamp()
