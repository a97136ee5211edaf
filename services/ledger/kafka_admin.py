"""Creates the ledger's topics when they are missing and reads their partition count."""

import time

import orjson
import structlog
from kafka import KafkaAdminClient, KafkaProducer
from kafka.admin import NewTopic
from kafka.errors import KafkaError, TopicAlreadyExistsError

from ledger.config import Settings
from ledger.rules.keys import seal_key

log = structlog.get_logger(__name__)

# A ledger keeps its records: nothing expires, rejected records included.
KEEP_FOREVER = {"retention.ms": "-1", "cleanup.policy": "delete"}


def ensure_topics(bootstrap: str, settings: Settings, wait_s: float = 30) -> int:
    """Create the activity and dead-letter topics; return the activity partitions."""
    admin = _connect(bootstrap, wait_s)
    try:
        for name in (settings.topic, settings.dlq_topic):
            _create(admin, name, settings)
        return _partitions(admin, settings.topic)
    finally:
        admin.close()


def _connect(bootstrap: str, wait_s: float) -> KafkaAdminClient:
    deadline = time.monotonic() + wait_s
    while True:
        try:
            return KafkaAdminClient(bootstrap_servers=bootstrap, client_id="ledger")
        except KafkaError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def _create(admin: KafkaAdminClient, name: str, settings: Settings) -> None:
    topic = NewTopic(
        name,
        num_partitions=settings.partitions,
        replication_factor=settings.replication,
        topic_configs=KEEP_FOREVER,
    )
    try:
        admin.create_topics([topic])
        log.info("topic_created", topic=name, partitions=settings.partitions)
    except TopicAlreadyExistsError:
        pass


def _partitions(admin: KafkaAdminClient, name: str) -> int:
    (description,) = admin.describe_topics([name])
    return len(description["partitions"])


def seal_changelogs(bootstrap: str, topics: list[str], partitions: int) -> None:
    """Close every existing changelog partition with a lone tombstone.

    A worker killed while writing a batch leaves a multi-record batch at the end
    of a changelog, and Tansu reports that partition's end as the batch's base
    offset + 1: recovery would stop short of records it then applies anyway, and
    the next restart would find its stored offset past the end (Faust's
    ConsistencyError). A seal written before recovery makes the end true again.
    """
    admin = _connect(bootstrap, wait_s=30)
    try:
        existing = set(admin.list_topics()) & set(topics)
    finally:
        admin.close()
    if not existing:
        return
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all")
    for topic in sorted(existing):
        for partition in range(partitions):
            key = orjson.dumps(seal_key(partition))
            producer.send(topic, key=key, value=None, partition=partition)
    producer.flush()
    producer.close()
