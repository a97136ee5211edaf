"""Verify from end to end against fakes at its edges: a ledger that keeps
counting, a consumer over the same log. Tables are compared at the ledger's own
offsets; public answers only when the ledger held still while each was fetched."""

import io

from verify_fakes import TOPIC, FakeConsumer, FakeLedger, log_of

from ledger.producer.demo import demo_batch
from ledger.verify.progress import Progress
from ledger.verify.report import report
from ledger.verify.topic_reader import TopicReader
from ledger.verify.verification import verify

EVENTS = [e.model_dump(mode="json") for e in demo_batch(400, seed=11)]
LOG = log_of(EVENTS + EVENTS[:10], partitions=3)


def run(ledger: FakeLedger, attempts: int = 3):
    reader = TopicReader(FakeConsumer(LOG, per_poll=50), TOPIC, Progress(io.StringIO()))
    outcome = verify(ledger, reader, attempts)
    return outcome, report(outcome, ledger.url, TOPIC, "kafka:9092")


def test_a_ledger_that_counted_right_agrees_everywhere():
    ledger = FakeLedger(LOG, {p: len(records) for p, records in LOG.items()})
    outcome, text = run(ledger)
    assert outcome.agrees and outcome.not_compared == {}
    assert outcome.records == len(EVENTS) + 10
    assert "/api/v1/stats at 0:" in text and "/api/v1/regions/APAC/months" in text
    assert text.endswith("result: AGREES: every figure compared matches the log")


def test_a_ledger_still_counting_is_compared_where_it_is():
    halfway = {p: len(records) // 2 for p, records in LOG.items()}
    ledger = FakeLedger(LOG, halfway, moves=4)
    outcome, _ = run(ledger, attempts=5)
    assert outcome.agrees and outcome.not_compared == {}
    assert outcome.counted[0]["next_offset"] == halfway[0]  # tables at its offset
    assert sum(outcome.compared["/api/v1/regions"].values()) > sum(halfway.values())


def test_a_ledger_that_never_holds_still_is_reported_not_compared():
    ledger = FakeLedger(LOG, {p: 50 for p in LOG}, moves=10_000)
    outcome, text = run(ledger, attempts=2)
    assert outcome.agrees  # the tables were compared, and agree
    assert outcome.not_compared["/api/v1/regions"] == (
        "the ledger counted more records meanwhile"
    )
    assert "/api/v1/stats" in outcome.compared  # it says its own offsets
    assert "public answers NOT compared" in text


def test_a_wrong_table_is_a_difference_in_the_tables_and_in_the_answers():
    ledger = FakeLedger(LOG, {p: len(records) for p, records in LOG.items()})
    partition, recount = next((p, r) for p, r in ledger.recounts.items() if r.cells)
    key = sorted(recount.cells)[0]
    recount.cells[key]["meetings"] += 5
    outcome, text = run(ledger)
    assert not outcome.agrees
    assert f"partition {partition} cells[{key}].meetings: ledger " in text
    assert "/api/v1/regions: totals.meetings: ledger " in text
    assert text.splitlines()[-1].startswith("result: DIFFERS: ")
