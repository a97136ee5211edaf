"""The ops dashboard page, its static files and the Prometheus /metrics endpoint."""

import time
from pathlib import Path

import faust
from faust.web import Request, Response, View

from ledger.read import answers
from ledger.read.metrics import exposition
from ledger.read.state import StateReader

STATIC_DIR = Path(__file__).parent / "static"
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; object-src 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
}


def register_dashboard(app: faust.App, reader: StateReader) -> None:
    started = time.monotonic()
    app.web.add_static("/static/", STATIC_DIR)

    @app.page("/")
    class Dashboard(View):
        async def get(self, request: Request) -> Response:
            page = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
            return self.html(page, headers=dict(SECURITY_HEADERS))

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
