"""The Kafka topics the ledger reads and writes, carried as raw bytes."""

from dataclasses import dataclass

import faust

from ledger.config import Settings


@dataclass(frozen=True)
class Topics:
    activity: faust.TopicT
    dead_letters: faust.TopicT


def declare_topics(app: faust.App, settings: Settings) -> Topics:
    """Raw bytes in: the contract is checked by the ledger, not by a codec."""

    def raw(name: str) -> faust.TopicT:
        return app.topic(name, key_serializer="raw", value_serializer="raw")

    return Topics(activity=raw(settings.topic), dead_letters=raw(settings.dlq_topic))
