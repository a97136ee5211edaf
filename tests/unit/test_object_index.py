"""The embedded broker's object store on disk: conditional writes, listings, reload."""

import pytest

from ledger import batch_log
from ledger.batch_log import LOG_NAME
from ledger.object_index import ObjectIndex


def test_create_only_writes_when_the_object_does_not_exist(tmp_path):
    index = ObjectIndex(tmp_path)
    assert index.put("a/1.batch", b"one", None, "*") is not None
    assert index.put("a/1.batch", b"two", None, "*") is None
    assert index.read("a/1.batch")[0] == b"one"


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
    assert index.etag("nothing") is None


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
    index.put("t/0.batch", b"records", None, "*")
    (tmp_path / "t" / ".c.tmp").write_bytes(b"half written when killed")
    again = ObjectIndex(tmp_path)
    assert [k for k, *_ in again.listing("")] == ["t/0.batch", "t/a", "t/b"]
    assert again.put("t/b", b"z", version, None) is not None
    assert again.read("t/0.batch")[0] == b"records"
    assert again.put("t/0.batch", b"again", None, "*") is None


def test_keys_cannot_leave_the_folder(tmp_path):
    index = ObjectIndex(tmp_path / "bucket")
    with pytest.raises(ValueError):
        index.put("../outside", b"x", None, None)
    assert not (tmp_path / "outside").exists()


def test_record_batches_share_one_log_file_per_folder(tmp_path):
    index = ObjectIndex(tmp_path)
    for n in range(3):
        index.put(f"p/0/{n}.batch", b"batch %d" % n, None, "*")
    assert sorted(p.name for p in (tmp_path / "p" / "0").iterdir()) == [LOG_NAME]
    assert [index.read(f"p/0/{n}.batch")[0] for n in range(3)] == [
        b"batch 0",
        b"batch 1",
        b"batch 2",
    ]
    assert index.listing("p/0/")[1][1] == len(b"batch 1")
    assert len({index.etag(f"p/0/{n}.batch") for n in range(3)}) == 3


def test_a_batch_cut_short_by_a_kill_is_dropped_and_the_log_goes_on(tmp_path):
    index = ObjectIndex(tmp_path)
    index.put("p/0.batch", b"whole", None, "*")
    index.put("p/1.batch", b"cut short", None, "*")
    log = tmp_path / "p" / LOG_NAME
    log.write_bytes(log.read_bytes()[:-3])
    again = ObjectIndex(tmp_path)
    assert [k for k, *_ in again.listing("p/")] == ["p/0.batch"]
    again.put("p/1.batch", b"sent again", None, "*")
    third = ObjectIndex(tmp_path)
    assert third.read("p/1.batch")[0] == b"sent again"
    assert third.read("p/0.batch")[0] == b"whole"


def test_a_deleted_batch_stays_deleted_after_a_reopen(tmp_path):
    index = ObjectIndex(tmp_path)
    index.put("p/0.batch", b"a", None, "*")
    index.put("p/1.batch", b"b", None, "*")
    index.delete("p/0.batch")
    assert index.read("p/0.batch") is None
    assert [k for k, *_ in ObjectIndex(tmp_path).listing("p/")] == ["p/1.batch"]


def test_a_batch_half_written_on_a_full_disk_leaves_the_log_whole(
    tmp_path, monkeypatch
):
    index = ObjectIndex(tmp_path)
    index.put("p/0.batch", b"before", None, "*")
    real_write = batch_log.os.write

    def full_disk(fd, data):
        real_write(fd, data[:5])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(batch_log.os, "write", full_disk)
    with pytest.raises(OSError):
        index.put("p/1.batch", b"refused", None, "*")
    monkeypatch.setattr(batch_log.os, "write", real_write)
    index.put("p/2.batch", b"after", None, "*")
    again = ObjectIndex(tmp_path)
    assert [k for k, *_ in again.listing("p/")] == ["p/0.batch", "p/2.batch"]
    assert again.read("p/2.batch")[0] == b"after"
