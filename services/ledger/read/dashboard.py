"""The ops dashboard page and its static files."""

from pathlib import Path

import faust
from faust.web import Request, Response, View

STATIC_DIR = Path(__file__).parent / "static"
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; object-src 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
}


def register_dashboard(app: faust.App) -> None:
    app.web.add_static("/static/", STATIC_DIR)

    @app.page("/")
    class Dashboard(View):
        async def get(self, request: Request) -> Response:
            page = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
            return self.html(page, headers=dict(SECURITY_HEADERS))
