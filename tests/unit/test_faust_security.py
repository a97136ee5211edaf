"""The worker's Faust clients (aiokafka) get the same login and TLS context as
kafka-python, and that context really completes a mutual TLS handshake."""

import asyncio
import socket
import ssl
import threading

import aiokafka
import faust
import pytest
from faust.transport.drivers import aiokafka as faust_kafka

from ledger.config import Settings
from ledger.stream.app import create_app
from tls_material import make_tls

AUTH_KEYS = ("security_protocol", "sasl_mechanism", "sasl_plain_username")


@pytest.fixture
def tls(tmp_path):
    return make_tls(tmp_path)


@pytest.fixture
def built_clients(monkeypatch, tmp_path):
    """Build a worker app's consumer and producer; return the keyword arguments
    Faust gave aiokafka, without connecting."""
    made: dict[str, dict] = {}

    def recorder(kind):
        return lambda **kwargs: made.setdefault(kind, kwargs)

    def build(**settings) -> dict[str, dict]:
        config = Settings(data_dir=tmp_path, **settings)
        monkeypatch.setattr(aiokafka, "AIOKafkaConsumer", recorder("consumer"))
        monkeypatch.setattr(aiokafka, "AIOKafkaProducer", recorder("producer"))

        async def construct():
            app = create_app(config, "k1:9093,k2:9093", partitions=6)
            thread = app.consumer._thread  # noqa: SLF001
            base = faust_kafka.AIOKafkaConsumerThread
            base._create_worker_consumer(thread, app.transport)  # noqa: SLF001
            app.producer._new_producer()  # noqa: SLF001
            return app

        made["app"] = asyncio.run(construct())
        return made

    return build


def test_scram_over_tls_reaches_both_aiokafka_clients(built_clients, tls):
    made = built_clients(
        kafka_security_protocol="SASL_SSL",
        kafka_sasl_mechanism="SCRAM-SHA-512",
        kafka_sasl_username="ledger-worker",
        kafka_sasl_password="s3cret",
        kafka_ssl_cafile=tls.cafile,
    )
    credentials = made["app"].conf.broker_credentials
    assert isinstance(credentials, faust.SASLCredentials)
    for kind in ("consumer", "producer"):
        kwargs = made[kind]
        assert [kwargs[key] for key in AUTH_KEYS] == [
            "SASL_SSL",
            "SCRAM-SHA-512",
            "ledger-worker",
        ]
        assert kwargs["sasl_plain_password"] == "s3cret"
        assert kwargs["ssl_context"] is credentials.ssl_context is not None
        assert kwargs["bootstrap_servers"] == ["k1:9093", "k2:9093"]


def test_plain_sasl_without_tls_and_tls_without_sasl(built_clients, tls):
    plain = built_clients(
        kafka_security_protocol="SASL_PLAINTEXT",
        kafka_sasl_mechanism="PLAIN",
        kafka_sasl_username="u",
        kafka_sasl_password="p",
    )
    assert (
        plain["consumer"]["security_protocol"],
        plain["consumer"]["ssl_context"],
    ) == (
        "SASL_PLAINTEXT",
        None,
    )
    assert plain["producer"]["sasl_mechanism"] == "PLAIN"


def test_tls_alone_gives_faust_ssl_credentials(built_clients, tls):
    made = built_clients(kafka_security_protocol="SSL", kafka_ssl_cafile=tls.cafile)
    assert isinstance(made["app"].conf.broker_credentials, faust.SSLCredentials)
    assert made["consumer"]["security_protocol"] == "SSL"
    assert isinstance(made["producer"]["ssl_context"], ssl.SSLContext)


def test_aiokafka_accepts_what_faust_derives(tls):
    """The real client classes check the combination (e.g. TLS needs a context)."""
    settings = Settings(
        kafka_security_protocol="SASL_SSL",
        kafka_sasl_mechanism="SCRAM-SHA-256",
        kafka_sasl_username="u",
        kafka_sasl_password="p",
        kafka_ssl_cafile=tls.cafile,
    )
    auth = faust_kafka.credentials_to_aiokafka_auth(settings.kafka_security.faust())

    async def construct():
        consumer = aiokafka.AIOKafkaConsumer(bootstrap_servers="k:9093", **auth)
        producer = aiokafka.AIOKafkaProducer(bootstrap_servers="k:9093", **auth)
        await producer.stop()
        await consumer.stop()

    asyncio.run(construct())


def test_the_context_verifies_the_broker_and_presents_the_client_certificate(tls):
    settings = Settings(
        kafka_security_protocol="SSL",
        kafka_ssl_cafile=tls.cafile,
        kafka_ssl_certfile=tls.client_cert,
        kafka_ssl_keyfile=tls.client_key_encrypted("k"),
        kafka_ssl_key_password_file=_write(tls.folder / "pw", "k\n"),
    )
    client = settings.kafka_security.ssl_context
    peer = _handshake(tls.server_context("localhost"), client, "localhost")
    assert ("DNS", "ledger-worker") in peer["subjectAltName"]
    with pytest.raises(ssl.SSLCertVerificationError):
        _handshake(tls.server_context("elsewhere"), client, "localhost")


def _handshake(server: ssl.SSLContext, client: ssl.SSLContext, host: str) -> dict:
    """Connect once; return the client certificate the server saw."""
    listener = socket.create_server(("127.0.0.1", 0))
    seen: dict = {}

    def serve() -> None:
        conn, _ = listener.accept()
        try:
            with server.wrap_socket(conn, server_side=True) as tls_conn:
                seen.update(tls_conn.getpeercert())
        except (ssl.SSLError, OSError):
            pass

    thread = threading.Thread(target=serve)
    thread.start()
    try:
        with (
            socket.create_connection(listener.getsockname()) as raw,
            client.wrap_socket(raw, server_hostname=host) as conn,
        ):
            conn.sendall(b"x")
    finally:
        thread.join(timeout=5)
        listener.close()
    return seen


def _write(path, text):
    path.write_text(text)
    return path
