"""Month cells folded event by event add up to the independent recomputation."""

import json

import pytest

import reference
from ledger.contract.events import event_adapter
from ledger.producer.demo import demo_batch
from ledger.rules import rollup


def _fold_all(wire: list[dict]) -> tuple[dict, dict]:
    cells: dict[tuple[str, str, str], dict] = {}
    agencies: dict[tuple[str, str], set[str]] = {}
    for document in wire:
        event = event_adapter().validate_json(json.dumps(document))
        place = (event.region, event.country, rollup.month_of(event))
        rollup.fold(cells.setdefault(place, rollup.new_cell()), event)
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
