"""Cells folded event by event add up to the independent recomputation."""

import json

import pytest

import reference
from ledger.contract.events import event_adapter
from ledger.producer.demo import demo_batch
from ledger.stream import rollup


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_folded_cells_summarize_to_the_recomputed_aggregates(seed):
    wire = [event.model_dump(mode="json") for event in demo_batch(2000, seed=seed)]
    cells: dict[tuple[str, str], dict] = {}
    for document in wire:
        event = event_adapter().validate_json(json.dumps(document))
        cell = cells.setdefault((event.region, event.country), rollup.new_cell())
        rollup.apply(cell, event)

    totals = rollup.summarize(cells.values())
    reference.assert_summary_matches(totals, reference.summary(wire))
    for region, events in reference.by(wire, "region").items():
        mine = [cell for (code, _), cell in cells.items() if code == region]
        assert rollup.monthly(mine) == reference.months(events)
