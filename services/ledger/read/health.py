"""/livez and /readyz: what an orchestrator asks a worker before trusting it.

Liveness only proves the process and its event loop answer (the handler runs on
the loop), asking nothing of Kafka or the other workers: restarting a worker
because a peer is slow would only make things worse. Readiness is the strict
question: has this worker joined the group, recovered what it was given, and can
the read API answer completely right now.
"""

import faust
from faust.web import Request, Response, View

from ledger.read.copies import LIVE
from ledger.read.state import StateReader
from ledger.read.views import json_response


class Readiness:
    """Remembers whether the group has assigned this worker its partitions."""

    def __init__(self, app: faust.App, reader: StateReader) -> None:
        self._reader = reader
        self.joined = False
        app.on_partitions_assigned.connect(self._on_assigned)

    async def _on_assigned(self, sender, assigned, **kwargs) -> None:
        self.joined = True

    async def check(self) -> dict:
        """{"status": "ready", ...} or {"status": "not_ready", "reason": ...}."""
        if not self.joined:
            return _not_ready("has not joined the consumer group yet")
        if not self._reader.ready():
            return _not_ready("rebalancing or recovering its tables")
        state = await self._reader.gather()
        if not state.complete:
            behind = sorted(
                p for p, copy in state.partitions.items() if copy["source"] not in LIVE
            )
            return _not_ready(
                "some partitions are not served by their recovered active owner",
                missing_partitions=state.missing,
                partitions_not_active=behind,
            )
        return {"status": "ready", "workers": state.workers}


def register_health(app: faust.App, reader: StateReader) -> None:
    readiness = Readiness(app, reader)

    @app.page("/livez")
    class Live(View):
        async def get(self, request: Request) -> Response:
            return json_response(self, {"status": "alive"})

    @app.page("/readyz")
    class Ready(View):
        async def get(self, request: Request) -> Response:
            answer = await readiness.check()
            status = 200 if answer["status"] == "ready" else 503
            return json_response(self, answer, status=status)


def _not_ready(reason: str, **details) -> dict:
    return {"status": "not_ready", "reason": reason, **details}
