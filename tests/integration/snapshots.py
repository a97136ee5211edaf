"""Everything the read API says, minus what changes with the clock, for comparisons."""

VOLATILE_STATS = {"as_of", "last_processed_at", "lag", "workers", "recent_rejections"}


def snapshot(worker) -> dict:
    regions = worker.api("/api/v1/regions")
    codes = [row["region"] for row in regions["regions"]]
    stats = worker.api("/api/v1/stats")
    return {
        "regions": regions,
        "details": {code: worker.api(f"/api/v1/regions/{code}") for code in codes},
        "months": {
            code: worker.api(f"/api/v1/regions/{code}/months") for code in codes
        },
        "stats": {k: v for k, v in stats.items() if k not in VOLATILE_STATS},
    }
