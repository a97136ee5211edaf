"""Shared fixtures: a real embedded broker and factories of real ledgers."""

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
        ledger = Ledger.fresh(broker.bootstrap, tmp_path_factory, "activity")
        made.append(ledger)
        return ledger

    yield make
    for ledger in made:
        ledger.stop()
