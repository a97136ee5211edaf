"""`ledger provision` on a real broker: every topic with its configs, idempotent,
and a clear refusal when an existing topic has the wrong partition count."""

import os
import subprocess
import sys
import uuid

import pytest
from kafka import KafkaAdminClient
from kafka.admin import ConfigResource, ConfigResourceType, NewTopic

from ledger.config import Settings
from ledger.kafka_admin import TopicLayoutError, ensure_topics
from ledger.topic_specs import ledger_topics


@pytest.fixture
def names():
    label = uuid.uuid4().hex[:8]
    return {"LEDGER_TOPIC": f"prov-{label}", "LEDGER_APP_ID": f"app-{label}"}


def provision(broker, names, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ledger", "provision"],
        env={
            **os.environ,
            "LEDGER_KAFKA_BOOTSTRAP": broker.bootstrap,
            **names,
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_provision_creates_every_topic_with_its_configs_and_runs_again(broker, names):
    first = provision(broker, names, LEDGER_PARTITIONS="4")
    assert first.returncode == 0, first.stderr
    again = provision(broker, names, LEDGER_PARTITIONS="4")
    assert again.returncode == 0, again.stderr
    assert "every topic as wanted" in again.stdout

    settings = Settings(topic=names["LEDGER_TOPIC"], app_id=names["LEDGER_APP_ID"])
    specs = ledger_topics(settings, partitions=4)
    admin = KafkaAdminClient(bootstrap_servers=broker.bootstrap)
    try:
        described = admin.describe_topics([spec.name for spec in specs])
        configs = admin.describe_configs(
            [ConfigResource(ConfigResourceType.TOPIC, s.name) for s in specs],
            config_filter="all",
        )["topic"]
    finally:
        admin.close()
    assert [len(d["partitions"]) for d in described] == [4] * 7 + [1]
    for spec in specs:
        actual = {key: configs[spec.name][key]["value"] for key in spec.configs}
        assert actual == spec.configs, spec.name


def test_a_wrong_partition_count_is_refused_naming_each_topic(broker, names):
    assert provision(broker, names).returncode == 0
    wrong = provision(broker, names, LEDGER_PARTITIONS="3")
    assert wrong.returncode != 0
    assert f"topic {names['LEDGER_TOPIC']}: partitions is 6, wanted 3" in wrong.stderr
    assert wrong.stderr.count("partitions is 6, wanted 3") == 7


def test_a_worker_will_not_start_on_changelogs_sized_unlike_the_topic(broker, names):
    settings = Settings(topic=names["LEDGER_TOPIC"], app_id=names["LEDGER_APP_ID"])
    odd = ledger_topics(settings)[3].name  # the agencies changelog
    admin = KafkaAdminClient(bootstrap_servers=broker.bootstrap)
    admin.create_topics([NewTopic(odd, num_partitions=2, replication_factor=1)])
    admin.close()
    with pytest.raises(TopicLayoutError, match=f"topic {odd}: partitions is 2"):
        ensure_topics(broker.bootstrap, settings)
