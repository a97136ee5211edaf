"""docker-compose.yml: SASL_SSL for clients, mTLS and ACLs between brokers, every
secret a git-ignored file, and settings the ledger itself accepts."""

import os
import re
import subprocess
from pathlib import Path

import dev_secrets
import pytest
from compose_file import (
    ROOT,
    SECRETS,
    brokers,
    dotenv,
    env,
    ledger_services,
    resolved,
    secret_names,
    services,
)

from ledger.config import Settings

SECRET_WORD = re.compile(r"PASSWORD|PASSWD|SECRET|TOKEN|CREDENTIALS|API_KEY", re.I)
INLINE_SECRET = re.compile(r"password\s*[=:]\s*\S", re.I)
RUN_SECRETS = re.compile(r"/run/secrets/([\w.-]+)")
SETUP = ROOT / "deploy" / "kafka" / "setup.sh"


def is_secret_file_setting(key: str, value: str) -> bool:
    """*_FILE holds a path; the Kafka image's *_CREDENTIALS name a file it reads."""
    if key.endswith("_FILE"):
        return value.startswith("/run/secrets/")
    return key.endswith("_CREDENTIALS") and re.fullmatch(r"[\w.-]+", value) is not None


def test_no_secret_is_written_into_a_service_environment():
    for name, service in services().items():
        for key, value in env(service).items():
            if SECRET_WORD.search(key):
                assert is_secret_file_setting(key, value), (name, key)
            assert not INLINE_SECRET.search(value), (name, key)


def test_dotenv_holds_no_secrets():
    assert [key for key in dotenv() if SECRET_WORD.search(key)] == []


def test_every_secret_is_a_git_ignored_file():
    for name, secret in resolved()["secrets"].items():
        path = Path(secret["file"])
        assert path.parent == SECRETS or path.parent.parent == SECRETS, name
        ignored = subprocess.run(
            ["git", "check-ignore", "--quiet", str(path.relative_to(ROOT))], cwd=ROOT
        )
        assert ignored.returncode == 0, f"{path} is not git-ignored"


def test_services_read_only_the_secrets_they_are_given():
    for name, service in services().items():
        wanted = {m for v in env(service).values() for m in RUN_SECRETS.findall(v)}
        assert wanted <= secret_names(service), name


def test_clients_reach_the_brokers_over_sasl_ssl_with_scram_sha_512():
    for broker in brokers().values():
        settings = env(broker)
        assert "SASL_SSL:SASL_SSL" in settings["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"]
        assert settings["KAFKA_SASL_ENABLED_MECHANISMS"] == "SCRAM-SHA-512"
    for name, service in ledger_services().items():
        settings = env(service)
        assert settings["LEDGER_KAFKA_SECURITY_PROTOCOL"] == "SASL_SSL", name
        assert settings["LEDGER_KAFKA_SASL_MECHANISM"] == "SCRAM-SHA-512", name
        assert settings["LEDGER_KAFKA_SSL_CAFILE"].startswith("/run/secrets/"), name


def test_brokers_talk_to_each_other_over_mutual_tls_and_enforce_acls():
    for name, broker in brokers().items():
        settings = env(broker)
        protocols = dict(
            pair.split(":")
            for pair in settings["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"].split(",")
        )
        internal = settings["KAFKA_INTER_BROKER_LISTENER_NAME"]
        for listener in (internal, settings["KAFKA_CONTROLLER_LISTENER_NAMES"]):
            assert protocols[listener] == "SSL"
            auth = settings[f"KAFKA_LISTENER_NAME_{listener}_SSL_CLIENT_AUTH"]
            assert auth == "required"
        assert settings["KAFKA_AUTHORIZER_CLASS_NAME"].endswith("StandardAuthorizer")
        assert settings["KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND"] == "false"
        assert f"User:{name}" in settings["KAFKA_SUPER_USERS"].split(";")
        rule = settings["KAFKA_SSL_PRINCIPAL_MAPPING_RULES"].replace("$$", "$")
        assert rule == "RULE:^CN=([^,]+)$/$1/,DEFAULT"


def test_kafka_setup_makes_the_login_each_ledger_service_uses():
    script = SETUP.read_text()
    given = secret_names(services()["kafka-setup"])
    for name, service in ledger_services().items():
        settings = env(service)
        user = settings["LEDGER_KAFKA_SASL_USERNAME"]
        password = settings["LEDGER_KAFKA_SASL_PASSWORD_FILE"]
        assert f"scram_user {user} {password}\n" in script, name
        assert RUN_SECRETS.fullmatch(password).group(1) in given
        assert re.search(rf"^allow {re.escape(user)} ", script, re.M), name


def test_emitting_services_may_only_write_the_activity_topic():
    grants = [
        line for line in SETUP.read_text().splitlines() if "allow emitter" in line
    ]
    assert grants == [
        'allow emitter --operation Write --operation Describe --topic "$LEDGER_TOPIC"'
    ]


@pytest.fixture(scope="module")
def secrets_folder(tmp_path_factory) -> Path:
    return dev_secrets.make(tmp_path_factory.mktemp("deploy") / "secrets")


def test_compose_settings_are_ones_the_ledger_accepts(secrets_folder, monkeypatch):
    """Each ledger service's environment, with /run/secrets/<name> pointing at the
    file compose would mount there (made by dev-secrets.sh), builds Settings."""
    files = {
        name: secrets_folder / Path(secret["file"]).relative_to(SECRETS)
        for name, secret in resolved()["secrets"].items()
    }
    for name, service in ledger_services().items():
        for key in [key for key in os.environ if key.startswith("LEDGER_")]:
            monkeypatch.delenv(key)
        for key, value in env(service).items():
            mounted = RUN_SECRETS.fullmatch(value)
            monkeypatch.setenv(key, str(files[mounted.group(1)]) if mounted else value)
        settings = Settings()
        assert settings.kafka_security_protocol == "SASL_SSL", name
        assert settings.partitions == int(env(service)["LEDGER_PARTITIONS"])
