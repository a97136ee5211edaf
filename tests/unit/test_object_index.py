"""The embedded broker's object store on disk: conditional writes, listings, reload."""

import pytest

from ledger.object_index import ObjectIndex, etag


def test_create_only_writes_when_the_object_does_not_exist(tmp_path):
    index = ObjectIndex(tmp_path)
    assert index.put("a/1.batch", b"one", None, "*") is not None
    assert index.put("a/1.batch", b"two", None, "*") is None
    assert index.path("a/1.batch").read_bytes() == b"one"


def test_update_only_writes_over_the_version_it_read(tmp_path):
    index = ObjectIndex(tmp_path)
    first = index.put("meta.json", b"{}", None, None)
    second = index.put("meta.json", b'{"n": 1}', first, None)
    assert second is not None and second != first
    assert index.put("meta.json", b'{"n": 2}', first, None) is None, "stale version"
    assert index.path("meta.json").read_bytes() == b'{"n": 1}'
    assert index.put("missing.json", b"{}", second, None) is None


def test_the_version_changes_with_every_write_even_of_the_same_bytes(tmp_path):
    index = ObjectIndex(tmp_path)
    first = index.put("w.json", b"{}", None, None)
    assert index.put("w.json", b"{}", first, None) != first
    assert etag(tmp_path / "nothing") is None


def test_a_listing_is_every_key_under_the_prefix_in_order(tmp_path):
    index = ObjectIndex(tmp_path)
    for key in ["p/0/b.batch", "p/0/a.batch", "p/1/a.batch", "p/00/x", "q"]:
        index.put(key, b"x" * 3, None, "*")
    assert [k for k, _, _ in index.listing("p/0/")] == ["p/0/a.batch", "p/0/b.batch"]
    assert [k for k, _, _ in index.listing("p/0/", "p/0/a.batch")] == ["p/0/b.batch"]
    assert [k for k, *_ in index.listing("p/")] == [
        "p/0/a.batch",
        "p/0/b.batch",
        "p/00/x",
        "p/1/a.batch",
    ]
    assert index.listing("p/0/")[0][1] == 3
    assert index.listing("r") == []


def test_deleted_objects_are_gone_from_disk_and_listings(tmp_path):
    index = ObjectIndex(tmp_path)
    index.put("t/a", b"x", None, None)
    index.put("t/b", b"x", None, None)
    index.delete("t/a")
    index.delete("t/never")
    assert [k for k, *_ in index.listing("t/")] == ["t/b"]
    assert not (tmp_path / "t" / "a").exists()


def test_a_new_index_on_the_same_folder_finds_every_object_but_temporaries(tmp_path):
    index = ObjectIndex(tmp_path)
    index.put("t/a", b"x", None, None)
    version = index.put("t/b", b"y", None, None)
    (tmp_path / "t" / ".c.tmp").write_bytes(b"half written when killed")
    again = ObjectIndex(tmp_path)
    assert [k for k, *_ in again.listing("")] == ["t/a", "t/b"]
    assert again.put("t/b", b"z", version, None) is not None


def test_keys_cannot_leave_the_folder(tmp_path):
    index = ObjectIndex(tmp_path / "bucket")
    with pytest.raises(ValueError):
        index.put("../outside", b"x", None, None)
    assert not (tmp_path / "outside").exists()
