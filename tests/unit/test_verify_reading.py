"""Verify's topic reader against a scripted consumer: it reads each partition up
to exactly the offset asked, never past it, and says plainly when it cannot."""

import io

import pytest
from verify_fakes import TOPIC, FakeConsumer, log_of

from ledger.verify import topic_reader
from ledger.verify.errors import CannotVerifyError
from ledger.verify.progress import Progress
from ledger.verify.recount import PartitionRecount
from ledger.verify.topic_reader import TopicReader
from wire import wire_event

EVENTS = [
    wire_event("meeting_held", "2025-03-14T10:30:00+08:00", participants=2, region=r)
    for r in ("APAC", "EMEA") * 10
]


def reader_of(consumer: FakeConsumer, out: io.StringIO | None = None) -> TopicReader:
    return TopicReader(consumer, TOPIC, Progress(out or io.StringIO()))


def test_each_partition_is_read_to_its_offset_even_when_fetches_bring_more():
    log = log_of(EVENTS)
    reader = reader_of(FakeConsumer(log, per_poll=4))
    recounts = {p: PartitionRecount(p) for p in reader.partitions}
    assert reader.read_to({0: 5, 1: 3}, recounts) == 8
    assert {p: r.position for p, r in recounts.items()} == {0: 5, 1: 3}
    assert reader.read_to({0: 10, 1: 10}, recounts) == 12  # carries on from there
    assert [r.counters["accepted"] for r in recounts.values()] == [10, 10]


def test_nothing_to_read_reads_nothing():
    reader = reader_of(FakeConsumer(log_of(EVENTS)))
    recounts = {p: PartitionRecount(p) for p in reader.partitions}
    assert reader.read_to({0: 0, 1: 0}, recounts) == 0


def test_progress_says_how_many_of_how_many():
    out = io.StringIO()
    reader = reader_of(FakeConsumer(log_of(EVENTS)), out)
    recounts = {p: PartitionRecount(p) for p in reader.partitions}
    reader.read_to({0: 10, 1: 10}, recounts)
    last = out.getvalue().splitlines()[-1]
    assert f"{TOPIC} up to the ledger's offsets: read 20 / 20 records (" in last


def test_a_topic_missing_records_it_once_had_cannot_be_verified():
    with pytest.raises(CannotVerifyError, match="no longer starts at offset 0"):
        reader_of(FakeConsumer(log_of(EVENTS), start=3))


def test_an_unknown_topic_cannot_be_verified():
    with pytest.raises(CannotVerifyError, match="has no topic"):
        TopicReader(FakeConsumer(log_of(EVENTS)), "elsewhere", Progress(io.StringIO()))


def test_a_ledger_ahead_of_the_log_stops_the_reading_with_why(monkeypatch):
    monkeypatch.setattr(topic_reader, "STALL_S", 0.2)
    reader = reader_of(FakeConsumer(log_of(EVENTS)))
    recounts = {p: PartitionRecount(p) for p in reader.partitions}
    with pytest.raises(
        CannotVerifyError, match=r"partition 1 at 10 of 12.*LEDGER_TOPIC"
    ):
        reader.read_to({0: 10, 1: 12}, recounts)
