"""What the embedded broker does unlike Kafka, in memory and on disk side by side:
end offsets, `max.message.bytes`, aborted transactions. (Compaction cannot be seen
in a short run, on Kafka either; Tansu's engine has no cleaner at all.) Run it
again after a Tansu upgrade; the README lists what it printed last."""

import tempfile
from pathlib import Path

from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import KafkaAdminClient, NewTopic

from ledger.broker import EmbeddedBroker


def main() -> None:
    for mode in ("memory", "disk"):
        storage = Path(tempfile.mkdtemp()) / "broker" if mode == "disk" else None
        with EmbeddedBroker(storage_dir=storage) as broker:
            _topics(broker.bootstrap)
            print(mode)
            for question, answer in _probe(broker.bootstrap).items():
                print(f"  {question}: {answer}")


def _topics(bootstrap: str) -> None:
    small = {"max.message.bytes": "1000"}
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    admin.create_topics(
        [NewTopic("e", 1, 1), NewTopic("c", 1, 1, topic_configs=small)]
        + [NewTopic("x", 1, 1)]
    )
    admin.close()


def _probe(bootstrap: str) -> dict[str, object]:
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=50)
    for _ in range(3):
        for i in range(10):
            producer.send("e", key=b"k", value=b"%d" % i, partition=0)
        producer.flush()
    try:
        producer.send("c", key=b"k", value=b"x" * 5000).get(timeout=10)
        large = "accepted"
    except Exception as error:  # any refusal is the answer
        large = f"refused ({type(error).__name__})"
    producer.close()
    consumer = KafkaConsumer(bootstrap_servers=bootstrap)
    end = consumer.end_offsets([TopicPartition("e", 0)])[TopicPartition("e", 0)]
    consumer.close()
    return {
        "end offset after 3 batches of 10 (Kafka: 30)": end,
        "5,000 bytes on max.message.bytes=1000 (Kafka: refused)": large,
        "read_committed after an aborted and a committed transaction (Kafka: "
        "committed only)": _transactions(bootstrap),
    }


def _transactions(bootstrap: str) -> list[bytes]:
    producer = KafkaProducer(bootstrap_servers=bootstrap, transactional_id="caveats")
    producer.init_transactions()
    for value, commit in ((b"aborted", False), (b"committed", True)):
        producer.begin_transaction()
        producer.send("x", value)
        producer.flush()
        if commit:
            producer.commit_transaction()
        else:
            producer.abort_transaction()
    producer.close()
    return _read(bootstrap, "x", "read_committed")


def _read(bootstrap: str, topic: str, isolation: str) -> list[bytes]:
    consumer = KafkaConsumer(
        bootstrap_servers=bootstrap, isolation_level=isolation, consumer_timeout_ms=3000
    )
    consumer.assign([TopicPartition(topic, 0)])
    consumer.seek_to_beginning()
    values = [record.value for record in consumer]
    consumer.close()
    return values


if __name__ == "__main__":
    main()
