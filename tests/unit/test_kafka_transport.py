"""The kafka-python settings, and the fallback when a broker refuses idempotence."""

from kafka.errors import KafkaConfigurationError
from structlog.testing import capture_logs

from ledger.producer.kafka_transport import kafka_transport


class Factory:
    """Stands in for KafkaProducer; refuses idempotence when told to."""

    def __init__(self, refuse_idempotence: bool = False) -> None:
        self.refuse_idempotence = refuse_idempotence
        self.calls: list[dict] = []

    def __call__(self, **config):
        self.calls.append(config)
        if config["enable_idempotence"] and self.refuse_idempotence:
            raise KafkaConfigurationError("requires broker >= 0.11")
        return config


def test_the_producer_is_idempotent_with_acks_all_and_no_compression():
    config = kafka_transport("k:9092", factory=Factory())
    assert config["bootstrap_servers"] == "k:9092"
    assert config["enable_idempotence"] is True
    assert (config["acks"], config["compression_type"]) == ("all", None)
    assert 0 < config["linger_ms"] <= 10


def test_a_broker_refusing_idempotence_gets_acks_all_and_one_warning():
    factory = Factory(refuse_idempotence=True)
    with capture_logs() as logs:
        config = kafka_transport("k:9092", factory=factory)
    assert (config["enable_idempotence"], config["acks"]) == (False, "all")
    assert [log["event"] for log in logs] == ["idempotence_unavailable"]
    assert len(factory.calls) == 2
