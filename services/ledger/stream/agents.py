"""The aggregating agent: thin, it hands each fetched batch to the Recorder."""

from ledger.stream.bulk import BatchApp
from ledger.stream.recorder import Recorder
from ledger.stream.tables import Tables
from ledger.stream.topics import Topics


def register_agents(app: BatchApp, topics: Topics, tables: Tables) -> Recorder:
    recorder = Recorder(app, tables, topics.dead_letters)
    app.batch_agent(topics.activity, recorder.record)

    @app.on_partitions_revoked.connect
    async def _on_revoked(sender, revoked, **kwargs) -> None:
        recorder.forget_partitions()

    return recorder
