"""The object folder over HTTP, as Tansu's S3 client meets it."""

import subprocess
import sys
import urllib.error
import urllib.request
import xml.etree.ElementTree as ElementTree

import pytest

from ledger.broker import free_port
from ledger.child_process import stop, wait_listening


@pytest.fixture
def store(tmp_path):
    port = free_port()
    command = [sys.executable, "-m", "ledger.object_folder"]
    process = subprocess.Popen(command + ["--root", str(tmp_path), "--port", str(port)])
    wait_listening(process, port, 20)
    yield f"http://127.0.0.1:{port}/tansu"
    stop(process)


def _call(method: str, url: str, body: bytes | None = None, **headers):
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_conditional_puts_and_gets_follow_s3(store):
    url = f"{store}/clusters/c/meta.json"
    status, headers, _ = _call("PUT", url, b"{}", **{"If-None-Match": "*"})
    assert status == 200
    tag = headers["ETag"]
    assert _call("PUT", url, b"{}", **{"If-None-Match": "*"})[0] == 412
    assert _call("PUT", url, b"[]", **{"If-Match": '"stale"'})[0] == 412
    assert _call("GET", url, **{"If-None-Match": tag})[0] == 304
    status, headers, body = _call("GET", url)
    assert (status, body, headers["ETag"]) == (200, b"{}", tag)
    assert "GMT" in headers["Last-Modified"]
    assert _call("PUT", url, b"[]", **{"If-Match": tag})[0] == 200
    assert _call("GET", f"{store}/clusters/c/none.json")[0] == 404


def test_a_listing_names_every_object_under_the_prefix_with_its_size(store):
    for name in ["00002.batch", "00000.batch", "00001.batch"]:
        _call("PUT", f"{store}/t/p/0/{name}", b"12345")
    _call("PUT", f"{store}/t/p/1/00000.batch", b"1")
    status, _, body = _call("GET", f"{store}?list-type=2&prefix=t/p/0/")
    assert status == 200
    root = ElementTree.fromstring(body)
    keys = [c.findtext("Key") for c in root.iter("Contents")]
    assert keys == ["t/p/0/00000.batch", "t/p/0/00001.batch", "t/p/0/00002.batch"]
    assert {c.findtext("Size") for c in root.iter("Contents")} == {"5"}
    assert root.findtext("IsTruncated") == "false"
    _call("DELETE", f"{store}/t/p/0/00001.batch")
    _, _, body = _call("GET", f"{store}?list-type=2&prefix=t/p/0/")
    assert len(list(ElementTree.fromstring(body).iter("Contents"))) == 2


def test_a_second_server_on_the_same_folder_is_refused(store, tmp_path):
    command = [sys.executable, "-m", "ledger.object_folder", "--root", str(tmp_path)]
    second = subprocess.run(
        command + ["--port", str(free_port())], capture_output=True, timeout=30
    )
    assert second.returncode != 0
    assert b"in use by another process" in second.stderr
