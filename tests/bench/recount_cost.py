"""What `ledger verify`'s recount costs per record on a history with corrections:
one partition's records (ten years, a few thousand agencies, 2% amended and 1%
voided) applied in offset order through ``PartitionRecount``, no
broker, its entries on disk as verify keeps them (``--in-memory``: in a dict).
Prints records/s, the peak RSS and what the recount holds; asserts
nothing about time.

    .venv/bin/python tests/bench/recount_cost.py --records 200000
"""

import argparse
import json
import random
import resource
import time
import uuid
from datetime import UTC, datetime, timedelta

from ledger.verify.recount import PartitionRecount
from ledger.verify.spill import EntrySpill

PLACES = (("APAC", "TW"), ("APAC", "JP"), ("APAC", "SG"), ("APAC", "AU"))


def history(records: int, seed: int = 7) -> list[bytes]:
    rng = random.Random(seed)
    start = datetime(2016, 1, 1, tzinfo=UTC)
    sent: list[dict] = []
    while len(sent) < records:
        roll = rng.random()
        if sent and roll < 0.02:
            sent.append(_amend(rng.choice(sent), rng))
        elif sent and roll < 0.03:
            sent.append(_void(rng.choice(sent)))
        else:
            at = start + timedelta(seconds=rng.randrange(10 * 365 * 86_400))
            sent.append(_training(rng, at))
    return [json.dumps(event).encode() for event in sent]


def _training(rng: random.Random, at: datetime) -> dict:
    region, country = rng.choice(PLACES)
    return {
        "event_id": str(uuid.UUID(int=rng.getrandbits(128))),
        "schema_version": 1,
        "event_type": "training_delivered",
        "occurred_at": at.isoformat(),
        "region": region,
        "country": country,
        "agency": f"Agency {rng.randrange(3000)}",
        "source": "lms",
        "course": "Crypto tracing",
        "units": 2,
        "attendees": rng.randrange(5, 200),
        "hours": 7.5,
        "delivery": "hybrid",
    }


def _amend(original: dict, rng: random.Random) -> dict:
    fresh = {"event_id": str(uuid.UUID(int=rng.getrandbits(128)))}
    return {**original, **fresh, "supersedes": original["event_id"], "attendees": 9}


def _void(original: dict) -> dict:
    return {
        "event_id": str(uuid.uuid4()),
        "schema_version": 1,
        "event_type": "event_voided",
        "occurred_at": original["occurred_at"],
        "region": original["region"],
        "source": "lms",
        "voids": original["event_id"],
        "reason": "entered twice",
    }


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        line = next(row for row in status if row.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument(
        "--in-memory", action="store_true", help="entries in a dict, not on disk"
    )
    args = parser.parse_args()
    values = history(args.records)
    held_before = _rss_mb()
    spill = EntrySpill()
    entries = {} if args.in_memory else spill.of(0)
    recount = PartitionRecount(0, entries=entries)
    started = time.perf_counter()
    for offset, value in enumerate(values):
        recount.apply(b"APAC", value, offset)
    seconds = time.perf_counter() - started
    spill.close()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    counters = recount.counters
    print(
        json.dumps(
            {
                "records": args.records,
                "entries": "in memory" if args.in_memory else "on disk",
                "seconds": round(seconds, 1),
                "records_per_s": round(args.records / seconds),
                "peak_rss_mb": round(peak_mb),
                "recount_holds_mb": round(_rss_mb() - held_before),
                "superseded": counters["superseded"],
                "voided": counters["voided"],
                "rejected": counters["rejected"],
            }
        )
    )


if __name__ == "__main__":
    main()
