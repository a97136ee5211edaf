"""Wires one worker: topics, Faust app, tables, agent, read API and dashboard."""

import faust

from ledger.config import Settings
from ledger.kafka_admin import ensure_topics, seal_changelogs
from ledger.logs import logging_config
from ledger.read.dashboard import register_dashboard
from ledger.read.entry_reader import EntryReader
from ledger.read.entry_views import register_entry_views
from ledger.read.health import register_health
from ledger.read.metrics_page import register_metrics
from ledger.read.state import StateReader
from ledger.read.views import register_views
from ledger.stream import crashpoints, faust_internals
from ledger.stream.app import create_app
from ledger.stream.recorder import Recorder
from ledger.stream.tables import declare_tables
from ledger.stream.topics import declare_topics
from ledger.stream.writer import BatchWriter

STANDBY_FLUSH_S = 1.0


def build_worker_app(settings: Settings, bootstrap: str) -> faust.App:
    faust_internals.check_classes()  # before anything connects
    partitions = ensure_topics(bootstrap, settings)
    app = create_app(settings, bootstrap, partitions)
    topics = declare_topics(app, settings)
    tables = declare_tables(app, partitions)
    changelogs = [table.changelog_topic_name for table in tables.all()]
    seal_changelogs(bootstrap, changelogs, partitions, settings)
    writer = BatchWriter(app, tables, topics.dead_letters, settings.topic)
    recorder = Recorder(tables, writer)
    app.batch_agent(topics.activity, recorder.record)
    _keep_changelogs_readable(app, writer)
    crashpoints.arm(settings.test_crash_at)
    reader = StateReader(app, tables, settings.topic, partitions)
    register_views(app, reader)
    register_entry_views(app, EntryReader(reader, tables.seen))
    register_dashboard(app)
    register_metrics(app, reader)
    register_health(app, reader)
    return app


def run_worker(app: faust.App, settings: Settings) -> None:
    """Run until SIGINT or SIGTERM, then stop gracefully."""
    new_worker(app, settings).execute_from_commandline()


def new_worker(app: faust.App, settings: Settings) -> faust.Worker:
    worker = faust.Worker(
        app,
        loglevel=settings.log_level,
        logging_config=logging_config(settings.log_level),
        quiet=True,
    )
    # Faust's terminal spinner sets the root logger to DEBUG, so every library's
    # debug line would be built and then dropped: thousands a second.
    worker.spinner = None
    return worker


def _keep_changelogs_readable(app: faust.App, writer: BatchWriter) -> None:
    @app.on_partitions_revoked.connect
    async def _seal(sender, revoked, **kwargs) -> None:
        """A worker that died mid-batch left a changelog unsealed; seal before this
        worker recovers what it is about to be given (see kafka_admin)."""
        await writer.seal_all()

    @app.timer(STANDBY_FLUSH_S)
    async def _flush_standbys() -> None:
        """Faust applies standby records 1,000 at a time: keep copies current."""
        app.tables.recovery.flush_buffers()
