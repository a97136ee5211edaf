"""A local folder served as an S3 bucket: the embedded broker's storage on disk.

Tansu's only engine in the shipped binary that outlives its process is `s3://`
(its object-store engine), so `ledger up` gives it this folder as the bucket. Only
what Tansu's engine uses is served, on loopback, without signatures: GET and HEAD
(with If-None-Match), PUT (with If-None-Match: * and If-Match, checked and written
with no await in between, so one process's compare-and-set is atomic), DELETE and
ListObjectsV2. Record batches are appended to a log per partition folder; other
objects are files written to a temporary name, synced and renamed; either way a
kill at any instant leaves the old object or the new, never half of one.
"""

import argparse
import contextlib
import fcntl
import sys
import time
from pathlib import Path
from xml.sax.saxutils import escape

from aiohttp import web

from ledger.object_index import ObjectIndex, http_date, iso_date

LOCK_WAIT_S = 5
LISTING = (
    '<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><KeyCount>{count}'
    "</KeyCount><IsTruncated>{more}</IsTruncated>{token}{contents}</ListBucketResult>"
)


def _located(request: web.Request) -> tuple[ObjectIndex, str]:
    index = request.app["folders"].bucket(request.match_info["bucket"])
    key = request.match_info["key"]
    try:
        index.path(key)
    except ValueError as error:
        raise web.HTTPBadRequest(text=str(error)) from None
    return index, key


async def get_object(request: web.Request) -> web.StreamResponse:
    index, key = _located(request)
    found = index.read(key)
    if found is None:
        raise web.HTTPNotFound(text="<Error><Code>NoSuchKey</Code></Error>")
    body, tag, mtime = found
    headers = {"ETag": tag, "Last-Modified": http_date(mtime)}
    if request.headers.get("If-None-Match") == tag:
        return web.Response(status=304, headers=headers)
    if request.method == "HEAD":
        headers["Content-Length"] = str(len(body))
        return web.Response(headers=headers)
    return web.Response(body=body, headers=headers)


async def put_object(request: web.Request) -> web.Response:
    body = await request.read()
    index, key = _located(request)
    headers = request.headers
    tag = index.put(key, body, headers.get("If-Match"), headers.get("If-None-Match"))
    if tag is None:
        raise web.HTTPPreconditionFailed()
    return web.Response(headers={"ETag": tag})


async def delete_object(request: web.Request) -> web.Response:
    index, key = _located(request)
    index.delete(key)
    return web.Response(status=204)


async def list_objects(request: web.Request) -> web.Response:
    """Every match in one page: Tansu lists a partition's batches on each fetch,
    and one answer costs less than many."""
    index = request.app["folders"].bucket(request.match_info["bucket"])
    query = request.query
    after = query.get("continuation-token") or query.get("start-after", "")
    entries = index.listing(query.get("prefix", ""), after)
    contents = "".join(entries)
    body = LISTING.format(count=len(entries), more="false", token="", contents=contents)
    return web.Response(text=body, content_type="application/xml")


def _contents(key: str, size: int, mtime: float) -> str:
    """An object as a ListObjectsV2 answer names it."""
    return (
        f"<Contents><Key>{escape(key)}</Key><LastModified>{iso_date(mtime)}"
        f"</LastModified><Size>{size}</Size></Contents>"
    )


class Folders:
    """One ObjectIndex per bucket, each a subfolder of root, read on first use."""

    def __init__(self, root: Path, sync: bool = True):
        self.root, self.sync = root.resolve(), sync
        self._buckets: dict[str, ObjectIndex] = {}

    def bucket(self, name: str) -> ObjectIndex:
        if name not in self._buckets:
            if not name.isidentifier():
                raise web.HTTPBadRequest(text="bucket names are plain words here")
            folder = self.root / name
            self._buckets[name] = ObjectIndex(folder, self.sync, _contents)
        return self._buckets[name]


def application(root: Path, sync: bool = True) -> web.Application:
    app = web.Application(client_max_size=64 * 1024 * 1024)
    app["folders"] = Folders(root, sync)
    app.router.add_get("/{bucket}", list_objects)
    app.router.add_get("/{bucket}/{key:.+}", get_object)
    app.router.add_put("/{bucket}/{key:.+}", put_object)
    app.router.add_delete("/{bucket}/{key:.+}", delete_object)
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    args.root.mkdir(parents=True, exist_ok=True)
    app = application(args.root)
    with _sole_user(args.root):
        web.run_app(app, host="127.0.0.1", port=args.port, print=None)


@contextlib.contextmanager
def _sole_user(root: Path):
    """Writes are only atomic within one process: a second one on the same folder
    (a second `ledger up` on the same data dir) is refused. A few seconds' grace
    lets the one a killed `ledger up` leaves finish dying."""
    deadline = time.monotonic() + LOCK_WAIT_S
    with (root / ".lock").open("w") as lock:
        while not _locked(lock):
            if time.monotonic() > deadline:
                sys.exit(f"ledger.object_folder: {root} is in use by another process")
            time.sleep(0.1)
        yield


def _locked(lock) -> bool:
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


if __name__ == "__main__":
    main()
