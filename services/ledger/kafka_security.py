"""How the ledger's Kafka clients authenticate: one description, two client dialects.

The same TLS context and SASL login go to kafka-python (producer, admin, the dead
letter reader) and to Faust's aiokafka clients, so every client of a worker
connects the same way.
"""

import ssl
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any


class KafkaSecurityError(ValueError):
    """The security settings contradict each other (a ValueError for pydantic)."""


@dataclass(frozen=True)
class KafkaSecurity:
    """Resolved security settings: secrets already read from their files."""

    protocol: str = "PLAINTEXT"
    sasl_mechanism: str | None = None
    sasl_username: str | None = None
    sasl_password: str | None = field(default=None, repr=False)
    ssl_cafile: Path | None = None
    ssl_certfile: Path | None = None
    ssl_keyfile: Path | None = None
    ssl_key_password: str | None = field(default=None, repr=False)

    @property
    def uses_sasl(self) -> bool:
        return self.protocol.startswith("SASL_")

    @property
    def uses_tls(self) -> bool:
        return self.protocol.endswith("SSL")

    @cached_property
    def ssl_context(self) -> ssl.SSLContext | None:
        """Verifies the brokers' certificates and host names; presents ours if set.

        Without a CA file the system's trusted CAs are used.
        """
        if not self.uses_tls:
            return None
        context = ssl.create_default_context(
            ssl.Purpose.SERVER_AUTH, cafile=self.ssl_cafile
        )
        if self.ssl_certfile is not None:
            context.load_cert_chain(
                self.ssl_certfile, self.ssl_keyfile, self.ssl_key_password
            )
        return context

    def kafka_python(self) -> dict[str, Any]:
        """Keyword arguments for any kafka-python client."""
        kwargs: dict[str, Any] = {"security_protocol": self.protocol}
        if self.uses_sasl:
            kwargs["sasl_mechanism"] = self.sasl_mechanism
            kwargs["sasl_plain_username"] = self.sasl_username
            kwargs["sasl_plain_password"] = self.sasl_password
        if self.uses_tls:
            kwargs["ssl_context"] = self.ssl_context
        return kwargs

    def faust(self) -> Any:
        """Faust's ``broker_credentials``: None for PLAINTEXT."""
        import faust  # only the worker needs Faust; emitting does not

        if self.uses_sasl:
            return faust.SASLCredentials(
                username=self.sasl_username,
                password=self.sasl_password,
                ssl_context=self.ssl_context,
                mechanism=self.sasl_mechanism,
            )
        if self.uses_tls:
            return faust.SSLCredentials(self.ssl_context)
        return None


def check_security(security: KafkaSecurity) -> KafkaSecurity:
    """Refuse settings that would connect other than the operator meant."""
    _check_sasl(security)
    _check_tls(security)
    return security


def _check_sasl(security: KafkaSecurity) -> None:
    protocol = f"LEDGER_KAFKA_SECURITY_PROTOCOL={security.protocol}"
    given = (security.sasl_mechanism, security.sasl_username, security.sasl_password)
    if not security.uses_sasl:
        if any(given):
            raise KafkaSecurityError(f"SASL settings are set but {protocol} has none")
        return
    for name, value in zip(("MECHANISM", "USERNAME", "PASSWORD"), given, strict=True):
        if not value:
            also = " (or LEDGER_KAFKA_SASL_PASSWORD_FILE)" if name == "PASSWORD" else ""
            raise KafkaSecurityError(f"{protocol} needs LEDGER_KAFKA_SASL_{name}{also}")


def _check_tls(security: KafkaSecurity) -> None:
    protocol = f"LEDGER_KAFKA_SECURITY_PROTOCOL={security.protocol}"
    files = (security.ssl_cafile, security.ssl_certfile, security.ssl_keyfile)
    if not security.uses_tls:
        if any(files) or security.ssl_key_password:
            raise KafkaSecurityError(f"TLS files are set but {protocol} has no TLS")
        return
    if security.ssl_keyfile and not security.ssl_certfile:
        raise KafkaSecurityError("LEDGER_KAFKA_SSL_KEYFILE needs ..._SSL_CERTFILE")
    try:
        security.ssl_context  # noqa: B018 (load the files now, not at first connect)
    except (ssl.SSLError, OSError) as error:
        raise KafkaSecurityError(
            "LEDGER_KAFKA_SSL_CAFILE / _CERTFILE / _KEYFILE / _KEY_PASSWORD_FILE: "
            f"cannot load them: {error}"
        ) from error
