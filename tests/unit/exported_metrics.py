"""Every series name the ledger's /metrics can export, for checks of what queries it."""

from prometheus_client.parser import text_string_to_metric_families

from ledger.read.metrics import exposition


def every_series_exported() -> set[str]:
    """Sample names from a snapshot where nothing is null, so every family appears."""
    summary = {
        **dict.fromkeys(("events", "meetings", "trainings", "officers_trained"), 1),
        **dict.fromkeys(("units_trained", "requests_fulfilled", "agencies_engaged"), 1),
        "training_hours": 1.5,
        "requests_by_type": {"disclosure": 1},
        "turnaround_hours_p50": 2.0,
        "turnaround_hours_p90": 3.0,
        "first_event_at": "2026-11-20T00:00:00Z",
        "last_event_at": "2026-11-20T00:00:00Z",
    }
    stats = {
        "accepted": 1,
        "duplicates": 0,
        "rejected": 0,
        "rejected_by_reason": {},
        "last_processed_at": "2026-11-20T00:00:01Z",
        "as_of": "2026-11-20T00:00:02Z",
        "lag": 0,
    }
    regions = {"regions": [{"region": "APAC", **summary}], "totals": summary}
    worker = {"partitions_assigned": 1, "uptime_seconds": 1.0, "ready": True}
    body, _ = exposition(regions, stats, worker)
    families = text_string_to_metric_families(body.decode())
    return {sample.name for family in families for sample in family.samples}
