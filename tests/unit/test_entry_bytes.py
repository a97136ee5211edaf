"""Entries and their index keys are serialized by hand on the batch path (once per
entry, keys written out directly): the bytes are exactly orjson's, which every
reader of the local state and of the changelog decodes and seeks by."""

import tempfile
from uuid import uuid4

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st
from rocksdict import Options, Rdict

from ledger.rules.keys import seen_key
from ledger.stream.encoding import encode_key
from ledger.stream.seen import index_keys, index_keys_json, prepare
from ledger.stream.writer import _chunks, chunk_bytes

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


@given(st.lists(st.tuples(agencies, instants), min_size=1, max_size=30))
def test_chunks_from_entries_serialized_once_are_orjsons_bytes(rows):
    entries = {uuid4().hex: _entry(agency, at_us) for agency, at_us in rows}
    raw = prepare(3, entries).raw
    for chunk in _chunks(entries):
        assert chunk_bytes(chunk, raw) == orjson.dumps(chunk)
        assert orjson.loads(chunk_bytes(chunk, raw)) == chunk


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
