"""``/api/v1/entries``: the entries behind a figure, as JSON or CSV, and the
internal page each worker gives of the partitions it holds."""

import faust
from faust.web import Request, Response, View

from ledger.read import csv_answers, entry_query
from ledger.read.entry_reader import ENTRIES_INTERNAL_PATH, EntryReader
from ledger.read.views import csv_response, json_response, unavailable


def register_entry_views(app: faust.App, entries: EntryReader) -> None:
    @app.page("/api/v1/entries")
    class Entries(View):
        async def get(self, request: Request) -> Response:
            try:
                csv = csv_answers.wants_csv(
                    request.query.get("format"), request.headers.get("Accept", "")
                )
                query = entry_query.from_query(request.query, "csv" if csv else "json")
            except ValueError as error:
                return json_response(self, {"error": str(error)}, status=400)
            answer, missing = await entries.gather(query)
            if answer is None:
                return unavailable(self, missing)
            if csv:
                return csv_response(self, answer, csv_answers.entries)
            return json_response(self, answer)

    @app.page(ENTRIES_INTERNAL_PATH)
    class Pages(View):
        async def get(self, request: Request) -> Response:
            try:
                query = entry_query.from_query(request.query, "csv")
            except ValueError as error:
                return json_response(self, {"error": str(error)}, status=400)
            return json_response(self, entries.local_pages(query))
