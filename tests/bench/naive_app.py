"""Baseline for `make bench`: the naive Faust design, one table update per event."""

import json
import os

import faust

app = faust.App(
    os.environ["BENCH_APP_ID"],
    broker=f"kafka://{os.environ['BENCH_BOOTSTRAP']}",
    store="memory://",
    topic_partitions=int(os.environ.get("BENCH_PARTITIONS", "6")),
    broker_session_timeout=8,
    web_port=int(os.environ["BENCH_WEB_PORT"]),
    web_router_enabled=False,
    web_tables_enabled=False,
)
activity = app.topic(os.environ["BENCH_TOPIC"], value_serializer="raw")
counts = app.Table("counts", default=int)


@app.agent(activity)
async def count(stream):
    async for value in stream:
        event = json.loads(value)
        counts[event["region"]] += 1


@app.page("/count")
async def total(web, request):
    return web.json({"events": sum(counts.values())})
