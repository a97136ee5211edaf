"""LEDGER_KAFKA_* settings reach kafka-python's and Faust's clients as meant."""

import ssl

import pytest
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from pydantic import ValidationError

from ledger.config import Settings
from ledger.producer.kafka_transport import kafka_transport
from tls_material import make_tls

SCRAM = {
    "kafka_security_protocol": "SASL_SSL",
    "kafka_sasl_mechanism": "SCRAM-SHA-512",
    "kafka_sasl_username": "ledger-worker",
}


@pytest.fixture
def tls(tmp_path):
    return make_tls(tmp_path)


def test_plaintext_is_the_default_and_adds_nothing_but_the_protocol():
    security = Settings().kafka_security
    assert security.kafka_python() == {"security_protocol": "PLAINTEXT"}
    assert security.faust() is None


def test_sasl_ssl_gives_kafka_python_the_login_and_a_verifying_tls_context(tls):
    settings = Settings(
        **SCRAM, kafka_sasl_password="s3cret", kafka_ssl_cafile=tls.cafile
    )
    kwargs = settings.kafka_security.kafka_python()
    assert {k: v for k, v in kwargs.items() if k != "ssl_context"} == {
        "security_protocol": "SASL_SSL",
        "sasl_mechanism": "SCRAM-SHA-512",
        "sasl_plain_username": "ledger-worker",
        "sasl_plain_password": "s3cret",
    }
    context = kwargs["ssl_context"]
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    (ca,) = context.get_ca_certs()  # the given CA alone, not the system's
    assert "Testing CA" in str(ca["subject"])


@pytest.mark.parametrize("client", [KafkaProducer, KafkaConsumer, KafkaAdminClient])
def test_every_kafka_python_client_knows_each_setting_given_to_it(client, tls):
    settings = Settings(**SCRAM, kafka_sasl_password="p", kafka_ssl_cafile=tls.cafile)
    assert set(settings.kafka_security.kafka_python()) <= set(client.DEFAULT_CONFIG)


def test_the_password_file_wins_over_the_variable_without_its_newline(tmp_path):
    secret = tmp_path / "password"
    secret.write_text("from-the-file\n")
    settings = Settings(
        **{**SCRAM, "kafka_security_protocol": "SASL_PLAINTEXT"},
        kafka_sasl_password="from-the-environment",
        kafka_sasl_password_file=secret,
    )
    assert settings.kafka_security.sasl_password == "from-the-file"
    assert "from-the-file" not in repr(settings.kafka_security)


def test_a_missing_secret_file_stops_the_start_naming_the_setting(tmp_path):
    with pytest.raises(ValidationError, match="LEDGER_KAFKA_SASL_PASSWORD_FILE="):
        Settings(**SCRAM, kafka_sasl_password_file=tmp_path / "absent")


@pytest.mark.parametrize(
    ("settings", "complaint"),
    [
        ({"kafka_security_protocol": "SASL_SSL"}, "LEDGER_KAFKA_SASL_MECHANISM"),
        ({**SCRAM}, "LEDGER_KAFKA_SASL_PASSWORD"),
        ({"kafka_sasl_username": "u"}, "SASL settings are set but"),
        (
            {
                "kafka_security_protocol": "SASL_PLAINTEXT",
                "kafka_sasl_mechanism": "GSSAPI",
            },
            "kafka_sasl_mechanism",
        ),
    ],
)
def test_settings_that_contradict_each_other_are_refused(settings, complaint):
    with pytest.raises(ValidationError, match=complaint):
        Settings(**settings)


def test_tls_files_without_a_tls_protocol_are_refused(tls):
    with pytest.raises(ValidationError, match="TLS files are set but"):
        Settings(kafka_ssl_cafile=tls.cafile)


def test_a_client_certificate_with_an_encrypted_key_is_loaded_at_start(tls, tmp_path):
    password_file = tmp_path / "key-password"
    password_file.write_text("keypass\n")
    settings = Settings(
        kafka_security_protocol="SSL",
        kafka_ssl_cafile=tls.cafile,
        kafka_ssl_certfile=tls.client_cert,
        kafka_ssl_keyfile=tls.client_key_encrypted("keypass"),
        kafka_ssl_key_password_file=password_file,
    )
    assert settings.kafka_security.ssl_context is not None
    password_file.write_text("wrong\n")
    with pytest.raises(ValidationError, match="cannot load them"):
        Settings(
            **{**settings.model_dump(), "kafka_ssl_key_password_file": password_file}
        )


def test_the_producer_library_passes_security_through_to_kafka_python():
    made = []
    security = {"security_protocol": "SASL_PLAINTEXT", "sasl_mechanism": "PLAIN"}
    kafka_transport("k:9092", factory=lambda **c: made.append(c), security=security)
    assert made[0]["security_protocol"] == "SASL_PLAINTEXT"
    assert made[0]["sasl_mechanism"] == "PLAIN"
    assert made[0]["acks"] == "all"
