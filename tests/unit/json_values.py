"""Hypothesis strategies: JSON values of every type, and near misses of each field."""

from hypothesis import strategies as st
from readme_contract import ASSIGNED, MAX_COUNT, NOT_ASSIGNED, WHITE_SPACE


class Raw(str):
    """A JSON token sent as written: spellings json.dumps never makes (4e0, 1e400)."""


NON_FINITE = [Raw("NaN"), Raw("Infinity"), Raw("-Infinity")]
EDGES = [
    *["", " ", "\t\n", "\u3000", "\u200b", "\x1f", "x" * 65, "x" * 201],
    "x" * 70_000,  # the record is then over 64 KiB
    *[0, -1, 1, MAX_COUNT, MAX_COUNT + 1, 2**53 + 1, 2**64, -(10**30), 10**400],
    *[0.0, -0.0, 0.5, 1.0, 4.0, 1000.0, 1000.0000000000002, 5e-324, 1e308, -1e308],
    *map(Raw, ["4e0", "4E0", "1e0", "-0", "-0.0", "1e3", "1e400", "-1e400"]),
    *map(Raw, ["1e-400", "2147483647.0", "1" + "0" * 400, "1000.00000000000001"]),
    *[None, True, False, [], [None], [""], ["a", 1], {}, {"a": 1}, [[]], [{}]],
]
_TIMESTAMP_EDGES = [
    *["0001-01-01T00:00:00+00:01", "0001-01-01T00:00:00-00:01", "0001-01-01T00:00:00Z"],
    *["9999-12-31T23:59:59-00:01", "9999-12-31T23:59:59+00:01", "0000-12-31T23:00:00Z"],
    *["2025-03-14T10:30:00+0800", "2025-03-14 10:30:00Z", "2025-03-14T10:30Z"],
    *["2025-03-14T10:30:00,5Z", "2025-03-14T10:30:00.Z", "2025-03-14T10:30:00+8:00"],
    "2025-03-14T02:30:00." + "9" * 200 + "Z",
    *["2024-02-29T10:30:00Z", "2025-02-29T10:30:00Z", "2016-12-31T23:59:60Z"],
    *[
        "2025-03-14T10:30:00.1234569Z",
        "1741919400",
        "2025-03-14",
        "2025-03-14T10:30:00",
    ],
]
# The sweep's own event_id, spelt three ways: in supersedes or voids it names itself.
_ID_EDGES = [
    "6F1C6C2E-9A59-4F3B-9C1E-2B0F7A3C1D11",
    "6f1c6c2e9a594f3b9c1e2b0f7a3c1d11",
    "6f1c6c2e-9a59-4f3b-9c1e-2b0f7a3c1d11",
]
FIELD_EDGES = {
    "event_id": _ID_EDGES[:2],
    "supersedes": _ID_EDGES,
    "voids": _ID_EDGES,
    "occurred_at": _TIMESTAMP_EDGES,
    "received_at": _TIMESTAMP_EDGES,
    "region": ["AB", "A", "ABCDEFGHIJ012_-P", "ABCDEFGHIJ012_-PQ", "APAC\n", "ÄPAC"],
    "country": ["TW", "tw", "TWN", "UK", "XK", "ＴＷ"],
    "topics": [[], [""], ["x" * 1000], [None], "scam centres"],
    "hours": [1000, 1000.0, 999.9999999999999, 1e-300, 1, Raw("1e-7")],
}
_LEAVES = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)
KINDS = {
    "null": st.none(),
    "boolean": st.booleans(),
    "integer": st.integers() | st.integers(-3, 3) | st.integers(MAX_COUNT - 2),
    "float": st.floats(allow_nan=False, allow_infinity=False),
    "string": st.text(),
    "array": st.lists(_LEAVES, max_size=4) | st.lists(st.text(max_size=8), max_size=4),
    "object": st.dictionaries(st.text(max_size=8), _LEAVES, max_size=4),
}


@st.composite
def _padded(draw, core: st.SearchStrategy[str]) -> str:
    """Text with white space (or look-alikes that are not) on either end."""
    pad = st.text(st.sampled_from(WHITE_SPACE + "\u200b\ufeff\x1c\x1f"), max_size=3)
    return draw(pad) + draw(core) + draw(pad)


def _text_near(most: int) -> st.SearchStrategy[str]:
    lengths = st.integers(0, 3) | st.integers(most - 2, most + 2)
    cores = lengths.flatmap(lambda n: st.text(min_size=n, max_size=n))
    return _padded(cores) | _padded(st.just(""))


_DIGITS = "{:02d}".format
# Each part of an RFC 3339 date-time: (spellings in range, spellings that may not be).
_TIME_PARTS = {
    "year": (
        st.integers(1, 9999).map("{:04d}".format),
        ["0000", "99", "+2025", "２０２５"],
    ),
    "-m": (st.integers(1, 12).map(_DIGITS), ["00", "13", "1"]),
    "-d": (st.integers(1, 28).map(_DIGITS), ["00", "29", "30", "31", "32"]),
    "T": (st.sampled_from("Tt"), [" ", "_", ""]),
    "h": (st.integers(0, 23).map(_DIGITS), ["24", "1"]),
    ":m": (st.integers(0, 59).map(_DIGITS), ["60", "1"]),
    ":s": (st.integers(0, 59).map(_DIGITS), ["60", "61", ""]),
    "fraction": (st.sampled_from(["", ".5", ".123456", ".1234567891"]), [".", ",5"]),
    "offset": (
        st.sampled_from(["Z", "z", "+08:00", "-05:30", "-00:00", "+23:59", "-23:59"]),
        ["", "+24:00", "+08:60", "+08", "+0800", "UTC"],
    ),
}


@st.composite
def _timestamps(draw) -> str:
    """An RFC 3339 date-time with up to two parts out of range or spelt otherwise."""
    odd = draw(st.sets(st.sampled_from(list(_TIME_PARTS)), max_size=2))
    text = {
        name: draw(st.sampled_from(others) if name in odd else spelt)
        for name, (spelt, others) in _TIME_PARTS.items()
    }
    year, month, day, sep, hour, minute, second, fraction, offset = text.values()
    return f"{year}-{month}-{day}{sep}{hour}:{minute}:{second}{fraction}{offset}"


def _uuid_spellings(value) -> st.SearchStrategy[str]:
    text = str(value)
    return st.sampled_from(
        [text, text.upper(), value.hex, f"{{{text}}}", f"urn:uuid:{text}"]
        + [f" {text}", f"{text}\n", text[:-1], text.replace("-", "", 1)]
    )


def _choice_near(*choices: str) -> st.SearchStrategy[str]:
    spelt = st.sampled_from(choices).flatmap(
        lambda c: st.sampled_from([c, c.upper(), f" {c}", c.replace("_", "-"), c[:-1]])
    )
    return spelt | st.sampled_from(choices)


_REQUEST_TYPES = ("disclosure", "freeze", "seizure", "emergency", "other")
_EVENT_TYPES = (
    "meeting_held",
    "training_delivered",
    "request_fulfilled",
    "event_voided",
)
_COUNTS = st.integers(-2, 3) | st.integers(MAX_COUNT - 2, MAX_COUNT + 2)
SHAPED = {
    "event_id": st.uuids().flatmap(_uuid_spellings),
    "event_type": _choice_near(*_EVENT_TYPES) | st.just("meeting_cancelled"),
    "schema_version": st.sampled_from([1, 2, 0, -1, 1.0, True, "1", [1], Raw("1e0")]),
    "occurred_at": _timestamps() | st.sampled_from(["1741919400", "-1", "1.5"]),
    "region": st.text("ACPEMA019_-", max_size=18) | st.text("APC09_- a.É", max_size=18),
    "country": st.sampled_from(sorted(ASSIGNED | NOT_ASSIGNED))
    | st.text("TWXa", max_size=3),
    "agency": _text_near(200),
    "source": _text_near(64),
    "participants": _COUNTS | _COUNTS.map(float),
    "topics": st.lists(st.text(max_size=8)) | st.lists(_LEAVES, min_size=1, max_size=3),
    "course": _text_near(200),
    "units": _COUNTS | _COUNTS.map(float),
    "attendees": _COUNTS | _COUNTS.map(float),
    "hours": st.floats(-1, 1001) | st.integers(-1, 1001) | st.floats(0, 1e-300),
    "delivery": _choice_near("in_person", "virtual", "hybrid"),
    "request_id": _text_near(64),
    "request_type": _choice_near(*_REQUEST_TYPES),
    "supersedes": st.none() | st.uuids().flatmap(_uuid_spellings),
    "voids": st.uuids().flatmap(_uuid_spellings),
    "reason": _text_near(500),
    "received_at": _timestamps() | st.sampled_from(["1741919400", "-1", "1.5"]),
}
