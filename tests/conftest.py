"""Shared fixtures: a real embedded broker and factories of real ledgers."""

import uuid
from collections.abc import Callable, Iterator

import pytest

from harness import Ledger
from ledger.broker import EmbeddedBroker


@pytest.fixture(scope="session")
def broker(tmp_path_factory) -> Iterator[EmbeddedBroker]:
    log_file = tmp_path_factory.mktemp("broker") / "broker.log"
    with EmbeddedBroker(log_file=log_file) as running:
        yield running


@pytest.fixture
def new_ledger(broker, tmp_path_factory) -> Iterator[Callable[[], Ledger]]:
    """A factory of ledgers, each on its own topic, stopped at teardown."""
    made: list[Ledger] = []

    def make() -> Ledger:
        name = uuid.uuid4().hex[:8]
        ledger = Ledger(
            bootstrap=broker.bootstrap,
            topic=f"activity-{name}",
            app_id=f"ledger-{name}",
            data_dir=tmp_path_factory.mktemp(f"ledger-{name}"),
        )
        made.append(ledger)
        return ledger

    yield make
    for ledger in made:
        ledger.stop()
