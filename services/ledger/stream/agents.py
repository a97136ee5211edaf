"""The aggregating agent: thin, it hands each batch of records to the Recorder."""

import faust

from ledger.config import Settings
from ledger.stream.recorder import Recorder
from ledger.stream.tables import Tables
from ledger.stream.topics import Topics


def register_agents(
    app: faust.App, settings: Settings, topics: Topics, tables: Tables
) -> Recorder:
    recorder = Recorder(app, tables, topics.dead_letters)

    @app.agent(topics.activity, name="aggregate")
    async def aggregate(stream: faust.StreamT) -> None:
        batches = stream.take_events(settings.batch_max, within=settings.batch_window_s)
        async for events in batches:
            await recorder.record(events)

    @app.on_partitions_revoked.connect
    async def _on_revoked(sender, revoked, **kwargs) -> None:
        recorder.forget_partitions()

    return recorder
