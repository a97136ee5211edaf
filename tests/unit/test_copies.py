"""Which copy of a partition a read shows, and what an empty partition says."""

from ledger.read.copies import LIVE, describe, empty_copy, freshest


def _copy(role: str, next_offset: int) -> dict:
    return {"role": role, "next_offset": next_offset, "end": None, "updated_at": 1.0}


def test_the_copy_that_has_recorded_most_wins_and_the_owner_breaks_a_tie():
    shares = [
        {"partitions": {"0": _copy("standby", 90), "1": _copy("standby", 5)}},
        {"partitions": {"0": _copy("copy", 120), "1": _copy("active", 5)}},
    ]

    chosen = freshest(shares)

    assert (chosen[0]["role"], chosen[1]["role"]) == ("copy", "active")


def test_a_partition_that_never_held_a_record_is_live_only_for_a_joined_worker():
    assert describe(empty_copy())["source"] in LIVE
    assert describe(empty_copy())["lag"] == 0
    assert describe(empty_copy("copy"))["source"] not in LIVE
    assert empty_copy()["counters"]["accepted"] == 0
