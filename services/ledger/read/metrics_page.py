"""The Prometheus /metrics endpoint: the ledger's figures and this worker's health."""

import time

import faust
from faust.web import Request, Response, View

from ledger.read import answers
from ledger.read.metrics import exposition
from ledger.read.state import StateReader


def register_metrics(app: faust.App, reader: StateReader) -> None:
    started = time.monotonic()

    @app.page("/metrics")
    class Metrics(View):
        async def get(self, request: Request) -> Response:
            state = await reader.gather()
            complete = not state.missing
            health = {
                "partitions_assigned": reader.active_partitions(),
                "uptime_seconds": time.monotonic() - started,
                "ready": reader.ready() and complete,
            }
            body, content_type = exposition(
                answers.regions(state) if complete else None,
                answers.stats(state) if complete else None,
                health,
            )
            return self.bytes(body, headers={"Content-Type": content_type})
