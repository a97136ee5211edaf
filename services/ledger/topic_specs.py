"""Every topic the ledger uses and the settings it must have, as plain data.

`ledger provision` creates these before any worker starts, and a worker checks
them at startup with the same code (``kafka_admin.ensure_topics``).
"""

from dataclasses import dataclass

from ledger.config import Settings

# The tables stream/tables.py declares; Faust names their changelogs after them.
TABLES = ("cells", "agencies", "seen", "counters", "agency_months")
# The activity and dead-letter topics are the record: nothing expires.
KEEP_FOREVER = {"retention.ms": "-1", "cleanup.policy": "delete"}
# A changelog keeps the last value of each key.
COMPACTED = {"cleanup.policy": "compact"}


@dataclass(frozen=True)
class TopicSpec:
    name: str
    partitions: int
    replication: int
    configs: dict[str, str]


def changelog_topic(app_id: str, table: str) -> str:
    """The name Faust gives a table's changelog (app version 1)."""
    return f"{app_id}-{table}-changelog"


def leader_topic(app_id: str) -> str:
    """Faust's leader election topic: one partition, never written."""
    return f"{app_id}-__assignor-__leader"


def ledger_topics(settings: Settings, partitions: int | None = None) -> list[TopicSpec]:
    """The activity topic first, then its dead letters, the five changelogs and
    Faust's leader topic (provisioned, a worker needs no right to create topics).

    ``partitions`` overrides LEDGER_PARTITIONS: a worker sizes the rest after the
    activity topic as it exists, since the tables are co-partitioned with it.
    """
    count = partitions or settings.partitions
    insync = settings.min_insync_replicas
    shared = {"min.insync.replicas": str(insync)} if insync else {}

    def spec(name: str, configs: dict[str, str], count: int = count) -> TopicSpec:
        return TopicSpec(name, count, settings.replication, {**configs, **shared})

    changelogs = [changelog_topic(settings.app_id, table) for table in TABLES]
    return [
        spec(settings.topic, KEEP_FOREVER),
        spec(settings.dlq_topic, KEEP_FOREVER),
        *(spec(name, COMPACTED) for name in changelogs),
        spec(leader_topic(settings.app_id), {}, count=1),
    ]
