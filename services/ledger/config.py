"""The ledger's settings: one frozen object, the only reader of LEDGER_* variables."""

from functools import cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


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
    session_timeout_s: float = Field(default=6.0, gt=0)
    batch_max: int = Field(default=4000, ge=1)
    fetch_max_wait_s: float = Field(default=0.1, gt=0, le=30)
    log_level: str = "info"
    standby_replicas: int = Field(
        default=1, ge=0, description="copies of each partition's tables kept warm"
    )
    test_crash_at: str | None = Field(
        default=None, description="tests only: point:n to os._exit at (crashpoints)"
    )

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


@cache
def settings() -> Settings:
    return Settings()
