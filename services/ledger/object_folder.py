"""A local folder served as an S3 bucket: the embedded broker's storage on disk.

Tansu's only engine in the shipped binary that outlives its process is `s3://`
(its object-store engine), so `ledger up` gives it this folder as the bucket. Only
what Tansu's engine uses is served, on loopback, without signatures: GET and HEAD
(with If-None-Match), PUT (with If-None-Match: * and If-Match, checked and written
with no await in between, so one process's compare-and-set is atomic), DELETE and
ListObjectsV2. Each object is one file, written to a temporary name and renamed,
so a kill at any instant leaves the old object or the new, never half of one.
"""

import argparse
import os
from datetime import UTC, datetime
from email.utils import formatdate
from pathlib import Path
from xml.sax.saxutils import escape

from aiohttp import web

PAGE = 1000


class ObjectFolder:
    """Objects as files under root/<bucket>/<key>. A file is only ever replaced
    whole (a new inode), so inode, mtime and size make a cheap, exact ETag."""

    def __init__(self, root: Path, sync: bool = True):
        self.root = root.resolve()
        self.sync = sync

    def path(self, bucket: str, key: str) -> Path:
        path = (self.root / bucket / key).resolve()
        if not path.is_relative_to(self.root) or path == self.root:
            raise web.HTTPBadRequest(text="key outside the folder")
        return path

    def put(self, path: Path, body: bytes, if_match: str | None, if_none: str | None):
        current = etag(path)
        if (if_none == "*" and current) or (if_match and current != if_match):
            raise web.HTTPPreconditionFailed()
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.tmp")
        with temporary.open("wb") as out:
            out.write(body)
            if self.sync:
                os.fsync(out.fileno())
        os.replace(temporary, path)
        return etag(path)

    def keys(self, bucket: str, prefix: str, after: str) -> list[str]:
        top = self.root / bucket
        start = top / prefix.rpartition("/")[0]
        if not start.is_dir():
            return []
        found = [
            str(Path(folder, name).relative_to(top))
            for folder, _, names in os.walk(start)
            for name in names
            if not name.startswith(".")
        ]
        return sorted(k for k in found if k.startswith(prefix) and k > after)


def etag(path: Path) -> str | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return f'"{stat.st_ino:x}-{stat.st_mtime_ns:x}-{stat.st_size:x}"'


def _stamp(path: Path) -> tuple[str, str]:
    mtime = path.stat().st_mtime
    iso = datetime.fromtimestamp(mtime, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]
    return formatdate(mtime, usegmt=True), iso + "Z"


def _object_headers(path: Path, tag: str) -> dict[str, str]:
    http_date, _ = _stamp(path)
    return {"ETag": tag, "Last-Modified": http_date}


async def get_object(request: web.Request) -> web.StreamResponse:
    folder: ObjectFolder = request.app["folder"]
    path = folder.path(request.match_info["bucket"], request.match_info["key"])
    tag = etag(path)
    if tag is None:
        raise web.HTTPNotFound(text="<Error><Code>NoSuchKey</Code></Error>")
    headers = _object_headers(path, tag)
    if request.headers.get("If-None-Match") == tag:
        return web.Response(status=304, headers=headers)
    if request.method == "HEAD":
        headers["Content-Length"] = str(path.stat().st_size)
        return web.Response(headers=headers)
    return web.Response(body=path.read_bytes(), headers=headers)


async def put_object(request: web.Request) -> web.Response:
    folder: ObjectFolder = request.app["folder"]
    path = folder.path(request.match_info["bucket"], request.match_info["key"])
    body = await request.read()
    headers = request.headers
    tag = folder.put(path, body, headers.get("If-Match"), headers.get("If-None-Match"))
    return web.Response(headers={"ETag": tag})


async def delete_object(request: web.Request) -> web.Response:
    folder: ObjectFolder = request.app["folder"]
    path = folder.path(request.match_info["bucket"], request.match_info["key"])
    path.unlink(missing_ok=True)
    return web.Response(status=204)


async def list_objects(request: web.Request) -> web.Response:
    folder: ObjectFolder = request.app["folder"]
    query = request.query
    after = query.get("continuation-token") or query.get("start-after", "")
    keys = folder.keys(request.match_info["bucket"], query.get("prefix", ""), after)
    page, more = keys[:PAGE], len(keys) > PAGE
    bucket = folder.root / request.match_info["bucket"]
    contents = "".join(_content(bucket, key) for key in page)
    token = (
        more and f"<NextContinuationToken>{escape(page[-1])}</NextContinuationToken>"
    )
    body = (
        '<?xml version="1.0" encoding="UTF-8"?><ListBucketResult>'
        f"<KeyCount>{len(page)}</KeyCount><IsTruncated>{str(more).lower()}"
        f"</IsTruncated>{token if more else ''}{contents}</ListBucketResult>"
    )
    return web.Response(text=body, content_type="application/xml")


def _content(bucket: Path, key: str) -> str:
    path = bucket / key
    _, iso = _stamp(path)
    return (
        f"<Contents><Key>{escape(key)}</Key><LastModified>{iso}</LastModified>"
        f"<Size>{path.stat().st_size}</Size></Contents>"
    )


def application(root: Path) -> web.Application:
    app = web.Application(client_max_size=64 * 1024 * 1024)
    app["folder"] = ObjectFolder(root)
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
    web.run_app(application(args.root), host="127.0.0.1", port=args.port, print=None)


if __name__ == "__main__":
    main()
