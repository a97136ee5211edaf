"""Creates the ledger's topics when they are missing and reads their partition count."""

import time

import structlog
from kafka import KafkaAdminClient
from kafka.admin import NewTopic
from kafka.errors import KafkaError, TopicAlreadyExistsError

from ledger.config import Settings

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
