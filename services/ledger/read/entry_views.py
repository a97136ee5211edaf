"""``/api/v1/entries``: the entries behind a figure, as JSON or CSV, and the
internal page each worker gives of the partitions it holds."""

import faust
from faust.web import Request, Response, View

from ledger.read import csv_answers, entry_query
from ledger.read.entry_reader import ENTRIES_INTERNAL_PATH, EntryReader
from ledger.read.views import json_response


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
                return json_response(self, _unavailable(missing), status=503)
            return _csv(self, answer) if csv else json_response(self, answer)

    @app.page(ENTRIES_INTERNAL_PATH)
    class Pages(View):
        async def get(self, request: Request) -> Response:
            try:
                query = entry_query.from_query(request.query, "csv")
            except ValueError as error:
                return json_response(self, {"error": str(error)}, status=400)
            return json_response(self, entries.local_pages(query))


def _unavailable(missing: list[int]) -> dict:
    return {
        "error": "no reachable worker holds these partitions yet: "
        "a worker is starting or recovering; retry shortly",
        "missing_partitions": missing,
    }


def _csv(view: View, answer: dict) -> Response:
    filename, text = csv_answers.entries(answer)
    headers = {
        "Content-Type": csv_answers.CONTENT_TYPE,
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Ledger-Complete": str(answer["complete"]).lower(),
        "Ledger-As-Of": answer["as_of"],
        "Ledger-Period": (answer["period"] or {}).get("label", "all time"),
    }
    if answer["next_cursor"]:
        headers["Ledger-Next-Cursor"] = answer["next_cursor"]
    return view.bytes(text.encode("utf-8"), headers=headers)
