"""Creates the ledger's missing topics and says how existing ones differ from spec."""

from dataclasses import dataclass

import structlog
from kafka import KafkaAdminClient
from kafka.admin import ConfigResource, ConfigResourceType, NewTopic
from kafka.errors import TopicAlreadyExistsError, for_code

from ledger.topic_specs import TopicSpec

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Drift:
    """One way an existing topic differs from its spec."""

    topic: str
    setting: str
    actual: str
    wanted: str

    def __str__(self) -> str:
        wanted = f"wanted {self.wanted}"
        return f"topic {self.topic}: {self.setting} is {self.actual}, {wanted}"

    @property
    def breaks_tables(self) -> bool:
        """Tables are co-partitioned with the activity topic: a worker cannot run."""
        return self.setting == "partitions"


def create_missing(admin: KafkaAdminClient, specs: list[TopicSpec]) -> list[str]:
    """Create each topic that does not exist yet; return the names created."""
    existing = set(admin.list_topics())
    created = []
    for spec in specs:
        if spec.name in existing:
            continue
        topic = NewTopic(
            spec.name,
            num_partitions=spec.partitions,
            replication_factor=spec.replication,
            topic_configs=spec.configs,
        )
        try:
            admin.create_topics([topic])
        except TopicAlreadyExistsError:  # another worker was first
            continue
        log.info("topic_created", topic=spec.name, partitions=spec.partitions)
        created.append(spec.name)
    return created


def partition_count(admin: KafkaAdminClient, name: str) -> int:
    (description,) = _describe(admin, [name])
    return len(description["partitions"])


def layout_drift(admin: KafkaAdminClient, specs: list[TopicSpec]) -> list[Drift]:
    """Partition counts and replication factors that differ from the specs."""
    drift = []
    described = _describe(admin, [spec.name for spec in specs])
    for spec, description in zip(specs, described, strict=True):
        partitions = description["partitions"]
        replicas = len(partitions[0]["replica_nodes"]) if partitions else 0
        for setting, actual, wanted in (
            ("partitions", len(partitions), spec.partitions),
            ("replication factor", replicas, spec.replication),
        ):
            if actual != wanted:
                drift.append(Drift(spec.name, setting, str(actual), str(wanted)))
    return drift


def config_drift(admin: KafkaAdminClient, specs: list[TopicSpec]) -> list[Drift]:
    """Topic configs that differ; one the broker does not report is not judged."""
    if not specs:
        return []
    resources = [ConfigResource(ConfigResourceType.TOPIC, s.name) for s in specs]
    described = admin.describe_configs(resources, config_filter="all")
    drift = []
    for spec in specs:
        actual = described.get("topic", {}).get(spec.name, {})
        for key, wanted in spec.configs.items():
            value = actual.get(key, {}).get("value", wanted)
            if value != wanted:
                drift.append(Drift(spec.name, key, str(value), wanted))
    return drift


def _describe(admin: KafkaAdminClient, names: list[str]) -> list[dict]:
    if not names:
        return []
    by_name = {d["name"]: d for d in admin.describe_topics(names)}
    for name in names:
        error = for_code(by_name[name]["error_code"])
        if error.errno:
            raise error(f"describing topic {name}")
    return [by_name[name] for name in names]
