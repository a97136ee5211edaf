"""The topics `ledger provision` creates, and how drift from them is judged."""

from kafka.errors import TopicAlreadyExistsError

from ledger.config import Settings
from ledger.provisioning import config_drift, create_missing, layout_drift
from ledger.stream.app import create_app
from ledger.stream.tables import declare_tables
from ledger.topic_specs import ledger_topics


def test_the_record_is_kept_forever_and_changelogs_are_compacted():
    settings = Settings(topic="acts", app_id="led", partitions=12, replication=3)
    specs = {spec.name: spec for spec in ledger_topics(settings)}
    assert list(specs) == [
        "acts",
        "acts.dlq",
        "led-cells-changelog",
        "led-agencies-changelog",
        "led-seen-changelog",
        "led-counters-changelog",
        "led-agency_months-changelog",
        "led-__assignor-__leader",
    ]
    for name in ("acts", "acts.dlq"):
        assert specs[name].configs == {"retention.ms": "-1", "cleanup.policy": "delete"}
    for name in list(specs)[2:7]:
        assert specs[name].configs == {"cleanup.policy": "compact"}
    sizes = [(s.partitions, s.replication) for s in specs.values()]
    assert sizes == [(12, 3)] * 7 + [(1, 3)]


def test_min_insync_replicas_goes_to_every_topic_when_set():
    specs = ledger_topics(Settings(replication=3, min_insync_replicas=2))
    assert {spec.configs["min.insync.replicas"] for spec in specs} == {"2"}


def test_the_changelog_names_are_the_ones_faust_gives_the_tables(tmp_path):
    settings = Settings(app_id="ledger-x", data_dir=tmp_path)
    app = create_app(settings, "127.0.0.1:9", partitions=6)
    faust_names = {t.changelog_topic_name for t in declare_tables(app, 6).all()}
    faust_names.add(app._leader_assignor._leader_topic_name)  # noqa: SLF001
    assert faust_names == {spec.name for spec in ledger_topics(settings)[2:]}


class FakeAdmin:
    """Answers as kafka-python's admin client does, from a dict of topics."""

    def __init__(self, topics: dict[str, tuple[int, int, dict]]):
        self.topics = topics

    def list_topics(self):
        return list(self.topics)

    def create_topics(self, new):
        (topic,) = new
        if topic.name in self.topics:
            raise TopicAlreadyExistsError()
        configs = dict(topic.topic_configs)
        self.topics[topic.name] = (
            topic.num_partitions,
            topic.replication_factor,
            configs,
        )

    def describe_topics(self, names):
        return [self._description(name) for name in names]

    def describe_configs(self, resources, config_filter):
        assert config_filter == "all"
        return {
            "topic": {
                r.name: {k: {"value": v} for k, v in self.topics[r.name][2].items()}
                for r in resources
            }
        }

    def _description(self, name):
        partitions, replicas, _ = self.topics[name]
        parts = [{"replica_nodes": list(range(replicas))} for _ in range(partitions)]
        return {"name": name, "error_code": 0, "partitions": parts}


def test_only_missing_topics_are_created_and_a_second_run_changes_nothing():
    specs = ledger_topics(Settings(topic="a", app_id="l"))
    admin = FakeAdmin({"a": (6, 1, {"retention.ms": "-1", "cleanup.policy": "delete"})})
    assert create_missing(admin, specs) == [spec.name for spec in specs[1:]]
    assert create_missing(admin, specs) == []
    assert layout_drift(admin, specs) + config_drift(admin, specs) == []


def test_wrong_partitions_replication_and_configs_are_each_named():
    specs = ledger_topics(Settings(topic="a", app_id="l", replication=3))
    admin = FakeAdmin({"a": (3, 1, {"retention.ms": "604800000"})})
    drift = layout_drift(admin, specs[:1]) + config_drift(admin, specs[:1])
    assert [str(d) for d in drift] == [
        "topic a: partitions is 3, wanted 6",
        "topic a: replication factor is 1, wanted 3",
        "topic a: retention.ms is 604800000, wanted -1",
    ]
    assert [d.breaks_tables for d in drift] == [True, False, False]


def test_a_config_the_broker_does_not_report_is_not_judged():
    specs = ledger_topics(Settings(topic="a", app_id="l", min_insync_replicas=2))
    admin = FakeAdmin({"a": (6, 1, {"cleanup.policy": "delete"})})
    assert config_drift(admin, specs[:1]) == []
