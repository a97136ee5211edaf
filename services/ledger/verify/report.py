"""Verify's report: what was compared, at which offsets, and every difference."""

from ledger.verify.verification import Outcome


def report(outcome: Outcome, url: str, topic: str, bootstrap: str) -> str:
    lines = [
        f"ledger verify: the ledger at {url} against topic {topic} at {bootstrap}",
        f"records recomputed from the log: {outcome.records:,}",
        "tables compared exactly, per partition, at the offset each copy reflects:",
        *(_partition_line(outcome, p) for p in sorted(outcome.recounts)),
        *_public_lines(outcome),
    ]
    if outcome.unreachable:
        lines.append(f"workers that did not answer: {', '.join(outcome.unreachable)}")
    return "\n".join(lines + _result_lines(outcome))


def _partition_line(outcome: Outcome, partition: int) -> str:
    share, counted = outcome.shares[partition], outcome.counted[partition]
    return (
        f"  partition {partition}: offset {share['next_offset']:,} "
        f"({share['role']} copy on {share['worker']}): {len(share['cells'])} cells, "
        f"{len(share['agencies'])} agency keys, "
        f"{len(share.get('agency_months', []))} agency-month keys, counters (log: "
        f"{counted['accepted']:,} accepted, {counted['duplicates']:,} duplicates, "
        f"{counted['rejected']:,} rejected)"
    )


def _public_lines(outcome: Outcome) -> list[str]:
    lines = []
    if outcome.compared:
        lines.append(
            "public answers compared, each at offsets it was fetched between "
            "(rebuilt from the log by the read API's own functions):"
        )
        lines += [
            f"  {path} at {_offsets(offsets)}"
            for path, offsets in outcome.compared.items()
        ]
    if outcome.not_compared:
        lines.append(
            "public answers NOT compared (no quiet moment, or no answer; the "
            "per-partition comparison above stands; run verify again):"
        )
        lines += [f"  {path}: {why}" for path, why in outcome.not_compared.items()]
    return lines


def _result_lines(outcome: Outcome) -> list[str]:
    count = len(outcome.differences)
    if not count:
        return ["result: AGREES: every figure compared matches the log"]
    return [
        f"differences ({count}):",
        *(f"  {difference.line()}" for difference in outcome.differences),
        f"result: DIFFERS: {count} figures differ from the log",
    ]


def _offsets(offsets: dict[int, int]) -> str:
    return " ".join(f"{p}:{o}" for p, o in sorted(offsets.items()))
