"""Reading the dead-letter topic to its end, once each, and replaying what was read."""

from collections import namedtuple

import pytest

from ledger import dlq

Record = namedtuple("Record", "partition offset key value headers")
TP = namedtuple("TP", "topic partition")


def letter_record(partition, offset, reason="not_json", value=b"nope"):
    headers = [
        ("ledger-reason", reason.encode()),
        ("ledger-detail", b"record: Invalid JSON"),
        ("ledger-source-topic", b"acts"),
        ("ledger-source-partition", str(partition).encode()),
        ("ledger-source-offset", str(offset + 100).encode()),
    ]
    return Record(partition, offset, b"APAC", value, headers)


class TansuLikeConsumer:
    """Reports each partition's end one batch short, as Tansu can, and hands out
    the records a few per poll, the last batch twice."""

    def __init__(self, records_by_partition, short_by=2):
        self.records = records_by_partition
        self.short_by = short_by
        self.positions = {}
        self.polls = 0

    def partitions_for_topic(self, topic):
        return set(self.records)

    def assign(self, tps):
        self.tps = tps

    def seek(self, tp, offset):
        self.positions[tp.partition] = offset

    def end_offsets(self, tps):
        return {
            tp: max(0, len(self.records[tp.partition]) - self.short_by) for tp in tps
        }

    def position(self, tp):
        return self.positions[tp.partition]

    def poll(self, timeout_ms):
        self.polls += 1
        out = {}
        for tp in self.tps:
            at = self.positions[tp.partition]
            batch = self.records[tp.partition][at : at + 2]
            if batch:
                out[tp] = batch
                if self.polls % 3 == 0:
                    out[tp] = batch + batch  # the same records again
                self.positions[tp.partition] = batch[-1].offset + 1
        return out


@pytest.fixture(autouse=True)
def quick(monkeypatch):
    monkeypatch.setattr(dlq, "QUIET_S", 0.3)


def test_every_dead_letter_is_read_to_the_true_end_once():
    records = {p: [letter_record(p, o) for o in range(5)] for p in (0, 1)}
    consumer = TansuLikeConsumer(records)
    letters, ends = dlq.read_dead_letters(consumer, "acts.dlq")
    assert sorted((d.partition, d.offset) for d in letters) == [
        (p, o) for p in (0, 1) for o in range(5)
    ]
    assert ends == {0: 5, 1: 5}
    assert dlq.since_text(ends) == "0:5,1:5"


def test_since_starts_each_partition_where_asked():
    records = {p: [letter_record(p, o) for o in range(5)] for p in (0, 1)}
    letters, _ = dlq.read_dead_letters(TansuLikeConsumer(records), "d", {0: 3})
    assert sorted((d.partition, d.offset) for d in letters) == [
        (0, 3),
        (0, 4),
        *((1, o) for o in range(5)),
    ]


@pytest.mark.parametrize(
    ("text", "since"), [(None, 0), ("120", 120), ("0:120,3:45", {0: 120, 3: 45})]
)
def test_since_is_one_offset_or_partition_offset_pairs(text, since):
    assert dlq.parse_since(text) == since


def test_a_garbled_since_is_refused_with_the_forms_it_takes():
    with pytest.raises(dlq.DeadLetterError, match="0:120,3:45"):
        dlq.parse_since("3-45")


def test_a_line_shows_reason_detail_source_and_the_first_bytes():
    line = dlq.DeadLetter.of(letter_record(2, 7, value=b"x" * 100)).line()
    assert line.startswith(
        "2:7  not_json  from acts[2]@107  detail: record: Invalid JSON"
    )
    assert line.endswith("value: b'" + "x" * dlq.PREVIEW_BYTES + "'...")


def test_the_reason_filter_and_the_summary():
    letters = [dlq.DeadLetter.of(letter_record(0, o, r)) for o, r in enumerate("aab")]
    assert [d.offset for d in dlq.matching(letters, "a")] == [0, 1]
    assert dlq.summary(letters) == "3 dead letters: a 2, b 1"


class Producer:
    def __init__(self):
        self.sent = []

    def send(self, topic, key, value, headers):
        self.sent.append((topic, key, value, headers))
        return self

    def flush(self):
        pass

    def get(self, timeout):
        return None


def test_replay_sends_the_original_key_and_bytes_saying_which_letter_it_was():
    letters = [dlq.DeadLetter.of(letter_record(1, 4, value=b"{}"))]
    producer = Producer()
    assert dlq.replay(letters, producer, "acts", "acts.dlq") == 1
    assert producer.sent == [
        ("acts", b"APAC", b"{}", [("ledger-replay-of", b"acts.dlq:1:4")])
    ]
