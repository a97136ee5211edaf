"""docker-compose.yml: three replicated brokers, workers that agree with the
provisioning job, state on named volumes, health checks, monitoring on demand."""

import re
from urllib.parse import urlsplit

import yaml
from compose_file import (
    ROOT,
    brokers,
    depends_on,
    env,
    healthcheck,
    ledger_services,
    mounts,
    resolved,
    services,
    workers,
)

SHARED = (
    "LEDGER_KAFKA_BOOTSTRAP",
    "LEDGER_TOPIC",
    "LEDGER_APP_ID",
    "LEDGER_PARTITIONS",
    "LEDGER_REPLICATION",
    "LEDGER_MIN_INSYNC_REPLICAS",
)


def broker_settings(name: str) -> set[str]:
    """The value every broker gives KAFKA_<name>."""
    return {env(broker)[f"KAFKA_{name}"] for broker in brokers().values()}


def test_three_kraft_brokers_form_one_quorum():
    found = brokers()
    assert len(found) == 3
    ids = {env(b)["KAFKA_NODE_ID"]: name for name, b in found.items()}
    voters = ",".join(f"{i}@{name}:9093" for i, name in sorted(ids.items()))
    assert set(ids) == {"1", "2", "3"}
    assert broker_settings("CONTROLLER_QUORUM_VOTERS") == {voters}
    assert broker_settings("PROCESS_ROLES") == {"broker,controller"}
    assert len({env(b)["CLUSTER_ID"] for b in found.values()}) == 1
    for broker in found.values():
        assert re.fullmatch(r"apache/kafka:\d+\.\d+\.\d+", broker["image"])


def test_brokers_replicate_three_ways_and_acknowledge_on_two():
    assert broker_settings("DEFAULT_REPLICATION_FACTOR") == {"3"}
    assert broker_settings("MIN_INSYNC_REPLICAS") == {"2"}
    assert broker_settings("UNCLEAN_LEADER_ELECTION_ENABLE") == {"false"}
    assert broker_settings("OFFSETS_TOPIC_REPLICATION_FACTOR") == {"3"}
    assert broker_settings("TRANSACTION_STATE_LOG_REPLICATION_FACTOR") == {"3"}
    assert broker_settings("TRANSACTION_STATE_LOG_MIN_ISR") == {"2"}
    assert broker_settings("AUTO_CREATE_TOPICS_ENABLE") == {"false"}


def test_every_ledger_service_agrees_with_the_provisioning_job():
    provision = env(services()["provision"])
    assert services()["provision"]["command"] == ["ledger", "provision"]
    for name, service in ledger_services().items():
        differ = [key for key in SHARED if env(service).get(key) != provision[key]]
        assert differ == [], name
    assert provision["LEDGER_REPLICATION"] == str(len(brokers()))
    assert {provision["LEDGER_MIN_INSYNC_REPLICAS"]} == broker_settings(
        "MIN_INSYNC_REPLICAS"
    )


def test_the_ledger_bootstraps_from_every_broker_client_listener():
    advertised = {
        listener.split("://")[1]
        for broker in brokers().values()
        for listener in env(broker)["KAFKA_ADVERTISED_LISTENERS"].split(",")
        if listener.startswith("SASL_SSL://")
    }
    bootstrap = env(services()["provision"])["LEDGER_KAFKA_BOOTSTRAP"]
    assert set(bootstrap.split(",")) == advertised
    assert len(advertised) == 3


def test_each_worker_keeps_its_state_on_its_own_named_volume():
    named = set(resolved()["volumes"])
    sources = []
    for name, worker in workers().items():
        state = mounts(worker)[env(worker)["LEDGER_DATA_DIR"]]
        assert state["type"] == "volume" and state["source"] in named, name
        sources.append(state["source"])
    assert len(workers()) >= 3
    assert len(set(sources)) == len(sources)
    for broker in brokers().values():
        assert mounts(broker)[env(broker)["KAFKA_LOG_DIRS"]]["source"] in named


def test_each_worker_advertises_a_url_the_others_reach():
    for name, worker in workers().items():
        settings = env(worker)
        url = urlsplit(settings["LEDGER_ADVERTISED_URL"])
        assert (url.hostname, str(url.port)) == (name, settings["LEDGER_WEB_PORT"])
        assert settings["LEDGER_WEB_HOST"] == "0.0.0.0"


def test_workers_start_after_provisioning_on_a_healthy_cluster():
    healthy = dict.fromkeys(brokers(), "service_healthy")
    done = "service_completed_successfully"
    assert depends_on(services()["kafka-setup"]) == healthy
    assert depends_on(services()["provision"]) == {**healthy, "kafka-setup": done}
    for worker in workers().values():
        wanted = {**healthy, "kafka-setup": done, "provision": done}
        assert depends_on(worker) == wanted


def test_brokers_and_workers_have_health_checks():
    for broker in brokers().values():
        assert "kafka-broker-api-versions.sh" in " ".join(healthcheck(broker))
    for worker in workers().values():
        check = " ".join(healthcheck(worker))
        assert "/readyz" in check and "urllib" in check
        port = env(worker)["LEDGER_WEB_PORT"]
        assert f"127.0.0.1:{port}/readyz" in check


def test_every_service_has_resource_limits():
    for name, service in services().items():
        limits = service["deploy"]["resources"]["limits"]
        assert limits.get("memory") and limits.get("cpus"), name


def test_prometheus_and_grafana_run_only_in_the_monitoring_profile():
    profiled = {n for n, s in services().items() if s.get("profiles")}
    assert profiled == {"prometheus", "grafana"}
    for name in profiled:
        assert services()[name]["profiles"] == ["monitoring"]


def test_prometheus_scrapes_every_worker_and_loads_the_alerts():
    config_dir = mounts(services()["prometheus"])["/etc/prometheus"]["source"]
    config = yaml.safe_load((ROOT / config_dir / "prometheus.yml").read_text())
    (job,) = config["scrape_configs"]
    targets = {t for group in job["static_configs"] for t in group["targets"]}
    urls = [urlsplit(env(w)["LEDGER_ADVERTISED_URL"]) for w in workers().values()]
    assert targets == {url.netloc for url in urls}
    assert config["rule_files"] == ["alerts.yml"]


def test_grafana_is_provisioned_with_the_board_and_its_data_source():
    grafana = mounts(services()["grafana"])
    provisioning = ROOT / grafana["/etc/grafana/provisioning"]["source"]
    (provider,) = yaml.safe_load(
        (provisioning / "dashboards" / "partnership-ledger.yml").read_text()
    )["providers"]
    board = f"{provider['options']['path']}/partnership-ledger.dashboard.json"
    assert grafana[board]["source"].endswith("deploy/grafana/" + board.split("/")[-1])
    (source,) = yaml.safe_load(
        (provisioning / "datasources" / "prometheus.yml").read_text()
    )["datasources"]
    assert urlsplit(source["url"]).hostname in services()
    assert source["type"] == "prometheus" and source["isDefault"] is True
