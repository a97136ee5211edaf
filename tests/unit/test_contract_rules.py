"""The contract's rules on versions, time, codes and text, one test per rule."""

import json
from typing import Any

import pytest
from pydantic import ValidationError

from ledger.contract import event_adapter


def parse(fields: dict[str, Any]):
    return event_adapter().validate_json(json.dumps(fields))


def rejection(fields: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as caught:
        parse(fields)
    return [(error["loc"][-1:], error["type"]) for error in caught.value.errors()]


def test_an_unknown_event_type_is_rejected(event):
    assert rejection({**event(), "event_type": "meeting_cancelled"}) == [
        ((), "union_tag_invalid")
    ]


def test_schema_version_2_is_not_this_contract(event):
    assert rejection(event(schema_version=2)) == [
        (("schema_version",), "literal_error")
    ]


@pytest.mark.parametrize(
    "occurred_at",
    ["2025-03-14T10:30:00", "2025-03-14 10:30", "14/03/2025 10:30 +08:00"],
)
def test_a_timestamp_without_an_offset_or_not_rfc_3339_is_rejected(event, occurred_at):
    assert rejection(event(occurred_at=occurred_at))[0][0] == ("occurred_at",)


@pytest.mark.parametrize("version", [True, 1.0, "1"])
def test_only_the_json_integer_1_is_schema_version_1(event, version):
    assert rejection(event(schema_version=version))[0][0] == ("schema_version",)


@pytest.mark.parametrize(
    "occurred_at",
    [
        "1741919400",
        "2025-03-14 10:30:00Z",
        "2025-03-14T10:30:00+0800",
        "2025-03-14T10:30:00,5+08:00",
    ],
)
def test_a_timestamp_must_be_spelt_as_rfc_3339_says(event, occurred_at):
    assert rejection(event(occurred_at=occurred_at)) == [
        (("occurred_at",), "value_error")
    ]


@pytest.mark.parametrize(
    "occurred_at", ["0001-01-01T00:00:00+00:01", "9999-12-31T23:59:59-00:01"]
)
def test_an_instant_outside_years_1_to_9999_in_utc_is_rejected(event, occurred_at):
    assert rejection(event(occurred_at=occurred_at)) == [
        (("occurred_at",), "value_error")
    ]


def test_a_unix_number_is_not_a_timestamp(event):
    assert rejection(event(occurred_at=1741919400)) == [
        (("occurred_at",), "datetime_type")
    ]


@pytest.mark.parametrize(
    "event_id",
    [
        "{0b7f3c1e-2f4a-4d8e-9a51-3f1c2d4e5f60}",
        "urn:uuid:0b7f3c1e-2f4a-4d8e-9a51-3f1c2d4e5f60",
        "0b7f3c1e2f4a4d8e9a513f1c2d4e5f60",
    ],
)
def test_an_event_id_must_be_a_hyphenated_uuid(event, event_id):
    assert rejection(event(event_id=event_id)) == [(("event_id",), "value_error")]


def test_an_upper_case_event_id_is_the_same_uuid(event):
    upper = event(event_id="0B7F3C1E-2F4A-4D8E-9A51-3F1C2D4E5F60")
    assert parse(upper).event_id == parse(event()).event_id


def test_utc_written_as_z_is_accepted(event):
    assert parse(event(occurred_at="2025-03-14T02:30:00Z")).occurred_at.tzinfo


@pytest.mark.parametrize("region", ["apac", "A", "ASIA PACIFIC", "SEVENTEEN_CHARS_X"])
def test_a_region_must_be_an_upper_case_code_of_2_to_16_characters(event, region):
    assert rejection(event(region=region)) == [(("region",), "string_pattern_mismatch")]


def test_a_region_may_use_digits_underscores_and_hyphens(event):
    assert parse(event(region="EMEA_2-B")).region == "EMEA_2-B"


@pytest.mark.parametrize("country", ["XX", "tw", "TWN", "ZZ"])
def test_a_country_must_be_an_assigned_iso_alpha_2_code(event, country):
    assert rejection(event(country=country))[0][0] == ("country",)


def test_received_after_fulfilled_is_rejected(event):
    late = event("request_fulfilled", received_at="2025-03-14T10:31:00+08:00")
    with pytest.raises(ValidationError, match="received_at is after occurred_at"):
        parse(late)


def test_received_and_fulfilled_at_the_same_instant_is_accepted(event):
    same = event("request_fulfilled", received_at="2025-03-14T02:30:00Z")
    assert parse(same).turnaround_hours == 0


def test_agency_whitespace_is_trimmed(event):
    assert parse(event(agency="  National Police Agency \n")).agency == (
        "National Police Agency"
    )


@pytest.mark.parametrize("agency", ["", "   ", "x" * 201])
def test_an_empty_or_over_200_character_agency_is_rejected(event, agency):
    assert rejection(event(agency=agency))[0][0] == ("agency",)


def test_an_agency_of_200_characters_is_accepted(event):
    assert len(parse(event(agency="x" * 200)).agency) == 200


@pytest.mark.parametrize("source", ["", "s" * 65])
def test_a_source_must_be_1_to_64_characters(event, source):
    assert rejection(event(source=source))[0][0] == ("source",)


def test_events_are_frozen(event):
    parsed = parse(event())
    with pytest.raises(ValidationError):
        parsed.region = "EMEA"
