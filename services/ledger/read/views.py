"""The JSON read API, served by each Faust worker's web server."""

import faust
import orjson
from faust.web import Request, Response, View

from ledger.read import answers
from ledger.read.state import INTERNAL_PATH, StateReader


def register_views(app: faust.App, reader: StateReader) -> None:
    async def held_state(view: View):
        state = await reader.gather()
        if state.missing:
            return None, json_response(
                view,
                {
                    "error": "no reachable worker holds these partitions yet: "
                    "a worker is starting or recovering; retry shortly",
                    "missing_partitions": state.missing,
                },
                status=503,
            )
        return state, None

    @app.page("/api/v1/regions")
    class Regions(View):
        async def get(self, request: Request) -> Response:
            state, unavailable = await held_state(self)
            return unavailable or json_response(self, answers.regions(state))

    @app.page("/api/v1/regions/{region}")
    class Region(View):
        async def get(self, request: Request, region: str) -> Response:
            state, unavailable = await held_state(self)
            return unavailable or _found(self, answers.region(state, region), region)

    @app.page("/api/v1/regions/{region}/months")
    class Months(View):
        async def get(self, request: Request, region: str) -> Response:
            state, unavailable = await held_state(self)
            return unavailable or _found(self, answers.months(state, region), region)

    @app.page("/api/v1/stats")
    class Stats(View):
        async def get(self, request: Request) -> Response:
            state, unavailable = await held_state(self)
            return unavailable or json_response(self, answers.stats(state))

    @app.page(INTERNAL_PATH)
    class Share(View):
        async def get(self, request: Request) -> Response:
            return json_response(self, reader.local_share())


def json_response(view: View, body: dict, status: int = 200) -> Response:
    """orjson: a worker's share of a long history is large."""
    return view.bytes(
        orjson.dumps(body), content_type="application/json", status=status
    )


def _found(view: View, answer: dict | None, region: str) -> Response:
    if answer is None:
        return json_response(
            view,
            {"error": f"no events recorded for region {region!r}", "region": region},
            status=404,
        )
    return json_response(view, answer)
