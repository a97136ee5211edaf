"""The JSON read API, served by each Faust worker's web server."""

import faust
from faust.web import Request, Response, View

from ledger.read import answers
from ledger.read.state import INTERNAL_PATH, StateReader


def register_views(app: faust.App, reader: StateReader) -> None:
    async def complete_state(view: View):
        state = await reader.gather()
        if state.missing:
            return None, view.json(
                {
                    "error": "the ledger is rebalancing or recovering; retry shortly",
                    "missing_partitions": state.missing,
                },
                status=503,
            )
        return state, None

    @app.page("/api/v1/regions")
    class Regions(View):
        async def get(self, request: Request) -> Response:
            state, unavailable = await complete_state(self)
            return unavailable or self.json(answers.regions(state))

    @app.page("/api/v1/regions/{region}")
    class Region(View):
        async def get(self, request: Request, region: str) -> Response:
            state, unavailable = await complete_state(self)
            return unavailable or _found(self, answers.region(state, region), region)

    @app.page("/api/v1/regions/{region}/months")
    class Months(View):
        async def get(self, request: Request, region: str) -> Response:
            state, unavailable = await complete_state(self)
            return unavailable or _found(self, answers.months(state, region), region)

    @app.page("/api/v1/stats")
    class Stats(View):
        async def get(self, request: Request) -> Response:
            state, unavailable = await complete_state(self)
            return unavailable or self.json(answers.stats(state))

    @app.page(INTERNAL_PATH)
    class Share(View):
        async def get(self, request: Request) -> Response:
            return self.json(reader.local_share())


def _found(view: View, answer: dict | None, region: str) -> Response:
    if answer is None:
        return view.json(
            {"error": f"no events recorded for region {region!r}", "region": region},
            status=404,
        )
    return view.json(answer)
