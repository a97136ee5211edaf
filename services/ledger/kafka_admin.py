"""The ledger's admin work on Kafka: provisioning its topics, sealing changelogs."""

import contextlib
import time
from collections.abc import Iterator

import orjson
import structlog
from kafka import KafkaAdminClient, KafkaProducer
from kafka.errors import KafkaError

from ledger.config import Settings
from ledger.errors import LedgerError
from ledger.provisioning import (
    Drift,
    config_drift,
    create_missing,
    layout_drift,
    partition_count,
)
from ledger.rules.keys import seal_key
from ledger.topic_specs import ledger_topics

log = structlog.get_logger(__name__)

PARTITIONS_HINT = (
    "The tables are co-partitioned with the activity topic, so every ledger topic "
    "needs its partition count; Kafka cannot lower one, and raising it moves "
    "regions to other partitions"
)


class TopicLayoutError(LedgerError):
    """An existing topic's partitions do not fit the ledger's tables."""

    def __init__(self, drift: list[Drift]) -> None:
        problems = "; ".join(str(d) for d in drift)
        super().__init__(f"{problems}. {PARTITIONS_HINT}")
        self.drift = drift


def provision(bootstrap: str, settings: Settings, wait_s: float = 30) -> list[Drift]:
    """`ledger provision`: create every missing topic with its explicit configs;
    return how the topics that already existed differ from their specs."""
    specs = ledger_topics(settings)
    with _admin(bootstrap, settings, wait_s) as admin:
        created = create_missing(admin, specs)
        existing = [spec for spec in specs if spec.name not in created]
        return layout_drift(admin, existing) + config_drift(admin, existing)


def ensure_topics(bootstrap: str, settings: Settings, wait_s: float = 30) -> int:
    """At a worker's start: provision as `ledger provision` does, sized after the
    activity topic as it exists; return its partition count.

    Only a partition count that breaks the tables stops the worker; other drift
    is logged (a worker's principal may not even be allowed to read configs).
    """
    activity, *_ = ledger_topics(settings)
    with _admin(bootstrap, settings, wait_s) as admin:
        create_missing(admin, [activity])
        partitions = partition_count(admin, settings.topic)
        specs = ledger_topics(settings, partitions)
        created = create_missing(admin, specs)
        existing = [spec for spec in specs if spec.name not in created]
        drift = layout_drift(admin, existing)
        if fatal := [d for d in drift if d.breaks_tables]:
            raise TopicLayoutError(fatal)
        drift += _config_drift_if_allowed(admin, existing)
    for difference in drift:
        log.warning("topic_differs", problem=str(difference))
    return partitions


def _config_drift_if_allowed(admin: KafkaAdminClient, specs) -> list[Drift]:
    try:
        return config_drift(admin, specs)
    except KafkaError as error:
        log.warning("topic_configs_unchecked", reason=repr(error))
        return []


@contextlib.contextmanager
def _admin(bootstrap: str, settings: Settings, wait_s: float) -> Iterator:
    admin = _connect(bootstrap, settings, wait_s)
    try:
        yield admin
    finally:
        admin.close()


def _connect(bootstrap: str, settings: Settings, wait_s: float) -> KafkaAdminClient:
    security = settings.kafka_security.kafka_python()
    deadline = time.monotonic() + wait_s
    while True:
        try:
            return KafkaAdminClient(
                bootstrap_servers=bootstrap, client_id="ledger", **security
            )
        except KafkaError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def seal_changelogs(
    bootstrap: str, topics: list[str], partitions: int, settings: Settings
) -> None:
    """Close every existing changelog partition with a lone tombstone.

    A worker killed while writing a batch leaves a multi-record batch at the end
    of a changelog, and Tansu reports that partition's end as the batch's base
    offset + 1: recovery would stop short of records it then applies anyway, and
    the next restart would find its stored offset past the end (Faust's
    ConsistencyError). A seal written before recovery makes the end true again.
    """
    with _admin(bootstrap, settings, wait_s=30) as admin:
        existing = set(admin.list_topics()) & set(topics)
    if not existing:
        return
    security = settings.kafka_security.kafka_python()
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", **security)
    for topic in sorted(existing):
        for partition in range(partitions):
            key = orjson.dumps(seal_key(partition))
            producer.send(topic, key=key, value=None, partition=partition)
    producer.flush()
    producer.close()
