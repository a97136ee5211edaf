"""The ledger's settings: one frozen object, the only reader of LEDGER_* variables."""

from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field, PrivateAttr, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from ledger.kafka_security import KafkaSecurity, check_security

Protocol = Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"]
Mechanism = Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"]

Protocol = Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"]
Mechanism = Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"]


class Settings(BaseSettings):
    """Everything an operator can set, each from a LEDGER_<NAME> variable."""

    model_config = SettingsConfigDict(env_prefix="LEDGER_", frozen=True)

    kafka_bootstrap: str | None = Field(
        default=None,
        description="host:port[,host:port]; unset means start the embedded broker",
    )
    embedded_port: int = Field(
        default=9092, description="port of the embedded broker that ledger up starts"
    )
    topic: str = "partnership-activity"
    partitions: int = Field(default=6, ge=1)
    replication: int = Field(default=1, ge=1)
    app_id: str = "partnership-ledger"
    web_host: str = "127.0.0.1"
    web_port: int = 6066
    advertised_url: str | None = Field(
        default=None, description="URL other workers reach this one at"
    )
    data_dir: Path = Path("data")
    embedded_storage: Literal["disk", "memory"] = Field(
        default="disk",
        description="the embedded broker keeps its data in data_dir/broker, or not",
    )
    session_timeout_s: float = Field(default=6.0, gt=0)
    batch_max: int = Field(default=8000, ge=1)
    fetch_max_wait_s: float = Field(default=0.1, gt=0, le=30)
    log_level: str = "info"
    standby_replicas: int = Field(
        default=1, ge=0, description="copies of each partition's tables kept warm"
    )
    test_crash_at: str | None = Field(
        default=None, description="tests only: point:n to os._exit at (crashpoints)"
    )
    min_insync_replicas: int | None = Field(
        default=None, ge=1, description="min.insync.replicas of the created topics"
    )
    kafka_security_protocol: Protocol = "PLAINTEXT"
    kafka_sasl_mechanism: Mechanism | None = None
    kafka_sasl_username: str | None = None
    kafka_sasl_password: SecretStr | None = None
    kafka_sasl_password_file: Path | None = Field(
        default=None, description="file holding the SASL password; wins over the plain"
    )
    kafka_ssl_cafile: Path | None = None
    kafka_ssl_certfile: Path | None = None
    kafka_ssl_keyfile: Path | None = None
    kafka_ssl_key_password_file: Path | None = None
    _security: KafkaSecurity = PrivateAttr()

    @model_validator(mode="after")
    def _resolve_security(self) -> "Settings":
        """Read secret files now: a missing one stops the start, naming the setting."""
        password = _secret(self, "kafka_sasl_password")
        self._security = check_security(
            KafkaSecurity(
                protocol=self.kafka_security_protocol,
                sasl_mechanism=self.kafka_sasl_mechanism,
                sasl_username=self.kafka_sasl_username,
                sasl_password=password,
                ssl_cafile=_readable(self, "kafka_ssl_cafile"),
                ssl_certfile=_readable(self, "kafka_ssl_certfile"),
                ssl_keyfile=_readable(self, "kafka_ssl_keyfile"),
                ssl_key_password=_secret(self, "kafka_ssl_key_password"),
            )
        )
        return self

    @property
    def kafka_security(self) -> KafkaSecurity:
        """How every Kafka client of the ledger connects (kafka-python and Faust)."""
        return self._security

    @property
    def dlq_topic(self) -> str:
        return f"{self.topic}.dlq"

    @property
    def bootstrap(self) -> str:
        """Where to find Kafka: the configured cluster, else the embedded broker."""
        return self.kafka_bootstrap or f"127.0.0.1:{self.embedded_port}"

    @property
    def web_url(self) -> str:
        return self.advertised_url or f"http://{self.web_host}:{self.web_port}"


def _readable(settings: Settings, name: str) -> Path | None:
    path = getattr(settings, name)
    if path is not None and not path.is_file():
        raise ValueError(f"LEDGER_{name.upper()}={path}: no such file")
    return path


def _secret(settings: Settings, name: str) -> str | None:
    """The secret from LEDGER_<NAME>_FILE (trailing newline stripped), else the
    plain LEDGER_<NAME> variable."""
    path = _readable(settings, f"{name}_file")
    if path is not None:
        return path.read_text(encoding="utf-8").rstrip("\r\n")
    plain = getattr(settings, name, None)
    return plain.get_secret_value() if plain is not None else None


@cache
def settings() -> Settings:
    return Settings()
