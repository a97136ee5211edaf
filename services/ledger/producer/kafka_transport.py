"""The real transport: a kafka-python producer tuned for durable, ordered publishing."""

from collections.abc import Callable, Mapping
from typing import Any

import structlog
from kafka import KafkaProducer
from kafka.errors import KafkaConfigurationError, UnsupportedVersionError

log = structlog.get_logger()

DELIVERY_TIMEOUT_S = 30.0
# retries stay at kafka-python's default (until the delivery timeout), which is
# what the idempotent producer needs to retry without writing duplicates.
SETTINGS: dict[str, Any] = {
    "acks": "all",
    "linger_ms": 5,
    "compression_type": None,
    "request_timeout_ms": 10_000,
    "delivery_timeout_ms": int(DELIVERY_TIMEOUT_S * 1000),
    "max_block_ms": 10_000,
}


def kafka_transport(
    bootstrap: str,
    factory: Callable[..., Any] = KafkaProducer,
    security: Mapping[str, Any] | None = None,
) -> Any:
    """An idempotent producer, or acks=all without idempotence if the broker refuses.

    ``security``: kafka-python's own connection settings (``security_protocol``,
    ``sasl_*``, ``ssl_*``), passed through as they are.
    """
    settings = {"bootstrap_servers": bootstrap, **SETTINGS, **(security or {})}
    try:
        return factory(enable_idempotence=True, **settings)
    except (KafkaConfigurationError, UnsupportedVersionError) as exc:
        log.warning("idempotence_unavailable", bootstrap=bootstrap, reason=str(exc))
        return factory(enable_idempotence=False, **settings)
