"""The availability bench's figures: from the read rounds to the issue's targets."""

import statistics
from collections import Counter
from itertools import pairwise

TARGET_OK_SHARE = 0.99
TARGET_STALENESS_S = 10.0


def summarize(rounds: list[dict], started: float, ended: float) -> dict:
    ok = [r for r in rounds if r["ok"]]
    staleness = [r["staleness_s"] for r in ok]
    took = [r["took_s"] for r in rounds]
    answered = [started] + [r["at"] + r["took_s"] for r in ok] + [ended]
    reached = [r for r in rounds if r["status"] != "refused"]
    return {
        "rounds": len(rounds),
        "ok_share": _share(ok, rounds),
        "complete_share": _share([r for r in rounds if r["complete"]], rounds),
        "longest_without_200_s": round(_longest_gap(answered), 2),
        "staleness_max_s": max(staleness, default=None),
        "staleness_median_s": _quantile(staleness, 50),
        "staleness_p99_s": _quantile(staleness, 99),
        "over_10s_behind": sum(s > TARGET_STALENESS_S for s in staleness),
        "not_200": dict(Counter(str(r["status"]) for r in rounds if not r["ok"])),
        "ok_share_of_reads_reaching_a_server": _share(
            [r for r in reached if r["ok"]], reached
        ),
        "took_median_s": _quantile(took, 50),
        "took_p99_s": _quantile(took, 99),
        "took_max_s": max(took, default=None),
    }


def report(results: dict) -> None:
    s, final = results["summary"], results["final"]
    whole = [k["whole_after_s"] for k in results["kills"]]
    rows = [
        (
            "run",
            f"{results['seconds']} s, {len(whole)} kills, settings "
            f"{results['settings']}",
        ),
        ("read rounds", f"{s['rounds']}"),
        ("answered 200, all partitions", _pct(s["ok_share"]) + _vs_target(s)),
        (
            "  of reads reaching a server",
            _pct(s["ok_share_of_reads_reaching_a_server"]),
        ),
        ("answered complete=true", _pct(s["complete_share"])),
        ("longest without a 200", f"{s['longest_without_200_s']} s"),
        ("staleness max", f"{s['staleness_max_s']} s (target <= 10 s)"),
        (
            "staleness median / p99",
            f"{s['staleness_median_s']} / {s['staleness_p99_s']} s",
        ),
        ("answers > 10 s behind", f"{s['over_10s_behind']}"),
        ("not 200 (by status)", f"{s['not_200'] or 'none'}"),
        (
            "read latency med/p99/max",
            f"{s['took_median_s']} / {s['took_p99_s']} / {s['took_max_s']} s",
        ),
        ("whole again after kill", f"{whole} s"),
        (
            "final totals",
            f"sent {final['sent']}, (accepted, duplicates, rejected) "
            f"per worker {final['per_worker']}: "
            + ("exact" if final["exact"] else "MISMATCH"),
        ),
    ]
    for name, value in rows:
        print(f"{name:<32}{value}")


def _vs_target(s: dict) -> str:
    met = s["ok_share"] >= TARGET_OK_SHARE
    return f" (target >= 99%: {'met' if met else 'missed'})"


def _longest_gap(moments: list[float]) -> float:
    ordered = sorted(moments)
    return max((b - a for a, b in pairwise(ordered)), default=0.0)


def _quantile(values: list[float], percent: int) -> float | None:
    if len(values) < 2:
        return values[0] if values else None
    return round(
        statistics.quantiles(values, n=100, method="inclusive")[percent - 1], 3
    )


def _share(part: list, whole: list) -> float | None:
    return round(len(part) / len(whole), 4) if whole else None


def _pct(share: float | None) -> str:
    return "n/a" if share is None else f"{share:.2%}"
