"""The JSON read API, served by each Faust worker's web server; the summaries
also as CSV (see ``csv_answers``)."""

from collections.abc import Callable

import faust
import orjson
from faust.web import Request, Response, View

from ledger.read import answers, csv_answers
from ledger.read.state import INTERNAL_PATH, StateReader
from ledger.rules import periods
from ledger.rules.periods import Period

WORKERS_PATH = "/api/v1/internal/workers"


def register_views(app: faust.App, reader: StateReader) -> None:
    async def held_state(view: View, period: Period | None = None):
        state = await reader.gather(period)
        if state.missing:
            return None, unavailable(view, state.missing)
        return state, None

    async def summary(view: View, request: Request, build, as_csv, *place: str):
        """JSON, or CSV when asked, for all time or a period; errors stay JSON."""
        try:
            csv = csv_answers.wants_csv(
                request.query.get("format"), request.headers.get("Accept", "")
            )
            period = periods.from_query(request.query)
        except ValueError as error:
            return json_response(view, {"error": str(error)}, status=400)
        state, unavailable = await held_state(view, period)
        if unavailable:
            return unavailable
        answer = build(state, *place, period)
        if answer is None:
            return _not_found(view, *place)
        return (
            csv_response(view, answer, as_csv) if csv else json_response(view, answer)
        )

    @app.page("/api/v1/regions")
    class Regions(View):
        async def get(self, request: Request) -> Response:
            return await summary(self, request, answers.regions, csv_answers.regions)

    @app.page("/api/v1/regions/{region}")
    class Region(View):
        async def get(self, request: Request, region: str) -> Response:
            return await summary(
                self, request, answers.region, csv_answers.countries, region
            )

    @app.page("/api/v1/regions/{region}/months")
    class Months(View):
        async def get(self, request: Request, region: str) -> Response:
            return await summary(
                self, request, answers.months, csv_answers.months, region
            )

    @app.page("/api/v1/regions/{region}/countries/{country}/months")
    class CountryMonths(View):
        async def get(self, request: Request, region: str, country: str) -> Response:
            return await summary(
                self,
                request,
                answers.country_months,
                csv_answers.country_months,
                region,
                country,
            )

    @app.page("/api/v1/stats")
    class Stats(View):
        async def get(self, request: Request) -> Response:
            state, unavailable = await held_state(self)
            return unavailable or json_response(self, answers.stats(state))

    @app.page(INTERNAL_PATH)
    class Share(View):
        async def get(self, request: Request) -> Response:
            """With ``from``/``to`` (or ``period``): the agency months of those
            months too."""
            try:
                period = periods.from_query(request.query)
            except ValueError as error:
                return json_response(self, {"error": str(error)}, status=400)
            return json_response(self, reader.local_share(period))

    @app.page(WORKERS_PATH)
    class Workers(View):
        async def get(self, request: Request) -> Response:
            """Every worker of the group by its advertised URL (``ledger verify``
            asks each for its share)."""
            hosts = {
                str(app.conf.canonical_url),
                *map(str, app.router.tables_metadata()),
            }
            return json_response(self, {"workers": sorted(hosts)})


def json_response(view: View, body: dict, status: int = 200) -> Response:
    """orjson: a worker's share of a long history is large."""
    return view.bytes(
        orjson.dumps(body), content_type="application/json", status=status
    )


def unavailable(view: View, missing: list[int]) -> Response:
    body = {
        "error": "no reachable worker holds these partitions yet: "
        "a worker is starting or recovering; retry shortly",
        "missing_partitions": missing,
    }
    return json_response(view, body, status=503)


def csv_response(view: View, answer: dict, as_csv: Callable) -> Response:
    """Freshness, period and (for entries, when more follow) the next page's
    cursor travel as headers."""
    filename, text = as_csv(answer)
    headers = {
        "Content-Type": csv_answers.CONTENT_TYPE,
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Ledger-Complete": str(answer["complete"]).lower(),
        "Ledger-As-Of": answer["as_of"],
        "Ledger-Period": (answer["period"] or {}).get("label", "all time"),
    }
    if answer.get("next_cursor"):
        headers["Ledger-Next-Cursor"] = answer["next_cursor"]
    return view.bytes(text.encode("utf-8"), headers=headers)


def _not_found(view: View, region: str, country: str | None = None) -> Response:
    if country is None:
        error = {"error": f"no events recorded for region {region!r}"}
        return json_response(view, {**error, "region": region}, status=404)
    error = {"error": f"no events recorded for region {region!r}, country {country!r}"}
    return json_response(
        view, {**error, "region": region, "country": country}, status=404
    )
