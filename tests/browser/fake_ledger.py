"""A stand-in ledger for page tests: the real static files plus canned API answers."""

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from aiohttp import web

from ledger.rules.periods import from_query

STATIC = Path(__file__).parents[2] / "services" / "ledger" / "read" / "static"
CSP = "default-src 'self'; img-src 'self' data:; object-src 'none'"


class FakeLedger:
    """Answers API paths from `answers`; tests swap it to change what the page sees."""

    def __init__(self, answers: dict[str, dict]) -> None:
        self.answers = answers
        self.reachable = True
        self.asked: list[str] = []  # path and query of every API request

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/", self.index)
        app.router.add_static("/static/", STATIC)
        app.router.add_get("/api/v1/{tail:.*}", self.api)
        return app

    async def index(self, request: web.Request) -> web.FileResponse:
        # The strict policy the real ledger can send: no inline script or style.
        headers = {"Content-Security-Policy": CSP}
        return web.FileResponse(STATIC / "index.html", headers=headers)

    async def api(self, request: web.Request) -> web.Response:
        self.asked.append(request.path_qs)
        if not self.reachable:
            return web.json_response({"error": "worker restarting"}, status=503)
        try:  # a period is checked as the ledger checks it
            from_query(request.query)
        except ValueError as error:
            return web.json_response({"error": str(error)}, status=400)
        # A period's answers are canned under their path and query.
        answer = self.answers.get(request.path_qs if request.query else request.path)
        if answer is None:
            region = request.match_info["tail"].split("/")[1:2]
            body = {"error": "unknown region", "region": "".join(region)}
            return web.json_response(body, status=404)
        return web.json_response(answer)


@contextmanager
def serving(ledger: FakeLedger) -> Iterator[str]:
    """Run the fake on a free localhost port in a background thread; yield its URL."""
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(ledger.app())
    loop.run_until_complete(runner.setup())
    site = web.TCPSite(runner, "127.0.0.1", 0)
    loop.run_until_complete(site.start())
    host, port = runner.addresses[0][:2]
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{port}"
    finally:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(timeout=5)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=5)
        loop.close()
