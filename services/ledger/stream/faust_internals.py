"""Private Faust and aiokafka names stream/batch_consumer.py uses, checked at start.

The batch consumer reaches into faust-streaming's Kafka consumer, which is why
pyproject.toml pins faust-streaming: any release may rename these. A worker on a
release without one should stop at startup and say why, not misbehave later.
"""

from collections.abc import Iterable
from importlib import metadata

import faust
from faust.transport.drivers import aiokafka as faust_kafka

from ledger.errors import LedgerError

# Methods and class-level defaults, looked up on the classes.
ON_CLASSES: dict[type, tuple[str, ...]] = {
    faust.App: ("_new_transport",),
    faust_kafka.AIOKafkaConsumerThread: ("_create_worker_consumer",),
    faust_kafka.Consumer: (
        "_new_consumer_thread",
        "_drain_messages",
        "_wait_next_records",
        "_to_message",
        "_add_gap",
        "_n_acked",
        "_waiting_for_ack",
    ),
}
# Set by Faust's Consumer.__init__: looked up on each consumer.
ON_CONSUMER = (
    "_read_offset",
    "_committed_offset",
    "_acked",
    "_acked_index",
    "_commit_every",
    "_buffered_partitions",
)
# Set by aiokafka's AIOKafkaConsumer.__init__ and read when its fetcher starts.
ON_CLIENT = ("_fetch_max_wait_ms",)
# Set once the consumer thread has started its client: the group member's id.
ON_STARTED_THREAD = ("_consumer",)
ON_STARTED_CLIENT = ("_coordinator",)


class FaustInternalsError(LedgerError):
    """The installed Faust or aiokafka lacks a private name the batch path uses."""


def check_classes() -> None:
    """Before anything connects: every method and class default is there."""
    for owner, names in ON_CLASSES.items():
        require(owner, names)


def check_consumer(consumer: object) -> None:
    require(consumer, ON_CONSUMER)


def check_client(client: object) -> None:
    require(client, ON_CLIENT)


def check_started(thread: object) -> None:
    require(thread, ON_STARTED_THREAD)
    require(thread._consumer, ON_STARTED_CLIENT)  # noqa: SLF001 - checked above
    require(thread._consumer._coordinator, ("member_id",))  # noqa: SLF001


def require(owner: object, names: Iterable[str]) -> None:
    missing = [name for name in names if not hasattr(owner, name)]
    if missing:
        raise FaustInternalsError(_explain(owner, missing))


def _explain(owner: object, missing: list[str]) -> str:
    kind = owner if isinstance(owner, type) else type(owner)
    return (
        f"{kind.__module__}.{kind.__qualname__} has no {', '.join(missing)}, "
        "which the batch consumer (ledger/stream/batch_consumer.py) relies on. "
        "Installed: "
        f"faust-streaming {_version('faust-streaming')}, "
        f"aiokafka {_version('aiokafka')}; pyproject.toml pins {_pin()}. "
        "Install the pinned version, or port stream/batch_consumer.py before "
        "moving the pin."
    )


def _pin() -> str:
    try:
        requires = metadata.requires("partnership-ledger") or []
    except metadata.PackageNotFoundError:
        requires = []
    pins = [line for line in requires if line.startswith("faust-streaming")]
    return pins[0] if pins else "faust-streaming 0.15.x"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "(not installed)"
