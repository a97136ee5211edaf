"""A throwaway certificate authority and the files a TLS client and server need."""

import ssl
from dataclasses import dataclass
from pathlib import Path

import trustme
from cryptography.hazmat.primitives import serialization


@dataclass
class TlsMaterial:
    ca: trustme.CA
    folder: Path

    @property
    def cafile(self) -> Path:
        return self._write("ca.pem", self.ca.cert_pem.bytes())

    @property
    def client_cert(self) -> Path:
        return self._write("client.pem", self._client.cert_chain_pems[0].bytes())

    def client_key_encrypted(self, password: str) -> Path:
        key = serialization.load_pem_private_key(
            self._client.private_key_pem.bytes(), password=None
        )
        encrypted = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(password.encode()),
        )
        return self._write("client-key.pem", encrypted)

    def server_context(self, host: str = "localhost") -> ssl.SSLContext:
        """A server that presents a certificate for ``host`` and requires a
        client certificate signed by the same CA."""
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.ca.issue_cert(host).configure_cert(context)
        self.ca.configure_trust(context)
        context.verify_mode = ssl.CERT_REQUIRED
        return context

    def __post_init__(self) -> None:
        self._client = self.ca.issue_cert("ledger-worker")

    def _write(self, name: str, data: bytes) -> Path:
        path = self.folder / name
        path.write_bytes(data)
        return path


def make_tls(folder: Path) -> TlsMaterial:
    return TlsMaterial(trustme.CA(), folder)
