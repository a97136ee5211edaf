"""deploy/dev-secrets.sh makes every file the compose stack mounts, and the
certificates in them do what the brokers and the ledger ask of them."""

import shutil
import socket
import ssl
import stat
import subprocess
import threading
from pathlib import Path

import dev_secrets
import pytest
import yaml
from compose_file import COMPOSE

BROKERS = ("kafka-1", "kafka-2", "kafka-3")


@pytest.fixture(scope="module")
def secrets(tmp_path_factory) -> Path:
    return dev_secrets.make(tmp_path_factory.mktemp("deploy") / "secrets")


def mounted_from_secrets() -> set[str]:
    """Paths under deploy/secrets/ the compose file mounts, as written there."""
    config = yaml.safe_load(COMPOSE.read_text())
    files = {s["file"] for s in config["secrets"].values()}
    binds = {
        volume.split(":")[0]
        for service in config["services"].values()
        for volume in service.get("volumes", [])
    }
    prefix = "./deploy/secrets/"
    return {p.removeprefix(prefix) for p in files | binds if p.startswith(prefix)}


def test_it_makes_every_file_the_compose_file_mounts(secrets):
    for path in mounted_from_secrets():
        assert (secrets / path).exists(), path
    for node in (*BROKERS, "admin"):
        for name in ("kafka.keystore.p12", "keystore-password", "ca.crt"):
            assert (secrets / node / name).is_file()
        assert (
            "ssl.keystore.password="
            in (secrets / node / "client.properties").read_text()
        )


def test_containers_can_read_it_while_the_ca_key_stays_private(secrets):
    assert stat.S_IMODE(secrets.stat().st_mode) == 0o700
    assert stat.S_IMODE((secrets / "ca.key").stat().st_mode) == 0o600
    for path in mounted_from_secrets():
        assert (secrets / path).stat().st_mode & stat.S_IROTH, path


def test_a_second_run_leaves_the_secrets_alone(secrets):
    before = (secrets / "ca.crt").read_bytes()
    dev_secrets.make(secrets)
    assert (secrets / "ca.crt").read_bytes() == before


def pem_from_keystore(secrets: Path, node: str, into: Path) -> Path:
    """Key and certificate out of the PKCS12 keystore, with its password file."""
    out = into / f"{node}.pem"
    subprocess.run(
        ["openssl", "pkcs12", "-in", str(secrets / node / "kafka.keystore.p12"),
         "-passin", f"file:{secrets / node / 'keystore-password'}",
         "-nodes", "-out", str(out)],
        check=True, capture_output=True,
    )  # fmt: skip
    return out


def handshake(server: ssl.SSLContext, client: ssl.SSLContext, host: str) -> list:
    """A TLS handshake over a socket pair (no network); what the server refused.

    The client's own refusal raises. With TLS 1.3 the server checks the client's
    certificate after the client is done, so that verdict is the returned list.
    """
    left, right = socket.socketpair()
    refused: list[BaseException] = []

    def serve() -> None:
        try:
            server.wrap_socket(left, server_side=True).close()
        except (ssl.SSLError, OSError) as error:
            refused.append(error)

    thread = threading.Thread(target=serve)
    thread.start()
    try:
        client.wrap_socket(right, server_hostname=host).close()
    finally:
        right.close()
        thread.join(timeout=10)
        left.close()
    return refused


def test_brokers_and_admin_authenticate_each_other_by_certificate(secrets, tmp_path):
    """As on the brokers' mTLS listeners, for kafka-N's own name only."""
    ca = str(secrets / "ca.crt")
    admin = ssl.create_default_context(cafile=ca)
    admin.load_cert_chain(pem_from_keystore(secrets, "admin", tmp_path))
    for node in BROKERS:
        broker = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH, cafile=ca)
        broker.verify_mode = ssl.CERT_REQUIRED
        broker.load_cert_chain(pem_from_keystore(secrets, node, tmp_path))
        assert handshake(broker, admin, node) == []
        with pytest.raises(ssl.SSLCertVerificationError):
            handshake(broker, admin, "not-" + node)
        anonymous = ssl.create_default_context(cafile=ca)
        assert handshake(broker, anonymous, node) != []


def test_the_ledger_trusts_a_broker_with_only_the_ca_file(secrets, tmp_path):
    """As on the SASL_SSL listener: the client shows no certificate."""
    broker = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    broker.load_cert_chain(pem_from_keystore(secrets, "kafka-2", tmp_path))
    ledger = ssl.create_default_context(cafile=secrets / "ca.crt")
    assert handshake(broker, ledger, "kafka-2") == []
    with pytest.raises(ssl.SSLCertVerificationError):
        handshake(broker, ssl.create_default_context(), "kafka-2")


def test_java_reads_the_keystores(secrets):
    """The brokers are Java: their keystore type must load in the JDK's keytool."""
    keytool = shutil.which("keytool")
    if keytool is None:
        pytest.skip("no JDK keytool here to read the PKCS12 keystores with")
    for node in (*BROKERS, "admin"):
        listed = subprocess.run(
            [keytool, "-list", "-storetype", "PKCS12",
             "-keystore", str(secrets / node / "kafka.keystore.p12"),
             "-storepass", (secrets / node / "keystore-password").read_text().strip()],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert listed.returncode == 0, listed.stdout + listed.stderr
        assert "PrivateKeyEntry" in listed.stdout
