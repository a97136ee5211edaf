"""The one Faust app: broker, web server and table settings, wired from Settings."""

import asyncio
import gc

import uvloop

from ledger.config import Settings
from ledger.stream.batch_consumer import BatchApp


def create_app(settings: Settings, bootstrap: str, partitions: int) -> BatchApp:
    """A Faust app whose tables are co-partitioned with the activity topic.

    Its event loops (the worker's, and the Kafka consumer's own thread) are
    uvloop's: about 4% less worker CPU per record than asyncio's (make bench).
    """
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    _collect_less_often()
    datadir = settings.data_dir / settings.app_id
    datadir.mkdir(parents=True, exist_ok=True)
    return BatchApp(
        settings.app_id,
        broker=f"kafka://{bootstrap}",
        broker_credentials=settings.kafka_security.faust(),
        store="rocksdb://",
        datadir=str(datadir),
        topic_partitions=partitions,
        topic_replication_factor=settings.replication,
        table_standby_replicas=settings.standby_replicas,
        broker_session_timeout=settings.session_timeout_s,
        broker_heartbeat_interval=settings.session_timeout_s / 4,
        producer_acks=-1,
        # A batch's changelog writes go out together: hundreds of ~1 KB cells per
        # partition fill a few big producer batches instead of many 16 KB ones
        # (well under Kafka's default 1 MB max.message.bytes).
        producer_max_batch_size=256 * 1024,
        consumer_auto_offset_reset="earliest",
        # Big fetches: everything one brings is recorded as one batch.
        broker_max_poll_records=settings.batch_max,
        fetch_max_wait_s=settings.fetch_max_wait_s,
        consumer_max_fetch_size=8 * 1024 * 1024,
        web_host=settings.web_host,
        web_port=settings.web_port,
        canonical_url=settings.web_url,
        web_in_thread=False,
        web_router_enabled=False,
        web_tables_enabled=False,
        autodiscover=False,
    )


def _collect_less_often() -> None:
    """The cyclic garbage collector, every 10,000 allocations rather than 700.

    A batch allocates an entry, its history and its index keys per event, none of
    them in cycles, and each young collection walked them all again: about 3 µs
    a record (tests/bench/recorder_cost.py). What was made at startup (modules,
    Faust's and aiokafka's objects) is frozen out of full collections.
    """
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)
