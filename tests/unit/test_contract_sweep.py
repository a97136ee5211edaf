"""Every field of every event, fed every JSON type, against the README's contract."""

import json

import pytest
import readme_contract as readme
from hypothesis import given, settings
from hypothesis import strategies as st
from json_values import EDGES, FIELD_EDGES, KINDS, NON_FINITE, SHAPED, Raw

import wire
from ledger.rules.intake import Rejection, admit

COMMON = {
    "event_id": "6f1c6c2e-9a59-4f3b-9c1e-2b0f7a3c1d11",
    "schema_version": 1,
    "occurred_at": "2025-03-14T10:30:00+08:00",
    "region": "APAC",
    "country": "TW",
    "agency": "Criminal Investigation Bureau",
    "source": "exec-crm",
}
EARLIER = "0d9e8f7a-6b5c-4d3e-8f2a-1b0c9d8e7f6a"
EVENTS = {
    kind: {"event_type": kind, **COMMON, **own, "supersedes": EARLIER}
    for kind, own in wire.OWN_FIELDS.items()
} | {  # country and agency on a void are not its fields: ignored, whatever they hold
    "event_voided": {"event_type": "event_voided", **COMMON, "voids": EARLIER}
    | {"reason": "entered twice"}
}
SLOTS = [(kind, name) for kind, event in EVENTS.items() for name in event]
SWEEP = settings(max_examples=12, deadline=None)


def encode(event: dict, ensure_ascii: bool = True) -> bytes:
    """JSON text of the event, with Raw values spliced in as the tokens they hold."""
    stand_ins = {
        name: f"\0{name}" for name, value in event.items() if type(value) is Raw
    }
    text = json.dumps({**event, **stand_ins}, ensure_ascii=ensure_ascii)
    for name, stand_in in stand_ins.items():
        text = text.replace(json.dumps(stand_in), event[name])
    return text.encode()


def outcome_of(event: dict, ensure_ascii: bool = True) -> tuple[str, set[str]]:
    """What admit() said, and everything the README allows it to say."""
    record = encode(event, ensure_ascii)
    region = event.get("region")
    key = region.encode() if isinstance(region, str) else b"APAC"
    got = admit(key, record)
    # not getattr(got, "reason"): an accepted event_voided has a reason of its own
    verdict = got.reason if isinstance(got, Rejection) else readme.ACCEPTED
    return verdict, readme.outcomes(record)


def check(kind: str, name: str, value, ensure_ascii: bool = True) -> None:
    got, allowed = outcome_of({**EVENTS[kind], name: value}, ensure_ascii)
    assert got in allowed, f"{kind}.{name} = {value!r}: {got}, README: {allowed}"


def mismatches(kind: str, name: str, values: list) -> list[str]:
    found = []
    for value in values:
        got, allowed = outcome_of({**EVENTS[kind], name: value})
        if got not in allowed:
            found.append(f"{value!r:.60}: {got}, README: {sorted(allowed)}")
    return found


@pytest.mark.parametrize("json_type", sorted(KINDS))
@pytest.mark.parametrize(("kind", "name"), SLOTS)
@SWEEP
@given(data=st.data())
def test_every_json_type_in_every_field_gets_the_readme_outcome(
    kind, name, json_type, data
):
    value = data.draw(KINDS[json_type], label=json_type)
    check(kind, name, value, data.draw(st.booleans(), label="ensure_ascii"))


@pytest.mark.parametrize("json_type", sorted(KINDS))
@SWEEP
@given(data=st.data())
def test_supersedes_of_every_json_type_on_a_void_gets_the_readme_outcome(
    json_type, data
):
    check("event_voided", "supersedes", data.draw(KINDS[json_type], label=json_type))


@pytest.mark.parametrize(("kind", "name"), SLOTS)
@settings(SWEEP, max_examples=60)
@given(data=st.data())
def test_values_shaped_like_the_field_get_the_readme_outcome(kind, name, data):
    value = data.draw(SHAPED[name], label=name)
    check(kind, name, value, data.draw(st.booleans(), label="ensure_ascii"))


@pytest.mark.parametrize(("kind", "name"), SLOTS)
def test_empty_oversized_out_of_range_and_odd_numbers_get_the_readme_outcome(
    kind, name
):
    assert mismatches(kind, name, EDGES + FIELD_EDGES.get(name, [])) == []


@pytest.mark.parametrize(("kind", "name"), SLOTS)
def test_a_missing_field_is_missing_field_unless_the_readme_says_optional(kind, name):
    event = {key: value for key, value in EVENTS[kind].items() if key != name}
    got, allowed = outcome_of(event)
    assert got in allowed
    required = {"event_type", *readme.COMMON, *readme.BY_TYPE[kind]} - readme.OPTIONAL
    assert got == ("missing_field" if name in required else readme.ACCEPTED)


@pytest.mark.parametrize("kind", sorted(EVENTS))
def test_the_valid_events_the_sweep_starts_from_are_accepted(kind):
    assert outcome_of(EVENTS[kind]) == (readme.ACCEPTED, {readme.ACCEPTED})


@pytest.mark.parametrize(("kind", "name"), SLOTS)
def test_nan_and_infinity_in_a_contract_field_are_never_accepted(kind, name):
    for token in NON_FINITE:
        got, _ = outcome_of({**EVENTS[kind], name: token})
        assert got != readme.ACCEPTED, f"{kind}.{name} = {token}"


@pytest.mark.parametrize("name", ["participants", "hours", "internal_note"])
def test_nan_and_infinity_tokens_are_not_json(name):
    kind = "meeting_held" if name == "participants" else "training_delivered"
    assert mismatches(kind, name, NON_FINITE) == []
