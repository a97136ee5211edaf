"""Entries and their index keys are serialized by hand on the batch path (once per
entry, keys written out directly): the bytes are exactly orjson's, which every
reader of the local state and of the changelog decodes and seeks by."""

import tempfile
from unittest.mock import patch
from uuid import uuid4

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st
from rocksdict import Options, Rdict

from ledger.rules.keys import seen_key
from ledger.stream.encoding import encode_key
from ledger.stream.seen import CHUNK_BYTES, index_keys, index_keys_json, prepare

# Agency names as the contract allows them: any text, quotes, backslashes,
# control characters and non-ASCII letters included.
agencies = st.text(min_size=1, max_size=40)
instants = st.integers(-62_135_596_800_000_000, 253_402_300_799_999_999)  # 1-9999


def _entry(agency: str, at_us: int, region="APAC-2", country="TW") -> dict:
    return {
        "type": "meeting_held",
        "region": region,
        "country": country,
        "agency": agency,
        "at_us": at_us,
        "offset": 3,
        "history": [[3, "counted", None]],
    }


@given(agencies, instants, st.sampled_from(["APAC", "EU_WEST-1", "X9"]))
def test_index_keys_written_out_are_orjsons_bytes(agency, at_us, region):
    event_id = uuid4().hex
    entry = _entry(agency, at_us, region)
    expected = tuple(orjson.dumps(key) for key in index_keys(event_id, entry))
    assert index_keys_json(event_id, entry) == expected


def test_a_void_has_no_index_keys():
    void = {"region": "APAC", "voids": "e" * 32, "history": [[5, "counted", None]]}
    assert index_keys_json("ab" * 16, void) is None


@given(
    st.lists(st.tuples(agencies, instants), min_size=1, max_size=30),
    st.sampled_from([300, 2000, CHUNK_BYTES]),
)
def test_chunks_are_orjsons_bytes_of_the_entries_in_order(rows, limit):
    entries = {uuid4().hex: _entry(agency, at_us) for agency, at_us in rows}
    with patch("ledger.stream.seen.CHUNK_BYTES", limit):
        chunks = prepare(3, entries).chunks
    decoded = [orjson.loads(chunk) for chunk in chunks]
    assert [orjson.dumps(chunk) for chunk in decoded] == chunks
    assert [i for chunk in decoded for i in chunk] == list(entries)
    assert {i: e for chunk in decoded for i, e in chunk.items()} == entries
    for chunk, entries_in_it in zip(chunks, decoded, strict=True):
        assert len(chunk) <= limit or len(entries_in_it) == 1


@settings(deadline=None)
@given(st.integers(0, 999), st.lists(st.tuples(agencies, instants), max_size=10))
def test_prepared_writes_are_each_entry_and_its_index_keys(partition, rows):
    entries = {uuid4().hex: _entry(agency, at_us) for agency, at_us in rows}
    with tempfile.TemporaryDirectory() as folder:
        db = Rdict(folder, options=Options(raw_mode=True))
        db.write(prepare(partition, entries).writes)
        written = dict(db.items())
        db.close()
    keys = set(written)
    expected = {encode_key(seen_key(partition, event_id)) for event_id in entries}
    expected |= {key for i, e in entries.items() for key in index_keys_json(i, e)}
    assert keys == expected
    for event_id, entry in entries.items():
        assert orjson.loads(written[encode_key(seen_key(partition, event_id))]) == entry
