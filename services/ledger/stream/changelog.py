"""Writes one batch's changes to the tables, their changelogs and the dead-letter topic.

Every changelog partition written is then sealed with a lone tombstone. Some
Kafka-compatible brokers (Tansu) report a partition's end offset as the base offset
of its last record batch + 1, and Faust recovers a table only up to that end: the
seal makes the last batch a single record, so recovery reads every real record.
"""

import asyncio
from collections.abc import Iterable

import faust
import orjson

from ledger.stream.intake import Rejection
from ledger.stream.tables import Tables, partition_of


class ChangelogWriter:
    def __init__(self, app: faust.App, dead_letters: faust.TopicT) -> None:
        self._app = app
        self._dead_letters = dead_letters

    async def write(self, tables: Tables, batch) -> None:
        """Return once the broker has every change of the batch.

        The tables take the whole batch before the first await, so a read never
        sees its counts without its cells.
        """
        changes = (
            (tables.cells, batch.cells),
            (tables.seen, batch.seen),
            (tables.counters, batch.counters),
        )
        for table, values in changes:
            for key, value in values.items():
                table.data[key] = value
        pending = [
            await self._send(table, key, value)
            for table, values in changes
            for key, value in values.items()
        ]
        pending += [
            await self._dead_letter(message, rejection)
            for message, rejection in batch.dead_letters
        ]
        await asyncio.gather(*pending)
        await self._seal((table, values.keys()) for table, values in changes)

    async def _send(self, table: faust.Table, key: str, value: object):
        return await table.changelog_topic.send(
            key=key,
            value=orjson.dumps(value),
            partition=partition_of(key),
            key_serializer="json",
            value_serializer="raw",
        )

    async def _dead_letter(self, message, rejection: Rejection):
        headers = [
            ("ledger-reason", rejection.reason.encode()),
            ("ledger-detail", rejection.detail.encode()[:4096]),
            ("ledger-source-topic", message.topic.encode()),
            ("ledger-source-partition", str(message.partition).encode()),
            ("ledger-source-offset", str(message.offset).encode()),
        ]
        return await self._dead_letters.send(
            key=message.key, value=message.value, headers=headers
        )

    async def _seal(self, written: Iterable[tuple[faust.Table, Iterable[str]]]):
        producer = self._app.producer
        seals = [
            await producer.send(
                table.changelog_topic.get_topic_name(),
                orjson.dumps(f"{partition}/~"),
                None,
                partition,
                None,
                None,
            )
            for table, keys in written
            for partition in {partition_of(key) for key in keys}
        ]
        await asyncio.gather(*seals)
