"""The cheap search for NaN and Infinity finds them exactly where ``in`` does."""

from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.rules.intake import holds

BYTES = st.binary(max_size=64) | st.lists(
    st.sampled_from([b"N", b"a", b"NaN", b"I", b"Infinity", b"Infinit", b"x", b'"']),
    max_size=40,
).map(b"".join)


@settings(max_examples=2000, deadline=None)
@given(
    value=BYTES, token=st.sampled_from([b"NaN", b"Infinity"]), tries=st.integers(0, 3)
)
def test_holds_is_the_substring_test(value, token, tries):
    assert holds(value, token, token[:1], tries) == (token in value)


def test_holds_finds_a_token_past_many_first_bytes():
    assert holds(b"N" * 10_000 + b"NaN", b"NaN", b"N")
    assert not holds(b"N" * 10_000 + b"Na", b"NaN", b"N")
