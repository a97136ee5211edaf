"""Verify's recount: the log's records through the ledger's rules, per partition,
adds up to the independent recomputation of what the figures should be."""

import json

import reference
from ledger.producer.demo import demo_batch
from ledger.rules import rollup
from ledger.rules.keys import place
from ledger.verify.recount import PartitionRecount


def wire(count: int, seed: int) -> list[dict]:
    return [e.model_dump(mode="json") for e in demo_batch(count, seed=seed)]


def recount_of(records: list[tuple[bytes | None, bytes | None]]) -> PartitionRecount:
    recount = PartitionRecount(0)
    for offset, (key, value) in enumerate(records):
        recount.apply(key, value, offset)
    return recount


def record(event: dict) -> tuple[bytes, bytes]:
    return event["region"].encode(), json.dumps(event).encode()


def test_recounted_tables_summarize_to_the_independent_recomputation():
    events = wire(1500, seed=4)
    retried = events[:25]
    recount = recount_of([record(e) for e in events + retried])
    names = [place(key).leaf for key in recount.agencies]
    totals = rollup.summarize(recount.cells.values(), names)
    reference.assert_summary_matches(totals, reference.summary(events))
    counters = recount.counters
    assert (counters["accepted"], counters["duplicates"]) == (1500, 25)
    assert recount.position == 1525


def test_months_and_keys_are_the_ledgers():
    events = wire(300, seed=5)
    recount = recount_of([record(e) for e in events])
    for region, own in reference.by(events, "region").items():
        cells = [
            (place(k).leaf, c)
            for k, c in recount.cells.items()
            if place(k).region == region
        ]
        assert rollup.monthly(cells) == reference.months(own)
    assert all(key.startswith("0/") for key in recount.cells)
    assert all(offset < recount.position for offset in recount.last_folded.values())


def test_bad_records_are_counted_by_reason_with_their_offsets():
    good = wire(2, seed=6)
    recount = recount_of(
        [record(good[0]), (b"APAC", b"{nope"), (b"EMEA", b"[1]"), record(good[1])]
    )
    counters = recount.counters
    assert counters["accepted"] == 2 and counters["rejected"] == 2
    assert counters["rejected_by_reason"] == {"not_json": 1, "not_object": 1}
    assert [(r["reason"], r["offset"]) for r in counters["recent_rejections"]] == [
        ("not_object", 2),
        ("not_json", 1),
    ]


def test_an_id_seen_in_another_partition_is_not_a_duplicate_here():
    event = wire(1, seed=7)[0]
    here, there = PartitionRecount(0), PartitionRecount(1)
    here.apply(*record(event), 0)
    there.apply(*record(event), 0)
    there.apply(*record(event), 1)
    assert (here.counters["accepted"], here.counters["duplicates"]) == (1, 0)
    assert (there.counters["accepted"], there.counters["duplicates"]) == (1, 1)
