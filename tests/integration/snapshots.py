"""Everything the read API says, minus what changes with the clock, for comparisons."""

FRESHNESS = {"as_of", "complete"}
VOLATILE_STATS = {
    "last_processed_at",
    "lag",
    "workers",
    "recent_rejections",
    "partition_sources",
} | FRESHNESS


def snapshot(worker) -> dict:
    regions = figures(worker.api("/api/v1/regions"))
    codes = [row["region"] for row in regions["regions"]]
    stats = worker.api("/api/v1/stats")
    return {
        "regions": regions,
        "details": {
            code: figures(worker.api(f"/api/v1/regions/{code}")) for code in codes
        },
        "months": {
            code: figures(worker.api(f"/api/v1/regions/{code}/months"))
            for code in codes
        },
        "stats": {k: v for k, v in stats.items() if k not in VOLATILE_STATS},
        "entries": figures(worker.api("/api/v1/entries?limit=1000")),
    }


def figures(answer: dict) -> dict:
    """An answer without what says how fresh it is."""
    return {k: v for k, v in answer.items() if k not in FRESHNESS}
