"""Month cells folded event by event add up to the independent recomputation."""

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

import reference
from ledger.contract.events import event_adapter
from ledger.producer.demo import demo_batch
from ledger.rules import entries, rollup
from ledger.rules.instants import epoch_us

_ZONES = [UTC, timezone(timedelta(hours=8)), timezone(timedelta(hours=-5, minutes=-30))]


def _fold_all(wire: list[dict]) -> tuple[dict, dict]:
    cells: dict[tuple[str, str, str], dict] = {}
    agencies: dict[tuple[str, str], set[str]] = {}
    for document in wire:
        event = event_adapter().validate_json(json.dumps(document))
        place = (event.region, event.country, rollup.month_of(event))
        entry = entries.new_entry(event, 0)
        rollup.add(cells.setdefault(place, rollup.new_cell()), entry)
        names = agencies.setdefault((event.region, event.country), set())
        names.add(rollup.agency_key(event.agency))
    return cells, agencies


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_folded_cells_summarize_to_the_recomputed_aggregates(seed):
    wire = [event.model_dump(mode="json") for event in demo_batch(2000, seed=seed)]
    cells, agencies = _fold_all(wire)

    every_name = [name for names in agencies.values() for name in names]
    totals = rollup.summarize(cells.values(), every_name)
    reference.assert_summary_matches(totals, reference.summary(wire))
    for region, events in reference.by(wire, "region").items():
        mine = [(p[2], cell) for p, cell in cells.items() if p[0] == region]
        assert rollup.monthly(mine) == reference.months(events)


@pytest.mark.parametrize(
    "moment",
    [
        "2025-12-31T23:59:59.999999+00:00",
        "2026-01-01T00:00:00+00:00",
        "2026-01-01T07:30:00+08:00",  # December in UTC
        "2026-02-28T20:00:00-05:00",  # March in UTC
        "2024-02-29T12:00:00+00:00",
        "1969-12-31T23:59:59+00:00",  # before the epoch
        "0001-01-01T00:00:00+00:00",
        "9999-12-31T23:59:59+00:00",
    ],
)
def test_the_month_from_epoch_microseconds_is_the_utc_calendar_month(moment):
    instant = datetime.fromisoformat(moment)
    utc = instant.astimezone(UTC)
    assert rollup.month_of_us(epoch_us(instant)) == f"{utc.year:04d}-{utc.month:02d}"


@given(
    st.datetimes(min_value=datetime(1980, 1, 1), timezones=st.sampled_from(_ZONES)),
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=3000)),
)
def test_an_entrys_turnaround_is_the_events_to_the_last_bit(occurred, took):
    received = occurred - took
    event = event_adapter().validate_python(
        {
            **demo_batch(1, seed=1)[0].model_dump(),
            "event_type": "request_fulfilled",
            "request_type": "freeze",
            "occurred_at": occurred,
            "received_at": received,
        }
    )
    entry = entries.new_entry(event, 0)
    assert entry["turnaround_h"] == event.turnaround_hours
