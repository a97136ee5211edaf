"""Corrections through the worker's recorder (real local tables, no broker) and
through ``ledger verify``'s recount: the same figures, and the issue's rules."""

import asyncio
import json
import random
from uuid import uuid4

import pytest
from test_recorder import Record, _ledger

from ledger.verify.recount import PartitionRecount

VOID = "event_voided"


def _training(attendees: int, region="APAC", agency="NPA", at="2026-03-02T10:00:00Z"):
    return {
        "event_id": str(uuid4()),
        "schema_version": 1,
        "event_type": "training_delivered",
        "occurred_at": at,
        "region": region,
        "country": "TW" if region == "APAC" else "DE",
        "agency": agency,
        "source": "lms",
        "course": "Crypto tracing",
        "units": 1,
        "attendees": attendees,
        "hours": 2.0,
        "delivery": "virtual",
    }


def _void(target: dict, region="APAC") -> dict:
    return {
        "event_id": str(uuid4()),
        "schema_version": 1,
        "event_type": VOID,
        "occurred_at": "2026-04-01T00:00:00Z",
        "region": region,
        "source": "ops",
        "voids": target["event_id"],
        "reason": "entered twice",
    }


def _amend(target: dict, **changes) -> dict:
    return {
        **target,
        "event_id": str(uuid4()),
        "supersedes": target["event_id"],
        **changes,
    }


def _run(events: list[dict], batch: int = 1000):
    recorder, writer, tables = _ledger()
    records = [
        Record(e["region"].encode(), json.dumps(e).encode(), "t", 0, i)
        for i, e in enumerate(events)
    ]
    for start in range(0, len(records), batch):
        asyncio.run(recorder.record(records[start : start + batch]))
    recount = PartitionRecount(0)
    for record in records:
        recount.apply(record.key, record.value, record.offset)
    return tables, writer, recount


def _figures(tables) -> tuple[int, int, list]:
    cells = tables.cells.data.values_of(0).values()
    officers = sum(cell["officers_trained"] for cell in cells)
    events = sum(cell["events"] for cell in cells)
    return events, officers, sorted(tables.agencies.data.values_of(0))


def _counters(tables) -> dict:
    return tables.counters.data.values_of(0)["0"]


def _same_as_recount(tables, recount) -> None:
    cells = {
        key: {k: v for k, v in cell.items() if k != "upto"}
        for key, cell in tables.cells.data.values_of(0).items()
    }
    assert cells == recount.cells
    assert set(tables.agencies.data.values_of(0)) == recount.agencies
    stored = _counters(tables)
    for name in (
        "accepted",
        "duplicates",
        "rejected",
        "superseded",
        "voided",
        "corrections_waiting",
        "rejected_by_reason",
        "next_offset",
    ):
        assert stored[name] == recount.counters[name], name


def test_a_superseding_event_counts_in_place_of_the_one_it_names():
    wrong = _training(10_400)
    tables, _, recount = _run([wrong, _amend(wrong, attendees=1_040)])
    assert _figures(tables) == (1, 1_040, ["0/APAC/TW/npa"])
    assert (_counters(tables)["superseded"], _counters(tables)["accepted"]) == (1, 2)
    _same_as_recount(tables, recount)


def test_a_void_takes_the_event_out_of_every_figure_and_its_agency_with_it():
    kept = _training(5, agency="NPA", at="2026-03-01T00:00:00Z")
    wrong = _training(7, agency="Coast Guard", at="2026-03-30T00:00:00Z")
    tables, _, recount = _run([kept, wrong, _void(wrong)])
    assert _figures(tables) == (1, 5, ["0/APAC/TW/npa"])
    (cell,) = tables.cells.data.values_of(0).values()
    assert cell["last_us"] == cell["first_us"]  # the voided one held the last instant
    assert _counters(tables)["voided"] == 1
    _same_as_recount(tables, recount)


def test_a_correction_that_comes_first_waits_and_its_event_never_counts():
    original = _training(10_400)
    fixed = _amend(original, attendees=1_040)
    tables, _, _ = _run([fixed], batch=1)
    assert _figures(tables)[:2] == (0, 0)
    assert _counters(tables)["corrections_waiting"] == 1

    tables, _, recount = _run([fixed, original], batch=1)
    assert _figures(tables)[:2] == (1, 1_040)
    counters = _counters(tables)
    assert (counters["corrections_waiting"], counters["superseded"]) == (0, 1)
    _same_as_recount(tables, recount)


@pytest.mark.parametrize("second", ["amend", "void"])
def test_correcting_an_event_already_corrected_is_rejected(second):
    original = _training(3)
    again = _amend(original) if second == "amend" else _void(original)
    tables, writer, recount = _run([original, _void(original), again])
    assert _counters(tables)["rejected_by_reason"] == {"already_corrected": 1}
    assert writer.letters == 1
    _same_as_recount(tables, recount)


def test_a_void_of_a_void_and_another_regions_event_are_rejected():
    original, elsewhere = _training(3), _training(4, region="EMEA")
    void = _void(original)
    tables, _, recount = _run(
        [original, void, _void(void), elsewhere, _amend(elsewhere, region="APAC")]
    )
    reasons = _counters(tables)["rejected_by_reason"]
    assert reasons == {"corrects_a_void": 1, "region_mismatch": 1}
    assert _figures(tables)[1] == 4
    _same_as_recount(tables, recount)


def test_a_waiting_correction_of_another_regions_event_is_rejected_when_it_arrives():
    elsewhere = _training(4, region="EMEA")
    tables, writer, recount = _run([_amend(elsewhere, region="APAC"), elsewhere], 1)
    counters = _counters(tables)
    assert counters["rejected_by_reason"] == {"region_mismatch": 1}
    assert (counters["corrections_waiting"], _figures(tables)[1]) == (0, 4)
    assert writer.letters == 1
    _same_as_recount(tables, recount)


def test_a_repeated_correction_is_a_duplicate_and_chains_count_only_the_newest():
    first = _training(1)
    second = _amend(first, attendees=2)
    third = _amend(second, attendees=3)
    tables, _, recount = _run([first, second, third, second])
    assert _figures(tables)[:2] == (1, 3)
    counters = _counters(tables)
    assert (counters["superseded"], counters["duplicates"]) == (2, 1)
    _same_as_recount(tables, recount)


def _random_history(seed: int, size: int) -> list[dict]:
    rng = random.Random(seed)
    events: list[dict] = []
    for _ in range(size):
        roll = rng.random()
        agency = rng.choice(["NPA", "CIB", "Coast Guard"])
        day = f"2026-{rng.randint(1, 3):02d}-{rng.randint(1, 28):02d}T10:00:00Z"
        if events and roll < 0.15:
            events.append(_void(rng.choice(events)))
        elif events and roll < 0.3:
            target = rng.choice(events)
            if target["event_type"] != VOID:
                events.append(_amend(target, attendees=rng.randint(1, 99)))
        elif events and roll < 0.35:
            events.append(rng.choice(events))  # a duplicate
        else:
            events.append(_training(rng.randint(1, 99), agency=agency, at=day))
    rng.shuffle(events)  # corrections before their events, too
    return events


@pytest.mark.parametrize("seed", range(6))
def test_random_histories_with_corrections_agree_with_the_recount(seed):
    events = _random_history(seed, 120)
    tables, _, recount = _run(events, batch=17)
    _same_as_recount(tables, recount)


@pytest.mark.parametrize("seed", range(4))
def test_a_batch_read_again_after_a_crash_changes_nothing_twice(seed):
    events = _random_history(seed, 80)
    recorder, writer, tables = _ledger()
    records = [
        Record(e["region"].encode(), json.dumps(e).encode(), "t", 0, i)
        for i, e in enumerate(events)
    ]
    asyncio.run(recorder.record(records[:30]))
    writer.only = {"cells", "agencies", "seen"}  # the crash: counters never landed
    asyncio.run(recorder.record(records[30:]))
    writer.only = None
    asyncio.run(recorder.record(records[30:55]))  # read again, in other batches
    asyncio.run(recorder.record(records[55:]))
    recount = PartitionRecount(0)
    for record in records:
        recount.apply(record.key, record.value, record.offset)
    _same_as_recount(tables, recount)
