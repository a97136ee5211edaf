"""LedgerProducer against an in-memory transport: keys, values, validation, failures."""

import json

import pytest
from kafka.errors import KafkaTimeoutError, NotLeaderForPartitionError
from structlog.testing import capture_logs

from ledger.contract import event_adapter
from ledger.errors import InvalidEventError, LedgerError, PublishError
from ledger.producer import LedgerProducer, MemoryTransport


class FailingTransport(MemoryTransport):
    """Takes records but the broker never acknowledges them."""

    def send(self, topic, key=None, value=b""):
        sent = super().send(topic, key=key, value=value)
        return FailedAck(sent)


class FailedAck:
    def __init__(self, sent):
        self.sent = sent

    def get(self, timeout=None):
        raise KafkaTimeoutError("no ack within the delivery timeout")


class RefusingTransport(MemoryTransport):
    def send(self, topic, key=None, value=b""):
        raise NotLeaderForPartitionError()


@pytest.fixture
def transport():
    return MemoryTransport()


@pytest.fixture
def producer(transport):
    return LedgerProducer("unused:9092", "activity-test", transport=transport)


def test_a_record_is_keyed_by_its_region_in_utf8(producer, transport, event):
    producer.publish(event(region="EMEA", country="DE"))
    [record] = transport.records
    assert (record.topic, record.key) == ("activity-test", b"EMEA")


@pytest.mark.parametrize(
    "event_type", ["meeting_held", "training_delivered", "request_fulfilled"]
)
def test_the_value_is_compact_json_that_round_trips(
    producer, transport, event, event_type
):
    published = event_adapter().validate_json(json.dumps(event(event_type)))
    producer.publish(published)
    value = transport.records[0].value
    assert event_adapter().validate_json(value) == published
    compact = json.dumps(json.loads(value), separators=(",", ":"), ensure_ascii=False)
    assert value == compact.encode("utf-8")


def test_publish_returns_the_event_id(producer, event):
    assert producer.publish(event()) == event()["event_id"]


def test_a_dict_json_text_and_model_are_published_the_same(producer, transport, event):
    fields = event("request_fulfilled", agency="  Padded Agency ")
    producer.publish(fields)
    producer.publish(json.dumps(fields))
    producer.publish(event_adapter().validate_json(json.dumps(fields)))
    assert len({record.value for record in transport.records}) == 1
    assert b'"agency":"Padded Agency"' in transport.records[0].value


def test_an_invalid_event_raises_and_sends_nothing(producer, transport, event):
    with pytest.raises(InvalidEventError) as caught:
        producer.publish(event(participants=0, country="XX"))
    assert "participants" in str(caught.value) and "country" in str(caught.value)
    assert len(caught.value.errors) == 2
    assert transport.records == []


def test_text_that_is_not_json_is_an_invalid_event(producer):
    with pytest.raises(InvalidEventError, match="Invalid JSON"):
        producer.publish("{not json")


def test_a_record_over_the_size_limit_is_rejected(producer, transport, event):
    with pytest.raises(InvalidEventError, match="65536"):
        producer.publish(event(topics=["t" * 1000] * 70))
    assert transport.records == []


def test_a_missing_ack_raises_publish_error_naming_the_topic(event):
    producer = LedgerProducer("unused:9092", "t1", transport=FailingTransport())
    with pytest.raises(PublishError, match="'t1'.*delivery timeout") as caught:
        producer.publish(event())
    assert isinstance(caught.value.__cause__, KafkaTimeoutError)
    assert isinstance(caught.value, LedgerError)


def test_a_send_refused_by_kafka_raises_publish_error(event):
    producer = LedgerProducer("unused:9092", transport=RefusingTransport())
    with pytest.raises(PublishError, match="NotLeaderForPartition"):
        producer.publish(event())


def test_publish_many_sends_all_and_returns_ids_in_order(producer, transport, event):
    ids = [f"0b7f3c1e-2f4a-4d8e-9a51-3f1c2d4e5f6{n}" for n in range(3)]
    assert producer.publish_many(event(event_id=i) for i in ids) == ids
    assert [json.loads(r.value)["event_id"] for r in transport.records] == ids


def test_publish_many_sends_nothing_if_any_event_is_invalid(producer, transport, event):
    with pytest.raises(InvalidEventError):
        producer.publish_many([event(), event(region="emea")])
    assert transport.records == []


def test_each_published_event_is_logged_at_debug(producer, event):
    with capture_logs() as logs:
        producer.publish(event())
    assert logs == [
        {
            "event": "event_published",
            "event_id": event()["event_id"],
            "topic": "activity-test",
            "log_level": "debug",
        }
    ]


def test_flush_and_the_context_manager_reach_the_transport(transport):
    with LedgerProducer("unused:9092", transport=transport) as producer:
        producer.flush()
    assert (transport.flushes, transport.closed) == (1, True)
    assert producer.topic == "partnership-activity"
