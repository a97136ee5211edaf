"""The ledger's real clients over mutual TLS: `ledger provision`, a worker (Faust's
aiokafka clients), `ledger emit`, the producer library and `ledger dlq`, all
through a TLS-terminating front of the embedded broker. (SASL cannot be run
here: the embedded broker has no authentication.)"""

import json
import os
import socket
import ssl
import subprocess
import sys

import pytest

from harness import Ledger, processed, wait_for
from ledger.config import Settings
from ledger.producer.client import LedgerProducer
from tls_material import make_tls
from tls_proxy import TlsFrontedBroker
from wire import OWN_FIELDS, wire_event

AT = "2025-05-02T09:00:00Z"
TRAINING = OWN_FIELDS["training_delivered"]


@pytest.fixture
def tls_broker(tmp_path):
    tls = make_tls(tmp_path)
    env = {
        "LEDGER_KAFKA_SECURITY_PROTOCOL": "SSL",
        "LEDGER_KAFKA_SSL_CAFILE": str(tls.cafile),
        "LEDGER_KAFKA_SSL_CERTFILE": str(tls.client_cert),
        "LEDGER_KAFKA_SSL_KEYFILE": str(tls.client_key_encrypted("k")),
        "LEDGER_KAFKA_SSL_KEY_PASSWORD_FILE": str(_write(tmp_path / "pw", "k\n")),
    }
    context = tls.server_context("127.0.0.1")
    with TlsFrontedBroker(context, tmp_path / "broker.log") as broker:
        yield broker, env


def test_every_client_of_the_ledger_works_over_mutual_tls(tls_broker, tmp_path_factory):
    broker, env = tls_broker
    ledger = Ledger.fresh(broker.bootstrap, tmp_path_factory, "tls")
    env |= {
        "LEDGER_KAFKA_BOOTSTRAP": broker.bootstrap,
        "LEDGER_TOPIC": ledger.topic,
        "LEDGER_APP_ID": ledger.app_id,
    }
    assert ledger_command(env, "provision").returncode == 0
    worker = ledger.new_worker(**env).start()
    try:
        event = wire_event("meeting_held", AT, participants=2)
        emitted = ledger_command(env, "emit", json.dumps(event))
        assert emitted.stdout.strip() == event["event_id"], emitted.stderr
        security = _settings(env).kafka_security.kafka_python()
        with LedgerProducer(broker.bootstrap, ledger.topic, security=security) as p:
            p.publish(wire_event("training_delivered", AT, **TRAINING))
        stats = wait_for(processed(worker, 2), timeout=60)
        assert (stats["accepted"], stats["rejected"]) == (2, 0)
        listed = ledger_command(env, "dlq", "list")
        assert listed.returncode == 0 and "0 dead letters" in listed.stdout
    finally:
        ledger.stop()


def test_the_front_really_requires_our_ca(tls_broker):
    """So the test above cannot have passed over plain TCP or another trust."""
    broker, _ = tls_broker
    host, port = broker.bootstrap.split(":")
    system_trust = ssl.create_default_context()
    with (
        socket.create_connection((host, int(port)), timeout=5) as raw,
        pytest.raises(ssl.SSLCertVerificationError),
    ):
        system_trust.wrap_socket(raw, server_hostname=host)


def ledger_command(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ledger", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _settings(env: dict) -> Settings:
    names = {k.removeprefix("LEDGER_").lower(): v for k, v in env.items()}
    return Settings(**names)


def _write(path, text):
    path.write_text(text)
    return path
